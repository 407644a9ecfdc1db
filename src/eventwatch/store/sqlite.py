"""The SQLite store: one database file, WAL mode, schema migrations from day one.

WAL journaling lets the API server read while ``eventwatch ingest`` writes from another process:
readers see the last committed state and never wait for the writer. Every write is one
``BEGIN IMMEDIATE`` transaction, so two ingests queue on the write lock (up to the 5 s busy
timeout) instead of failing half-way. A bulk writer groups articles with ``batch()``: one
transaction holds up to ``max_articles`` articles or ``max_seconds`` of work, each article in
its own savepoint, so a failed article leaves nothing behind and a killed process loses only the
uncommitted batch, which a re-run stores again (stored articles are skipped by identity).

Migrations are functions decorated with ``@migration`` and recorded by name in ``_migrations``
(as sqlite-utils does). A database that lists a migration this version does not know was written
by a newer eventwatch and is refused rather than misread.

A ``SQLiteStore`` wraps one connection and must be used from one thread at a time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from ..errors import StoreError
from ..models import Article, DocumentResult, Event
from ..registry import register
from .base import AddOutcome, EventFilter, fold
from .desk_rollups import create_rollups
from .desk_schema import actor_slug, create_desk_schema, desk_keys, refresh_statistics
from .feed_state import FeedStateMixin
from .merged import create_tables as _create_merge_tables
from .merged import merge_article

BUSY_TIMEOUT_MS = 5000
_FETCH_BATCH = 500

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: dict[str, Migration] = {}


def migration(func: Migration) -> Migration:
    """Register a schema migration; they run once each, in definition order, named by function."""
    if func.__name__ in MIGRATIONS:
        raise ValueError(f"duplicate migration name {func.__name__!r}")
    MIGRATIONS[func.__name__] = func
    return func


@migration
def m0001_initial(conn: sqlite3.Connection) -> None:
    # No executescript(): it commits first, and a migration must run inside our transaction.
    statements = [
        """CREATE TABLE articles (
            id TEXT PRIMARY KEY,            -- Article.identity
            doc_id TEXT NOT NULL,
            url TEXT,
            path TEXT,
            title TEXT,
            published TEXT,                 -- YYYY-MM-DD
            text TEXT NOT NULL,
            captions TEXT NOT NULL,         -- JSON array of strings
            content_hash TEXT NOT NULL,
            raw_hash TEXT NOT NULL,
            language TEXT,
            source_format TEXT NOT NULL,
            ingested_at TEXT NOT NULL,      -- UTC, ISO 8601
            superseded_by TEXT REFERENCES articles(id)
        )""",
        "CREATE INDEX articles_url ON articles(url)",
        "CREATE INDEX articles_path ON articles(path)",
        """CREATE TABLE events (
            id TEXT PRIMARY KEY,            -- Event.id, from the extractor
            article_id TEXT NOT NULL REFERENCES articles(id),
            position INTEGER NOT NULL,      -- order of the event in its article
            event_type TEXT NOT NULL,
            sub_event_type TEXT NOT NULL,
            attack_type TEXT,
            date_start TEXT,
            date_end TEXT,
            date_precision TEXT NOT NULL,
            country_code TEXT,
            country TEXT,
            admin1 TEXT,
            admin2 TEXT,
            location_name TEXT,
            lat REAL,
            lon REAL,
            fatalities_best INTEGER,
            country_code_key TEXT,          -- fold() of the columns above, for filters
            country_key TEXT,
            admin1_key TEXT,
            record TEXT NOT NULL            -- JSON: Event.to_dict()
        )""",
        "CREATE INDEX events_article ON events(article_id, position)",
        "CREATE INDEX events_country_code ON events(country_code_key)",
        "CREATE INDEX events_country ON events(country_key)",
        "CREATE INDEX events_admin1 ON events(admin1_key)",
        "CREATE INDEX events_type ON events(event_type COLLATE NOCASE)",
        "CREATE INDEX events_date_start ON events(date_start)",
        "CREATE INDEX events_date_end ON events(date_end)",
        # Matches _ORDER exactly, so a page of the newest events needs no sort.
        "CREATE INDEX events_newest ON events(date_start IS NULL, date_start DESC, "
        "date_end DESC, id)",
        """CREATE TABLE event_actors (
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            role TEXT NOT NULL,             -- 'perpetrator'
            position INTEGER NOT NULL,
            name TEXT,                      -- canonical name from the actor catalogue
            text TEXT NOT NULL,             -- the mention as written
            name_key TEXT,
            text_key TEXT NOT NULL,
            PRIMARY KEY (event_id, role, position)
        )""",
    ]
    for sql in statements:
        conn.execute(sql)


@migration
def m0002_ingest(conn: sqlite3.Connection) -> None:
    """Page metadata for web sources, and what ``eventwatch watch`` knows about its feeds."""
    statements = [
        "ALTER TABLE articles ADD COLUMN author TEXT",
        "ALTER TABLE articles ADD COLUMN site_name TEXT",
        "ALTER TABLE articles ADD COLUMN fetched_url TEXT",
        "ALTER TABLE articles ADD COLUMN extractor TEXT",
        """CREATE TABLE feeds (
            url TEXT PRIMARY KEY,           -- as given on the command line (URL or file path)
            title TEXT,
            etag TEXT,                      -- validators for the next conditional GET
            last_modified TEXT,
            polled_at TEXT,
            status TEXT                     -- result of the last poll
        )""",
        """CREATE TABLE feed_items (
            feed_url TEXT NOT NULL REFERENCES feeds(url),
            item_key TEXT NOT NULL,         -- guid, else link
            link TEXT NOT NULL,
            status TEXT NOT NULL,           -- 'stored', or the reason it failed
            attempts INTEGER NOT NULL DEFAULT 0,
            article_id TEXT,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (feed_url, item_key)
        )""",
    ]
    for sql in statements:
        conn.execute(sql)


@migration
def m0003_merged_events(conn: sqlite3.Connection) -> None:
    # Cross-document merging (issue 6): merged events, links with scores, analyst decisions.
    _create_merge_tables(conn)


_ORDER = "ORDER BY e.date_start IS NULL, e.date_start DESC, e.date_end DESC, e.id"
_EVENT_SELECT = (
    "SELECT e.record, a.url, a.path, a.title, a.published "
    "FROM events e JOIN articles a ON a.id = e.article_id"
)
_ARTICLE_COLUMNS = (
    "id", "doc_id", "url", "path", "title", "published", "text", "captions", "content_hash",
    "raw_hash", "language", "source_format", "ingested_at", "superseded_by", "author",
    "site_name", "fetched_url", "extractor",
)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _where(f: EventFilter) -> tuple[str, list[Any]]:
    """The WHERE clause and parameters for a filter; values are always bound, never inlined."""
    clauses: list[str] = []
    params: list[Any] = []
    if f.country:
        key = fold(f.country)
        clauses.append("(e.country_code_key = ? OR e.country_key = ?)")
        params += [key, key]
    if f.admin1:
        clauses.append("e.admin1_key = ?")
        params.append(fold(f.admin1))
    if f.event_type:
        clauses.append("e.event_type = ? COLLATE NOCASE")
        params.append(f.event_type.strip())
    if f.actor:
        key = fold(f.actor)
        clauses.append(
            "EXISTS (SELECT 1 FROM event_actors ea WHERE ea.event_id = e.id "
            "AND (instr(ea.name_key, ?) > 0 OR instr(ea.text_key, ?) > 0))"
        )
        params += [key, key]
    # Intervals overlap when each starts before the other ends; NULL dates never compare true,
    # so events of unknown date drop out as soon as either bound is given.
    if f.since is not None:
        clauses.append("COALESCE(e.date_end, e.date_start) >= ?")
        params.append(f.since.isoformat())
    if f.until is not None:
        clauses.append("COALESCE(e.date_start, e.date_end) <= ?")
        params.append(f.until.isoformat())
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _event_row(row: sqlite3.Row | tuple[Any, ...]) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(row[0])
    record["source"] = {"url": row[1], "path": row[2], "title": row[3], "published": row[4]}
    return record



class _Batch:
    """How much the open batch holds and since when."""

    def __init__(self, max_articles: int, max_seconds: float) -> None:
        self.max_articles, self.max_seconds = max(max_articles, 1), max_seconds
        self.restart()

    def restart(self) -> None:
        self.written, self.started = 0, time.monotonic()

    def due(self) -> bool:
        return (self.written >= self.max_articles
                or time.monotonic() - self.started >= self.max_seconds)


class SQLiteStore(FeedStateMixin):
    """Articles and events in one SQLite file (see the module docstring).

    :param path: database file; missing parent directories are created.
    :param read_only: open an existing, up-to-date database for reading only (the API server).
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._batch: _Batch | None = None
        self._conn = self._connect()
        try:
            self._configure()
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

    # -- opening -----------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        try:
            if self.read_only:
                # mode=rw: a missing file is an error rather than a new empty database.
                uri = self.path.resolve().as_uri() + "?mode=rw"
                return sqlite3.connect(uri, uri=True, isolation_level=None,
                                       timeout=BUSY_TIMEOUT_MS / 1000)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return sqlite3.connect(self.path, isolation_level=None,
                                   timeout=BUSY_TIMEOUT_MS / 1000)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(
                f"cannot open the database {self.path}: {exc}; check that the path is a "
                "writable file location (--db or $EVENTWATCH_DB)"
                if not self.read_only else
                f"cannot open the database {self.path}: {exc}; ingest documents into it first"
            ) from exc

    def _configure(self) -> None:
        try:
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            self._conn.execute("PRAGMA synchronous = NORMAL")
            # 64 MB of page cache instead of 2 MB: merging on ingest reads recent events' rows
            # again and again, and a large store otherwise re-reads them from the OS each time.
            self._conn.execute("PRAGMA cache_size = -65536")
            self._conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path} is not an eventwatch database ({exc}); pass another --db"
            ) from exc
        if str(mode).lower() != "wal" and str(self.path) != ":memory:":
            raise StoreError(
                f"cannot switch {self.path} to WAL journaling (got {mode!r}); the file system "
                "may not support shared memory (network drives do not): use a local disk"
            )
        if self.read_only:
            self._conn.execute("PRAGMA query_only = ON")

    def _applied(self) -> dict[str, str]:
        exists = self._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'"
        ).fetchone()
        if not exists:
            return {}
        rows = self._conn.execute("SELECT name, applied_at FROM _migrations").fetchall()
        return {name: applied_at for name, applied_at in rows}

    def _check_known(self, applied: dict[str, str]) -> None:
        unknown = sorted(set(applied) - set(MIGRATIONS))
        if unknown:
            raise StoreError(
                f"the database {self.path} was written by a newer eventwatch (unknown migrations: "
                f"{', '.join(unknown)}); upgrade eventwatch (pip install -U eventwatch) or use "
                "another --db"
            )

    def _migrate(self) -> None:
        with self._errors("reading the schema version"):
            applied = self._applied()
        self._check_known(applied)
        pending = [name for name in MIGRATIONS if name not in applied]
        if not pending:
            return  # the common case takes no write lock, so readers open while a writer works
        if self.read_only:
            raise StoreError(
                f"the database {self.path} needs schema migrations ({', '.join(pending)}); open "
                "it once for writing (eventwatch ingest) to upgrade it"
            )
        with self._errors("migrating the schema"), self._transaction() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS _migrations "
                "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            applied = self._applied()  # another process may have migrated meanwhile
            self._check_known(applied)
            # By name (m0001_...), which is definition order even when a test took one out
            # and put it back at the end of the dict.
            for name, func in sorted(MIGRATIONS.items()):
                if name not in applied:
                    func(conn)
                    conn.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                                 (name, _now()))

    def migrations(self) -> list[tuple[str, str]]:
        """``(name, applied_at)`` of every applied migration, in the order they were applied."""
        with self._errors("reading the schema version"):
            rows = self._conn.execute(
                "SELECT name, applied_at FROM _migrations ORDER BY rowid"
            ).fetchall()
        return [(name, applied_at) for name, applied_at in rows]

    # -- plumbing ----------------------------------------------------------------------------

    @contextmanager
    def batch(self, max_articles: int = 500, max_seconds: float = 1.0) -> Iterator[None]:
        """Group the writes of the block into few transactions (see the module docstring).

        The commit, every ``max_articles`` articles or ``max_seconds``, bounds both what a crash
        can cost and how long another writer (an analyst's split, a second ingest) waits for
        the lock. Leaving the block commits; an exception rolls back the open batch only.
        """
        if self._batch is not None:  # nested: the outer batch decides
            yield
            return
        conn = self._conn
        self._batch = _Batch(max_articles, max_seconds)
        try:
            yield
            if conn.in_transaction:
                conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            self._batch = None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: everything in the block commits together or not at all.

        Inside ``batch()`` it is a savepoint of the batch's transaction instead."""
        conn = self._conn
        if self._batch is not None:
            with self._savepoint(self._batch) as batched:
                yield batched
            return
        conn.execute("BEGIN IMMEDIATE")  # take the write lock now, not on the first write
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @contextmanager
    def _savepoint(self, batch: _Batch) -> Iterator[sqlite3.Connection]:
        conn = self._conn
        if batch.due():
            if conn.in_transaction:
                conn.execute("COMMIT")
            batch.restart()
        if not conn.in_transaction:
            conn.execute("BEGIN IMMEDIATE")
        conn.execute("SAVEPOINT article")
        try:
            yield conn
            conn.execute("RELEASE article")
            batch.written += 1
        except BaseException:
            conn.execute("ROLLBACK TO article")
            conn.execute("RELEASE article")
            raise

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(
                    f"{action} in {self.path} failed: the database stayed locked by another "
                    f"writer for {BUSY_TIMEOUT_MS // 1000} s; retry when it has finished"
                ) from exc
            raise StoreError(f"{action} in {self.path} failed: {exc}") from exc
        except sqlite3.Error as exc:
            raise StoreError(f"{action} in {self.path} failed: {exc}") from exc

    # -- writing -----------------------------------------------------------------------------

    def add_document(self, result: DocumentResult) -> AddOutcome:
        """Store an article and its events in one transaction (see ``Store.add_document``).

        An article whose URL (or, without a URL, path) is stored already with other content
        replaces it: the old row stays, marked ``superseded_by`` the new one, and its events are
        deleted in favour of the new ones. Content seen before and since superseded becomes
        current again ("updated"). An article with neither URL nor path is never matched by
        locator. If anything fails, nothing is written.
        """
        article = result.article
        identity = article.identity
        with self._errors(f"storing {article.doc_id}"), self._transaction() as conn:
            row = conn.execute(
                "SELECT superseded_by FROM articles WHERE id = ?", (identity,)
            ).fetchone()
            if row is not None and row[0] is None:
                return "unchanged"
            previous = self._current_versions(conn, article, identity)
            if row is None:
                self._insert_article(conn, article, identity)
            else:
                conn.execute(
                    "UPDATE articles SET superseded_by = NULL, doc_id = ?, title = ?, "
                    "published = ?, ingested_at = ? WHERE id = ?",
                    (article.doc_id, article.title, _iso(article.published), _now(), identity),
                )
            for old in previous:
                # event_actors rows go with their events (ON DELETE CASCADE).
                conn.execute("DELETE FROM events WHERE article_id = ?", (old,))
                conn.execute("UPDATE articles SET superseded_by = ? WHERE id = ?",
                             (identity, old))
            records = [e.to_dict() for e in result.events]
            for position, (event, record) in enumerate(zip(result.events, records, strict=True)):
                self._insert_event(conn, event, record, identity, position)
            merge_article(conn, article, identity, records, previous)
            return "updated" if previous or row is not None else "added"

    @staticmethod
    def _current_versions(
        conn: sqlite3.Connection, article: Article, identity: str
    ) -> list[str]:
        if article.url:
            sql = "SELECT id FROM articles WHERE url = ? AND superseded_by IS NULL AND id != ?"
            params: tuple[str, ...] = (article.url, identity)
        elif article.path:
            sql = ("SELECT id FROM articles WHERE url IS NULL AND path = ? "
                   "AND superseded_by IS NULL AND id != ?")
            params = (article.path, identity)
        else:
            return []
        return [r[0] for r in conn.execute(sql, params).fetchall()]

    @staticmethod
    def _insert_article(conn: sqlite3.Connection, article: Article, identity: str) -> None:
        conn.execute(
            "INSERT INTO articles (id, doc_id, url, path, title, published, text, captions, "
            "content_hash, raw_hash, language, source_format, ingested_at, author, site_name, "
            "fetched_url, extractor) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (identity, article.doc_id, article.url, article.path, article.title,
             _iso(article.published), article.text,
             json.dumps(article.captions, ensure_ascii=False), article.content_hash,
             article.raw_hash, article.language, article.source_format, _now(),
             article.author, article.site_name, article.fetched_url, article.extractor),
        )

    @staticmethod
    def _insert_event(
        conn: sqlite3.Connection, event: Event, record: dict[str, Any], article_id: str,
        position: int
    ) -> None:
        """Insert an event row (``record`` is ``event.to_dict()``) with its actors and the
        desk's key columns, so the facts triggers write each row once."""
        loc = event.location
        admin2_key, place_id = desk_keys(record["location"])
        try:
            conn.execute(
                "INSERT INTO events (id, article_id, position, event_type, sub_event_type, "
                "attack_type, date_start, date_end, date_precision, country_code, country, "
                "admin1, admin2, location_name, lat, lon, fatalities_best, country_code_key, "
                "country_key, admin1_key, admin2_key, place_id, record) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (event.id, article_id, position, event.event_type, event.sub_event_type,
                 event.attack_type, _iso(event.date.start), _iso(event.date.end),
                 event.date.precision, loc.country_code, loc.country, loc.admin1, loc.admin2,
                 loc.name, loc.lat, loc.lon, event.fatalities.best, _key(loc.country_code),
                 _key(loc.country), _key(loc.admin1), admin2_key, place_id,
                 json.dumps(record, ensure_ascii=False)),
            )
        except sqlite3.IntegrityError as exc:
            owner = conn.execute(
                "SELECT article_id FROM events WHERE id = ?", (event.id,)
            ).fetchone()
            if owner is None:
                raise
            if owner[0] == article_id:
                raise StoreError(
                    f"event id {event.id!r} appears twice in {event.doc_id}; event ids must be "
                    "unique, so nothing of this document was stored"
                ) from exc
            raise StoreError(
                f"event id {event.id!r} of {event.doc_id} is stored already (article "
                f"{owner[0]}); event ids must be unique, so nothing of this document was stored"
            ) from exc
        conn.executemany(
            "INSERT INTO event_actors (event_id, role, position, name, text, name_key, text_key, "
            "actor_id) VALUES (?, 'perpetrator', ?, ?, ?, ?, ?, ?)",
            [(event.id, i, p.name, p.span.text, _key(p.name), fold(p.span.text),
              actor_slug(p.name)) for i, p in enumerate(event.perpetrators)],
        )

    # -- reading -----------------------------------------------------------------------------

    def query_events(self, f: EventFilter) -> list[dict[str, Any]]:
        return list(self.iter_events(f))

    def iter_events(self, f: EventFilter) -> Iterator[dict[str, Any]]:
        where, params = _where(f)
        sql = f"{_EVENT_SELECT}{where} {_ORDER} LIMIT ? OFFSET ?"
        params += [-1 if f.limit is None else f.limit, f.offset]
        with self._errors("querying events"):
            cursor = self._conn.execute(sql, params)
            try:
                while rows := cursor.fetchmany(_FETCH_BATCH):
                    yield from (_event_row(row) for row in rows)
            finally:
                cursor.close()  # ends the implicit read transaction even if abandoned early

    def get_event(self, event_id: str) -> dict[str, Any] | None:
        with self._errors("reading an event"):
            row = self._conn.execute(f"{_EVENT_SELECT} WHERE e.id = ?", (event_id,)).fetchone()
        return None if row is None else _event_row(row)

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        """The article's stored columns (``captions`` decoded) plus ``events``, in text order.

        A superseded article has no events; ``superseded_by`` names the version that has them.
        """
        with self._errors("reading an article"):
            row = self._conn.execute(
                f"SELECT {', '.join(_ARTICLE_COLUMNS)} FROM articles WHERE id = ?",
                (article_id,),
            ).fetchone()
            if row is None:
                return None
            events = self._conn.execute(
                "SELECT record FROM events WHERE article_id = ? ORDER BY position",
                (article_id,),
            ).fetchall()
        out = dict(zip(_ARTICLE_COLUMNS, row, strict=True))
        out["captions"] = json.loads(out["captions"])
        out["events"] = [json.loads(r[0]) for r in events]
        return out

    def count_events(self, f: EventFilter | None = None) -> int:
        where, params = _where(f) if f is not None else ("", [])
        with self._errors("counting events"):
            row = self._conn.execute(f"SELECT count(*) FROM events e{where}", params).fetchone()
        return int(row[0])

    def has_article(self, identity: str) -> bool:
        """Whether this exact article (``Article.identity``) is stored as the current version;
        ingestion asks before extracting, so a resumed run skips finished work cheaply."""
        with self._errors("reading an article"):
            row = self._conn.execute(
                "SELECT 1 FROM articles WHERE id = ? AND superseded_by IS NULL", (identity,)
            ).fetchone()
        return row is not None

    def count_articles(self) -> int:
        with self._errors("counting articles"):
            row = self._conn.execute(
                "SELECT count(*) FROM articles WHERE superseded_by IS NULL"
            ).fetchone()
        return int(row[0])

    # -- lifetime ----------------------------------------------------------------------------

    @property
    def connection(self) -> sqlite3.Connection:
        """The underlying connection, for read queries that live in other modules (desk)."""
        return self._conn

    def close(self) -> None:
        if not self.read_only:
            # Planner statistics once the data has grown (store/desk_schema.py).
            with contextlib.suppress(sqlite3.Error):
                refresh_statistics(self._conn)
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r}, read_only={self.read_only})"


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _key(value: str | None) -> str | None:
    return fold(value) if value else None


@register("stores", "eventwatch.store.sqlite.v1")
def open_sqlite(path: str) -> SQLiteStore:
    """Open (creating and migrating as needed) the SQLite database at ``path``."""
    return SQLiteStore(path)


@migration
def m0004_desk(conn: sqlite3.Connection) -> None:
    # The analyst's desk: key columns, sort indexes, full-text search (store/desk_schema.py).
    create_desk_schema(conn)


@migration
def m0005_desk_rollups(conn: sqlite3.Connection) -> None:
    # Running sums and a change counter for the desk (store/desk_rollups.py).
    create_rollups(conn)
