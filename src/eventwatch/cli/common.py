"""Options and helpers shared by several commands."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from typing import Any

from ..errors import InputError
from ..settings import Settings, load_settings
from ..sources import INPUT_FORMATS


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a YYYY-MM-DD date") from exc


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from exc
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} must be 1 or more")
    return number


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH",
                        help="database file (default: $EVENTWATCH_DB or the user data directory)")


def add_inputs(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("paths", nargs="+" if required else "*", metavar="PATH",
                        help="files (text, HTML, JSONL, WARC), directories (read recursively), "
                             "http(s) URLs (ingest only) or - for standard input")
    parser.add_argument("--input-format", choices=INPUT_FORMATS, default="auto",
                        help="how to read the inputs (default: by extension, else sniffed)")
    parser.add_argument("--published", type=iso_date, metavar="YYYY-MM-DD",
                        help="publication date for documents that do not state one; relative "
                             "dates resolve against it (without it, their year stays unknown)")
    parser.add_argument("--workers", type=positive_int, metavar="N",
                        help="processes used for extraction (default: 1)")


def settings_from(args: argparse.Namespace, **extra: Any) -> Settings:
    overrides = {"db": getattr(args, "db", None), "workers": getattr(args, "workers", None)}
    overrides.update(extra)
    return load_settings(overrides)


class FailureReport:
    """Prints one line per failed input on stderr and counts failures by reason."""

    def __init__(self) -> None:
        self.reasons: Counter[str] = Counter()

    def __call__(self, error: InputError) -> None:
        self.reasons[error.reason] += 1
        print(f"eventwatch: error: {error}", file=sys.stderr)

    @property
    def failed(self) -> int:
        return sum(self.reasons.values())

    def summary(self) -> str:
        return ", ".join(f"{n} {reason}" for reason, n in sorted(self.reasons.items()))
