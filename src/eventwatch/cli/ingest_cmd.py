"""``eventwatch ingest``: store articles and their events; re-running adds nothing."""

from __future__ import annotations

import argparse

from ..fetch import fetcher_from_settings
from ..ingest import ingest_articles
from ..sources import iter_articles
from .common import add_db, add_inputs, positive_int, settings_from
from .progress import RunConsole

NAME = "ingest"
HELP = ("Extract events from files, directories, WARC archives or URLs and store articles and "
        "events in the database; re-running skips what is stored.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_inputs(parser, required=True)
    add_db(parser)
    add_fetch_options(parser)
    parser.add_argument("--commit-every", type=positive_int, metavar="N",
                        help="most articles stored per write transaction; a killed run redoes "
                             "at most one such group (default: 200; 1 = one per article)")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress display and no summary; errors only")


def add_fetch_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--allow-private", action="store_true", default=None,
                        help="fetch from hosts on private, loopback or link-local addresses")
    parser.add_argument("--delay", type=float, metavar="SECONDS", dest="fetch_delay",
                        help="least seconds between requests to one host (default: 1)")


def run(args: argparse.Namespace) -> int:
    from ..store import open_store

    settings = settings_from(args, allow_private=args.allow_private,
                             fetch_delay=args.fetch_delay, commit_every=args.commit_every)
    console = RunConsole(quiet=args.quiet)
    with open_store(settings.db) as store, fetcher_from_settings(settings) as fetcher:
        items = iter_articles(args.paths, input_format=args.input_format,
                              published=args.published, max_bytes=settings.max_input_bytes,
                              fetcher=fetcher)
        try:
            ingest_articles(items, store, settings, report=console.report,
                            on_error=console.on_error, progress=console.progress)
        finally:
            console.progress.close()
    return console.finish("ingested", settings.db)
