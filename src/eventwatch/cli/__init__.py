"""The ``eventwatch`` command: a thin layer over library functions, one module per command.

Exit codes: 0 success, 1 when any input failed (after processing the rest), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import EventwatchError
from . import (
    eval_cmd,
    events_cmd,
    export_cmd,
    extract_cmd,
    geoparse_cmd,
    import_parquet_cmd,
    ingest_cmd,
    serve_cmd,
    spark_cmd,
    watch_cmd,
)

COMMANDS = (extract_cmd, geoparse_cmd, ingest_cmd, watch_cmd, events_cmd, export_cmd, serve_cmd,
            eval_cmd, spark_cmd, import_parquet_cmd)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eventwatch",
        description="Sourced event records of political violence from news text.",
    )
    parser.add_argument("--version", action="version", version=f"eventwatch {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        cmd = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(cmd)
        cmd.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except EventwatchError as exc:
        print(f"eventwatch: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # an output path that is a directory, a full disk, no permission
        print(f"eventwatch: error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `eventwatch events | head` closes the pipe early; not an error
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
