"""The desk's API routes: ``/api/events`` (filters, sorting, cursors, json/csv/geojson),
``/api/stats``, ``/api/actors``, ``/api/actors/{id}`` and ``/api/places/{id}``.

Every parameter is validated; a bad one is a 422 in the envelope of ``api.py`` naming it. The
queries live in ``store/desk_queries.py``.
"""

# No ``from __future__ import annotations``: FastAPI reads the endpoint annotations at run time.
import csv
import io
import json
import math
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from .api import APIError, parse_date
from .export import CSV_COLUMNS, csv_row, event_columns
from .store import desk_queries as dq
from .store.desk_cache import CachedDesk
from .store.desk_schema import actor_slug
from .store.sqlite import SQLiteStore

Reader = Callable[[], AbstractContextManager[SQLiteStore]]
Sort = Literal["-date", "date", "-fatalities", "fatalities"]
Format = Literal["json", "csv", "geojson"]
TOP_MAX = 100
STREAM_CHUNK = 500


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, dict[str, Any]]:
    """The packaged actor catalogue by actor id: aliases, kind, category, countries."""
    data = json.loads(files("eventwatch").joinpath("data/actors.json").read_text("utf-8"))
    out: dict[str, dict[str, Any]] = {}
    for entry in data["actors"]:
        slug = actor_slug(str(entry["name"]))
        if slug:
            out[slug] = {"aliases": list(entry.get("aliases", [])),
                         "kind": entry.get("kind"), "category": entry.get("category"),
                         "countries": list(entry.get("countries", []))}
    return out


EVENTS_DESCRIPTION = f"""JSON: ``{{"events", "count", "count_exact", "limit", "offset", "sort",
"cursor", "next"}}``. ``count`` is the number of events matching the filters over all pages, exact
when ``count_exact`` is true. A free-text search (``q``) that matches more than
{dq.SEARCH_COUNT_MAX:,} events stops counting there: ``count_exact`` is then false and ``count``
({dq.SEARCH_COUNT_MAX:,}) is a lower bound, to be shown as "{dq.SEARCH_COUNT_MAX:,}+". ``cursor``
continues after this page and ``next`` is the relative URL of the next page (both null on the
last). Each event is the stored record (docs/event-record.md). CSV (ACLED columns) and GeoJSON
stream every matching event up to ``limit``."""


def _invalid(parameter: str, message: str, detail: str | None = None) -> APIError:
    return APIError(422, "invalid_parameter", message,
                    [{"parameter": parameter, "location": "query", "message": detail or message}])


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """``west,south,east,north`` in degrees, or None when empty."""
    if not value:
        return None
    parts = value.split(",")
    try:
        if len(parts) != 4:
            raise ValueError
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise _invalid("bbox", "bbox must be four numbers: west,south,east,north",
                       f"not west,south,east,north: {value[:100]!r}") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise _invalid("bbox", "bbox values must be finite numbers")
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise _invalid("bbox", "bbox longitudes must lie in -180..180")
    if not (-90 <= south <= north <= 90):
        raise _invalid("bbox", "bbox latitudes must lie in -90..90 with south <= north")
    return west, south, east, north


@dataclass(frozen=True, slots=True)
class Filters:
    """The filter parameters shared by /api/events and /api/stats (and the dashboard)."""

    country: str | None
    admin1: str | None
    admin2: str | None
    actor: str | None
    actor_id: str | None
    place_id: str | None
    event_type: str | None
    sub_event_type: str | None
    since: str | None
    until: str | None
    bbox: str | None
    min_fatalities: int | None
    q: str | None

    def to_filter(self) -> dq.DeskFilter:
        since, until = parse_date("since", self.since), parse_date("until", self.until)
        if since and until and since > until:
            raise _invalid("since", "since must not be after until",
                           f"{since} is after until={until}")
        return dq.DeskFilter(
            country=self.country or None, admin1=self.admin1 or None,
            admin2=self.admin2 or None, actor=self.actor or None,
            actor_id=self.actor_id or None, place_id=self.place_id or None,
            event_type=self.event_type or None, sub_event_type=self.sub_event_type or None,
            since=since, until=until, bbox=parse_bbox(self.bbox),
            min_fatalities=self.min_fatalities, text=self.q or None)


def _text(description: str, alias: str | None = None) -> Any:
    return Query(alias=alias, max_length=200, description=description)


def filter_params(
    country: Annotated[str | None, _text("ISO 3166-1 alpha-2 code or country name")] = None,
    admin1: Annotated[str | None, _text("first-level division (province, state)")] = None,
    admin2: Annotated[str | None, _text("second-level division (district)")] = None,
    actor: Annotated[str | None, _text("substring of a perpetrator's name or alias")] = None,
    actor_id: Annotated[str | None, _text("id of an actor page (/api/actors)")] = None,
    place_id: Annotated[str | None, _text("id of a place page (/api/places/{id})")] = None,
    event_type: Annotated[str | None, _text('ACLED event type, e.g. "Battles"', "type")] = None,
    sub_event_type: Annotated[str | None, _text('ACLED sub-event type, e.g. "Armed clash"',
                                                "sub_type")] = None,
    since: Annotated[str | None, Query(
        max_length=10, description="YYYY-MM-DD: events ending on or after this date")] = None,
    until: Annotated[str | None, Query(
        max_length=10, description="YYYY-MM-DD: events starting on or before this date")] = None,
    bbox: Annotated[str | None, Query(
        max_length=100, description="west,south,east,north in degrees")] = None,
    min_fatalities: Annotated[int | None, Query(
        ge=0, le=10_000_000, description="best fatality estimate at least this")] = None,
    q: Annotated[str | None, _text("words that must all occur in the source article text; "
                                   "word* matches a prefix")] = None,
) -> Filters:
    return Filters(country, admin1, admin2, actor, actor_id, place_id, event_type,
                   sub_event_type, since, until, bbox, min_fatalities, q)


FILTER_NAMES = ("country", "admin1", "admin2", "actor", "actor_id", "place_id", "type",
                "sub_type", "since", "until", "bbox", "min_fatalities", "q")


def _csv_stream(events: Iterator[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for n, event in enumerate(events, 1):
        writer.writerow(csv_row(event))
        if n % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _geojson_stream(events: Iterator[dict[str, Any]]) -> Iterator[str]:
    yield '{"type": "FeatureCollection", "features": ['
    for n, event in enumerate(events):
        cols = event_columns(event)
        if cols["event_date"] is not None:
            cols["event_date"] = cols["event_date"].isoformat()
        lat, lon = cols["latitude"], cols["longitude"]
        geometry = ({"type": "Point", "coordinates": [lon, lat]}
                    if lat is not None and lon is not None else None)
        feature = {"type": "Feature", "id": event["id"], "geometry": geometry,
                   "properties": cols}
        yield ("," if n else "") + "\n" + json.dumps(feature, ensure_ascii=False)
    yield "\n]}\n"


def with_catalogue(actor: dict[str, Any]) -> dict[str, Any]:
    """An actor's page data plus its catalogue entry (``aliases`` etc.; empty when none)."""
    entry = _catalogue().get(actor["id"], {})
    return {**actor, "aliases": entry.get("aliases", []), "kind": entry.get("kind"),
            "category": entry.get("category"), "countries": entry.get("countries", [])}


def add_desk_routes(app: FastAPI, reader: Reader, desk: CachedDesk, *, page_size_max: int,
                    export_rows_max: int) -> None:
    """Register the desk's API routes on ``app``; ``reader()`` opens a read-only store, and
    counts, statistics, actors and places are read through ``desk`` (kept per data state)."""

    def stream(f: dq.DeskFilter, sort: str, limit: int) -> Iterator[dict[str, Any]]:
        # Starlette pulls a streamed body from worker threads, one chunk here and the next
        # there, and a SQLite connection belongs to its thread: so each chunk is a keyset page
        # read through its own short-lived connection.
        cursor: str | None = None
        left = limit
        while left > 0:
            with reader() as store:
                events, cursor = dq.events_page(store.connection, f, sort=sort,
                                                limit=min(STREAM_CHUNK, left), cursor=cursor)
            yield from events
            left -= len(events)
            if cursor is None:
                return

    @app.get("/api/events", summary="Stored events, filtered and sorted, by page",
             description=EVENTS_DESCRIPTION)
    def list_events(
        request: Request,
        filters: Annotated[Filters, Depends(filter_params)],
        sort: Annotated[Sort, Query(description="order: -date (newest first), date, "
                                                "-fatalities (deadliest first), fatalities")
                        ] = "-date",
        cursor: Annotated[str | None, Query(
            max_length=1000, description="the next page: the cursor of the previous page")
        ] = None,
        limit: Annotated[int | None, Query(
            ge=1, description=f"events per page: up to {page_size_max} as JSON, "
                              f"{export_rows_max} as CSV or GeoJSON")] = None,
        offset: Annotated[int, Query(ge=0, le=1_000_000,
                                     description="events to skip (cursor is faster)")] = 0,
        format: Annotated[Format, Query(description="json, csv or geojson")] = "json",
    ) -> Response:
        # Described in EVENTS_DESCRIPTION (OpenAPI).
        f = filters.to_filter()
        bound = page_size_max if format == "json" else export_rows_max
        if limit is not None and limit > bound:
            raise _invalid("limit", f"limit must be at most {bound} for format={format}",
                           f"{limit} > {bound}")
        if format != "json":
            if cursor is not None:
                raise _invalid("cursor", "cursor applies to format=json only")
            chunks = (_csv_stream if format == "csv" else _geojson_stream)(
                stream(f, sort, limit or bound))
            media = "text/csv; charset=utf-8" if format == "csv" else "application/geo+json"
            return StreamingResponse(chunks, media_type=media, headers={
                "Content-Disposition": f'attachment; filename="events.{format}"'})
        if cursor is not None and offset:
            raise _invalid("offset", "give cursor or offset, not both")
        size = limit or min(100, page_size_max)
        with reader() as store:
            count, exact = desk.count(store.connection, f)
            try:
                events, next_cursor = dq.events_page(
                    store.connection, f, sort=sort, limit=size, cursor=cursor, offset=offset,
                    matching=count)
            except dq.CursorError as exc:
                raise _invalid("cursor", f"invalid cursor: {exc}") from None
        next_url = None
        if next_cursor is not None:
            kept = [(k, v) for k, v in request.query_params.multi_items()
                    if k not in ("cursor", "offset", "limit")]
            next_url = (f"{request.url.path}?"
                        f"{urlencode([*kept, ('limit', str(size)), ('cursor', next_cursor)])}")
        return JSONResponse({"events": events, "count": count, "count_exact": exact,
                             "limit": size, "offset": offset, "sort": sort,
                             "cursor": next_cursor, "next": next_url})

    @app.get("/api/stats", summary="Events and fatalities per period, type, actor and admin1")
    def get_stats(
        filters: Annotated[Filters, Depends(filter_params)],
        interval: Annotated[Literal["day", "week", "month"], Query(
            description="period of the series: day, week (from Monday) or month")] = "month",
        top: Annotated[int, Query(ge=1, le=TOP_MAX,
                                  description="actors and admin1 divisions listed")] = 10,
    ) -> JSONResponse:
        """``{"interval", "totals", "series", "by_type", "by_actor", "by_admin1"}``; the series
        counts events by start date (undated events count only in ``totals``)."""
        f = filters.to_filter()
        with reader() as store:
            body = desk.stats(store.connection, f, interval=interval, top=top)
        return JSONResponse(body)

    @app.get("/api/actors", summary="Named actors, most active first")
    def list_actors(
        name: Annotated[str | None, _text("substring of the name or of a spelling")] = None,
        limit: Annotated[int, Query(ge=1, le=page_size_max)] = min(50, page_size_max),
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> JSONResponse:
        """``{"actors": [{"id", "name", "events", "fatalities", "first", "last"}], "count"}``."""
        with reader() as store:
            actors, count = desk.actors(store.connection, name=name or None, limit=limit,
                                        offset=offset)
        return JSONResponse({"actors": actors, "count": count, "limit": limit, "offset": offset})

    @app.get("/api/actors/{actor_id}",
             summary="One actor: catalogue aliases, spellings found, activity, places")
    def get_actor(actor_id: Annotated[str, Path(max_length=200)],
                  top: Annotated[int, Query(ge=1, le=TOP_MAX)] = 20) -> JSONResponse:
        with reader() as store:
            body = desk.actor(store.connection, actor_id, top=top)
        if body is None:
            raise APIError(404, "not_found", f"no actor with id {actor_id!r}", {"id": actor_id})
        return JSONResponse(with_catalogue(body))

    @app.get("/api/places/{place_id}", summary="One place: location, activity, actors")
    def get_place(place_id: Annotated[str, Path(max_length=200)],
                  top: Annotated[int, Query(ge=1, le=TOP_MAX)] = 20) -> JSONResponse:
        with reader() as store:
            body = desk.place(store.connection, place_id, top=top)
        if body is None:
            raise APIError(404, "not_found", f"no place with id {place_id!r}", {"id": place_id})
        return JSONResponse(body)
