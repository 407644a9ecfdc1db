"""The SQLite store: round trips, idempotence, atomic updates, filters, migrations and WAL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sqlite3
import subprocess
import sys
import threading
import time
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

import records
from eventwatch import registry
from eventwatch.errors import StoreError
from eventwatch.models import DocumentResult
from eventwatch.store import EventFilter, SQLiteStore, Store, open_store
from eventwatch.store.sqlite import MIGRATIONS

SRC = Path(__file__).resolve().parent.parent / "src"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "events.db"


@pytest.fixture
def store(db: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(db) as s:
        for result in records.all_samples():
            assert s.add_document(result) == "added"
        yield s


def ids(events: list[dict[str, object]]) -> set[object]:
    return {e["id"] for e in events}


# -- round trip and idempotence ---------------------------------------------------------------


def test_stored_event_is_to_dict_plus_source(store: SQLiteStore) -> None:
    for result in records.all_samples():
        for expected in records.stored_form(result):
            assert store.get_event(str(expected["id"])) == expected
    everything = store.query_events(EventFilter(limit=None))
    expected_all = [e for r in records.all_samples() for e in records.stored_form(r)]
    assert sorted(everything, key=lambda e: str(e["id"])) == sorted(
        expected_all, key=lambda e: str(e["id"]))
    assert store.count_events() == 5
    assert store.count_articles() == 3


def test_get_article_has_text_metadata_and_events(store: SQLiteStore) -> None:
    result = records.afghanistan()
    article = store.get_article(result.article.identity)
    assert article is not None
    assert article["text"] == records.AF_TEXT
    assert article["url"] == records.AF_URL
    assert article["title"] == "ISIS-K kills 14 in Daikundi"
    assert article["published"] == "2024-11-10"
    assert article["captions"] == ["Mourners in Nili, Daikundi province."]
    assert article["content_hash"] == result.article.content_hash
    assert article["language"] == "en" and article["source_format"] == "html"
    assert article["superseded_by"] is None
    assert article["events"] == [e.to_dict() for e in result.events]
    for event in article["events"]:  # spans still point into the stored text
        for span in event["evidence"]:
            assert article["text"][span["start"]:span["end"]] == span["text"]
    assert store.get_article("no-such-article") is None
    assert store.get_event("ev_missing") is None


def test_adding_the_same_document_again_is_unchanged(store: SQLiteStore, db: Path) -> None:
    before = store.get_article(records.afghanistan().article.identity)
    for result in records.all_samples():
        assert store.add_document(result) == "unchanged"
    assert store.count_events() == 5
    assert store.count_articles() == 3
    assert store.get_article(records.afghanistan().article.identity) == before


# -- updates and atomicity --------------------------------------------------------------------


def test_new_content_at_the_same_url_replaces_the_events(store: SQLiteStore) -> None:
    old = records.afghanistan()
    new = records.afghanistan(records.AF_TEXT + " The toll later rose to 16.")
    assert ids(records.stored_form(new)).isdisjoint(ids(records.stored_form(old)))
    assert store.add_document(new) == "updated"
    for event in old.events:
        assert store.get_event(event.id) is None
    assert [store.get_event(e.id) for e in new.events] == records.stored_form(new)
    assert store.count_events() == 5
    assert store.count_articles() == 3  # the old version stays, marked superseded, uncounted
    old_row = store.get_article(old.article.identity)
    assert old_row is not None
    assert old_row["superseded_by"] == new.article.identity
    assert old_row["events"] == []
    assert store.add_document(new) == "unchanged"


def test_new_content_at_the_same_path_replaces_the_events(store: SQLiteStore) -> None:
    new = records.nigeria(records.NG_TEXT.replace("Tuesday", "Wednesday"))
    assert store.add_document(new) == "updated"
    borno = store.query_events(EventFilter(admin1="Borno"))
    assert ids(borno) == {new.events[0].id}


def test_earlier_content_coming_back_becomes_current_again(store: SQLiteStore) -> None:
    v1 = records.afghanistan()
    v2 = records.afghanistan(records.AF_TEXT + " Correction: the attack was on September 11.")
    assert store.add_document(v2) == "updated"
    assert store.add_document(v1) == "updated"
    assert ids(store.query_events(EventFilter(country="AF"))) == {e.id for e in v1.events}
    v1_row, v2_row = (store.get_article(r.article.identity) for r in (v1, v2))
    assert v1_row is not None and v2_row is not None
    assert v1_row["superseded_by"] is None
    assert v2_row["superseded_by"] == v1.article.identity


def test_articles_without_url_or_path_never_replace_each_other(store: SQLiteStore) -> None:
    first = records.afghanistan(url=None)
    second = records.afghanistan(records.AF_TEXT + " More to follow.", url=None)
    assert store.add_document(first) == "added"
    assert store.add_document(second) == "added"
    assert store.count_events() == 5 + 4


def _with_duplicate_ids(result: DocumentResult) -> DocumentResult:
    first, second = result.events
    return dataclasses.replace(result, events=[first, dataclasses.replace(second, id=first.id)])


def test_a_failed_add_writes_nothing(db: Path) -> None:
    with SQLiteStore(db) as s:
        with pytest.raises(StoreError, match="appears twice"):
            s.add_document(_with_duplicate_ids(records.afghanistan()))
        assert s.count_articles() == 0
        assert s.count_events() == 0
        assert s.query_events(EventFilter(actor="ISIS-K")) == []
        # The store is still usable, and the same document goes in once it is fixed.
        assert s.add_document(records.afghanistan()) == "added"
        assert s.count_events() == 2


def test_a_batch_keeps_each_article_atomic_and_commits_in_groups(db: Path) -> None:
    first, second, third = records.all_samples()
    with SQLiteStore(db) as s, SQLiteStore(db, read_only=True) as reader:
        with s.batch(max_articles=2, max_seconds=3600):
            assert s.add_document(first) == "added"
            # A failing article inside a batch takes nothing with it, neither its own rows
            # nor the articles before it.
            with pytest.raises(StoreError, match="appears twice"):
                s.add_document(_with_duplicate_ids(records.afghanistan(url=None)))
            assert s.add_document(second) == "added"
            assert reader.count_articles() == 0  # nothing committed yet: a group is 2 articles
            assert s.add_document(third) == "added"  # the group of two commits first
            assert reader.count_articles() == 2
        assert reader.count_articles() == 3  # leaving the block commits the rest
        assert s.count_events() == 5


def test_an_error_leaving_a_batch_rolls_back_only_the_open_group(db: Path) -> None:
    first, second, third = records.all_samples()
    with SQLiteStore(db) as s:
        with pytest.raises(KeyboardInterrupt), s.batch(max_articles=2, max_seconds=3600):
            s.add_document(first)
            s.add_document(second)
            s.add_document(third)  # commits the first two, opens a new group
            raise KeyboardInterrupt
        assert s.count_articles() == 2
        assert s.has_article(first.article.identity) and s.has_article(second.article.identity)
        assert not s.has_article(third.article.identity)
        # The store is usable afterwards, one transaction per article again.
        assert s.add_document(third) == "added"
        assert s.count_events() == 5


def test_a_failed_update_leaves_the_previous_version(store: SQLiteStore) -> None:
    old = records.afghanistan()
    broken = _with_duplicate_ids(records.afghanistan(records.AF_TEXT + " Updated."))
    with pytest.raises(StoreError):
        store.add_document(broken)
    assert [store.get_event(e.id) for e in old.events] == records.stored_form(old)
    row = store.get_article(old.article.identity)
    assert row is not None and row["superseded_by"] is None
    assert store.get_article(broken.article.identity) is None
    assert store.count_articles() == 3
    assert store.count_events() == 5


def test_an_event_id_owned_by_another_article_is_refused(store: SQLiteStore) -> None:
    stolen = records.ivory_coast()
    stolen.article.url = "https://example.ci/autre-emeute"
    stolen.events[0].id = records.afghanistan().events[0].id
    with pytest.raises(StoreError, match="stored already"):
        store.add_document(stolen)
    assert store.count_events() == 5


# -- filters ----------------------------------------------------------------------------------

AF_ATTACK, AF_BOMBING = (e.id for e in records.afghanistan().events)
NG_CLASH = records.nigeria().events[0].id
CI_RIOT, CI_LOOTING = (e.id for e in records.ivory_coast().events)


@pytest.mark.parametrize(("f", "expected"), [
    (EventFilter(country="af"), {AF_ATTACK, AF_BOMBING}),
    (EventFilter(country="NG"), {NG_CLASH}),
    (EventFilter(country="Afghanistan"), {AF_ATTACK, AF_BOMBING}),
    (EventFilter(country="  nigeria "), {NG_CLASH}),
    (EventFilter(country="CÔTE D'IVOIRE"), {CI_RIOT}),
    (EventFilter(country="cote d'ivoire"), {CI_RIOT}),
    (EventFilter(country="Afghan"), set()),  # names match whole, not as substrings
    (EventFilter(admin1="kabul"), {AF_BOMBING}),
    (EventFilter(admin1="BORNO"), {NG_CLASH}),
    (EventFilter(actor="Khorasan"), {AF_ATTACK}),  # canonical name
    (EventFilter(actor="isis-k"), {AF_ATTACK}),  # the mention as written
    (EventFilter(actor="ISWAP"), {NG_CLASH}),  # second perpetrator
    (EventFilter(actor="lidda'awati"), {NG_CLASH}),
    (EventFilter(actor="rioter"), {CI_RIOT}),  # no canonical name, text only
    (EventFilter(actor="Taliban"), set()),
    (EventFilter(event_type="Riots"), {CI_RIOT, CI_LOOTING}),
    (EventFilter(event_type="battles"), {NG_CLASH}),
    (EventFilter(country="AF", event_type="Battles"), set()),
    (EventFilter(country="AF", actor="ISIS"), {AF_ATTACK}),
])
def test_filters(store: SQLiteStore, f: EventFilter, expected: set[str]) -> None:
    assert ids(store.query_events(f)) == expected
    assert store.count_events(f) == len(expected)


D = dt.date


@pytest.mark.parametrize(("since", "until", "expected"), [
    (None, None, {AF_ATTACK, AF_BOMBING, NG_CLASH, CI_RIOT, CI_LOOTING}),
    # The bombing is dated "January" (2024-01-01..31): any overlap counts.
    (D(2024, 1, 31), None, {AF_ATTACK, AF_BOMBING, NG_CLASH}),
    (None, D(2024, 1, 1), {AF_BOMBING}),
    (D(2024, 1, 15), D(2024, 1, 15), {AF_BOMBING}),
    (D(2024, 2, 1), None, {AF_ATTACK, NG_CLASH}),
    # The clash is dated "last week" (2024-03-04..10).
    (D(2024, 3, 10), D(2024, 3, 10), {NG_CLASH}),
    (D(2024, 3, 11), D(2024, 9, 11), set()),
    (D(2024, 9, 12), D(2024, 9, 12), {AF_ATTACK}),
    (D(2024, 9, 13), None, set()),
    (None, D(2023, 12, 31), set()),
])
def test_date_overlap_and_unknown_dates(
    store: SQLiteStore, since: dt.date | None, until: dt.date | None, expected: set[str]
) -> None:
    assert ids(store.query_events(EventFilter(since=since, until=until))) == expected


def test_pages_are_newest_first_and_stable(store: SQLiteStore) -> None:
    everything = [e["id"] for e in store.query_events(EventFilter())]
    # Known dates newest first, then the events of unknown date.
    assert everything[:3] == [AF_ATTACK, NG_CLASH, AF_BOMBING]
    assert set(everything[3:]) == {CI_RIOT, CI_LOOTING}
    pages = [store.query_events(EventFilter(limit=2, offset=o)) for o in (0, 2, 4, 6)]
    assert [e["id"] for page in pages for e in page] == everything
    assert [len(p) for p in pages] == [2, 2, 1, 0]
    assert store.count_events(EventFilter(limit=1)) == 5  # counts ignore the page


def test_iter_events_streams(store: SQLiteStore) -> None:
    stream = store.iter_events(EventFilter(limit=None))
    assert isinstance(stream, types.GeneratorType)
    assert next(stream)["id"] == AF_ATTACK
    stream.close()  # abandoning a stream early is fine
    assert [e["id"] for e in store.iter_events(EventFilter(limit=None))] == [
        e["id"] for e in store.query_events(EventFilter(limit=1000))]


def test_filter_rejects_negative_pages() -> None:
    with pytest.raises(ValueError, match="limit"):
        EventFilter(limit=-1)
    with pytest.raises(ValueError, match="offset"):
        EventFilter(offset=-5)


def test_filter_values_are_bound_not_inlined(store: SQLiteStore) -> None:
    hostile = "x' OR 1=1; DROP TABLE events; --"
    for f in (EventFilter(country=hostile), EventFilter(actor=hostile),
              EventFilter(admin1=hostile), EventFilter(event_type=hostile)):
        assert store.query_events(f) == []
    assert store.count_events() == 5


# -- opening, migrations ----------------------------------------------------------------------


def test_open_creates_parent_directories_and_uses_wal(db: Path) -> None:
    assert not db.parent.exists()
    with open_store(str(db)) as s:
        assert isinstance(s, Store)
    assert db.exists()
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_migrations_are_recorded(db: Path) -> None:
    with SQLiteStore(db) as s:
        applied = s.migrations()
    names = [name for name, _ in applied]
    assert names == list(MIGRATIONS) == [
        "m0001_initial", "m0002_ingest", "m0003_merged_events", "m0004_desk",
        "m0005_desk_rollups"]
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT name, applied_at FROM _migrations").fetchall()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()
    assert rows == applied
    dt.datetime.fromisoformat(rows[0][1])
    assert {"_migrations", "articles", "events", "event_actors", "feeds", "feed_items"} <= tables
    with SQLiteStore(db) as s:  # opening again applies nothing twice
        assert s.migrations() == applied


def test_a_database_from_a_newer_version_is_refused(db: Path) -> None:
    SQLiteStore(db).close()
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("INSERT INTO _migrations VALUES ('m0099_from_the_future', '2031-01-01')")
    conn.close()
    with pytest.raises(StoreError, match=r"newer eventwatch.*m0099_from_the_future.*upgrade"):
        SQLiteStore(db)
    with pytest.raises(StoreError, match="m0099_from_the_future"):
        SQLiteStore(db, read_only=True)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("this is not sqlite\n" * 100)
    with pytest.raises(StoreError, match="not an eventwatch database"):
        SQLiteStore(path)


def test_read_only_store_needs_an_existing_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open"):
        SQLiteStore(tmp_path / "missing.db", read_only=True)
    assert not (tmp_path / "missing.db").exists()


def test_read_only_store_cannot_write(store: SQLiteStore, db: Path) -> None:
    with SQLiteStore(db, read_only=True) as reader:
        assert reader.count_events() == 5
        with pytest.raises(StoreError):
            reader.add_document(records.afghanistan(records.AF_TEXT + " x"))
    assert store.count_articles() == 3


def test_server_urls_are_refused_without_echoing_credentials() -> None:
    with pytest.raises(StoreError) as info:
        open_store("postgresql://admin:hunter2@db.example.org/events")
    assert "hunter2" not in str(info.value)


def test_sqlite_store_is_registered() -> None:
    assert registry.get("stores", "eventwatch.store.sqlite.v1") is registry.get("stores", "sqlite")
    assert "eventwatch.store.sqlite.v1" in registry.names("stores")


# -- concurrency (WAL) ------------------------------------------------------------------------


def _hold_write_transaction(db: Path) -> sqlite3.Connection:
    """Another writer, mid-transaction: it has deleted every event but not committed.

    EXCLUSIVE locks out readers in rollback-journal mode; in WAL mode readers carry on.
    """
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")
    writer.execute("DELETE FROM event_actors")
    writer.execute("DELETE FROM events")
    return writer


def test_a_reader_thread_sees_committed_data_while_a_writer_holds_a_transaction(
    store: SQLiteStore, db: Path
) -> None:
    writer = _hold_write_transaction(db)
    seen: list[object] = []

    def read() -> None:
        try:
            with SQLiteStore(db) as reader:
                seen.append(reader.count_events())
                seen.append(len(reader.query_events(EventFilter(country="AF"))))
        except Exception as exc:  # reported below
            seen.append(exc)

    try:
        started = time.monotonic()
        thread = threading.Thread(target=read)
        thread.start()
        thread.join(10)
        # Far below the 5 s busy timeout: the reader never waited for the writer.
        assert time.monotonic() - started < 2
        assert seen == [5, 2]
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert store.count_events() == 0  # the committed state is visible afterwards


def test_a_reader_process_sees_committed_data_while_a_writer_holds_a_transaction(
    store: SQLiteStore, db: Path
) -> None:
    writer = _hold_write_transaction(db)
    code = (
        "import sys, time\n"
        "from eventwatch.store import SQLiteStore\n"
        "t = time.monotonic()\n"
        "with SQLiteStore(sys.argv[1], read_only=True) as s:\n"
        "    print(s.count_events(), s.count_articles(), round(time.monotonic() - t, 3))\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]))
    try:
        done = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True,
                              text=True, timeout=60, env=env, check=False)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert done.returncode == 0, done.stderr
    events, articles, seconds = done.stdout.split()
    assert (events, articles) == ("5", "3")
    assert float(seconds) < 2
