"""``eventwatch export``: write stored events as CSV (ACLED columns), JSONL, GeoJSON or Parquet."""

from __future__ import annotations

import argparse
import sys

from .common import add_db, settings_from
from .events_cmd import add_filters, filter_from

NAME = "export"
HELP = "Export stored events to a file: csv (ACLED column names), jsonl, geojson or parquet."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("csv", "jsonl", "geojson", "parquet"), required=True,
                        help="file format")
    parser.add_argument("out", metavar="OUT", help="file to write")
    add_db(parser)
    add_filters(parser)
    parser.set_defaults(limit=None)


def run(args: argparse.Namespace) -> int:
    from ..export import export_events
    from ..store import open_store

    settings = settings_from(args)
    with open_store(settings.db) as store:
        count = export_events(store, args.format, args.out, filter_from(args))
    print(f"exported {count} event(s) to {args.out}", file=sys.stderr)
    return 0
