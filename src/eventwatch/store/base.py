"""The storage contract: an ``EventFilter`` and the ``Store`` protocol every backend implements.

SQLite (``store/sqlite.py``) is the built-in backend; a PostgreSQL backend can follow by
implementing the same protocol. Stored events come back as plain dicts: exactly
``Event.to_dict()`` plus ``"source"`` (``url``, ``path``, ``title``, ``published`` of the article
that reported the event), so the JSON contract of docs/event-record.md holds everywhere.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import lru_cache
from types import TracebackType
from typing import Any, Literal, Protocol, Self, runtime_checkable

from ..models import DocumentResult

AddOutcome = Literal["added", "unchanged", "updated"]


@dataclass(frozen=True, slots=True, kw_only=True)
class EventFilter:
    """Which stored events to return; every criterion given must hold (they are ANDed).

    - ``country``: ISO 3166-1 alpha-2 code or country name, case-insensitive ("af", "Afghanistan").
    - ``admin1``: first-level division (province, state), case-insensitive exact name.
    - ``actor``: case-insensitive substring of a perpetrator's canonical name or of its text as
      written in the article ("ISIS-K" and "Khorasan" both find Islamic State Khorasan Province).
    - ``event_type``: ACLED event type, case-insensitive exact match.
    - ``since``/``until``: an event matches when its date interval ``[start, end]`` overlaps
      ``[since, until]``; an event whose date is unknown matches only when neither is given.
    - ``limit``/``offset``: the page, newest events first; ``limit=None`` means no limit.

    Name matching folds case and diacritics (``fold``), so "cote d'ivoire" finds "Côte d'Ivoire".
    """

    country: str | None = None
    admin1: str | None = None
    actor: str | None = None
    event_type: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    limit: int | None = 100
    offset: int = 0

    def __post_init__(self) -> None:
        if self.limit is not None and self.limit < 0:
            raise ValueError(f"EventFilter.limit must be 0 or more, got {self.limit}")
        if self.offset < 0:
            raise ValueError(f"EventFilter.offset must be 0 or more, got {self.offset}")

    @property
    def has_dates(self) -> bool:
        return self.since is not None or self.until is not None


@lru_cache(maxsize=65536)
def fold(value: str) -> str:
    """Matching key for names: NFKD without combining marks, case-folded, whitespace collapsed.

    Stores keep these keys in indexed columns, so changing this function needs a migration that
    recomputes them. Cached: ingest folds the same country, province and group names for every
    event.
    """
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


@runtime_checkable
class Store(Protocol):
    """A database of articles and the events extracted from them.

    Implementations are used from one thread at a time; open one store per thread or process.
    """

    def add_document(self, result: DocumentResult) -> AddOutcome:
        """Store one article and its events atomically.

        Returns ``"unchanged"`` when this exact article (same ``Article.identity``) is stored
        already, ``"updated"`` when it replaced an earlier version of the same URL (or path) whose
        events it supersedes, else ``"added"``.
        """
        ...

    def has_article(self, identity: str) -> bool:
        """Whether the article with this ``Article.identity`` is stored as the current version."""
        ...

    def batch(self) -> AbstractContextManager[None]:
        """Group the ``add_document`` calls of the block into few transactions; each article
        stays atomic, and leaving the block commits them."""
        ...

    def query_events(self, f: EventFilter) -> list[dict[str, Any]]:
        """One page of matching events, newest first; each is ``Event.to_dict()`` + ``source``."""
        ...

    def iter_events(self, f: EventFilter) -> Iterator[dict[str, Any]]:
        """Like ``query_events`` but streamed in bounded memory, for exports."""
        ...

    def get_event(self, event_id: str) -> dict[str, Any] | None:
        """One event as ``query_events`` returns it, or None."""
        ...

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        """An article's text, metadata and events (``Event.to_dict()``), or None."""
        ...

    def count_events(self, f: EventFilter | None = None) -> int:
        """Number of stored events, or of those matching ``f`` (its limit and offset ignored)."""
        ...

    def count_articles(self) -> int:
        """Number of stored articles; versions superseded by a newer one are not counted."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
