"""The JSON API over a store: ``/api/health``, ``/api/events/{id}``, ``/api/articles/{id}`` here,
and the desk's ``/api/events``, ``/api/stats``, ``/api/actors``, ``/api/places`` in
``desk_api.py``; OpenAPI at ``/docs`` and ``/openapi.json``.

Every error, whatever raised it (an unknown route, a bad parameter, a missing event, a broken
database), has one shape::

    {"error": {"code": "not_found", "message": "no event with id 'ev_1'", "details": {...}}}

Codes: ``not_found`` (404), ``method_not_allowed`` (405), ``invalid_parameter`` (422; ``details``
lists ``{"parameter", "location", "message"}``), ``store_unavailable`` (503) and
``internal_error`` (500). Messages never reveal server paths; those go to the log.

Each request opens its own short-lived read-only connection (``SQLiteStore(read_only=True)``;
under a millisecond), so the server answers from the last committed state while
``eventwatch ingest`` writes in another process (WAL), holds no long read snapshot that would stop
WAL checkpoints, and shares no connection between threads.
"""

# No ``from __future__ import annotations`` here: FastAPI reads the endpoint annotations at run
# time, and the ``limit`` bound refers to a local of ``create_app``.
import base64
import datetime as dt
import hashlib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import FastAPI, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import __version__
from .errors import StoreError
from .store.desk_cache import CachedDesk
from .store.sqlite import SQLiteStore

LOGGER = logging.getLogger("eventwatch.api")

API_CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# The desk's pages: scripts and styles only from files this server serves (no inline script, no
# style attribute in markup), the filter form may submit to this server.
WEB_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
           "form-action 'self'")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_STATUS_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed",
                 422: "invalid_parameter", 500: "internal_error", 503: "store_unavailable"}


class APIError(Exception):
    """An error answered with the envelope: HTTP ``status``, stable ``code``, a message."""

    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


def _security_headers(headers: MutableHeaders, csp: str) -> None:
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Content-Security-Policy"] = csp
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "no-referrer"


def error_response(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
    """The one error envelope (security headers included: 500s bypass the middleware)."""
    response = JSONResponse(
        {"error": {"code": code, "message": message, "details": details}}, status_code=status
    )
    _security_headers(response.headers, API_CSP)
    return response


class SecurityHeaders:
    """ASGI middleware adding the security headers to every response; /docs gets its own CSP."""

    def __init__(self, app: ASGIApp, docs_csp: str) -> None:
        self.app, self.docs_csp = app, docs_csp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path == "/docs":
            csp = self.docs_csp
        elif path.startswith(("/api/", "/openapi.json", "/static/swagger")):
            csp = API_CSP
        else:
            csp = WEB_CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                _security_headers(MutableHeaders(scope=message), csp)
            await send(message)

        await self.app(scope, receive, send_with_headers)


SWAGGER_PREFIX = "/static/swagger"
READ_MMAP_BYTES = 256 * 1024 * 1024


def _swagger_assets() -> str | None:
    """Folder of the Swagger UI files shipped by the ``swagger-ui-bundle`` package, if present."""
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    return str(swagger_ui_bundle.swagger_ui_path)


def _docs_page(title: str, local_assets: bool) -> tuple[str, str]:
    """Swagger UI's page and a CSP allowing exactly its assets and its one inline script.

    With ``swagger-ui-bundle`` installed (the ``web`` extra) the assets are served by this process,
    so /docs works offline and the CSP allows only 'self'; otherwise they come from the CDN.
    """
    if local_assets:
        page = get_swagger_ui_html(
            openapi_url="/openapi.json", title=title,
            swagger_js_url=f"{SWAGGER_PREFIX}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER_PREFIX}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER_PREFIX}/favicon-32x32.png")
        sources = ""
        images = ""
    else:
        page = get_swagger_ui_html(openapi_url="/openapi.json", title=title)
        sources = " https://cdn.jsdelivr.net"
        images = " https://fastapi.tiangolo.com"
    html = bytes(page.body).decode()
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in re.findall(r"<script>(.*?)</script>", html, flags=re.DOTALL)
    )
    csp = (f"default-src 'self'; script-src 'self'{sources} {hashes}; "
           f"style-src 'self'{sources} 'unsafe-inline'; img-src 'self' data:{images}; "
           "frame-ancestors 'none'; base-uri 'none'")
    return html, csp


def parse_date(name: str, value: str | None) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        if not _DATE.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise APIError(
            422, "invalid_parameter", f"{name} must be a date written YYYY-MM-DD",
            [{"parameter": name, "location": "query",
              "message": f"not a valid YYYY-MM-DD date: {value!r}"}],
        ) from None


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    details = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ())]
        details.append({
            "parameter": loc[-1] if loc else None,
            "location": loc[0] if loc else None,
            "message": str(err.get("msg", "invalid value")),
        })
    return details


def create_app(db_path: str, page_size_max: int = 1000, export_rows_max: int = 100_000
               ) -> FastAPI:
    """The API app over the SQLite database at ``db_path`` (created and migrated if needed).

    :param page_size_max: largest ``limit`` a JSON request may ask for.
    :param export_rows_max: largest ``limit`` of a CSV or GeoJSON request.
    """
    if page_size_max < 1 or export_rows_max < 1:
        raise ValueError(f"page_size_max and export_rows_max must be 1 or more, got "
                         f"{page_size_max} and {export_rows_max}")
    # Opening once for writing creates and migrates the database, so per-request readers never
    # need to; a database from a newer eventwatch is refused here, before the server starts.
    SQLiteStore(db_path).close()
    assets = _swagger_assets()
    docs_html, docs_csp = _docs_page("eventwatch API", local_assets=assets is not None)

    app = FastAPI(
        title="eventwatch API", version=__version__, docs_url=None, redoc_url=None,
        description="Sourced event records of political violence extracted from news text.",
    )
    app.add_middleware(SecurityHeaders, docs_csp=docs_csp)
    if assets is not None:
        app.mount(SWAGGER_PREFIX, StaticFiles(directory=assets), name="swagger")

    @contextmanager
    def reader() -> Iterator[SQLiteStore]:
        with SQLiteStore(db_path, read_only=True) as store:
            # Each request has a fresh connection with an empty page cache; memory-mapped
            # reads spare it a system call per page.
            store.connection.execute(f"PRAGMA mmap_size = {READ_MMAP_BYTES}")
            yield store

    @app.exception_handler(APIError)
    async def _api_error(request: Request, exc: APIError) -> Response:
        return error_response(exc.status, exc.code, exc.message, exc.details)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _STATUS_CODES.get(exc.status_code, "http_error")
        if exc.status_code == 404:
            message = f"no such endpoint: {request.url.path}; see /docs"
        elif exc.status_code == 405:
            message = f"method {request.method} is not allowed on {request.url.path}"
        else:
            message = str(exc.detail)
        response = error_response(exc.status_code, code, message)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        details = _validation_details(exc)
        names = ", ".join(sorted({str(d["parameter"]) for d in details}))
        return error_response(422, "invalid_parameter", f"invalid parameter(s): {names}", details)

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError) -> Response:
        LOGGER.error("store error on %s: %s", request.url.path, exc)
        return error_response(503, "store_unavailable",
                              "the event database cannot be read right now; see the server log")

    @app.exception_handler(Exception)
    async def _internal_error(request: Request, exc: Exception) -> Response:
        LOGGER.exception("unhandled error on %s", request.url.path)
        return error_response(500, "internal_error", "internal server error; see the server log")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(docs_html)

    @app.get("/api/health", summary="Service status and database size")
    def health() -> JSONResponse:
        with reader() as store:
            body = {"status": "ok", "version": __version__, "events": store.count_events(),
                    "articles": store.count_articles()}
        return JSONResponse(body)

    from .desk_api import add_desk_routes  # here: desk_api imports this module

    # One cache of the desk's answers for the API and the pages (store/desk_cache.py).
    desk = CachedDesk()
    add_desk_routes(app, reader, desk, page_size_max=page_size_max,
                    export_rows_max=export_rows_max)

    @app.get("/api/events/{event_id}", summary="One event with its source")
    def get_event(event_id: Annotated[str, Path(max_length=200)]) -> JSONResponse:
        with reader() as store:
            event = store.get_event(event_id)
        if event is None:
            raise APIError(404, "not_found", f"no event with id {event_id!r}",
                           {"id": event_id})
        return JSONResponse(event)

    @app.get("/api/articles/{article_id}", summary="One article: text, metadata and events")
    def get_article(article_id: Annotated[str, Path(max_length=200)]) -> JSONResponse:
        with reader() as store:
            article = store.get_article(article_id)
        if article is None:
            raise APIError(404, "not_found", f"no article with id {article_id!r}",
                           {"id": article_id})
        return JSONResponse(article)

    from .api_merge import merge_router  # imports APIError from this module, so not at the top

    app.include_router(merge_router(db_path, page_size_max))

    from .web.pages import add_web_routes  # the dashboard, after the API so /api wins

    add_web_routes(app, reader, desk, page_size_max=page_size_max)
    return app
