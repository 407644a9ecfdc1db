"""Rolled-up statistics and a change counter for the desk (migration ``m0005_desk_rollups``).

The unfiltered dashboard asks for the same totals again and again; grouping 100,000 event facts
five ways costs tens of milliseconds each time. Triggers on ``event_facts`` and ``actor_facts``
therefore keep small tables of running sums, so the answer reads a few thousand rows at most:

- ``rollup_days``: events and fatalities per start date (``''`` for undated events);
- ``rollup_types``: per event type;
- ``rollup_admin1``: per country code, admin1 key and the names as written (``''`` for none);
- ``rollup_actors``: per named actor and (start, end) dates, so an actor's first and last day
  survive deletions without rescanning its events.

A group whose last event goes is deleted, so every row counts at least one event.

``desk_state`` is a single row: ``token`` (random, made when the table is), ``generation``
(bumped by every write to events, their actors or articles) and ``max_span_days`` (an upper
bound on ``date_end - date_start`` of any stored event, never lowered, so it stays a bound after
deletions). ``(token, generation)`` names one state of the data: results cached under it are
never stale (``desk_cache``), and the token tells two databases at one path apart.
``max_span_days`` turns the date-range filter into an index range (``desk_queries``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

# rollup table -> (key columns, key expressions over a facts row, facts table)
_ROLLUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "rollup_days": (("day",), ("coalesce({r}.date_start, '')",), "event_facts"),
    "rollup_types": (("event_type",), ("coalesce({r}.event_type, '')",), "event_facts"),
    "rollup_admin1": (
        ("country_code", "admin1_key", "admin1", "country"),
        tuple(f"coalesce({{r}}.{c}, '')" for c in ("country_code", "admin1_key", "admin1",
                                                   "country")),
        "event_facts"),
    "rollup_actors": (
        ("actor_id", "date_start", "date_end"),
        ("{r}.actor_id", "coalesce({r}.date_start, '')", "coalesce({r}.date_end, '')"),
        "actor_facts"),
}
_BUMP = "UPDATE desk_state SET generation = generation + 1;"
# Whole days between an event's dates; 0 when either is unknown (first day = last day then).
_SPAN = ("max(0, coalesce(CAST(julianday({r}.date_end) - julianday({r}.date_start) AS INTEGER), "
         "0))")


def _add(table: str, row: str) -> str:
    keys, exprs, _ = _ROLLUPS[table]
    values = ", ".join(e.format(r=row) for e in exprs)
    return (f"INSERT INTO {table} ({', '.join(keys)}, events, fatalities) VALUES ({values}, 1, "
            f"coalesce({row}.fatalities_best, 0)) ON CONFLICT ({', '.join(keys)}) DO UPDATE SET "
            "events = events + 1, fatalities = fatalities + excluded.fatalities;")


def _remove(table: str, row: str) -> str:
    keys, exprs, _ = _ROLLUPS[table]
    match = " AND ".join(f"{k} = {e.format(r=row)}" for k, e in zip(keys, exprs, strict=True))
    return (f"UPDATE {table} SET events = events - 1, fatalities = fatalities - "
            f"coalesce({row}.fatalities_best, 0) WHERE {match}; "
            f"DELETE FROM {table} WHERE {match} AND events <= 0;")


def _triggers() -> list[str]:
    out = []
    for source in ("event_facts", "actor_facts"):
        tables = [t for t, (_, _, src) in _ROLLUPS.items() if src == source]
        added = " ".join(_add(t, "new") for t in tables)
        removed = " ".join(_remove(t, "old") for t in tables)
        span = (f"UPDATE desk_state SET max_span_days = max(max_span_days, "
                f"{_SPAN.format(r='new')});" if source == "event_facts" else "")
        out += [
            f"CREATE TRIGGER {source}_rollup_insert AFTER INSERT ON {source} BEGIN "
            f"{added} {span} {_BUMP} END",
            f"CREATE TRIGGER {source}_rollup_delete AFTER DELETE ON {source} BEGIN "
            f"{removed} {_BUMP} END",
            f"CREATE TRIGGER {source}_rollup_update AFTER UPDATE ON {source} BEGIN "
            f"{removed} {added} {span} {_BUMP} END",
        ]
    # What the rollups do not see but cached answers depend on: spellings and names of actors
    # (actor pages, the actor filter) and article texts (the text filter).
    for table in ("event_actors", "articles"):
        out += [f"CREATE TRIGGER {table}_generation_{when.lower()} AFTER {when} ON {table} "
                f"BEGIN {_BUMP} END" for when in ("INSERT", "UPDATE", "DELETE")]
    return out


def create_rollups(conn: sqlite3.Connection) -> None:
    """Body of migration ``m0005_desk_rollups``: tables, triggers, and backfill."""
    for table, (keys, _, _) in _ROLLUPS.items():
        conn.execute(f"CREATE TABLE {table} ({', '.join(f'{k} TEXT NOT NULL' for k in keys)}, "
                     "events INTEGER NOT NULL, fatalities INTEGER NOT NULL, "
                     f"PRIMARY KEY ({', '.join(keys)})) WITHOUT ROWID")
    conn.execute("CREATE TABLE desk_state (id INTEGER PRIMARY KEY CHECK (id = 1), "
                 "token TEXT NOT NULL, generation INTEGER NOT NULL, "
                 "max_span_days INTEGER NOT NULL)")
    conn.execute("INSERT INTO desk_state VALUES (1, lower(hex(randomblob(8))), 0, "
                 f"(SELECT coalesce(max({_SPAN.format(r='e')}), 0) FROM event_facts e))")
    for table, (keys, exprs, source) in _ROLLUPS.items():
        columns = ", ".join(e.format(r="f") for e in exprs)
        conn.execute(f"INSERT INTO {table} ({', '.join(keys)}, events, fatalities) "
                     f"SELECT {columns}, count(*), coalesce(sum(f.fatalities_best), 0) "
                     f"FROM {source} f GROUP BY {columns}")
    # The date-range filter's index (desk_queries.where): first and last day, then the sort
    # columns, so a range count or a sorted page reads this index alone.
    conn.execute("CREATE INDEX facts_span ON event_facts(coalesce(date_start, date_end), "
                 "coalesce(date_end, date_start), date_start, date_end, fatalities_best, id)")
    for sql in _triggers():
        conn.execute(sql)


@dataclass(frozen=True, slots=True)
class DeskState:
    """One state of the data (see the module docstring)."""

    token: str
    generation: int
    max_span_days: int

    @property
    def key(self) -> tuple[str, int]:
        return self.token, self.generation


def desk_state(conn: sqlite3.Connection) -> DeskState:
    token, generation, span = conn.execute(
        "SELECT token, generation, max_span_days FROM desk_state").fetchone()
    return DeskState(str(token), int(generation), int(span))


def _rows(conn: sqlite3.Connection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def total_events(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(sum(events), 0) FROM rollup_days").fetchone()[0])


def events_beyond(conn: sqlite3.Connection, day: str, *, later: bool) -> int:
    """Dated events starting after ``day`` (``later``) or before it."""
    return int(conn.execute("SELECT coalesce(sum(events), 0) FROM rollup_days WHERE day != '' "
                            f"AND day {'>' if later else '<'} ?", (day,)).fetchone()[0])


def rolled_up(conn: sqlite3.Connection, top: int) -> dict[str, Any]:
    """The unfiltered statistics from the rollups: ``totals``, ``days`` (``(day, events,
    fatalities)`` in date order, undated left out), ``by_type``, ``by_admin1``, ``by_actor``."""
    days = conn.execute("SELECT day, events, fatalities FROM rollup_days ORDER BY day").fetchall()
    totals = {"events": sum(d[1] for d in days), "fatalities": sum(d[2] for d in days)}
    by_type = _rows(conn, "SELECT nullif(event_type, '') AS event_type, events, fatalities "
                    "FROM rollup_types ORDER BY events DESC, event_type", [])
    by_admin1 = _rows(conn, "SELECT nullif(country_code, '') AS country_code, "
                      "nullif(max(country), '') AS country, max(admin1) AS admin1, "
                      "sum(events) AS events, sum(fatalities) AS fatalities FROM rollup_admin1 "
                      "WHERE admin1_key != '' GROUP BY country_code, admin1_key "
                      "ORDER BY 4 DESC, 3 LIMIT ?", [top])
    by_actor = _rows(conn, "SELECT actor_id AS id, sum(events) AS events, "
                     "sum(fatalities) AS fatalities FROM rollup_actors GROUP BY actor_id "
                     "ORDER BY 2 DESC, 1 LIMIT ?", [top])
    return {"totals": totals, "days": [d for d in days if d[0]], "by_type": by_type,
            "by_admin1": by_admin1, "by_actor": by_actor}


def actor_summaries(conn: sqlite3.Connection, clause: str, params: list[Any], *, limit: int,
                    offset: int) -> tuple[list[dict[str, Any]], int]:
    """Actors (``clause`` filters ``actor_id``) with events, fatalities, first and last day,
    most active first, and how many actors the clause lets through."""
    count = int(conn.execute(f"SELECT count(DISTINCT actor_id) FROM rollup_actors {clause}",
                             params).fetchone()[0])
    actors = _rows(conn, "SELECT actor_id AS id, sum(events) AS events, "
                   "sum(fatalities) AS fatalities, min(nullif(date_start, '')) AS first, "
                   "max(coalesce(nullif(date_end, ''), nullif(date_start, ''))) AS last "
                   f"FROM rollup_actors {clause} GROUP BY actor_id ORDER BY 2 DESC, 1 "
                   "LIMIT ? OFFSET ?", [*params, limit, offset])
    return actors, count
