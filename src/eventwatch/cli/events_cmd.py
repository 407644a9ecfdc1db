"""``eventwatch events``: list stored events with filters."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import TYPE_CHECKING

from .common import add_db, iso_date, positive_int, settings_from
from .merged_cmd import add_actions, run_action
from .table import events_table

if TYPE_CHECKING:
    from ..store.base import EventFilter

NAME = "events"
HELP = ("List stored events, newest first, filtered by country, province, actor, type and date; "
        "show, split and merge merged events.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_actions(parser)
    add_db(parser)
    add_filters(parser)
    parser.add_argument("--format", choices=("table", "jsonl", "csv"), default="table",
                        help="output format (default: table)")


def add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--country", metavar="CC", help="ISO 3166-1 alpha-2 code or country name")
    parser.add_argument("--admin1", metavar="NAME", help="first-level division (province, state)")
    parser.add_argument("--actor", metavar="NAME", help="perpetrator name or alias (substring)")
    parser.add_argument("--type", metavar="EVENT_TYPE", dest="event_type",
                        help='ACLED event type, e.g. "Violence against civilians"')
    parser.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD",
                        help="events on or after this date")
    parser.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD",
                        help="events on or before this date")
    parser.add_argument("--limit", type=positive_int, default=100, metavar="N",
                        help="most events to list (default: 100)")


def filter_from(args: argparse.Namespace) -> EventFilter:
    from ..store.base import EventFilter

    return EventFilter(country=args.country, admin1=args.admin1, actor=args.actor,
                       event_type=args.event_type, since=args.since, until=args.until,
                       limit=args.limit)  # None (export's default): everything


def run(args: argparse.Namespace) -> int:
    from ..export import CSV_COLUMNS, csv_row
    from ..store import open_store

    settings = settings_from(args)
    if args.action or args.merged:
        return run_action(args, settings.db)
    with open_store(settings.db) as store:
        events = store.query_events(filter_from(args))
    if args.format == "table":
        print(events_table(events))
    elif args.format == "jsonl":
        for event in events:
            sys.stdout.write(json.dumps(event, ensure_ascii=False) + "\n")
    else:
        writer = csv.writer(sys.stdout)
        writer.writerow(CSV_COLUMNS)
        for event in events:
            writer.writerow(csv_row(event))
    return 0
