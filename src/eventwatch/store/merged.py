"""Merged events in SQLite: links report -> event with scores and reasons, analyst decisions.

The per-article ``events`` rows stay as they are (the reports). On top of them:

- ``merged_events``: one row per incident, its reconciled record (``merging.reconcile``) as JSON
  plus indexed columns; a row an analyst merged into another keeps ``merged_into`` so its id
  still resolves;
- ``merge_links``: report -> merged event, with the method (``auto``/``analyst``), the score, the
  reason, the candidates' part scores and the report's features (so candidates are scored without
  re-reading their records);
- ``merge_cells``: the candidate index, (country, province, day) -> merged event;
- ``merge_decisions`` and ``report_pins``: analyst splits and merges, keyed by the report's stable
  key (article locator + position), so they hold when the article is re-ingested or re-extracted.

``merge_article`` runs inside ``SQLiteStore.add_document``'s transaction: an article and its
merging commit together. ``MergedEvents`` is the read and analyst API over a ``SQLiteStore``.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import StoreError
from ..merging.index import filing_keys, lookup_for
from ..merging.reconcile import Source, reconcile
from ..merging.reports import (
    Report,
    lead_end,
    main_first,
    merged_id_for,
    report_from_record,
    report_key,
)
from ..merging.scoring import MAX_COMPARED, decide, sibling_decision
from ..models import Article
from .base import fold

if TYPE_CHECKING:
    from .sqlite import SQLiteStore

_CHUNK = 400  # ids per IN (...) list, well under SQLite's bound-parameter limit

SCHEMA = [
    """CREATE TABLE merged_events (
        id TEXT PRIMARY KEY,            -- me_ + hash of the founding report's key
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        event_type TEXT,
        date_start TEXT,
        date_end TEXT,
        country_code_key TEXT,
        admin1_key TEXT,
        reports INTEGER NOT NULL,       -- number of linked reports
        merged_into TEXT,               -- set when an analyst merged this event into another
        record TEXT                     -- JSON: reconciled Event.to_dict() + sources + merge
    )""",
    "CREATE INDEX merged_events_newest ON merged_events(date_start DESC, id)",
    """CREATE TABLE merge_links (
        report_id TEXT PRIMARY KEY,     -- events.id (no foreign key: links of superseded
        report_key TEXT NOT NULL,       --   articles are found and re-merged, not cascaded)
        article_id TEXT NOT NULL,
        merged_id TEXT NOT NULL,
        method TEXT NOT NULL,           -- 'auto' or 'analyst'
        score REAL,
        reason TEXT NOT NULL,
        candidates TEXT NOT NULL,       -- JSON: [{event, score, parts, veto, compared_with}]
        features TEXT NOT NULL,         -- JSON: merging.reports.Report.to_json()
        linked_at TEXT NOT NULL
    )""",
    "CREATE INDEX merge_links_event ON merge_links(merged_id)",
    "CREATE INDEX merge_links_article ON merge_links(article_id)",
    """CREATE TABLE merge_cells (
        country TEXT NOT NULL,          -- folded ISO code, '' when unknown
        day INTEGER NOT NULL,           -- proleptic Gregorian ordinal
        admin1 TEXT NOT NULL,           -- folded first-level division, '' when unknown
        merged_id TEXT NOT NULL,
        PRIMARY KEY (country, day, admin1, merged_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE merge_decisions (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,             -- 'split' or 'merge'
        report_key TEXT,                -- the report split out (split)
        from_event TEXT NOT NULL,
        to_event TEXT NOT NULL,
        note TEXT,
        decided_at TEXT NOT NULL
    )""",
    "CREATE INDEX merge_decisions_from ON merge_decisions(from_event)",
    "CREATE INDEX merge_decisions_to ON merge_decisions(to_event)",
    """CREATE TABLE report_pins (
        report_key TEXT PRIMARY KEY,    -- an analyst put this report in merged_id
        merged_id TEXT NOT NULL,
        decision_id INTEGER NOT NULL REFERENCES merge_decisions(id)
    )""",
    "CREATE INDEX report_pins_event ON report_pins(merged_id)",
]


def create_tables(conn: sqlite3.Connection) -> None:
    for sql in SCHEMA:
        conn.execute(sql)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@lru_cache(maxsize=65536)
def _report(features: str) -> Report:
    """Decoded features, cached by their JSON text: a feed's recent events are candidates again
    and again, and decoding was most of the cost of scoring them. The text is the key, so a
    cached value can never be stale."""
    return Report.from_json(json.loads(features))


@lru_cache(maxsize=4096)
def _record(text: str) -> dict[str, Any]:
    """A decoded report record for reconciliation only (``reconcile`` does not modify its input;
    records served to callers are decoded afresh)."""
    record: dict[str, Any] = json.loads(text)
    return record


def _chunks(ids: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


# -- merging on ingest -----------------------------------------------------------------------


def merge_article(conn: sqlite3.Connection, article: Article, identity: str,
                  records: list[dict[str, Any]], superseded: list[str]) -> None:
    """Merge the reports of a just-stored article (inside the caller's transaction).

    Links of the article versions it supersedes (their events were deleted) go first; the events
    they left are reconciled again, or dropped when empty.
    """
    removed: dict[str, list[Report]] = {}
    for old in [identity, *superseded]:
        rows = conn.execute("SELECT report_id, merged_id, features FROM merge_links "
                            "WHERE article_id = ?", (old,)).fetchall()
        for report_id, merged_id, features in rows:
            conn.execute("DELETE FROM merge_links WHERE report_id = ?", (report_id,))
            removed.setdefault(merged_id, []).append(Report.from_json(json.loads(features)))
    for merged_id, reports in removed.items():
        _unfile(conn, merged_id, reports)
    affected = set(removed)
    locator = article.url or article.path or article.doc_id
    published = article.published
    # The main report picks first: two reports of one article join one event only when they are
    # one incident told twice (scoring.same_incident), so the article's main report must not lose
    # its incident to a side report; a side report told apart from it that matches a candidate
    # better keeps that candidate (its rivals, scoring.decide).
    reports = [report_from_record(records[position], key=report_key(locator, position),
                                  article_id=identity, published=published, title=article.title)
               for position in main_first(records, published,
                                          lead_end(article.text, article.title))]
    siblings: list[tuple[Report, str]] = []
    for number, report in enumerate(reports):
        merged_id = _assign(conn, report, siblings, reports[number + 1:])
        siblings.append((report, merged_id))
        affected.add(merged_id)
    for merged_id in sorted(affected):
        refresh(conn, merged_id)


def _members(conn: sqlite3.Connection, ids: list[str],
             compared: int | None = None) -> dict[str, list[Report]]:
    """Member reports of each event, oldest first; with ``compared``, only the founder and the
    ``compared - 1`` latest (the ones ``scoring.score_candidate`` looks at)."""
    out: dict[str, list[tuple[int, str]]] = {i: [] for i in ids}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(f"SELECT merged_id, rowid, features FROM merge_links "
                            f"WHERE merged_id IN ({marks})", chunk).fetchall()
        for merged_id, rowid, features in rows:
            out[merged_id].append((rowid, features))
    members: dict[str, list[Report]] = {}
    for merged_id, rows in out.items():
        rows.sort()
        if compared is not None and len(rows) > compared:
            rows = rows[:1] + rows[-(compared - 1):]
        # Only the kept members are decoded: JSON is the costly part of reading an event.
        members[merged_id] = [_report(f) for _, f in rows]
    return members


def candidates(conn: sqlite3.Connection, report: Report) -> list[str]:
    """Ids of events filed in the report's cells (``merging.index.lookup_for``), oldest first."""
    where = lookup_for(report)
    if where is None:
        return []
    marks = ",".join("?" * len(where.countries))
    params: list[Any] = [*where.countries, where.first_day, where.last_day]
    admin1 = ""
    if where.admin1s is not None:
        admin1 = f" AND c.admin1 IN ({','.join('?' * len(where.admin1s))})"
        params += list(where.admin1s)
    rows = conn.execute(
        "SELECT DISTINCT c.merged_id FROM merge_cells c JOIN merged_events m ON m.id = c.merged_id "
        f"WHERE c.country IN ({marks}) AND c.day BETWEEN ? AND ?{admin1} "
        "AND m.merged_into IS NULL ORDER BY m.rowid", params).fetchall()
    return [r[0] for r in rows]


def _resolve(conn: sqlite3.Connection, merged_id: str) -> str:
    """Follow analyst merges to the event that holds the reports now."""
    seen = {merged_id}
    while True:
        row = conn.execute("SELECT merged_into FROM merged_events WHERE id = ?",
                           (merged_id,)).fetchone()
        if row is None or row[0] is None or row[0] in seen:
            return merged_id
        merged_id = row[0]
        seen.add(merged_id)


def _ensure_event(conn: sqlite3.Connection, merged_id: str) -> None:
    now = _now()
    conn.execute("INSERT OR IGNORE INTO merged_events (id, created_at, updated_at, reports) "
                 "VALUES (?, ?, ?, 0)", (merged_id, now, now))


def _new_event_id(conn: sqlite3.Connection, key: str) -> str:
    attempt = 0
    while True:
        merged_id = merged_id_for(key, attempt)
        taken = conn.execute("SELECT 1 FROM merged_events WHERE id = ?", (merged_id,)).fetchone()
        if taken is None:
            return merged_id
        attempt += 1


def _assign(conn: sqlite3.Connection, report: Report, siblings: list[tuple[Report, str]],
            rivals: list[Report]) -> str:
    """Link a report to its event: an analyst's pin, else an earlier report of the same article
    that is the same incident, else the best candidate (``scoring.decide``)."""
    pin = conn.execute("SELECT merged_id, decision_id FROM report_pins WHERE report_key = ?",
                       (report.key,)).fetchone()
    if pin is not None:
        merged_id = _resolve(conn, pin[0])
        _ensure_event(conn, merged_id)
        _link(conn, report, merged_id, "analyst", None,
              f"analyst decision #{pin[1]} put this report here", [])
        return merged_id
    decision = sibling_decision(report, siblings)
    if decision is None:
        ids = candidates(conn, report)
        members = _members(conn, ids, MAX_COMPARED)
        decision = decide(report, [(i, members[i]) for i in ids], rivals)
    if decision.merged_id is None:
        merged_id = _new_event_id(conn, report.key)
        _ensure_event(conn, merged_id)
    else:
        merged_id = decision.merged_id
    _link(conn, report, merged_id, "auto", decision.score, decision.reason,
          decision.candidates_json())
    return merged_id


def _link(conn: sqlite3.Connection, report: Report, merged_id: str, method: str,
          score: float | None, reason: str, candidate_scores: list[dict[str, Any]]) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO merge_links (report_id, report_key, article_id, merged_id, "
        "method, score, reason, candidates, features, linked_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (report.report_id, report.key, report.article_id, merged_id, method,
         None if score is None else round(score, 4), reason,
         json.dumps(candidate_scores), json.dumps(report.to_json(), ensure_ascii=False), _now()))
    _file(conn, merged_id, [report])


def _file(conn: sqlite3.Connection, merged_id: str, reports: list[Report]) -> None:
    cells = {cell for r in reports for cell in filing_keys(r)}
    conn.executemany("INSERT OR IGNORE INTO merge_cells (country, admin1, day, merged_id) "
                     "VALUES (?, ?, ?, ?)", [(*cell, merged_id) for cell in sorted(cells)])


def _unfile(conn: sqlite3.Connection, merged_id: str, removed: list[Report]) -> None:
    """Take the cells of ``removed`` reports off an event, keeping those its other reports need.

    Cells are deleted by their exact key, computed from the reports' features: an index on
    ``merged_id`` would cost every ingest a second B-tree write per cell.
    """
    keep = {cell for r in _members(conn, [merged_id])[merged_id] for cell in filing_keys(r)}
    gone = {cell for r in removed for cell in filing_keys(r)} - keep
    conn.executemany("DELETE FROM merge_cells WHERE country = ? AND admin1 = ? AND day = ? "
                     "AND merged_id = ?", [(*cell, merged_id) for cell in sorted(gone)])


def _sources(conn: sqlite3.Connection, merged_id: str, *, cached: bool = False
             ) -> list[Source]:
    decode = _record if cached else json.loads
    rows = conn.execute(
        "SELECT l.report_id, l.report_key, a.id, a.url, a.path, a.title, a.published, e.record "
        "FROM merge_links l JOIN events e ON e.id = l.report_id "
        "JOIN articles a ON a.id = e.article_id WHERE l.merged_id = ? ORDER BY l.rowid",
        (merged_id,)).fetchall()
    return [Source(report_id=r[0], key=r[1], article_id=r[2], url=r[3], path=r[4], title=r[5],
                   published=r[6], record=decode(r[7])) for r in rows]


def refresh(conn: sqlite3.Connection, merged_id: str) -> None:
    """Reconcile a merged event from its current reports (delete it when it has none).

    The stored record holds the reconciled values only; ``sources`` and the history are read
    from the links when the event is read, so a join rewrites one small row, not every source's
    record again (which made ingest quadratic in the size of an event).
    """
    sources = _sources(conn, merged_id, cached=True)
    if not sources:
        row = conn.execute("SELECT merged_into FROM merged_events WHERE id = ?",
                           (merged_id,)).fetchone()
        if row is not None and row[0] is None:
            conn.execute("DELETE FROM merged_events WHERE id = ?", (merged_id,))
        return  # its cells went with its last report (_unfile)
    record = reconcile(merged_id, sources)
    del record["sources"]
    loc = record["location"]
    conn.execute(
        "UPDATE merged_events SET updated_at = ?, event_type = ?, date_start = ?, date_end = ?, "
        "country_code_key = ?, admin1_key = ?, reports = ?, record = ? WHERE id = ?",
        (_now(), record["event_type"], record["date"]["start"], record["date"]["end"],
         fold(loc["country_code"] or ""), fold(loc["admin1"] or ""), len(sources),
         json.dumps(record, ensure_ascii=False), merged_id))


def _complete(conn: sqlite3.Connection, merged_id: str, stored: str) -> dict[str, Any]:
    """The served form: the stored reconciled record plus ``sources`` and the history."""
    record: dict[str, Any] = json.loads(stored)
    sources = [s.to_dict() for s in sorted(
        _sources(conn, merged_id),
        key=lambda s: (s.published is None, s.published or "", s.report_id))]
    merge = record.pop("merge")
    record["sources"] = sources
    record["merge"] = {**merge, **_history(conn, merged_id)}
    return record


def _history(conn: sqlite3.Connection, merged_id: str) -> dict[str, Any]:
    links = conn.execute(
        "SELECT report_id, method, score, reason, candidates, linked_at FROM merge_links "
        "WHERE merged_id = ? ORDER BY rowid", (merged_id,)).fetchall()
    decisions = conn.execute(
        "SELECT id, kind, report_key, from_event, to_event, note, decided_at "
        "FROM merge_decisions WHERE from_event = ? OR to_event = ? ORDER BY id",
        (merged_id, merged_id)).fetchall()
    return {
        "links": [{"report_id": r[0], "method": r[1], "score": r[2], "reason": r[3],
                   "candidates": json.loads(r[4]), "linked_at": r[5]} for r in links],
        "decisions": [{"id": d[0], "kind": d[1], "report_key": d[2], "from_event": d[3],
                       "to_event": d[4], "note": d[5], "decided_at": d[6]} for d in decisions],
    }


# -- analyst decisions -----------------------------------------------------------------------


def _decision(conn: sqlite3.Connection, kind: str, report_key_: str | None, from_event: str,
              to_event: str, note: str | None) -> int:
    cursor = conn.execute(
        "INSERT INTO merge_decisions (kind, report_key, from_event, to_event, note, decided_at) "
        "VALUES (?, ?, ?, ?, ?, ?)", (kind, report_key_, from_event, to_event, note, _now()))
    return int(cursor.lastrowid or 0)


def split_report(conn: sqlite3.Connection, report_id: str, note: str | None) -> str:
    """Move one report out of its merged event into a new one; returns the new event's id."""
    row = conn.execute("SELECT report_key, merged_id, features FROM merge_links "
                       "WHERE report_id = ?", (report_id,)).fetchone()
    if row is None:
        raise KeyError(f"no stored report with id {report_id!r}")
    key, old = row[0], row[1]
    moved = [Report.from_json(json.loads(row[2]))]
    new = _new_event_id(conn, key)
    _ensure_event(conn, new)
    decision = _decision(conn, "split", key, old, new, note)
    conn.execute("INSERT OR REPLACE INTO report_pins (report_key, merged_id, decision_id) "
                 "VALUES (?, ?, ?)", (key, new, decision))
    conn.execute("UPDATE merge_links SET merged_id = ?, method = 'analyst', score = NULL, "
                 "reason = ? WHERE report_id = ?",
                 (new, f"split out of {old} by analyst decision #{decision}", report_id))
    _unfile(conn, old, moved)
    _file(conn, new, moved)
    for merged_id in (old, new):
        refresh(conn, merged_id)
    return new


def merge_events(conn: sqlite3.Connection, into: str, other: str, note: str | None) -> str:
    """Move every report of ``other`` into ``into``; ``other`` then resolves to ``into``."""
    into, other = _resolve(conn, into), _resolve(conn, other)
    for merged_id in (into, other):
        exists = conn.execute("SELECT 1 FROM merged_events WHERE id = ?", (merged_id,))
        if exists.fetchone() is None:
            raise KeyError(f"no merged event with id {merged_id!r}")
    if into == other:
        raise ValueError(f"{into} and {other} are the same event already")
    decision = _decision(conn, "merge", None, other, into, note)
    moved = _members(conn, [other])[other]
    keys = [r.key for r in moved]
    conn.executemany("INSERT OR REPLACE INTO report_pins (report_key, merged_id, decision_id) "
                     "VALUES (?, ?, ?)", [(k, into, decision) for k in keys])
    conn.execute("UPDATE report_pins SET merged_id = ? WHERE merged_id = ?", (into, other))
    conn.execute("UPDATE merge_links SET merged_id = ?, method = 'analyst', "
                 "reason = reason || ?  WHERE merged_id = ?",
                 (into, f"; moved from {other} by analyst decision #{decision}", other))
    conn.execute("UPDATE merged_events SET merged_into = ?, reports = 0, record = NULL, "
                 "updated_at = ? WHERE id = ?", (into, _now(), other))
    cells = {cell for r in moved for cell in filing_keys(r)}
    conn.executemany("DELETE FROM merge_cells WHERE country = ? AND admin1 = ? AND day = ? "
                     "AND merged_id = ?", [(*cell, other) for cell in sorted(cells)])
    _file(conn, into, moved)
    refresh(conn, into)
    return into


# -- reading ---------------------------------------------------------------------------------


def get_merged(conn: sqlite3.Connection, ident: str) -> dict[str, Any] | None:
    """The merged event with id ``ident``, or the one holding report ``ident``; follows merges."""
    row = conn.execute("SELECT merged_id FROM merge_links WHERE report_id = ?",
                       (ident,)).fetchone()
    merged_id = _resolve(conn, row[0] if row is not None else ident)
    found = conn.execute("SELECT record FROM merged_events WHERE id = ?",
                         (merged_id,)).fetchone()
    if found is None or found[0] is None:
        return None
    return _complete(conn, merged_id, found[0])


def list_merged(conn: sqlite3.Connection, limit: int, offset: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT id, record FROM merged_events WHERE record IS NOT NULL "
        "ORDER BY date_start IS NULL, date_start DESC, id LIMIT ? OFFSET ?",
        (limit, offset)).fetchall()
    return [_complete(conn, r[0], r[1]) for r in rows]


def iter_merged(conn: sqlite3.Connection, batch: int = 500) -> Iterator[dict[str, Any]]:
    """Every merged event in creation order, read ``batch`` at a time (an export of any size
    holds one batch in memory)."""
    last = 0
    while True:
        rows = conn.execute(
            "SELECT rowid, id, record FROM merged_events WHERE record IS NOT NULL AND rowid > ? "
            "ORDER BY rowid LIMIT ?", (last, batch)).fetchall()
        if not rows:
            return
        for _, merged_id, record in rows:
            yield _complete(conn, merged_id, record)
        last = rows[-1][0]


def assignments(conn: sqlite3.Connection) -> dict[str, str]:
    """Report id -> merged event id for every linked report."""
    return {r[0]: r[1] for r in conn.execute("SELECT report_id, merged_id FROM merge_links")}


class MergedEvents:
    """Merged events of one ``SQLiteStore``: read them, split reports out, merge events."""

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store

    def get(self, ident: str) -> dict[str, Any] | None:
        with self.store._errors("reading a merged event"):
            return get_merged(self.store._conn, ident)

    def list(self, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        with self.store._errors("listing merged events"):
            return list_merged(self.store._conn, limit, offset)

    def count(self) -> int:
        with self.store._errors("counting merged events"):
            row = self.store._conn.execute(
                "SELECT count(*) FROM merged_events WHERE record IS NOT NULL").fetchone()
        return int(row[0])

    def iter_all(self) -> Iterator[dict[str, Any]]:
        """Every merged event (served form), streamed in creation order."""
        with self.store._errors("reading merged events"):
            yield from iter_merged(self.store._conn)

    def assignments(self) -> dict[str, str]:
        with self.store._errors("reading merge links"):
            return assignments(self.store._conn)

    def split(self, report_id: str, note: str | None = None) -> str:
        """Split report ``report_id`` out into a new event (``KeyError`` if unknown)."""
        self._writable()
        with self.store._errors("splitting a report"), self.store._transaction() as conn:
            return split_report(conn, report_id, note)

    def merge(self, into: str, other: str, note: str | None = None) -> str:
        """Merge event ``other`` into ``into`` (``KeyError``/``ValueError`` on bad ids)."""
        self._writable()
        with self.store._errors("merging events"), self.store._transaction() as conn:
            return merge_events(conn, into, other, note)

    def _writable(self) -> None:
        if self.store.read_only:
            raise StoreError(f"{self.store.path} is open read-only; analyst decisions need a "
                             "writable database")
