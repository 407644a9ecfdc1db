"""API routes for merged events (issue 6), included by ``api.create_app``.

- ``GET /api/merged-events``: one incident per event, newest first (``limit``/``offset``);
- ``GET /api/merged-events/{id}``: a merged event (or the one holding report ``id``) with its
  sources and merge history;
- ``POST /api/merged-events/split`` ``{"report_id", "note"}``: move a report into a new event;
- ``POST /api/merged-events/merge`` ``{"into", "other", "note"}``: move every report of ``other``
  into ``into``.

Analyst decisions are stored by the report's article and position, so they survive re-ingestion.
Errors use the API's envelope (``APIError``).
"""

# No ``from __future__ import annotations``: FastAPI reads the annotations at run time.
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from .api import APIError
from .store.merged import MergedEvents
from .store.sqlite import SQLiteStore

_ID = 200  # longest id accepted
_NOTE = 2000  # longest analyst note accepted


class SplitRequest(BaseModel):
    report_id: str = Field(min_length=1, max_length=_ID, description="the report to move out")
    note: str | None = Field(default=None, max_length=_NOTE, description="why")


class MergeRequest(BaseModel):
    into: str = Field(min_length=1, max_length=_ID, description="the event that stays")
    other: str = Field(min_length=1, max_length=_ID, description="the event merged into it")
    note: str | None = Field(default=None, max_length=_NOTE, description="why")


def merge_router(db_path: str, page_size_max: int) -> APIRouter:
    router = APIRouter(prefix="/api/merged-events", tags=["merged events"])

    @router.get("", summary="Merged events (one per incident), newest first")
    def list_merged(
        limit: Annotated[int, Query(ge=1, le=page_size_max)] = min(100, page_size_max),
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> JSONResponse:
        with SQLiteStore(db_path, read_only=True) as store:
            merged = MergedEvents(store)
            count = merged.count()
            events = merged.list(limit, offset) if offset < count else []
        return JSONResponse({"events": events, "count": count, "limit": limit, "offset": offset})

    @router.get("/{event_id}", summary="A merged event with its sources and merge history")
    def get_merged(event_id: Annotated[str, Path(max_length=_ID)]) -> JSONResponse:
        with SQLiteStore(db_path, read_only=True) as store:
            record = MergedEvents(store).get(event_id)
        if record is None:
            raise APIError(404, "not_found", f"no merged event or report with id {event_id!r}",
                           {"id": event_id})
        return JSONResponse(record)

    @router.post("/split", summary="Split a report out of its merged event")
    def split(body: SplitRequest) -> JSONResponse:
        with SQLiteStore(db_path) as store:
            merged = MergedEvents(store)
            try:
                new = merged.split(body.report_id, body.note)
            except KeyError as exc:
                raise APIError(404, "not_found", str(exc.args[0]),
                               {"report_id": body.report_id}) from None
            record = merged.get(new)
        return JSONResponse({"event": record}, status_code=201)

    @router.post("/merge", summary="Merge one merged event into another")
    def merge(body: MergeRequest) -> JSONResponse:
        with SQLiteStore(db_path) as store:
            merged = MergedEvents(store)
            try:
                kept = merged.merge(body.into, body.other, body.note)
            except KeyError as exc:
                raise APIError(404, "not_found", str(exc.args[0]),
                               {"into": body.into, "other": body.other}) from None
            except ValueError as exc:
                raise APIError(422, "invalid_parameter", str(exc),
                               [{"parameter": "other", "location": "body",
                                 "message": str(exc)}]) from None
            record = merged.get(kept)
        return JSONResponse({"event": record})

    return router
