"""The analyst's desk schema (migration ``m0004_desk``): lookup keys, sort indexes, text search.

What the desk adds to a database, and why:

- ``events.admin2_key`` (``fold`` of admin2) for the admin2 filter, like the admin1 key.
- ``events.place_id``: the stable id of the event's place, for place pages. ``gn<GeoNames id>``
  when the place is in GeoNames, else ``pl`` and a hash of its folded country code, admin1,
  admin2 and name (places from ``places_extra.tsv``); null when the place is unknown.
- ``event_actors.actor_id``: the slug of the catalogue name (``actor_slug``), for actor pages;
  null for descriptions such as "unknown gunmen", which are nobody in particular.
- Indexes matching each sort order of ``/api/events`` exactly, so a page needs no sort, and one
  covering index (``events_facts``) of the narrow columns, so statistics never read the records.
- ``article_search``: an FTS5 index of the article texts for the free-text filter. It holds its
  own copy of each text (twice the text on disk) instead of pointing at ``articles.rowid``,
  because ``articles`` has a TEXT primary key and VACUUM may renumber its rowids. Triggers keep
  it in step with ``articles`` whoever writes.

``write_desk_keys`` fills the key columns of a freshly inserted event; ``SQLiteStore`` calls it
right after inserting the event row.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from typing import Any

from ..models import Event
from .base import fold

_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


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


def write_desk_keys(conn: sqlite3.Connection, event: Event) -> None:
    """Fill the desk's key columns of an event row inserted in this transaction."""
    location = event.to_dict()["location"]
    conn.execute("UPDATE events SET admin2_key = ?, place_id = ? WHERE id = ?",
                 (_admin2_key(location), place_key(location), event.id))
    conn.executemany(
        "UPDATE event_actors SET actor_id = ? WHERE event_id = ? AND role = 'perpetrator' "
        "AND position = ?",
        [(actor_slug(p.name), event.id, i) for i, p in enumerate(event.perpetrators)],
    )


def create_desk_schema(conn: sqlite3.Connection) -> None:
    """Body of migration ``m0004_desk``: columns, indexes, the search index, and backfill."""
    statements = [
        "ALTER TABLE events ADD COLUMN admin2_key TEXT",
        "ALTER TABLE events ADD COLUMN place_id TEXT",
        "ALTER TABLE event_actors ADD COLUMN actor_id TEXT",
        "CREATE INDEX events_admin2 ON events(admin2_key)",
        "CREATE INDEX events_place ON events(place_id)",
        "CREATE INDEX events_sub_type ON events(sub_event_type COLLATE NOCASE)",
        "CREATE INDEX events_lat ON events(lat)",
        "CREATE INDEX event_actors_actor ON event_actors(actor_id, event_id)",
        # One index per sort order of /api/events (desk_queries.SORTS), term for term.
        "CREATE INDEX events_oldest ON events(date_start IS NULL, date_start, date_end, id)",
        "CREATE INDEX events_deadliest ON events(fatalities_best IS NULL, fatalities_best DESC, "
        "id)",
        "CREATE INDEX events_least_deadly ON events(fatalities_best IS NULL, fatalities_best, id)",
        # Covering index of every column the desk filters, groups or sums on, led by id: stats
        # and joins from event_actors read it instead of the wide rows (each carries its JSON
        # record), which is what keeps /api/stats fast at 100,000 events.
        "CREATE INDEX events_facts ON events(id, date_start, date_end, fatalities_best, "
        "event_type, sub_event_type, country_code_key, country_key, admin1_key, admin2_key, "
        "place_id, lat, lon, country_code, country, admin1, location_name, article_id)",
        "CREATE VIRTUAL TABLE article_search USING fts5("
        "article_id UNINDEXED, text, tokenize = 'unicode61 remove_diacritics 2')",
        "CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN "
        "INSERT INTO article_search (article_id, text) VALUES (new.id, new.text); END",
        "CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN "
        "DELETE FROM article_search WHERE article_id = old.id; END",
        "INSERT INTO article_search (article_id, text) SELECT id, text FROM articles",
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
