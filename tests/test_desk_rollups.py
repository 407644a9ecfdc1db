"""Rollups, change counter and the date-span bound (store/desk_rollups.py) against brute force.

The stored events are generated (seeded): dated and undated, one-day and multi-week events,
known and unknown tolls and places, named actors and descriptions. Every figure the rollups give
is compared with one computed here in Python from the stored records, or with the desk's
filtered path over every fact, after inserts, replacements and deletions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from eventwatch import models as m
from eventwatch.store import SQLiteStore
from eventwatch.store import desk_queries as dq
from eventwatch.store.base import EventFilter
from eventwatch.store.desk_rollups import desk_state
from eventwatch.store.desk_schema import actor_slug

PLACES = [("AF", "Afghanistan", "Herat", 34.3, 62.2), ("AF", "Afghanistan", "Kabul", 34.5, 69.2),
          ("NG", "Nigeria", "Borno", 11.8, 13.2), ("ML", "Mali", "Mopti", 14.5, -4.2),
          ("SO", "Somalia", None, 2.0, 45.3), (None, None, None, None, None)]
GROUPS = ["Boko Haram", "al-Shabaab", "Islamic State Khorasan Province", None]
KINDS = [("Battles", "Armed clash"), ("Riots", "Mob violence"),
         ("Violence against civilians", "Attack")]
NOUNS = ["convoy", "market", "checkpoint", "ferry"]


def generated(n: int, rng: random.Random, *, events: int = 3, tag: str = "") -> m.DocumentResult:
    """Article ``n`` with ``events`` generated events, each sentence naming what it reports."""
    parts: list[str] = []
    size = 0

    def add(piece: str) -> m.Span:
        nonlocal size
        parts.append(piece)
        size += len(piece)
        return m.Span(size - len(piece), size, piece)

    specs = []
    for _ in range(events):
        group = rng.choice(GROUPS)
        perp = add(group or "Armed men")
        add(f" attacked a {rng.choice(NOUNS)} {tag}. ")
        start: dt.date | None = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(400))
        end = start + dt.timedelta(days=rng.choice([0, 0, 0, 2, 45])) if start else None
        if rng.random() < 0.15:
            start = end = None
        toll = None if rng.random() < 0.3 else rng.randrange(12)
        specs.append((group, perp, start, end, toll, rng.choice(PLACES), rng.choice(KINDS)))
    text = "".join(parts)
    article = m.Article(doc_id=f"gen-{n}", text=text, title=f"Generated {n}",
                      published=dt.date(2025, 6, 1), url=f"https://gen.invalid/{n}",
                      raw_hash=m.content_hash(text))
    out = []
    for i, (group, perp, start, end, toll, place, kind) in enumerate(specs):
        code, country, admin1, lat, lon = place
        location = (m.Location("town", f"Town {i}", country, code, admin1, None, lat, lon, None,
                             "point") if code else m.Location.unknown())
        out.append(m.Event(
            id="ev_" + m.content_hash(f"{article.identity}\n{i}")[:20], doc_id=article.doc_id,
            event_type=kind[0], sub_event_type=kind[1], attack_type=None,  # type: ignore[arg-type]
            date=m.DateInfo(start, end, "day" if start else "unknown"), location=location,
            perpetrators=[m.Participant(perp, "organization", group, "stated")],
            victims=[], targets=[], weapons=[],
            fatalities=m.Count(toll, toll, toll) if toll is not None else m.Count(),
            injured=m.Count(), evidence=[], confidence=0.5, trigger="attacked"))
    return m.DocumentResult(article, out)


def fill(path: Path, count: int, *, seed: int = 3, first: int = 0) -> None:
    rng = random.Random(seed)
    with SQLiteStore(path) as store:
        for n in range(first, first + count):
            store.add_document(generated(n, rng))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "gen.db"
    fill(path, 60)
    return path


def records(path: Path) -> list[dict[str, Any]]:
    with SQLiteStore(path) as store:
        return store.query_events(EventFilter(limit=None))


def stats_both(path: Path, interval: dq.Interval, top: int) -> tuple[Any, Any]:
    with SQLiteStore(path, read_only=True) as store:
        f = dq.DeskFilter()
        return (dq.stats(store.connection, f, interval=interval, top=top),
                dq.stats(store.connection, f, interval=interval, top=top, rollups=False))


def assert_rollups_match(path: Path) -> None:
    for interval in ("day", "week", "month"):
        for top in (2, 100):
            rolled, scanned = stats_both(path, interval, top)  # type: ignore[arg-type]
            assert rolled == scanned
    with SQLiteStore(path, read_only=True) as store:
        conn = store.connection
        for table in ("rollup_days", "rollup_types", "rollup_admin1", "rollup_actors"):
            empty = conn.execute(f"SELECT count(*) FROM {table} WHERE events <= 0").fetchone()
            assert empty == (0,)
    expected = expected_totals(records(path))
    rolled, _ = stats_both(path, "month", 100)
    assert rolled["totals"] == expected


def expected_totals(events: list[dict[str, Any]]) -> dict[str, int]:
    return {"events": len(events),
            "fatalities": sum(e["fatalities"]["best"] or 0 for e in events)}


def test_rolled_up_stats_equal_the_scan_of_every_event(db: Path) -> None:
    assert_rollups_match(db)
    rolled, _ = stats_both(db, "month", 100)
    # The generator leaves a few events undated: they count in the totals, not in the series.
    undated = sum(1 for e in records(db) if e["date"]["start"] is None)
    assert undated > 0
    assert sum(p["events"] for p in rolled["series"]) == rolled["totals"]["events"] - undated


def test_rollups_follow_inserts_replacements_and_deletions(db: Path) -> None:
    fill(db, 20, seed=11, first=60)  # more articles
    assert_rollups_match(db)
    rng = random.Random(5)
    with SQLiteStore(db) as store:
        for n in (3, 7, 61):  # same URL, new text: the old events are deleted, new ones added
            assert store.add_document(generated(n, rng, events=1, tag="again")) == "updated"
        # An update of an event row in place (as a correction would do), record included.
        store.connection.execute(
            "UPDATE events SET fatalities_best = 99, date_start = '2023-05-05', record = "
            "json_set(record, '$.fatalities.best', 99, '$.date.start', '2023-05-05') "
            "WHERE id = (SELECT min(id) FROM events)")
        store.connection.execute("DELETE FROM events WHERE id IN "
                                 "(SELECT id FROM events ORDER BY id DESC LIMIT 4)")
    assert_rollups_match(db)
    assert expected_totals(records(db))["fatalities"] >= 99


def test_actor_list_from_rollups_matches_the_records(db: Path) -> None:
    expected: dict[str, dict[str, Any]] = {}
    for event in records(db):
        start, end = event["date"]["start"], event["date"]["end"]
        for slug in {actor_slug(p["name"]) for p in event["perpetrators"]} - {None}:
            entry = expected.setdefault(str(slug), {"events": 0, "fatalities": 0, "first": None,
                                                    "last": None})
            entry["events"] += 1
            entry["fatalities"] += event["fatalities"]["best"] or 0
            if start is not None:
                entry["first"] = min(entry["first"] or start, start)
            if (end or start) is not None:
                entry["last"] = max(entry["last"] or "", end or start)
    with SQLiteStore(db, read_only=True) as store:
        actors, count = dq.list_actors(store.connection, name=None, limit=100, offset=0)
        named, named_count = dq.list_actors(store.connection, name="shabaab", limit=100,
                                            offset=0)
    assert count == len(expected) == 3
    assert {a["id"]: {k: a[k] for k in ("events", "fatalities", "first", "last")}
            for a in actors} == expected
    assert [a["events"] for a in actors] == sorted((a["events"] for a in actors), reverse=True)
    assert named_count == 1 and [a["id"] for a in named] == ["al-shabaab"]


def brute_dates(events: list[dict[str, Any]], since: str, until: str) -> set[str]:
    """Events whose dates overlap [since, until], by the API's documented rule."""
    out = set()
    for e in events:
        start, end = e["date"]["start"], e["date"]["end"]
        first, last = start or end, end or start
        if first is not None and last >= since and first <= until:
            out.add(e["id"])
    return out


@pytest.mark.parametrize(("since", "until"), [
    ("2024-03-01", "2024-03-31"), ("2024-02-10", "2024-02-10"), ("2023-01-01", "2024-01-20"),
    ("2025-01-20", "2030-01-01"),
])
def test_date_range_through_the_span_index_matches_brute_force(
    db: Path, since: str, until: str
) -> None:
    events = records(db)
    expected = brute_dates(events, since, until)
    f = dq.DeskFilter(since=dt.date.fromisoformat(since), until=dt.date.fromisoformat(until))
    with SQLiteStore(db, read_only=True) as store:
        conn = store.connection
        assert desk_state(conn).max_span_days == 45  # the longest generated event
        where_sql, params = dq._where_now(conn, f)
        plan = " ".join(r[3] for r in conn.execute(
            f"EXPLAIN QUERY PLAN SELECT count(*) FROM event_facts e{where_sql}", params))
        assert "facts_span" in plan
        assert dq.count_events(conn, f) == len(expected)
        page, _ = dq.events_page(conn, f, limit=1000)
    assert {e["id"] for e in page} == expected


def test_an_event_that_began_long_before_the_range_is_found(db: Path) -> None:
    result = generated(900, random.Random(2), events=1)
    event = dataclasses.replace(result.events[0], date=m.DateInfo(
        dt.date(2023, 6, 1), dt.date(2024, 3, 2), "day"))
    with SQLiteStore(db) as store:
        store.add_document(m.DocumentResult(result.article, [event]))
    f = dq.DeskFilter(since=dt.date(2024, 3, 1), until=dt.date(2024, 3, 31))
    with SQLiteStore(db, read_only=True) as store:
        assert desk_state(store.connection).max_span_days == 275
        page, _ = dq.events_page(store.connection, f, limit=1000)
        assert dq.count_events(store.connection, f) == len(page)
    assert event.id in {e["id"] for e in page}
    assert {e["id"] for e in page} == brute_dates(records(db), "2024-03-01", "2024-03-31")


def test_the_span_bound_survives_deletion_of_the_longest_events(db: Path) -> None:
    with SQLiteStore(db) as store:
        store.connection.execute("DELETE FROM events WHERE date_end > date(date_start, '+5 days')")
        assert desk_state(store.connection).max_span_days == 45  # a bound, never lowered
    events = records(db)
    assert all(e["date"]["start"] is None or (dt.date.fromisoformat(e["date"]["end"])
               - dt.date.fromisoformat(e["date"]["start"])).days <= 5 for e in events)
    f = dq.DeskFilter(since=dt.date(2024, 3, 1), until=dt.date(2024, 4, 30))
    with SQLiteStore(db, read_only=True) as store:
        assert dq.count_events(store.connection, f) == len(brute_dates(
            events, "2024-03-01", "2024-04-30"))


def all_pages(conn: Any, f: dq.DeskFilter, sort: str, matching: int | None) -> list[str]:
    ids: list[str] = []
    cursor = None
    while True:
        page, cursor = dq.events_page(conn, f, sort=sort, limit=7, cursor=cursor,
                                      matching=matching)
        ids += [e["id"] for e in page]
        if cursor is None:
            return ids


@pytest.mark.parametrize("sort", list(dq.SORTS))
@pytest.mark.parametrize("f", [dq.DeskFilter(min_fatalities=0), dq.DeskFilter(text="convoy"),
                               dq.DeskFilter(country="AF", event_type="Battles"),
                               dq.DeskFilter(bbox=(-10, 0, 50, 20))])
def test_walking_the_sort_index_gives_the_same_pages(db: Path, sort: str,
                                                     f: dq.DeskFilter) -> None:
    with SQLiteStore(db, read_only=True) as store:
        conn = store.connection
        count = dq.count_events(conn, f)
        walked = all_pages(conn, f, sort, matching=10**9)  # claims every event matches: walk
        sorted_ = all_pages(conn, f, sort, matching=1)  # claims one matches: filter and sort
        planned = all_pages(conn, f, sort, matching=None)  # SQLite's choice
        where_sql, params = dq.where(f)
        plan = " ".join(r[3] for r in conn.execute(
            f"EXPLAIN QUERY PLAN SELECT e.id FROM event_facts e INDEXED BY "
            f"{dq.SORT_INDEXES[sort]}{where_sql} {dq._order(sort)}", params))
    assert "TEMP B-TREE" not in plan  # the index gives the order: nothing to sort
    assert walked == sorted_ == planned and len(walked) == count > 0
    assert len(set(walked)) == count


def test_a_broad_text_search_counts_up_to_the_cap(db: Path) -> None:
    with SQLiteStore(db, read_only=True) as store:
        conn = store.connection
        f = dq.DeskFilter(text="convoy")
        exact = dq.count_events(conn, f)
        assert exact > 5
        assert dq.count_bounded(conn, f, cap=5) == (5, False)
        assert dq.count_bounded(conn, f, cap=exact) == (exact, True)
        assert dq.count_bounded(conn, f) == (exact, True)
        # Only text searches are capped: other filters count exactly whatever the cap.
        assert dq.count_bounded(conn, dq.DeskFilter(), cap=5) == (dq.count_events(
            conn, dq.DeskFilter()), True)


def test_the_generation_moves_on_every_write_and_only_then(db: Path, tmp_path: Path) -> None:
    with SQLiteStore(db, read_only=True) as store:
        before = desk_state(store.connection)
    with SQLiteStore(db, read_only=True) as store:
        assert desk_state(store.connection) == before
    with SQLiteStore(db) as store:
        store.add_document(generated(500, random.Random(1)))
        added = desk_state(store.connection)
        store.connection.execute("UPDATE event_actors SET text = 'renamed' WHERE rowid = 1")
        renamed = desk_state(store.connection)
        store.connection.execute("UPDATE articles SET title = 'x' WHERE rowid = 1")
        retitled = desk_state(store.connection)
    assert before.generation < added.generation < renamed.generation < retitled.generation
    assert before.token == retitled.token
    other = tmp_path / "other.db"
    fill(other, 1)
    with SQLiteStore(other, read_only=True) as store:
        assert desk_state(store.connection).token != before.token


def test_counts_by_type_and_admin1_match_the_records(db: Path) -> None:
    events = records(db)
    rolled, _ = stats_both(db, "month", 100)
    types = Counter(e["event_type"] for e in events)
    assert {r["event_type"]: r["events"] for r in rolled["by_type"]} == types
    admin1 = Counter((e["location"]["country_code"], e["location"]["admin1"]) for e in events
                     if e["location"]["admin1"])
    assert {(r["country_code"], r["admin1"]): r["events"] for r in rolled["by_admin1"]} == admin1
