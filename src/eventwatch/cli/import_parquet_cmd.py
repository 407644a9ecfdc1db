"""``eventwatch import-parquet``: load a Spark job's output into the local database."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import add_db, settings_from
from .progress import RunConsole

NAME = "import-parquet"
HELP = "Load the articles and events written by `eventwatch spark run` into the database."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", metavar="DIR", help="the --output of `eventwatch spark run`")
    add_db(parser)
    parser.add_argument("--quiet", action="store_true", help="print only errors")


def run(args: argparse.Namespace) -> int:
    from ..spark.importer import import_output
    from ..store import open_store

    settings = settings_from(args)
    console = RunConsole(quiet=args.quiet)
    with open_store(settings.db) as store:
        import_output(Path(args.directory), store, console.report, on_error=console.on_error)
    return console.finish("imported", settings.db)
