"""``eventwatch geoparse``: the places each input document names, resolved; nothing stored.

Documents are read in input order; each is read with what the earlier documents of its source
(URL host or site name) said about where that source's stories are (``source_profile``),
unless ``--no-source-profiles``."""

from __future__ import annotations

import argparse
import json
import sys

from ..errors import InputError
from ..gazetteer import load_gazetteer
from ..geoparse import geoparse_article
from ..source_profile import SourceProfiles
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
    parser.add_argument("--no-source-profiles", action="store_true",
                        help="read each document alone; by default a document is read with "
                             "what the earlier documents of its source (URL host) said about "
                             "where that source's stories are")


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    report = FailureReport()
    profiles = None if args.no_source_profiles else SourceProfiles()
    gazetteer = load_gazetteer(settings.places_file or None) if profiles is not None else None
    items = iter_articles(args.paths or ["-"], input_format=args.input_format,
                          max_bytes=settings.max_input_bytes)
    for item in items:
        if isinstance(item, InputError):
            report(item)
            continue
        try:
            profile = profiles.for_article(item) if profiles is not None else None
            places = geoparse_article(item, settings, profile)
        except InputError as exc:
            report(exc)
            continue
        if profiles is not None and gazetteer is not None:
            profiles.learn(item, places, gazetteer)
        record = {"doc_id": item.doc_id, "places": places}
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    if report.failed:
        print(f"eventwatch: {report.failed} input(s) failed: {report.summary()}", file=sys.stderr)
    return 1 if report.failed else 0
