"""``eventwatch geoparse``: the places each input document names, resolved; nothing stored."""

from __future__ import annotations

import argparse
import json
import sys

from ..errors import InputError
from ..geoparse import geoparse_article
from ..sources import INPUT_FORMATS, iter_articles
from .common import FailureReport, settings_from

NAME = "geoparse"
HELP = "Find and resolve the place names of files, directories or standard input."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files, directories (read recursively) or - for standard input "
                             "(default: -)")
    parser.add_argument("--input-format", choices=INPUT_FORMATS, default="auto",
                        help="how to read the inputs (default: by extension, else sniffed)")


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    report = FailureReport()
    items = iter_articles(args.paths or ["-"], input_format=args.input_format,
                          max_bytes=settings.max_input_bytes)
    for item in items:
        if isinstance(item, InputError):
            report(item)
            continue
        try:
            places = geoparse_article(item, settings)
        except InputError as exc:
            report(exc)
            continue
        record = {"doc_id": item.doc_id, "places": places}
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    if report.failed:
        print(f"eventwatch: {report.failed} input(s) failed: {report.summary()}", file=sys.stderr)
    return 1 if report.failed else 0
