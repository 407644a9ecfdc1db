"""``eventwatch serve``: the desk (dashboard and JSON API) over the database until Ctrl-C."""

from __future__ import annotations

import argparse
import sys

from .common import add_db, settings_from

NAME = "serve"
HELP = "Serve the desk: the dashboard at / and the JSON API at /api (OpenAPI at /docs)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db(parser)
    parser.add_argument("--host", help="interface to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, help="TCP port (default: 8000)")


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args, host=args.host, port=args.port)
    try:
        import uvicorn

        from ..api import create_app
    except ImportError:
        print("eventwatch: serve needs the web extra: pip install 'eventwatch[web]'",
              file=sys.stderr)
        return 1
    app = create_app(settings.db, page_size_max=settings.page_size_max,
                     export_rows_max=settings.export_rows_max)
    print(f"serving {settings.db} on http://{settings.host}:{settings.port} (Ctrl-C stops)",
          file=sys.stderr)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
    return 0
