"""``eventwatch export``: write stored events as CSV (ACLED columns), JSONL, GeoJSON or Parquet."""

from __future__ import annotations

import argparse
import sys

from .common import add_db, settings_from
from .events_cmd import add_filters, filter_from
from .merged_cmd import filters_given

NAME = "export"
HELP = ("Export stored events (or, with --merged, merged events: one per incident) to a file: "
        "csv (ACLED column names), jsonl, geojson or parquet.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("csv", "jsonl", "geojson", "parquet"), required=True,
                        help="file format")
    parser.add_argument("out", metavar="OUT", help="file to write")
    parser.add_argument("--merged", action="store_true",
                        help="export merged events (one per incident, with every source) instead "
                             "of per-article reports; takes no filters yet")
    add_db(parser)
    add_filters(parser)
    parser.set_defaults(limit=None)


def run(args: argparse.Namespace) -> int:
    from ..export import export_events, export_merged
    from ..store import open_store

    settings = settings_from(args)
    filters = filters_given(args)
    if args.merged and filters:
        print(f"eventwatch: error: merged events take no {', '.join(filters)} yet; export them "
              "all, or filter the per-article reports (export without --merged)", file=sys.stderr)
        return 2
    with open_store(settings.db) as store:
        if args.merged:
            count = export_merged(store, args.format, args.out)
        else:
            count = export_events(store, args.format, args.out, filter_from(args))
    kind = "merged event(s)" if args.merged else "event(s)"
    print(f"exported {count} {kind} to {args.out}", file=sys.stderr)
    return 0
