"""``eventwatch ingest``: store articles and their events; re-running adds nothing."""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from ..errors import InputError
from ..pipeline import extract_many
from ..sources import iter_articles
from .common import FailureReport, add_db, add_inputs, settings_from

NAME = "ingest"
HELP = "Extract events from files or directories and store articles and events in the database."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_inputs(parser, required=True)
    add_db(parser)
    parser.add_argument("--quiet", action="store_true", help="print only errors")


def run(args: argparse.Namespace) -> int:
    from ..store import open_store

    settings = settings_from(args)
    report = FailureReport()
    outcome: Counter[str] = Counter()
    stored_events = 0
    items = iter_articles(args.paths, input_format=args.input_format, published=args.published,
                          max_bytes=settings.max_input_bytes)
    with open_store(settings.db) as store:
        for result in extract_many(items, settings):
            if isinstance(result, InputError):
                report(result)
                continue
            status = store.add_document(result)
            outcome[status] += 1
            if status != "unchanged":
                stored_events += len(result.events)
    if not args.quiet:
        parts = [f"{outcome[k]} {k}" for k in ("added", "updated", "unchanged")]
        parts.append(f"{report.failed} failed" + (f" ({report.summary()})" if report.failed
                                                  else ""))
        print(f"ingested into {settings.db}: " + ", ".join(parts)
              + f"; {stored_events} event(s) stored", file=sys.stderr)
    return 1 if report.failed else 0
