"""The desk's answer cache (store/desk_cache.py): answers kept per data state, never stale."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest

from eventwatch.store import SQLiteStore
from eventwatch.store import desk_queries as dq
from eventwatch.store.desk_cache import CachedDesk, ResultCache
from test_desk_rollups import fill, generated


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "gen.db"
    fill(path, 60)
    return path


ALL = dq.DeskFilter()
NIGERIA = dq.DeskFilter(country="NG")


def test_a_repeated_question_is_answered_from_the_cache(db: Path) -> None:
    desk = CachedDesk()
    with SQLiteStore(db, read_only=True) as store:
        first = desk.stats(store.connection, NIGERIA, interval="week", top=5)
        again = desk.stats(store.connection, NIGERIA, interval="week", top=5)
        other = desk.stats(store.connection, NIGERIA, interval="month", top=5)
        fresh = dq.stats(store.connection, NIGERIA, interval="month", top=5)
    assert again is first  # the very object kept, not recomputed
    assert (desk.cache.hits, desk.cache.misses) == (1, 2)
    assert other == fresh and other["interval"] == "month"


def test_a_write_from_another_connection_invalidates_every_answer(db: Path) -> None:
    desk = CachedDesk()
    queries = {
        "stats": lambda c: desk.stats(c, ALL, interval="month", top=10),
        "filtered": lambda c: desk.stats(c, NIGERIA, interval="day", top=3),
        "count": lambda c: desk.count(c, dq.DeskFilter(text="convoy")),
        "actors": lambda c: desk.actors(c, name=None, limit=10, offset=0),
        "actor": lambda c: desk.actor(c, "boko-haram", top=5),
    }
    with SQLiteStore(db, read_only=True) as store:
        before = {name: q(store.connection) for name, q in queries.items()}
    fill(db, 15, seed=21, first=100)  # another writer: new articles and events
    with SQLiteStore(db, read_only=True) as store:
        conn = store.connection
        after = {name: q(conn) for name, q in queries.items()}
        uncached = {
            "stats": dq.stats(conn, ALL, interval="month", top=10),
            "filtered": dq.stats(conn, NIGERIA, interval="day", top=3),
            "count": dq.count_bounded(conn, dq.DeskFilter(text="convoy")),
            "actors": dq.list_actors(conn, name=None, limit=10, offset=0),
            "actor": dq.actor(conn, "boko-haram", top=5),
        }
    assert after == uncached
    for name in queries:  # each answer changed with the data (and so was not served stale)
        assert after[name] != before[name], name
    assert desk.cache.hits == 0


def test_the_cache_keeps_at_most_its_size(db: Path) -> None:
    cache = ResultCache(entries=3)
    with SQLiteStore(db, read_only=True) as store:
        for n in range(5):
            assert cache.get(store.connection, n, lambda n=n: n * n) == n * n  # type: ignore[misc]
        assert len(cache._data) == 3
        cache.get(store.connection, 4, lambda: -1)  # still kept
        cache.get(store.connection, 0, lambda: -1)  # evicted: computed again
    assert (cache.hits, cache.misses) == (1, 6)


def test_threads_share_one_cache(db: Path) -> None:
    desk = CachedDesk()
    results: list[object] = []

    def ask() -> None:
        with SQLiteStore(db, read_only=True) as store:
            for _ in range(20):
                results.append(desk.stats(store.connection, ALL, interval="week", top=3))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with SQLiteStore(db, read_only=True) as store:
        expected = dq.stats(store.connection, ALL, interval="week", top=3)
    assert len(results) == 80 and all(r == expected for r in results)
    assert desk.cache.hits >= 76


def test_an_update_in_place_is_seen(db: Path) -> None:
    desk = CachedDesk()
    with SQLiteStore(db, read_only=True) as store:
        before = desk.stats(store.connection, ALL, interval="month", top=3)["totals"]
    with SQLiteStore(db) as store:
        store.add_document(generated(3, random.Random(8), events=1, tag="fixed"))
    with SQLiteStore(db, read_only=True) as store:
        after = desk.stats(store.connection, ALL, interval="month", top=3)["totals"]
    assert after["events"] == before["events"] - 2  # three events replaced by one
