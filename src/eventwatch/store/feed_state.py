"""What ``eventwatch watch`` remembers about feeds, in the SQLite store (tables of m0002_ingest).

Per feed: the validators for the next conditional GET. Per item: whether its page is stored or
why it failed, so a known item is never fetched again and a transient failure is retried a few
times. An item is recorded only after its article is committed, so a run killed mid-poll
fetches the unfinished items again and nothing else.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass

MAX_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class FeedState:
    url: str
    etag: str | None
    last_modified: str | None
    polled_at: str | None
    status: str | None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class FeedStateMixin:
    """Feed bookkeeping for ``SQLiteStore`` (which provides the connection and transactions)."""

    _conn: sqlite3.Connection
    _transaction: Callable[[], AbstractContextManager[sqlite3.Connection]]
    _errors: Callable[[str], AbstractContextManager[None]]

    def feed_state(self, url: str) -> FeedState | None:
        with self._errors("reading feed state"):
            row = self._conn.execute(
                "SELECT url, etag, last_modified, polled_at, status FROM feeds WHERE url = ?",
                (url,),
            ).fetchone()
        return None if row is None else FeedState(*row)

    def save_feed_state(self, url: str, *, title: str | None, etag: str | None,
                        last_modified: str | None, status: str) -> None:
        with self._errors("saving feed state"), self._transaction() as conn:
            conn.execute(
                "INSERT INTO feeds (url, title, etag, last_modified, polled_at, status) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
                "title = COALESCE(excluded.title, title), etag = excluded.etag, "
                "last_modified = excluded.last_modified, polled_at = excluded.polled_at, "
                "status = excluded.status",
                (url, title, etag, last_modified, _now(), status),
            )

    def items_to_skip(self, feed_url: str, keys: Iterable[str]) -> set[str]:
        """Keys already stored, or failed for good (a final error or ``MAX_ATTEMPTS`` tries)."""
        wanted = list(keys)
        done: set[str] = set()
        with self._errors("reading feed items"):
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                marks = ", ".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"SELECT item_key FROM feed_items WHERE feed_url = ? AND item_key IN ({marks})"
                    " AND (status = 'stored' OR status NOT LIKE 'retry:%' OR attempts >= ?)",
                    (feed_url, *chunk, MAX_ATTEMPTS),
                ).fetchall()
                done.update(r[0] for r in rows)
        return done

    def record_item(self, feed_url: str, key: str, link: str, *, status: str,
                    article_id: str | None = None) -> None:
        """Remember an item's outcome: ``"stored"``, ``"retry:<reason>"`` or a final reason."""
        with self._errors("saving a feed item"), self._transaction() as conn:
            conn.execute(
                "INSERT INTO feed_items (feed_url, item_key, link, status, attempts, article_id, "
                "seen_at) VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT(feed_url, item_key) DO UPDATE "
                "SET status = excluded.status, attempts = attempts + 1, "
                "article_id = COALESCE(excluded.article_id, article_id), "
                "seen_at = excluded.seen_at",
                (feed_url, key, link, status, article_id, _now()),
            )
