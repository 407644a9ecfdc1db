"""Merged events in the SQLite store: merging on ingest, audit trail, stable ids, analyst
decisions that survive re-ingestion and re-extraction."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import merge_records
from eventwatch.errors import StoreError
from eventwatch.merging import report_from_record
from eventwatch.models import DateInfo, DocumentResult
from eventwatch.store.merged import MergedEvents, candidates
from eventwatch.store.sqlite import SQLiteStore


def _ingest(db: Path) -> tuple[SQLiteStore, MergedEvents]:
    store = SQLiteStore(db)
    for result in merge_records.guzara_reports():
        assert store.add_document(result) == "added"
    return store, MergedEvents(store)


def _ids() -> list[str]:
    return [r.events[0].id for r in merge_records.guzara_reports()]


def test_reports_of_one_incident_become_one_event(tmp_path: Path) -> None:
    store, merged = _ingest(tmp_path / "m.db")
    a, b, c, later = _ids()
    with store:
        assignment = merged.assignments()
        assert assignment[a] == assignment[b] == assignment[c] != assignment[later]
        assert merged.count() == 2
        event = merged.get(assignment[a])
        assert event is not None and event["id"] == assignment[a]
        assert [s["report_id"] for s in event["sources"]] == [a, b, c]
        assert [s["event"]["fatalities"]["best"] for s in event["sources"]] == [6, 7, 9]
        assert (event["fatalities"]["low"], event["fatalities"]["best"]) == (6, 9)
        # The attackers one outlet counts apart stay apart from the toll, traced to that report.
        assert event["perpetrator_deaths"]["best"] == 2
        assert event["perpetrator_deaths"]["text"] == "2 attackers were killed"
        assert event["merge"]["value_sources"]["perpetrator_deaths"] == b
        stored = store.get_event(b)
        assert stored is not None and stored["perpetrator_deaths"]["best"] == 2
        assert event["perpetrators"][0]["attribution"] == "claimed"
        links = event["merge"]["links"]
        assert links[0]["reason"].startswith("new event")
        assert all(link["reason"].startswith("joined") for link in links[1:])
        assert all(link["candidates"][0]["event"] == event["id"] for link in links[1:])
        assert merged.get(b) == event  # a report id finds its merged event
        assert store.get_event(a) is not None  # the per-article report is unchanged
        assert store.count_events() == 4


def test_ids_are_stable_across_fresh_runs(tmp_path: Path) -> None:
    first, m1 = _ingest(tmp_path / "one.db")
    second, m2 = _ingest(tmp_path / "two.db")
    with first, second:
        assert m1.assignments() == m2.assignments()
        assert all(v.startswith("me_") for v in m1.assignments().values())


def test_reingesting_changes_nothing_and_an_update_keeps_the_id(tmp_path: Path) -> None:
    store, merged = _ingest(tmp_path / "m.db")
    with store:
        before = merged.assignments()
        for result in merge_records.guzara_reports():
            assert store.add_document(result) == "unchanged"
        assert merged.assignments() == before
        # The first outlet corrects its article (same URL, new text): new report id, same event.
        fixed = merge_records.report("out-a", published="2025-03-14", day="2025-03-14",
                                     place="Guzara", killed=6, perpetrator="Islamic State",
                                     attribution="suspected", extra=" Updated.")
        assert store.add_document(fixed) == "updated"
        after = merged.assignments()
        old_a = _ids()[0]
        assert old_a not in after
        assert after[fixed.events[0].id] == before[old_a]
        event = merged.get(before[old_a])
        assert event is not None and len(event["sources"]) == 3


def test_a_split_survives_reextraction(tmp_path: Path) -> None:
    store, merged = _ingest(tmp_path / "m.db")
    b = _ids()[1]
    with store:
        old = merged.assignments()[b]
        new = merged.split(b, note="another mosque")
        assert new != old and merged.assignments()[b] == new
        assert len(merged.get(old)["sources"]) == 2  # type: ignore[index]
        decisions = merged.get(new)["merge"]["decisions"]  # type: ignore[index]
        assert decisions[0]["kind"] == "split" and decisions[0]["note"] == "another mosque"
        # Re-extraction (new text at the same URL) gives a new report id; the split holds.
        redone = merge_records.report("out-b", published="2025-03-15", day="2025-03-14",
                                      place="Herat", killed=7, extra=" Re-extracted.",
                                      words="a Shia mosque during Friday prayers")
        assert store.add_document(redone) == "updated"
        assert merged.assignments()[redone.events[0].id] == new
        assert "analyst decision" in merged.get(new)["merge"]["links"][0]["reason"]  # type: ignore[index]
        with pytest.raises(KeyError, match="no stored report"):
            merged.split("ev_nope")


def test_a_merge_survives_reingestion_and_old_ids_resolve(tmp_path: Path) -> None:
    store, merged = _ingest(tmp_path / "m.db")
    a, _, _, later = _ids()
    with store:
        keep, other = merged.assignments()[a], merged.assignments()[later]
        assert merged.merge(keep, other, note="same incident, misdated") == keep
        assert merged.get(other)["id"] == keep  # type: ignore[index]
        assert merged.count() == 1
        assert len(merged.get(keep)["sources"]) == 4  # type: ignore[index]
        updated = merge_records.report("out-d", published="2025-03-26", day="2025-03-25",
                                       place="Guzara", killed=3, extra=" Toll revised.",
                                       words="a police vehicle on the airport road")
        assert store.add_document(updated) == "updated"
        assert merged.assignments()[updated.events[0].id] == keep
        with pytest.raises(ValueError, match="same event"):
            merged.merge(keep, other)
        with pytest.raises(KeyError, match="no merged event"):
            merged.merge(keep, "me_nope")


def test_candidates_come_from_the_date_and_place_index(tmp_path: Path) -> None:
    store, merged = _ingest(tmp_path / "m.db")
    with store:
        first = merge_records.guzara_reports()[0]
        probe = report_from_record(first.events[0].to_dict(), key="probe", article_id="probe",
                                   published=first.article.published)
        found = candidates(store._conn, probe)
        assigned = merged.assignments()
        assert found == [assigned[_ids()[0]]]  # the event 11 days later is not even looked at
        far = report_from_record(
            merge_records.report("far", published="2025-09-01", day="2025-09-01", place="Maru",
                                 killed=1).events[0].to_dict(),
            key="far", article_id="far", published=None)
        assert candidates(store._conn, far) == []


def test_decisions_need_a_writable_database(tmp_path: Path) -> None:
    store, _ = _ingest(tmp_path / "m.db")
    store.close()
    with SQLiteStore(tmp_path / "m.db", read_only=True) as reader:
        with pytest.raises(StoreError, match="read-only"):
            MergedEvents(reader).split(_ids()[0])
        assert MergedEvents(reader).count() == 2


def test_an_article_telling_one_incident_twice_joins_one_event(tmp_path: Path) -> None:
    """The headline's city and the body's district: two reports of one article, one incident,
    and a later outlet naming the city finds the event through the city report."""
    first = merge_records.guzara_reports()[0]
    district = first.events[0]
    city = dataclasses.replace(
        district, id=district.id + "c",
        location=dataclasses.replace(district.location, text="Herat", name="Herat",
                                     admin2="Herat", lat=34.35, lon=62.2),
        date=DateInfo.unknown())
    told_twice = DocumentResult(first.article, [district, city])
    later = merge_records.guzara_reports()[1]
    with SQLiteStore(tmp_path / "m.db") as store:
        store.add_document(told_twice)
        merged = MergedEvents(store)
        assignment = merged.assignments()
        assert assignment[district.id] == assignment[city.id]
        event = merged.get(city.id)
        assert event is not None
        reasons = [link["reason"] for link in event["merge"]["links"]]
        assert any("of the same article" in r and "km apart" in r for r in reasons)
        store.add_document(later)
        assert merged.assignments()[later.events[0].id] == assignment[district.id]
