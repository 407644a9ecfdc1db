"""Answers of the desk's read queries, kept under the state of the data they were read from.

The dashboard asks for the same statistics, counts and actor pages again and again, and the
data changes only when something is ingested. Each answer is stored under the database's
``(token, generation)`` (``desk_rollups.desk_state``), which every write to events, actors or
articles moves on: an answer read under another generation is simply never looked up again, so
nothing is ever invalidated by hand and nothing stale is served, whichever process wrote.

The generation and the answer are read in one read transaction (one WAL snapshot), so an
answer is always filed under the state it was computed from. Entries are shared between
requests: callers must not mutate what they get back.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from . import desk_queries as dq
from .desk_rollups import desk_state

T = TypeVar("T")
ENTRIES_MAX = 256


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One read transaction: every query in the block sees the same committed state."""
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


class ResultCache:
    """Least recently used answers, at most ``entries``, keyed by data state and query.

    Thread-safe: the server answers requests from a pool of threads. Two threads missing the
    same key both compute it; the answers are equal, and the second one stored wins.
    """

    def __init__(self, entries: int = ENTRIES_MAX) -> None:
        self.entries = entries
        self._data: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, conn: sqlite3.Connection, key: Hashable, compute: Callable[[], T]) -> T:
        """The answer to ``key`` for the data ``conn`` sees now, computed if not kept."""
        with snapshot(conn):
            full = (desk_state(conn).key, key)
            with self._lock:
                if full in self._data:
                    self._data.move_to_end(full)
                    self.hits += 1
                    return self._data[full]  # type: ignore[return-value]
                self.misses += 1
            value = compute()
        with self._lock:
            self._data[full] = value
            self._data.move_to_end(full)
            while len(self._data) > self.entries:
                self._data.popitem(last=False)
        return value


class CachedDesk:
    """The desk's expensive reads (``desk_queries``) through one ``ResultCache``."""

    def __init__(self, entries: int = ENTRIES_MAX) -> None:
        self.cache = ResultCache(entries)

    def count(self, conn: sqlite3.Connection, f: dq.DeskFilter) -> tuple[int, bool]:
        return self.cache.get(conn, ("count", f), lambda: dq.count_bounded(conn, f))

    def stats(self, conn: sqlite3.Connection, f: dq.DeskFilter, *, interval: dq.Interval,
              top: int) -> dict[str, Any]:
        return self.cache.get(conn, ("stats", f, interval, top),
                              lambda: dq.stats(conn, f, interval=interval, top=top))

    def actors(self, conn: sqlite3.Connection, *, name: str | None, limit: int, offset: int
               ) -> tuple[list[dict[str, Any]], int]:
        return self.cache.get(conn, ("actors", name, limit, offset), lambda: dq.list_actors(
            conn, name=name, limit=limit, offset=offset))

    def actor(self, conn: sqlite3.Connection, actor_id: str, *, top: int
              ) -> dict[str, Any] | None:
        return self.cache.get(conn, ("actor", actor_id, top),
                              lambda: dq.actor(conn, actor_id, top=top))

    def place(self, conn: sqlite3.Connection, place_id: str, *, top: int
              ) -> dict[str, Any] | None:
        return self.cache.get(conn, ("place", place_id, top),
                              lambda: dq.place(conn, place_id, top=top))
