"""``eventwatch extract``: events of each input document, written to stdout; nothing stored."""

from __future__ import annotations

import argparse
import json
import sys

from ..errors import InputError
from ..pipeline import extract_many
from ..sources import iter_articles
from .common import FailureReport, add_inputs, settings_from
from .table import events_table

NAME = "extract"
HELP = "Extract events from files, directories or standard input (nothing is stored)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_inputs(parser, required=False)
    parser.add_argument("--output-format", choices=("jsonl", "json", "table"), default="jsonl",
                        help="jsonl: one object per input document per line (default); json: one "
                             "array; table: a readable summary")
    parser.add_argument("--with-text", action="store_true",
                        help="include the cleaned text that every character span refers to")


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    paths = args.paths or ["-"]
    report = FailureReport()
    collected = []
    items = iter_articles(paths, input_format=args.input_format, published=args.published,
                          max_bytes=settings.max_input_bytes)
    out = sys.stdout
    for result in extract_many(items, settings):
        if isinstance(result, InputError):
            report(result)
            continue
        record = result.to_dict(with_text=args.with_text)
        if args.output_format == "jsonl":
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
        elif args.output_format == "json":
            collected.append(record)
        else:
            collected.append(record)
    if args.output_format == "json":
        json.dump(collected, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.output_format == "table":
        rows = [dict(event, doc_id=doc["doc_id"]) for doc in collected for event in doc["events"]]
        out.write(events_table(rows) + "\n")
    if report.failed:
        print(f"eventwatch: {report.failed} input(s) failed: {report.summary()}", file=sys.stderr)
    return 1 if report.failed else 0
