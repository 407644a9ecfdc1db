"""Exports: CSV with ACLED columns, JSONL, GeoJSON and Parquet, streamed from the store."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import merge_records
import records
from conftest import CliResult
from eventwatch import registry
from eventwatch.export import (
    CSV_COLUMNS,
    event_columns,
    export_events,
    guard_formula,
    write_csv,
)
from eventwatch.models import (
    Article,
    Count,
    DateInfo,
    DocumentResult,
    Event,
    Location,
    Participant,
)
from eventwatch.store import EventFilter, SQLiteStore

HEADER = [
    "event_id_cnty", "event_date", "year", "time_precision", "date_precision", "event_type",
    "sub_event_type", "attack_type", "actor1", "assoc_actor_1", "attribution", "victims",
    "targets", "weapons", "country", "iso", "admin1", "admin2", "location", "latitude",
    "longitude", "geo_precision", "where_prec", "fatalities", "fatalities_low", "fatalities_high",
    "injured", "perpetrator_deaths", "notes", "source", "source_url", "doc_id", "confidence",
]
AF_ATTACK, AF_BOMBING = (e.id for e in records.afghanistan().events)
NG_CLASH = records.nigeria().events[0].id
CI_RIOT, CI_LOOTING = (e.id for e in records.ivory_coast().events)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(tmp_path / "events.db") as s:
        for result in records.all_samples():
            s.add_document(result)
        yield s


def everything(store: SQLiteStore) -> list[dict[str, Any]]:
    return store.query_events(EventFilter(limit=None))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# -- CSV --------------------------------------------------------------------------------------


def test_csv_header_is_exact(store: SQLiteStore, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    assert export_events(store, "csv", str(out)) == 5
    with out.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == HEADER
    assert list(CSV_COLUMNS) == HEADER


def test_csv_rows_follow_acled_conventions(store: SQLiteStore, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    export_events(store, "csv", str(out))
    rows = {r["event_id_cnty"]: r for r in read_csv(out)}
    assert list(rows) == [e["id"] for e in everything(store)]  # newest first, like the store

    attack = rows[AF_ATTACK]
    assert attack["event_date"] == "2024-09-12" and attack["year"] == "2024"
    assert attack["time_precision"] == "1" and attack["date_precision"] == "day"
    assert attack["event_type"] == "Violence against civilians"
    assert attack["sub_event_type"] == "Attack" and attack["attack_type"] == "Armed Assault"
    assert attack["actor1"] == "Islamic State Khorasan Province"
    assert attack["assoc_actor_1"] == "" and attack["attribution"] == "stated"
    assert attack["victims"] == "14 civilians"
    assert (attack["country"], attack["iso"], attack["admin1"]) == ("Afghanistan", "AF",
                                                                    "Daykundi")
    assert (attack["latitude"], attack["longitude"]) == ("33.72178", "66.13023")
    assert (attack["geo_precision"], attack["where_prec"]) == ("3", "4")  # admin1
    assert (attack["fatalities"], attack["fatalities_low"], attack["fatalities_high"]) == (
        "14", "14", "14")
    assert attack["injured"] == ""
    assert attack["notes"].startswith("KABUL, Nov 10 — ISIS-K gunmen killed 14 civilians")
    assert attack["source"] == "ISIS-K kills 14 in Daikundi"
    assert attack["source_url"] == records.AF_URL
    assert attack["doc_id"] == "af-001" and attack["confidence"] == "0.9"

    clash = rows[NG_CLASH]
    assert clash["time_precision"] == "2" and clash["date_precision"] == "week"
    assert clash["actor1"] == "Jama'atu Ahlis Sunna Lidda'awati wal-Jihad"
    assert clash["assoc_actor_1"] == "Islamic State West Africa Province"
    assert (clash["geo_precision"], clash["where_prec"]) == ("1", "1")  # a town
    assert (clash["fatalities_low"], clash["fatalities"], clash["fatalities_high"]) == (
        "30", "30", "45")
    assert clash["source"] == records.NG_PATH and clash["source_url"] == ""  # no title, no url

    bombing = rows[AF_BOMBING]
    assert bombing["time_precision"] == "3" and bombing["event_date"] == "2024-01-01"
    assert bombing["actor1"] == "" and bombing["attribution"] == ""
    assert bombing["targets"] == "a minibus" and bombing["weapons"] == "suicide bomber"
    assert bombing["injured"] == "20"

    riot = rows[CI_RIOT]  # a day without a year: no date, time precision 3
    assert (riot["event_date"], riot["year"], riot["time_precision"]) == ("", "", "3")
    assert riot["actor1"] == "Rioters"  # no canonical name: the text as written
    assert (riot["geo_precision"], riot["where_prec"]) == ("3", "6")  # country
    assert riot["longitude"] == "-5.5471"  # numbers are never formula-guarded

    looting = rows[CI_LOOTING]
    assert looting["geo_precision"] == "" and looting["where_prec"] == ""
    assert looting["latitude"] == "" and looting["country"] == ""


def test_unknown_fatalities_are_empty_never_zero(store: SQLiteStore, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    export_events(store, "csv", str(out))
    rows = {r["event_id_cnty"]: r for r in read_csv(out)}
    for event_id in (AF_BOMBING, CI_RIOT, CI_LOOTING):
        row = rows[event_id]
        assert row["fatalities"] == row["fatalities_low"] == row["fatalities_high"] == ""
    assert "0" not in {r["fatalities"] for r in rows.values()}


def hostile_document() -> DocumentResult:
    """Article text and metadata that a spreadsheet would run as formulas."""
    text = ('=HYPERLINK("http://evil.example/x","click") said -2+3 gunmen '
            "@attackers killed 3 people in Kano.")
    article = Article(doc_id="+cmd|' /C calc'!A0", text=text, title="=1+1",
                      url="https://evil.example/=page", published=dt.date(2024, 5, 2))
    event = Event(
        id="ev_hostile", doc_id=article.doc_id, event_type="Violence against civilians",
        sub_event_type="Attack", attack_type="Armed Assault",
        date=DateInfo(dt.date(2024, 5, 1), dt.date(2024, 5, 1), "day", "yesterday"),
        location=Location("Kano", "Kano", "Nigeria", "NG", "Kano", None, 12.0, 8.5, None,
                          "point", records.at(text, "Kano")),
        perpetrators=[records.perp(text, "-2+3 gunmen", None),
                      records.perp(text, "@attackers", "@attackers")],
        victims=[Participant(records.at(text, "3 people"), "people")], targets=[],
        weapons=[], fatalities=Count(3, 3, 3, records.at(text, "killed 3")), injured=Count(),
        evidence=[records.at(text, text)], confidence=0.6,
    )
    return DocumentResult(article, [event])


def test_csv_guards_against_formula_injection(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "events.db") as s:
        s.add_document(hostile_document())
        out = tmp_path / "events.csv"
        export_events(s, "csv", str(out))
    (row,) = read_csv(out)
    assert row["notes"].startswith("'=HYPERLINK(")
    assert row["actor1"] == "'-2+3 gunmen"
    assert row["assoc_actor_1"] == "'@attackers"
    assert row["source"] == "'=1+1"
    assert row["doc_id"] == "'+cmd|' /C calc'!A0"
    assert row["source_url"] == "https://evil.example/=page"  # only a leading sign matters
    assert row["fatalities"] == "3" and row["latitude"] == "12.0"
    for cell in row.values():
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize(("value", "expected"), [
    ("=SUM(A1:A9)", "'=SUM(A1:A9)"), ("+1", "'+1"), ("-1", "'-1"), ("@foo", "'@foo"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("  =1", "'  =1"), ("a=b", "a=b"),
    ("Kabul", "Kabul"), ("", ""),
])
def test_guard_formula(value: str, expected: str) -> None:
    assert guard_formula(value) == expected


def test_other_formats_keep_text_unchanged(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "events.db") as s:
        s.add_document(hostile_document())
        export_events(s, "jsonl", str(tmp_path / "e.jsonl"))
        export_events(s, "geojson", str(tmp_path / "e.geojson"))
    (record,) = [json.loads(line) for line in (tmp_path / "e.jsonl").open(encoding="utf-8")]
    assert record["perpetrators"][0]["text"] == "-2+3 gunmen"
    feature = json.loads((tmp_path / "e.geojson").read_text(encoding="utf-8"))["features"][0]
    assert feature["properties"]["source"] == "=1+1"


# -- JSONL, GeoJSON, Parquet ------------------------------------------------------------------


def test_jsonl_has_one_stored_event_per_line(store: SQLiteStore, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    assert export_events(store, "jsonl", str(out)) == 5
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == everything(store)
    assert "Côte d'Ivoire" in out.read_text(encoding="utf-8")  # UTF-8, not \u escapes


def test_geojson_is_a_valid_feature_collection(store: SQLiteStore, tmp_path: Path) -> None:
    out = tmp_path / "events.geojson"
    assert export_events(store, "geojson", str(out)) == 5
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    features = {f["id"]: f for f in doc["features"]}
    assert list(features) == [e["id"] for e in everything(store)]
    for feature in doc["features"]:
        assert feature["type"] == "Feature"
        assert list(feature["properties"]) == HEADER
        geometry = feature["geometry"]
        if geometry is not None:
            assert geometry["type"] == "Point"
            lon, lat = geometry["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90
    assert features[AF_ATTACK]["geometry"] == {"type": "Point",
                                               "coordinates": [66.13023, 33.72178]}
    assert features[CI_LOOTING]["geometry"] is None  # unknown place: null geometry
    props = features[AF_BOMBING]["properties"]
    assert props["fatalities"] is None and props["injured"] == 20
    assert props["event_date"] == "2024-01-01" and props["time_precision"] == 3


def test_parquet_reads_back_as_the_rows(store: SQLiteStore, tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    assert export_events(store, "parquet", str(out)) == 5
    table = pq.read_table(out)
    assert table.column_names == [*HEADER, "record"]
    schema = table.schema
    assert schema.field("event_date").type == pa.date32()
    assert schema.field("fatalities").type == pa.int64()
    assert schema.field("latitude").type == pa.float64()
    assert schema.field("geo_precision").type == pa.int8()
    assert schema.field("event_id_cnty").type == pa.string()
    events = everything(store)
    expected = [dict(event_columns(e), record=json.dumps(e, ensure_ascii=False))
                for e in events]
    assert table.to_pylist() == expected
    rows = {r["event_id_cnty"]: r for r in table.to_pylist()}
    assert rows[AF_ATTACK]["event_date"] == dt.date(2024, 9, 12)
    assert rows[AF_BOMBING]["fatalities"] is None  # null, not 0
    assert [json.loads(r["record"]) for r in table.to_pylist()] == events


def test_parquet_is_written_in_row_groups(tmp_path: Path) -> None:
    from eventwatch.export import write_parquet

    event = records.stored_form(records.afghanistan())[0]
    many = (dict(event, id=f"ev_{i:05d}") for i in range(2500))
    out = tmp_path / "many.parquet"
    assert write_parquet(many, str(out)) == 2500
    meta = pq.ParquetFile(out).metadata
    assert meta.num_rows == 2500 and meta.num_row_groups == 3


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "geojson", "parquet"])
def test_filters_apply_to_exports(store: SQLiteStore, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"ng.{fmt}"
    assert export_events(store, fmt, str(out), EventFilter(country="nigeria", limit=None)) == 1


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "geojson", "parquet"])
def test_an_empty_export_is_a_valid_file(store: SQLiteStore, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"none.{fmt}"
    assert export_events(store, fmt, str(out), EventFilter(country="Peru")) == 0
    if fmt == "csv":
        assert out.read_text(encoding="utf-8").splitlines() == [",".join(HEADER)]
    elif fmt == "jsonl":
        assert out.read_text(encoding="utf-8") == ""
    elif fmt == "geojson":
        assert json.loads(out.read_text(encoding="utf-8")) == {"type": "FeatureCollection",
                                                               "features": []}
    else:
        assert pq.read_table(out).num_rows == 0


def test_a_failed_export_leaves_the_previous_file(store: SQLiteStore, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    out.write_text("previous export\n", encoding="utf-8")
    good = records.stored_form(records.afghanistan())

    def broken() -> Iterator[dict[str, Any]]:
        yield good[0]
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        write_csv(broken(), str(out))
    assert out.read_text(encoding="utf-8") == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv", "events.db",
                                                          "events.db-shm", "events.db-wal"]


def test_exports_get_ordinary_permissions_and_parent_directories(
    store: SQLiteStore, tmp_path: Path
) -> None:
    out = tmp_path / "new" / "dir" / "events.csv"
    export_events(store, "csv", str(out))
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # as open() gives, not mkstemp's 0600


def test_unknown_format_is_refused(store: SQLiteStore, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown export format 'xlsx'"):
        export_events(store, "xlsx", str(tmp_path / "out.xlsx"))


def test_exporters_are_registered() -> None:
    names = registry.names("exporters")
    for fmt in ("csv", "jsonl", "geojson", "parquet"):
        assert f"eventwatch.export.{fmt}.v1" in names


# -- merged events (export --merged) -----------------------------------------------------------


@pytest.fixture
def merged_db(tmp_path: Path) -> str:
    """Three outlets' reports of one mosque bombing and a distractor eleven days later."""
    db = tmp_path / "merged.db"
    with SQLiteStore(db) as s:
        for result in merge_records.guzara_reports():
            s.add_document(result)
    return str(db)


def _merged_rows(cli: Callable[..., CliResult], db: str, fmt: str, out: Path
                 ) -> list[dict[str, Any]]:
    result = cli("export", "--merged", "--format", fmt, str(out), "--db", db)
    assert result.code == 0, result.err
    assert "exported 2 merged event(s)" in result.err
    if fmt == "csv":
        return list(read_csv(out))
    if fmt == "jsonl":
        return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    if fmt == "geojson":
        return [f["properties"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]]
    return list(pq.read_table(out).to_pylist())


@pytest.mark.parametrize("fmt", ["csv", "geojson", "parquet"])
def test_merged_export_has_one_row_per_incident_with_its_sources(
        cli: Callable[..., CliResult], merged_db: str, tmp_path: Path, fmt: str) -> None:
    rows = _merged_rows(cli, merged_db, fmt, tmp_path / f"merged.{fmt}")
    if fmt == "csv":
        with (tmp_path / "merged.csv").open(encoding="utf-8", newline="") as fh:
            assert next(csv.reader(fh)) == [*HEADER, "source_count", "sources"]
    bombing = next(r for r in rows if str(r["source_count"]) == "3")
    later = next(r for r in rows if str(r["source_count"]) == "1")
    # The reconciled toll: the lowest figure any outlet gave and the highest best estimate.
    assert (str(bombing["fatalities_low"]), str(bombing["fatalities"])) == ("6", "9")
    assert str(later["fatalities"]) == "2"
    assert str(bombing["perpetrator_deaths"]) == "2"  # counted apart, not in the toll
    assert later["perpetrator_deaths"] in ("", None)  # unknown, never 0
    assert bombing["source"] == "news.example.org"
    assert bombing["sources"] == "; ".join(
        f"https://news.example.org/out-{x}" for x in "abc")
    assert bombing["source_url"] in bombing["sources"].split("; ")
    assert str(bombing["event_id_cnty"]).startswith("me_")
    assert bombing["actor1"] == "Islamic State" and bombing["attribution"] == "claimed"


def test_merged_jsonl_keeps_each_source_and_the_merge_record(
        cli: Callable[..., CliResult], merged_db: str, tmp_path: Path) -> None:
    rows = _merged_rows(cli, merged_db, "jsonl", tmp_path / "merged.jsonl")
    bombing = next(r for r in rows if r["merge"]["reports"] == 3)
    assert [s["event"]["fatalities"]["best"] for s in bombing["sources"]] == [6, 7, 9]
    assert [link["method"] for link in bombing["merge"]["links"]] == ["auto"] * 3


def test_merged_export_takes_no_filters(cli: Callable[..., CliResult], merged_db: str,
                                        tmp_path: Path) -> None:
    out = tmp_path / "merged.csv"
    result = cli("export", "--merged", "--format", "csv", str(out), "--db", merged_db,
                 "--country", "AF")
    assert result.code == 2 and "--country" in result.err
    assert not out.exists()
