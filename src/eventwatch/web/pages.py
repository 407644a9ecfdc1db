"""The desk's HTML pages, each with a JSON twin at the same path plus ``.json``:

- ``/`` (and ``/index.json``): filter bar, map, timeline and event table; the filters live in
  the URL's query string, which the page's scripts and the JSON twin read alike.
- ``/events/{id}``: what, who, where, when and how many, each value's evidence highlighted in
  the article text, every source with its own values, and the merge history when there is one.
- ``/actors``, ``/actors/{id}``, ``/places/{id}``.

Pages are rendered by Jinja2 with autoescaping on, so every string from an article or the web is
escaped; scripts are separate files under ``/static/desk`` (the CSP allows no inline script).
"""

# No ``from __future__ import annotations``: FastAPI reads the endpoint annotations at run time.
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..api import APIError
from ..desk_api import Filters, filter_params, with_catalogue
from ..store import desk_queries as dq
from ..store.desk_cache import CachedDesk
from ..store.desk_schema import actor_slug, place_key
from ..store.merged import get_merged
from ..store.sqlite import SQLiteStore
from . import render

Reader = Callable[[], AbstractContextManager[SQLiteStore]]
HERE = FilePath(__file__).resolve().parent
STATIC_PREFIX = "/static/desk"
EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians",
               "Protests", "Riots", "Strategic developments")
SOURCES_MAX = 50  # articles shown on one event page, however many reported it


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.globals.update(static=STATIC_PREFIX, version=__version__, labels=render.LABELS,
                       actor_slug=actor_slug, place_key=place_key)
    return env


def _not_found(kind: str, ident: str) -> APIError:
    return APIError(404, "not_found", f"no {kind} with id {ident!r}", {"id": ident})


def _event_view(store: SQLiteStore, event_id: str) -> dict[str, Any]:
    """The event page's data (also its JSON twin)."""
    event = store.get_event(event_id)
    if event is None:
        raise _not_found("event", event_id)
    merged = get_merged(store.connection, event_id)
    if merged is not None and len(merged.get("sources") or []) > 1:
        # Other outlets reported this incident: show the reconciled event with every source
        # (each with its own values and evidence) and why they were joined.
        event = {**merged, "source": event.get("source"), "report_id": event_id}
    row = store.connection.execute("SELECT article_id FROM events WHERE id = ?",
                                   (event_id,)).fetchone()
    views: list[dict[str, Any]] = []
    for source in render.sources(event)[:SOURCES_MAX]:
        article_id = source.get("article_id") or (row[0] if len(views) == 0 else None)
        article = store.get_article(str(article_id)) if article_id else None
        own = source["values"] if source["values"] is not None else event
        spans = render.marks(own)
        views.append({
            "article_id": article_id,
            "url": source.get("url"), "path": source.get("path"),
            "title": source.get("title") or (article or {}).get("title"),
            "published": source.get("published"),
            "own_values": render.values(own) if source["values"] is not None else None,
            "marks": [{"field": m.field, "start": m.start, "end": m.end, "text": m.text}
                      for m in spans],
            "segments": render.segments(article["text"], spans) if article else None,
        })
    location = event.get("location") or {}
    actors = [{"id": actor_slug(p.get("name")), "name": p.get("name"), "text": p.get("text")}
              for p in event.get("perpetrators") or []]
    return {"event": event, "values": render.values(event), "place_id": place_key(location),
            "actors": actors, "sources": views, "merge": event.get("merge")}


def _event_json(view: dict[str, Any]) -> dict[str, Any]:
    sources = [{k: v for k, v in s.items() if k != "segments"} for s in view["sources"]]
    return {"event": view["event"], "place_id": view["place_id"], "actors": view["actors"],
            "sources": sources, "merge": view["merge"]}


def add_web_routes(app: FastAPI, reader: Reader, desk: CachedDesk, *, page_size_max: int
                   ) -> None:
    """Register the dashboard pages and their JSON twins on ``app``; counts, statistics,
    actors and places are read through ``desk``."""
    env = _environment()
    app.mount(STATIC_PREFIX, StaticFiles(directory=HERE / "static"), name="desk")

    def page(template: str, request: Request, json_url: str, **context: Any) -> HTMLResponse:
        html = env.get_template(template).render(request=request, json_url=json_url, **context)
        return HTMLResponse(html)

    def twin(request: Request) -> str:
        path = "/index" if request.url.path == "/" else request.url.path
        query = request.url.query
        return f"{path}.json" + (f"?{query}" if query else "")

    @app.get("/", include_in_schema=False)
    def dashboard(request: Request,
                  filters: Annotated[Filters, Depends(filter_params)]) -> HTMLResponse:
        filters.to_filter()  # a bad parameter is reported here, not by the page's scripts
        params = dict(request.query_params)
        return page("dashboard.html", request, twin(request), params=params,
                    event_types=EVENT_TYPES, page_size=min(50, page_size_max))

    @app.get("/index.json", summary="The dashboard's data: first page of events and stats")
    def dashboard_json(filters: Annotated[Filters, Depends(filter_params)],
                       sort: Annotated[str, Query(pattern="^-?(date|fatalities)$")] = "-date",
                       ) -> JSONResponse:
        f = filters.to_filter()
        with reader() as store:
            count, exact = desk.count(store.connection, f)
            events, cursor = dq.events_page(store.connection, f, sort=sort,
                                            limit=min(50, page_size_max), matching=count)
            body = {"count": count, "count_exact": exact, "events": events, "cursor": cursor,
                    "stats": desk.stats(store.connection, f, interval="month", top=10)}
        return JSONResponse(body)

    @app.get("/events/{event_id}.json", summary="The event page's data")
    def event_json(event_id: Annotated[str, Path(max_length=200)]) -> JSONResponse:
        with reader() as store:
            return JSONResponse(_event_json(_event_view(store, event_id)))

    @app.get("/events/{event_id}", include_in_schema=False)
    def event_page(request: Request,
                   event_id: Annotated[str, Path(max_length=200)]) -> HTMLResponse:
        with reader() as store:
            view = _event_view(store, event_id)
        return page("event.html", request, f"/events/{event_id}.json", **view)

    @app.get("/actors.json", summary="The actors page's data")
    def actors_json(offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> JSONResponse:
        with reader() as store:
            actors, count = desk.actors(store.connection, name=None, limit=page_size_max,
                                        offset=offset)
        return JSONResponse({"actors": actors, "count": count})

    @app.get("/actors", include_in_schema=False)
    def actors_page(request: Request,
                    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> HTMLResponse:
        with reader() as store:
            actors, count = desk.actors(store.connection, name=None, limit=page_size_max,
                                        offset=offset)
        return page("actors.html", request, "/actors.json", actors=actors, count=count)

    def actor_view(actor_id: str) -> dict[str, Any]:
        with reader() as store:
            found = desk.actor(store.connection, actor_id, top=20)
            if found is None:
                raise _not_found("actor", actor_id)
            events, _ = dq.events_page(store.connection, dq.DeskFilter(actor_id=actor_id),
                                       limit=50)
        return with_catalogue({**found, "events": events})  # the cached answer stays as it is

    @app.get("/actors/{actor_id}.json", summary="The actor page's data")
    def actor_json(actor_id: Annotated[str, Path(max_length=200)]) -> JSONResponse:
        return JSONResponse(actor_view(actor_id))

    @app.get("/actors/{actor_id}", include_in_schema=False)
    def actor_page(request: Request,
                   actor_id: Annotated[str, Path(max_length=200)]) -> HTMLResponse:
        return page("actor.html", request, f"/actors/{actor_id}.json", actor=actor_view(actor_id))

    def place_view(place_id: str) -> dict[str, Any]:
        with reader() as store:
            found = desk.place(store.connection, place_id, top=20)
            if found is None:
                raise _not_found("place", place_id)
            events, _ = dq.events_page(store.connection, dq.DeskFilter(place_id=place_id),
                                       limit=50)
        return {**found, "events": events}  # the cached answer stays as it is

    @app.get("/places/{place_id}.json", summary="The place page's data")
    def place_json(place_id: Annotated[str, Path(max_length=200)]) -> JSONResponse:
        return JSONResponse(place_view(place_id))

    @app.get("/places/{place_id}", include_in_schema=False)
    def place_page(request: Request,
                   place_id: Annotated[str, Path(max_length=200)]) -> HTMLResponse:
        return page("place.html", request, f"/places/{place_id}.json", place=place_view(place_id))
