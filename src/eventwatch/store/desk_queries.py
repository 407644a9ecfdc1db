"""Read queries of the analyst's desk: filtered and sorted event pages with cursors, statistics,
actors and places. Every value is bound as a parameter; SQL text is built only from constants.

Cursor pagination is keyset pagination: a cursor holds the sort key of the last event of a page,
and the next page starts strictly after it. Pages stay consistent while events are added (no
event is skipped or repeated because an earlier one arrived), and a deep page costs what the first
one does, unlike ``OFFSET``. Each sort order ends with the event id, so keys are unique, and has
an index with exactly its terms (``desk_schema``), so SQLite walks the index instead of sorting.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from .base import EventFilter, fold
from .desk_rollups import (
    actor_summaries,
    desk_state,
    events_beyond,
    rolled_up,
    total_events,
)
from .sqlite import _EVENT_SELECT, _event_row, _where

Interval = Literal["day", "week", "month"]

# name -> ((SQL expression, descending), ...); the id tie-breaker makes every key unique.
# NULL dates and tolls come last in both directions (the leading "IS NULL" term), and within
# that group the NULL terms are equal, which _after() relies on.
SORTS: dict[str, tuple[tuple[str, bool], ...]] = {
    "-date": (("e.date_start IS NULL", False), ("e.date_start", True), ("e.date_end", True),
              ("e.id", False)),
    "date": (("e.date_start IS NULL", False), ("e.date_start", False), ("e.date_end", False),
             ("e.id", False)),
    "-fatalities": (("e.fatalities_best IS NULL", False), ("e.fatalities_best", True),
                    ("e.id", False)),
    "fatalities": (("e.fatalities_best IS NULL", False), ("e.fatalities_best", False),
                   ("e.id", False)),
}
# The index of each sort order (desk_schema), walked when most events match (events_page).
SORT_INDEXES = {"-date": "facts_newest", "date": "facts_oldest", "-fatalities": "facts_deadliest",
                "fatalities": "facts_least_deadly"}
# Walk the sort index, checking each event, rather than collect the matching events and sort
# them, when WALK_FACTOR * the entries the walk reads < matching (events_page): an entry walked
# costs a row lookup, a matching event found through a filter's index mostly does not.
WALK_FACTOR = 4
# A text search counts at most this many events exactly; beyond, the count is a lower bound.
SEARCH_COUNT_MAX = 10_000


def _period(day: str, interval: Interval) -> str:
    """The series period a start date falls in: the day, the Monday of its week, or YYYY-MM."""
    if interval == "day":
        return day
    if interval == "month":
        return day[:7]
    date = dt.date.fromisoformat(day)
    return (date - dt.timedelta(days=date.weekday())).isoformat()


class CursorError(ValueError):
    """A cursor that this server did not issue for this sort order."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DeskFilter:
    """The desk's event filter: ``EventFilter``'s criteria (same meaning) plus the desk's own.

    - ``admin2``: second-level division, case- and diacritics-insensitive exact name.
    - ``sub_event_type``: ACLED sub-event type, case-insensitive exact match.
    - ``bbox``: ``(west, south, east, north)`` in degrees; west > east crosses the antimeridian.
      Events without coordinates never match.
    - ``min_fatalities``: best fatality estimate at least this; unknown tolls never match.
    - ``text``: words that must all occur in the article text (FTS5, diacritics folded); a
      trailing ``*`` on a word matches prefixes.
    - ``actor_id`` / ``place_id``: the ids of actor and place pages.
    """

    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    actor: str | None = None
    actor_id: str | None = None
    place_id: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    bbox: tuple[float, float, float, float] | None = None
    min_fatalities: int | None = None
    text: str | None = None

    def base(self) -> EventFilter:
        return EventFilter(country=self.country, admin1=self.admin1, actor=self.actor,
                           event_type=self.event_type, since=self.since, until=self.until)


def fts_query(text: str) -> str | None:
    """An FTS5 query matching every word of ``text``: each word quoted, so the user's text is
    never FTS5 syntax (no column filters, NEAR or boolean operators); ``word*`` keeps a prefix."""
    terms = []
    for word in text.split():
        prefix = word.endswith("*")
        word = word.rstrip("*").replace('"', '""')
        if word.strip('"'):
            terms.append(f'"{word}"' + ("*" if prefix else ""))
    return " ".join(terms) or None


def where(f: DeskFilter, span_days: int | None = None) -> tuple[str, list[Any]]:
    """WHERE clause over ``event_facts e`` (the narrow copy of ``events``) and its parameters.

    ``span_days``, an upper bound on any event's length (``desk_state``), adds a redundant
    lower bound on the first day to ``since``, so the date range reads one range of the
    ``facts_span`` index instead of every event.
    """
    base_sql, params = _where(f.base())
    clauses = [base_sql.removeprefix(" WHERE ")] if base_sql else []
    if f.since is not None and span_days is not None:
        clauses.append("COALESCE(e.date_start, e.date_end) >= ?")
        params.append((f.since - dt.timedelta(days=span_days)).isoformat())
    if f.admin2:
        clauses.append("e.admin2_key = ?")
        params.append(fold(f.admin2))
    if f.sub_event_type:
        clauses.append("e.sub_event_type = ? COLLATE NOCASE")
        params.append(f.sub_event_type.strip())
    if f.actor_id:
        # IN, not EXISTS: SQLite then starts from the actor's few rows instead of every event.
        clauses.append("e.id IN (SELECT event_id FROM actor_facts WHERE actor_id = ?)")
        params.append(f.actor_id)
    if f.place_id:
        clauses.append("e.place_id = ?")
        params.append(f.place_id)
    if f.bbox is not None:
        west, south, east, north = f.bbox
        clauses.append("e.lat BETWEEN ? AND ?")
        params += [south, north]
        if west <= east:
            clauses.append("e.lon BETWEEN ? AND ?")
            params += [west, east]
        else:
            clauses.append("(e.lon >= ? OR e.lon <= ?)")
            params += [west, east]
    if f.min_fatalities is not None:
        clauses.append("e.fatalities_best >= ?")
        params.append(f.min_fatalities)
    query = fts_query(f.text) if f.text else None
    if query:
        clauses.append("e.article_id IN (SELECT article_id FROM article_search "
                       "WHERE article_search MATCH ?)")
        params.append(query)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def encode_cursor(sort: str, key: list[Any]) -> str:
    raw = json.dumps([sort, *key], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(sort: str, cursor: str) -> list[Any]:
    """The sort key in ``cursor``; ``CursorError`` if it is malformed or for another sort."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError):
        raise CursorError("not a cursor issued by this server") from None
    if not isinstance(data, list) or not data or not isinstance(data[0], str):
        raise CursorError("not a cursor issued by this server")
    if data[0] != sort:
        raise CursorError(f"the cursor belongs to sort={data[0][:20]!r}, not sort={sort!r}")
    if len(data) != len(SORTS[sort]) + 1:
        raise CursorError("not a cursor issued by this server")
    if not all(v is None or isinstance(v, (str, int, float)) for v in data[1:]):
        raise CursorError("not a cursor issued by this server")
    return list(data[1:])


def _after(sort: str, key: list[Any]) -> tuple[str, list[Any]]:
    """Rows strictly after ``key`` in ``sort`` order: for some term i, the earlier terms are
    equal (``IS``, which is NULL-safe) and term i is beyond."""
    terms = SORTS[sort]
    ors: list[str] = []
    params: list[Any] = []
    for i, (expr, desc) in enumerate(terms):
        ands = [f"({terms[j][0]}) IS ?" for j in range(i)]
        ands.append(f"({expr}) {'<' if desc else '>'} ?")
        params += [*key[:i], key[i]]
        ors.append("(" + " AND ".join(ands) + ")")
    return "(" + " OR ".join(ors) + ")", params


def _order(sort: str, *, by_index: bool = True) -> str:
    """The ORDER BY of ``sort``; without ``by_index``, each term behind a unary ``+``, which
    stops SQLite from taking the order from the sort's index (so it uses a filter's index)."""
    plus = "" if by_index else "+"
    return "ORDER BY " + ", ".join(f"{plus}{expr}{' DESC' if desc else ''}"
                                   for expr, desc in SORTS[sort])


def _skipped(conn: sqlite3.Connection, f: DeskFilter, sort: str, key: list[Any] | None
             ) -> int | None:
    """About how many events a walk of ``sort``'s index passes before the first one that can
    match (its own column bounded by the filter or the cursor), or None when unknown."""
    if "fatalities" in sort:
        # Deadliest first with a minimum toll: the matches come first. The other way round,
        # or after a cursor, the tolls passed are not counted anywhere.
        known = key is None and (f.min_fatalities is None or sort == "-fatalities")
        return 0 if known else None
    if key is not None and key[0]:
        return None  # a cursor among the undated events, which sort last
    newest = sort == "-date"
    edges = [b.isoformat() for b in ((f.until if newest else f.since),) if b is not None]
    if key is not None and key[1] is not None:
        edges.append(str(key[1]))
    if not edges:
        return 0
    return events_beyond(conn, min(edges) if newest else max(edges), later=newest)


def _walk(conn: sqlite3.Connection, f: DeskFilter, sort: str, *, limit: int, offset: int,
          matching: int, key: list[Any] | None) -> bool:
    """Whether walking ``sort``'s index reads fewer entries than collecting and sorting the
    ``matching`` events, supposing matches spread evenly past the entries it must skip."""
    skip = _skipped(conn, f, sort, key)
    if skip is None or matching == 0:
        return False
    total = total_events(conn)
    walked = skip + (limit + offset) * max(total - skip, 0) / matching
    return WALK_FACTOR * walked < matching


def _where_now(conn: sqlite3.Connection, f: DeskFilter) -> tuple[str, list[Any]]:
    return where(f, desk_state(conn).max_span_days if f.since is not None else None)


def events_page(conn: sqlite3.Connection, f: DeskFilter, *, sort: str = "-date",
                limit: int, cursor: str | None = None, offset: int = 0,
                matching: int | None = None) -> tuple[list[dict[str, Any]], str | None]:
    """One page of stored events and the cursor of the next page (None on the last page).

    ``cursor`` (from an earlier page) and ``offset`` are alternatives; the cursor is preferred.
    ``matching``, the filter's event count when known, chooses between walking the sort's
    index (when most events match) and letting SQLite use a filter's index and sort.
    """
    where_sql, params = _where_now(conn, f)
    key = decode_cursor(sort, cursor) if cursor is not None else None
    table, by_index = "event_facts e", True
    # Filtered and the count known, the choice is made here: SQLite cannot know how many
    # events match, and with a bound LIMIT it walks the sort index even for a rare filter.
    if matching is not None and where_sql:
        if _walk(conn, f, sort, limit=limit, offset=offset, matching=matching, key=key):
            table += f" INDEXED BY {SORT_INDEXES[sort]}"
        else:
            by_index = False
    if key is not None:
        after_sql, after_params = _after(sort, key)
        where_sql = (where_sql + " AND " if where_sql else " WHERE ") + after_sql
        params += after_params
    # Two steps: sort and cut the page on the narrow facts, then read the wide records of just
    # that page; sorting whole records would move megabytes.
    keys = ", ".join(f"({expr})" for expr, _ in SORTS[sort])
    rows = conn.execute(f"SELECT {keys}, e.id FROM {table}{where_sql} "
                        f"{_order(sort, by_index=by_index)} "
                        "LIMIT ? OFFSET ?", [*params, limit + 1, offset]).fetchall()
    width = len(SORTS[sort])
    ids = [row[width] for row in rows[:limit]]
    records = {}
    if ids:
        marks = ", ".join("?" * len(ids))
        sql = _EVENT_SELECT.replace("SELECT ", "SELECT e.id, ", 1)
        for row in conn.execute(f"{sql} WHERE e.id IN ({marks})", ids):
            records[row[0]] = _event_row(row[1:])
    events = [records[event_id] for event_id in ids if event_id in records]
    next_cursor = None
    if len(rows) > limit:
        next_cursor = encode_cursor(sort, list(rows[limit - 1][:width]))
    return events, next_cursor


def count_events(conn: sqlite3.Connection, f: DeskFilter) -> int:
    where_sql, params = _where_now(conn, f)
    return int(conn.execute(f"SELECT count(*) FROM event_facts e{where_sql}", params).fetchone()[0])


def count_bounded(conn: sqlite3.Connection, f: DeskFilter, *, cap: int | None = None
                  ) -> tuple[int, bool]:
    """``(count, exact)``: exact unless a text search matches more than ``cap`` events
    (default ``SEARCH_COUNT_MAX``), when the count stops at ``cap``, a lower bound, instead of
    reading every match."""
    if not f.text:
        return count_events(conn, f), True
    cap = SEARCH_COUNT_MAX if cap is None else cap
    where_sql, params = _where_now(conn, f)
    n = int(conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM event_facts e{where_sql} "
                         "LIMIT ?)", [*params, cap + 1]).fetchone()[0])
    return min(n, cap), n <= cap


def _rows(conn: sqlite3.Connection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _aggregate(rows: Iterable[tuple[Any, ...]], interval: Interval, top: int
               ) -> dict[str, Any]:
    """Totals, series, by_type and by_admin1 of filtered facts rows, in one pass."""
    events = fatalities = 0
    series: dict[str, list[int]] = {}
    by_type: dict[str, list[int]] = {}
    by_admin1: dict[tuple[str, str], list[Any]] = {}
    periods: dict[str, str] = {}
    for day, event_type, toll, code, country, admin1_key, admin1 in rows:
        toll = toll or 0
        events += 1
        fatalities += toll
        if day is not None:
            period = periods.get(day) or periods.setdefault(day, _period(day, interval))
            entry = series.setdefault(period, [0, 0])
            entry[0] += 1
            entry[1] += toll
        kind = by_type.setdefault(event_type, [0, 0])
        kind[0] += 1
        kind[1] += toll
        if admin1_key is not None:
            place = by_admin1.setdefault((code, admin1_key), [code, country, admin1, 0, 0])
            place[1], place[2] = max(place[1] or "", country or ""), max(place[2], admin1)
            place[3] += 1
            place[4] += toll
    admin1_rows = sorted(by_admin1.values(), key=lambda r: (-r[3], r[2]))[:top]
    return {
        "totals": {"events": events, "fatalities": fatalities},
        "series": [{"period": k, "events": v[0], "fatalities": v[1]}
                   for k, v in sorted(series.items())],
        "by_type": [{"event_type": k, "events": v[0], "fatalities": v[1]}
                    for k, v in sorted(by_type.items(), key=lambda kv: (-kv[1][0], kv[0]))],
        "by_admin1": [{"country_code": r[0], "country": r[1] or None, "admin1": r[2],
                       "events": r[3], "fatalities": r[4]} for r in admin1_rows],
    }


def stats(conn: sqlite3.Connection, f: DeskFilter, *, interval: Interval, top: int,
          rollups: bool = True) -> dict[str, Any]:
    """Events and fatalities in total, per ``interval`` (by start date; undated events are only
    in the totals), by event type, and for the ``top`` actors and admin1 divisions.

    Unfiltered, the answer comes from the running sums of ``desk_rollups`` (unless
    ``rollups`` is false); filtered, the matching facts are read once and grouped here, since
    every grouped query would otherwise repeat the filter.
    """
    where_sql, params = _where_now(conn, f)
    if where_sql or not rollups:
        out = _aggregate(conn.execute(
            "SELECT e.date_start, e.event_type, e.fatalities_best, e.country_code, e.country, "
            f"e.admin1_key, e.admin1 FROM event_facts e{where_sql}", params), interval, top)
        # CROSS JOIN keeps the filtered events as the outer loop: each looks up its actors,
        # instead of every actor's events being looked up and filtered.
        by_actor = _rows(conn, "SELECT a.actor_id AS id, count(*) AS events, "
                         "coalesce(sum(a.fatalities_best), 0) AS fatalities FROM event_facts e "
                         f"CROSS JOIN actor_facts a ON a.event_id = e.id{where_sql} "
                         "GROUP BY a.actor_id ORDER BY 2 DESC, 1 LIMIT ?", [*params, top])
    else:
        summed = rolled_up(conn, top)
        series: dict[str, dict[str, Any]] = {}
        for day, events, fatalities in summed["days"]:
            period = _period(day, interval)
            entry = series.setdefault(period, {"period": period, "events": 0, "fatalities": 0})
            entry["events"] += events
            entry["fatalities"] += fatalities
        out = {**summed, "series": [series[k] for k in sorted(series)]}
        by_actor = summed["by_actor"]
    _add_names(conn, by_actor)
    return {"interval": interval, "totals": out["totals"], "series": out["series"],
            "by_type": out["by_type"], "by_actor": by_actor, "by_admin1": out["by_admin1"]}


def _add_names(conn: sqlite3.Connection, actors: list[dict[str, Any]]) -> None:
    """Put each actor's canonical name after its id (looked up for the few listed)."""
    for i, row in enumerate(actors):
        name = conn.execute("SELECT name FROM event_actors WHERE actor_id = ? LIMIT 1",
                            (row["id"],)).fetchone()
        actors[i] = {"id": row["id"], "name": name[0] if name else None,
                     **{k: v for k, v in row.items() if k != "id"}}


def list_actors(conn: sqlite3.Connection, *, name: str | None, limit: int, offset: int
                ) -> tuple[list[dict[str, Any]], int]:
    """Named actors with their event counts, fatalities and active period, most active first."""
    clause, params = "", []
    if name:
        clause = ("WHERE actor_id IN (SELECT actor_id FROM event_actors ea WHERE "
                  "ea.actor_id IS NOT NULL AND (instr(ea.name_key, ?) > 0 "
                  "OR instr(ea.text_key, ?) > 0))")
        params += [fold(name), fold(name)]
    actors, count = actor_summaries(conn, clause, params, limit=limit, offset=offset)
    _add_names(conn, actors)
    return actors, count


def _top_places(rows: Iterable[tuple[Any, ...]], top: int) -> list[dict[str, Any]]:
    """Places of ``(place_id, name, admin1, country, toll)`` rows, most events first; names
    are the greatest seen (as SQL's ``max``, so the choice does not depend on row order)."""
    places: dict[str, list[Any]] = {}
    for place_id, name, admin1, country, toll in rows:
        if place_id is None:
            continue
        entry = places.setdefault(place_id, [None, None, None, 0, 0])
        for i, value in enumerate((name, admin1, country)):
            if value is not None and (entry[i] is None or value > entry[i]):
                entry[i] = value
        entry[3] += 1
        entry[4] += toll or 0
    ranked = sorted(places.items(), key=lambda kv: (-kv[1][3], kv[1][0] or ""))[:top]
    return [{"id": k, "name": v[0], "admin1": v[1], "country": v[2], "events": v[3],
             "fatalities": v[4]} for k, v in ranked]


def actor(conn: sqlite3.Connection, actor_id: str, *, top: int) -> dict[str, Any] | None:
    """An actor's names as written, activity per month, places and totals; None if unknown."""
    names = conn.execute("SELECT ea.name, ea.text, count(*) FROM event_actors ea "
                         "WHERE ea.actor_id = ? GROUP BY ea.text ORDER BY 3 DESC, 2 LIMIT ?",
                         (actor_id, top)).fetchall()
    if not names:
        return None
    # One read of the actor's events feeds the activity, the types and the places.
    rows = conn.execute(
        "SELECT e.date_start, e.event_type, e.fatalities_best, e.country_code, e.country, "
        "e.admin1_key, e.admin1, e.place_id, e.location_name FROM actor_facts a "
        "CROSS JOIN event_facts e ON e.id = a.event_id WHERE a.actor_id = ?",
        (actor_id,)).fetchall()
    summary = _aggregate((r[:7] for r in rows), "month", top)
    places = _top_places(((r[7], r[8], r[6], r[4], r[2]) for r in rows), top)
    return {"id": actor_id, "name": names[0][0],
            "written_as": [{"text": text, "events": n} for _, text, n in names],
            "totals": summary["totals"], "activity": summary["series"],
            "by_type": summary["by_type"], "places": places}


def place(conn: sqlite3.Connection, place_id: str, *, top: int) -> dict[str, Any] | None:
    """A place's location fields, activity per month, actors and totals; None if unknown."""
    row = conn.execute("SELECT record FROM events WHERE id = (SELECT id FROM event_facts "
                       "WHERE place_id = ? LIMIT 1)", (place_id,)).fetchone()
    if row is None:
        return None
    location = json.loads(row[0])["location"]
    f = DeskFilter(place_id=place_id)
    summary = stats(conn, f, interval="month", top=top)
    info = {k: location.get(k) for k in ("name", "country", "country_code", "admin1", "admin2",
                                         "lat", "lon", "geonames_id", "precision")}
    return {"id": place_id, **info, "totals": summary["totals"],
            "activity": summary["series"], "by_type": summary["by_type"],
            "actors": summary["by_actor"]}
