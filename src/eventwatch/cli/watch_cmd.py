"""``eventwatch watch``: follow RSS/Atom feeds and ingest the pages of new items."""

from __future__ import annotations

import argparse
import contextlib
import re

from ..fetch import fetcher_from_settings
from ..watch import PollOutcome, watch
from .common import add_db, positive_int, settings_from
from .ingest_cmd import add_fetch_options
from .progress import RunConsole

NAME = "watch"
HELP = ("Poll RSS/Atom feeds (URLs or files) and ingest new items' pages; known items are never "
        "fetched again.")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def duration(value: str) -> float:
    match = _DURATION.match(value.lower())
    if not match or float(match[1]) <= 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a duration such as 90s, 10m or 1h")
    return float(match[1]) * _UNITS[match[2]]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("feeds", nargs="+", metavar="FEED", help="feed URLs or feed files")
    parser.add_argument("--interval", type=duration, metavar="DURATION",
                        help="time between polls, e.g. 90s, 10m, 1h (default: 10m)")
    parser.add_argument("--polls", type=positive_int, metavar="N",
                        help="stop after N rounds of polls (default: run until interrupted)")
    parser.add_argument("--once", action="store_const", const=1, dest="polls",
                        help="poll each feed once and exit (same as --polls 1)")
    parser.add_argument("--workers", type=positive_int, metavar="N",
                        help="processes used for extraction (default: one per core)")
    add_db(parser)
    add_fetch_options(parser)
    parser.add_argument("--quiet", action="store_true", help="print only errors")


def run(args: argparse.Namespace) -> int:
    from ..store.sqlite import SQLiteStore

    settings = settings_from(args, allow_private=args.allow_private,
                             fetch_delay=args.fetch_delay, watch_interval=args.interval)
    console = RunConsole(quiet=args.quiet)

    def on_poll(outcome: PollOutcome) -> None:
        console.note(f"polled {outcome.feed}: {outcome.status}, {outcome.items} item(s), "
                     f"{outcome.new} new")

    # Ctrl-C ends a watch normally: every stored article is committed; the summary follows.
    with (SQLiteStore(settings.db) as store, fetcher_from_settings(settings) as fetcher,
          contextlib.suppress(KeyboardInterrupt)):
        watch(args.feeds, store, fetcher, settings, report=console.report,
              on_error=console.on_error, on_poll=on_poll, progress=console.progress,
              polls=args.polls)
    return console.finish("watched", settings.db)
