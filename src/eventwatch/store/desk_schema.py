"""The analyst's desk schema (migration ``m0004_desk``): lookup keys, sort indexes, text search.

What the desk adds to a database, and why:

- ``events.admin2_key`` (``fold`` of admin2) for the admin2 filter, like the admin1 key.
- ``events.place_id``: the stable id of the event's place, for place pages. ``gn<GeoNames id>``
  when the place is in GeoNames, else ``pl`` and a hash of its folded country code, admin1,
  admin2 and name (places from ``places_extra.tsv``); null when the place is unknown.
- ``event_actors.actor_id``: the slug of the catalogue name (``actor_slug``), for actor pages;
  null for descriptions such as "unknown gunmen", which are nobody in particular.
- ``event_facts``: a narrow copy of each event row (every column the desk filters, sorts,
  groups or sums on, without the JSON record), kept in step by triggers on ``events``, with an
  index per filter and one per sort order. An events row carries its record (kilobytes), so
  reading rows to filter or count touches a page per event; the facts of 100,000 events fit in
  a few megabytes, which keeps filtered pages and statistics under 100 ms.
- ``actor_facts``: one row per named actor and event with the event's toll and dates (triggers
  on ``event_actors`` and ``events``), so actor lists and per-actor counts read one index
  instead of joining every event.
- ``article_search``: an FTS5 index of the article texts for the free-text filter. It holds its
  own copy of each text (twice the text on disk) instead of pointing at ``articles.rowid``,
  because ``articles`` has a TEXT primary key and VACUUM may renumber its rowids. Triggers keep
  it in step with ``articles`` whoever writes.

``desk_keys`` and ``actor_slug`` give the key columns; ``SQLiteStore`` writes them with the event
and actor rows (the triggers then copy them into the facts tables).
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from typing import Any

from .base import fold

_SLUG_JUNK = re.compile(r"[^a-z0-9]+")

# The narrow copy of each event row the desk filters, sorts and counts on (see event_facts).
FACT_COLUMNS = ("id", "article_id", "event_type", "sub_event_type", "date_start", "date_end",
                "country_code", "country", "admin1", "location_name", "lat", "lon",
                "fatalities_best", "country_code_key", "country_key", "admin1_key", "admin2_key",
                "place_id")
_SORT_COLUMNS = "date_start, date_end, fatalities_best, id"
_ACTOR_FACT = ("INSERT OR IGNORE INTO actor_facts (actor_id, event_id, fatalities_best, "
               "date_start, date_end) SELECT new.actor_id, new.event_id, fatalities_best, "
               "date_start, date_end FROM events WHERE id = new.event_id;")
_FACT_TYPES = ("TEXT NOT NULL", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT",
               "REAL", "REAL", "INTEGER", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT")


def actor_slug(name: str | None) -> str | None:
    """URL-safe id of a canonical actor name: folded, runs of other characters become ``-``."""
    if not name:
        return None
    slug = _SLUG_JUNK.sub("-", fold(name)).strip("-")
    return slug or None


def place_key(location: dict[str, Any]) -> str | None:
    """The ``place_id`` of a stored event's location (see the module docstring)."""
    if location.get("precision", "unknown") == "unknown" or not location.get("name"):
        return None
    if location.get("geonames_id"):
        return f"gn{int(location['geonames_id'])}"
    parts = [location.get(k) or "" for k in ("country_code", "admin1", "admin2", "name")]
    digest = hashlib.sha1("\x1f".join(fold(p) for p in parts).encode()).hexdigest()
    return "pl" + digest[:14]


def _admin2_key(location: dict[str, Any]) -> str | None:
    admin2 = location.get("admin2")
    return fold(admin2) if admin2 else None


def desk_keys(location: dict[str, Any]) -> tuple[str | None, str | None]:
    """``(admin2_key, place_id)`` of an event's location (its ``to_dict()["location"]``).

    The store writes them with the event row: setting them by a later UPDATE fired the facts
    trigger again, rewriting the event's ``event_facts`` row and its eighteen index entries for
    every ingested event.
    """
    return _admin2_key(location), place_key(location)


ANALYZE_MIN_ROWS = 1000


def refresh_statistics(conn: sqlite3.Connection) -> None:
    """Run ANALYZE (sampled) when ``event_facts`` has doubled since the last one.

    Without statistics SQLite guesses that every index filters well, and picks e.g. the event
    type index and a sort over tens of thousands of rows where walking the sort index and
    stopping after a page is far cheaper. Sampling (``analysis_limit``) keeps it well under a
    second at 100,000 events; doubling as the trigger keeps it rare.
    """
    stat = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()
    analysed = 0
    if stat is not None:
        row = conn.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'event_facts' "
                           "AND idx IS NOT NULL LIMIT 1").fetchone()
        analysed = int(str(row[0]).split()[0]) if row else 0
    rows = int(conn.execute("SELECT count(*) FROM event_facts").fetchone()[0])
    if rows >= ANALYZE_MIN_ROWS and rows >= 2 * analysed:
        conn.execute("PRAGMA analysis_limit = 2000")
        conn.execute("ANALYZE")


def create_desk_schema(conn: sqlite3.Connection) -> None:
    """Body of migration ``m0004_desk``: columns, indexes, the search index, and backfill."""
    columns = ", ".join(FACT_COLUMNS)
    values = ", ".join(f"new.{c}" for c in FACT_COLUMNS)
    statements = [
        "ALTER TABLE events ADD COLUMN admin2_key TEXT",
        "ALTER TABLE events ADD COLUMN place_id TEXT",
        "ALTER TABLE event_actors ADD COLUMN actor_id TEXT",
        "CREATE INDEX event_actors_actor ON event_actors(actor_id, event_id)",
        "CREATE INDEX event_actors_spelling ON event_actors(actor_id, text, name)",
        f"""CREATE TABLE event_facts (
            id TEXT PRIMARY KEY,
            {", ".join(f"{c} {t}" for c, t in zip(FACT_COLUMNS[1:], _FACT_TYPES, strict=True))}
        )""",
        # Triggers, not the store's insert code: any writer of events (ingest, merging) keeps
        # the facts in step, including a later UPDATE of the desk keys.
        f"CREATE TRIGGER events_facts_insert AFTER INSERT ON events BEGIN "
        f"INSERT INTO event_facts ({columns}) VALUES ({values}); END",
        f"CREATE TRIGGER events_facts_update AFTER UPDATE ON events BEGIN "
        f"DELETE FROM event_facts WHERE id = old.id; "
        f"INSERT INTO event_facts ({columns}) VALUES ({values}); "
        "UPDATE actor_facts SET fatalities_best = new.fatalities_best, "
        "date_start = new.date_start, date_end = new.date_end WHERE event_id = new.id; END",
        "CREATE TRIGGER events_facts_delete AFTER DELETE ON events BEGIN "
        "DELETE FROM event_facts WHERE id = old.id; "
        "DELETE FROM actor_facts WHERE event_id = old.id; END",
        # actor_facts: one row per (named actor, event) with the event's toll and dates, so
        # per-actor counts never join 100,000 events (see the module docstring).
        """CREATE TABLE actor_facts (
            actor_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            fatalities_best INTEGER,
            date_start TEXT,
            date_end TEXT,
            PRIMARY KEY (actor_id, event_id)
        ) WITHOUT ROWID""",
        "CREATE INDEX actor_facts_event ON actor_facts(event_id)",
        "CREATE TRIGGER event_actors_facts_insert AFTER INSERT ON event_actors "
        "WHEN new.actor_id IS NOT NULL BEGIN " + _ACTOR_FACT + " END",
        "CREATE TRIGGER event_actors_facts_update AFTER UPDATE OF actor_id ON event_actors "
        "WHEN new.actor_id IS NOT NULL BEGIN " + _ACTOR_FACT + " END",
        # One index per sort order of /api/events (desk_queries.SORTS), term for term.
        "CREATE INDEX facts_newest ON event_facts(date_start IS NULL, date_start DESC, "
        "date_end DESC, id)",
        "CREATE INDEX facts_oldest ON event_facts(date_start IS NULL, date_start, date_end, id)",
        "CREATE INDEX facts_deadliest ON event_facts(fatalities_best IS NULL, "
        "fatalities_best DESC, id)",
        "CREATE INDEX facts_least_deadly ON event_facts(fatalities_best IS NULL, "
        "fatalities_best, id)",
        # Filter indexes end with the sort columns, so a filtered page or count reads the index
        # alone: no row lookups, and the sort works on narrow keys.
        *(f"CREATE INDEX facts_{name} ON event_facts({columns_}, {_SORT_COLUMNS})"
          for name, columns_ in (
              ("article", "article_id"), ("country_code", "country_code_key"),
              ("country", "country_key"), ("admin1", "admin1_key"), ("admin2", "admin2_key"),
              ("place", "place_id"), ("type", "event_type COLLATE NOCASE"),
              ("sub_type", "sub_event_type COLLATE NOCASE"), ("lat", "lat, lon"))),
        # Covering indexes for /api/stats: each grouping reads one index in its own order.
        "CREATE INDEX facts_days ON event_facts(date_start, fatalities_best)",
        "CREATE INDEX facts_type_toll ON event_facts(event_type, fatalities_best)",
        "CREATE INDEX facts_admin1_toll ON event_facts(country_code, admin1_key, admin1, "
        "country, fatalities_best)",
        "CREATE VIRTUAL TABLE article_search USING fts5("
        "article_id UNINDEXED, text, tokenize = 'unicode61 remove_diacritics 2')",
        "CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN "
        "INSERT INTO article_search (article_id, text) VALUES (new.id, new.text); END",
        "CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN "
        "DELETE FROM article_search WHERE article_id = old.id; END",
        "INSERT INTO article_search (article_id, text) SELECT id, text FROM articles",
        f"INSERT INTO event_facts ({columns}) SELECT {columns} FROM events",
    ]
    for sql in statements:
        conn.execute(sql)
    rows = conn.execute("SELECT id, record FROM events").fetchall()
    for event_id, record in rows:
        data = json.loads(record)
        location = data.get("location") or {}
        conn.execute("UPDATE events SET admin2_key = ?, place_id = ? WHERE id = ?",
                     (_admin2_key(location), place_key(location), event_id))
        conn.executemany(
            "UPDATE event_actors SET actor_id = ? WHERE event_id = ? AND role = 'perpetrator' "
            "AND position = ?",
            [(actor_slug(p.get("name")), event_id, i)
             for i, p in enumerate(data.get("perpetrators") or [])],
        )
