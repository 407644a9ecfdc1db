"""The desk's API: filters, sorting, cursors, CSV/GeoJSON, stats, actors and places, over HTTP."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import records
from eventwatch.export import CSV_COLUMNS
from eventwatch.store import SQLiteStore, desk_queries
from eventwatch.store import sqlite as sqlite_store
from eventwatch.store.desk_schema import actor_slug, place_key
from test_api import (
    AF_ATTACK,
    AF_BOMBING,
    CI_LOOTING,
    CI_RIOT,
    NG_CLASH,
    PAGE_SIZE_MAX,
    Server,
    assert_envelope,
    assert_security_headers,
    event_ids,
)

ALL = {AF_ATTACK, AF_BOMBING, NG_CLASH, CI_RIOT, CI_LOOTING}
ISKP = "islamic-state-khorasan-province"
MAIDUGURI = "gn2331447"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "events.db"
    with SQLiteStore(path) as s:
        for result in records.all_samples():
            s.add_document(result)
    return path


@pytest.fixture
def client(db: Path) -> Iterator[httpx.Client]:
    with Server(db) as server, httpx.Client(base_url=server.url, timeout=10) as http:
        yield http


@pytest.mark.parametrize(("query", "expected"), [
    ({"admin2": "maiduguri"}, {NG_CLASH}),
    ({"admin2": "Kabul"}, {AF_BOMBING}),
    ({"sub_type": "suicide bomb"}, {AF_BOMBING}),
    ({"type": "Riots", "sub_type": "Looting/property destruction"}, {CI_LOOTING}),
    ({"min_fatalities": "14"}, {AF_ATTACK, NG_CLASH}),
    ({"min_fatalities": "15"}, {NG_CLASH}),
    ({"min_fatalities": "0"}, {AF_ATTACK, NG_CLASH}),  # unknown tolls are not zero
    ({"bbox": "60,29,75,39"}, {AF_ATTACK, AF_BOMBING}),
    ({"bbox": "-10,0,20,20"}, {NG_CLASH, CI_RIOT}),
    ({"bbox": "170,-90,-170,90"}, set()),  # across the antimeridian: the Pacific
    ({"bbox": "10,-90,-170,90"}, {AF_ATTACK, AF_BOMBING, NG_CLASH}),  # east of 10°E, wrapping
    ({"q": "minibus"}, {AF_ATTACK, AF_BOMBING}),  # text search is over the whole article
    ({"q": "looted shops"}, {CI_RIOT, CI_LOOTING}),
    ({"q": "cote"}, {CI_RIOT, CI_LOOTING}),  # diacritics folded
    ({"q": "maidu*"}, {NG_CLASH}),
    ({"q": "minibus maiduguri"}, set()),  # every word must occur
    ({"q": 'text:"x" OR NEAR(a b'}, set()),  # FTS syntax is not interpreted
    ({"actor_id": ISKP}, {AF_ATTACK}),
    ({"place_id": MAIDUGURI}, {NG_CLASH}),
    ({"country": "AF", "q": "wounding", "min_fatalities": "1"}, {AF_ATTACK}),
])
def test_desk_filters(client: httpx.Client, query: dict[str, str], expected: set[str]) -> None:
    response = client.get("/api/events", params=query)
    assert set(event_ids(response)) == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(("sort", "head"), [
    ("-date", [AF_ATTACK, NG_CLASH, AF_BOMBING]),
    ("date", [AF_BOMBING, NG_CLASH, AF_ATTACK]),
    ("-fatalities", [NG_CLASH, AF_ATTACK]),
    ("fatalities", [AF_ATTACK, NG_CLASH]),
])
def test_sorting_puts_unknowns_last(client: httpx.Client, sort: str, head: list[str]) -> None:
    ids = event_ids(client.get("/api/events", params={"sort": sort}))
    assert ids[:len(head)] == head and set(ids) == ALL
    assert sorted(ids[len(head):]) == ids[len(head):]  # ties broken by id


@pytest.mark.parametrize("sort", ["-date", "date", "-fatalities", "fatalities"])
def test_cursor_pages_cover_everything_once(client: httpx.Client, sort: str) -> None:
    everything = event_ids(client.get("/api/events", params={"sort": sort}))
    seen: list[str] = []
    url: str | None = f"/api/events?sort={sort}&limit=2"
    while url is not None:
        body = client.get(url).json()
        assert body["count"] == 5 and body["sort"] == sort
        seen += [e["id"] for e in body["events"]]
        url = body["next"]
    assert seen == everything


def test_a_cursor_page_ignores_events_added_before_it(client: httpx.Client, db: Path) -> None:
    first = client.get("/api/events", params={"limit": 2}).json()
    assert [e["id"] for e in first["events"]] == [AF_ATTACK, NG_CLASH]
    newer = records.afghanistan(url="https://news.example.org/other")
    with SQLiteStore(db) as writer:  # its attack sorts first, before the cursor
        writer.add_document(newer)
    rest = [e["id"] for e in client.get(first["next"].replace("limit=2", "limit=10")
                                        ).json()["events"]]
    # An offset would now repeat NG_CLASH; the cursor continues exactly after it.
    assert set(rest) == {AF_BOMBING, newer.events[1].id, CI_RIOT, CI_LOOTING}


def test_csv_download_has_every_matching_event(client: httpx.Client) -> None:
    response = client.get("/api/events", params={"format": "csv", "country": "AF",
                                                  "limit": PAGE_SIZE_MAX + 10})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="events.csv"' in response.headers["content-disposition"]
    assert_security_headers(response)
    rows = list(csv.reader(io.StringIO(response.text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert {r[0] for r in rows[1:]} == {AF_ATTACK, AF_BOMBING}
    fatalities = {r[0]: r[CSV_COLUMNS.index("fatalities")] for r in rows[1:]}
    assert fatalities == {AF_ATTACK: "14", AF_BOMBING: ""}


def test_geojson_download(client: httpx.Client) -> None:
    response = client.get("/api/events", params={"format": "geojson", "sort": "-fatalities"})
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert [f["id"] for f in body["features"]][:2] == [NG_CLASH, AF_ATTACK]
    ng = body["features"][0]
    assert ng["geometry"] == {"type": "Point", "coordinates": [13.15712, 11.84692]}
    assert ng["properties"]["fatalities"] == 30
    assert {f["id"]: f["geometry"] for f in body["features"]}[CI_LOOTING] is None


def test_stats(client: httpx.Client) -> None:
    body = client.get("/api/stats").json()
    assert body["interval"] == "month"
    assert body["totals"] == {"events": 5, "fatalities": 44}
    assert body["series"] == [
        {"period": "2024-01", "events": 1, "fatalities": 0},
        {"period": "2024-03", "events": 1, "fatalities": 30},
        {"period": "2024-09", "events": 1, "fatalities": 14},
    ]
    assert body["by_type"][0] == {"event_type": "Riots", "events": 2, "fatalities": 0}
    assert {a["id"]: a["events"] for a in body["by_actor"]} == {
        ISKP: 1, "islamic-state-west-africa-province": 1,
        actor_slug("Jama'atu Ahlis Sunna Lidda'awati wal-Jihad"): 1}
    assert {(r["country_code"], r["admin1"]) for r in body["by_admin1"]} == {
        ("AF", "Daykundi"), ("AF", "Kabul"), ("NG", "Borno")}
    week = client.get("/api/stats", params={"interval": "week", "country": "AF,NG"}).json()
    assert week["totals"]["events"] == 0  # a comma list is one (unknown) name, not two
    week = client.get("/api/stats", params={"interval": "week", "min_fatalities": 1}).json()
    assert [p["period"] for p in week["series"]] == ["2024-03-04", "2024-09-09"]  # Mondays
    day = client.get("/api/stats", params={"interval": "day", "top": 1}).json()
    assert day["series"][0]["period"] == "2024-01-01" and len(day["by_actor"]) == 1


def test_answers_follow_an_ingest_while_the_server_runs(client: httpx.Client, db: Path) -> None:
    """Statistics, counts and actor pages are kept between requests (store/desk_cache.py);
    an ingest by another process must show in the very next answer."""
    urls = ["/api/stats", "/api/stats?country=AF", "/api/events?country=AF",
            f"/api/actors/{ISKP}", "/api/actors", "/index.json"]
    before = [client.get(url).json() for url in urls]
    assert [client.get(url).json() for url in urls] == before  # asked again: same answers
    with SQLiteStore(db) as writer:
        writer.add_document(records.afghanistan(url="https://news.example.org/again"))
    stats, af, events, actor, actors, dashboard = [client.get(url).json() for url in urls]
    assert stats["totals"] == {"events": 7, "fatalities": 58}
    assert af["totals"]["events"] == events["count"] == 4
    assert actor["totals"] == {"events": 2, "fatalities": 28}
    assert next(a for a in actors["actors"] if a["id"] == ISKP)["events"] == 2
    assert dashboard["count"] == 7 and dashboard["stats"] == stats


def test_a_broad_text_search_gives_a_lower_bound(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(desk_queries, "SEARCH_COUNT_MAX", 1)  # before any count is kept
    exact = client.get("/api/events", params={"q": "maidu*"}).json()
    assert (exact["count"], exact["count_exact"]) == (1, True)  # as many as the cap: exact
    capped = client.get("/api/events", params={"q": "looted shops"}).json()
    assert (capped["count"], capped["count_exact"]) == (1, False)  # "at least 1"
    assert {e["id"] for e in capped["events"]} == {CI_RIOT, CI_LOOTING}  # the page is whole
    plain = client.get("/api/events", params={"min_fatalities": 0}).json()
    assert (plain["count"], plain["count_exact"]) == (2, True)  # only text searches stop
    described = client.get("/openapi.json").json()["paths"]["/api/events"]["get"]
    assert "count_exact" in described["description"]


def test_actors(client: httpx.Client) -> None:
    body = client.get("/api/actors").json()
    assert body["count"] == 3 and len(body["actors"]) == 3
    iskp = next(a for a in body["actors"] if a["id"] == ISKP)
    assert iskp == {"id": ISKP, "name": "Islamic State Khorasan Province", "events": 1,
                    "fatalities": 14, "first": "2024-09-12", "last": "2024-09-12"}
    found = client.get("/api/actors", params={"name": "iswap"}).json()
    assert [a["id"] for a in found["actors"]] == ["islamic-state-west-africa-province"]
    one = client.get(f"/api/actors/{ISKP}").json()
    assert one["written_as"] == [{"text": "ISIS-K", "events": 1}]
    assert "ISKP" in one["aliases"] and one["kind"] == "organization"  # from the catalogue
    assert one["activity"] == [{"period": "2024-09", "events": 1, "fatalities": 14}]
    assert [p["id"] for p in one["places"]] == ["gn6957553"]
    error = assert_envelope(client.get("/api/actors/nobody"), 404, "not_found")
    assert error["details"] == {"id": "nobody"}


def test_places(client: httpx.Client) -> None:
    body = client.get(f"/api/places/{MAIDUGURI}").json()
    assert body["name"] == "Maiduguri" and body["admin1"] == "Borno"
    assert body["totals"] == {"events": 1, "fatalities": 30}
    assert len(body["actors"]) == 2
    assert_envelope(client.get("/api/places/gn1"), 404, "not_found")


def test_place_ids() -> None:
    located = {"name": "Nili", "country_code": "AF", "admin1": "Daykundi", "admin2": None,
               "geonames_id": None, "precision": "point"}
    key = place_key(located)
    assert key is not None and key.startswith("pl")
    assert place_key({**located, "name": "NILI"}) == key  # folded
    assert place_key({**located, "admin1": "Ghor"}) != key  # a homonym elsewhere
    assert place_key({**located, "geonames_id": 42}) == "gn42"
    assert place_key({**located, "precision": "unknown"}) is None
    assert actor_slug("Jama'atu Ahlis Sunna") == "jama-atu-ahlis-sunna"
    assert actor_slug(None) is None and actor_slug("—") is None


@pytest.mark.parametrize(("query", "parameter"), [
    ({"bbox": "1,2,3"}, "bbox"),
    ({"bbox": "a,b,c,d"}, "bbox"),
    ({"bbox": "0,10,5,5"}, "bbox"),
    ({"bbox": "0,0,200,5"}, "bbox"),
    ({"bbox": "nan,0,5,5"}, "bbox"),
    ({"min_fatalities": "-1"}, "min_fatalities"),
    ({"sort": "name"}, "sort"),
    ({"format": "xml"}, "format"),
    ({"cursor": "!!!"}, "cursor"),
    ({"cursor": "WyJ4Il0"}, "cursor"),
    ({"q": "x" * 201}, "q"),
    ({"limit": str(PAGE_SIZE_MAX + 1)}, "limit"),
    ({"format": "csv", "limit": "100001"}, "limit"),
    ({"format": "csv", "cursor": "abc"}, "cursor"),
    ({"cursor": "abc", "offset": "3"}, "offset"),
    ({"since": "2024-13-01"}, "since"),
])
def test_invalid_desk_parameters(
    client: httpx.Client, query: dict[str, str], parameter: str
) -> None:
    error = assert_envelope(client.get("/api/events", params=query), 422, "invalid_parameter")
    assert parameter in error["message"]
    assert [d["parameter"] for d in error["details"]] == [parameter]


def test_a_cursor_of_another_sort_is_refused(client: httpx.Client) -> None:
    cursor = client.get("/api/events", params={"limit": 1}).json()["cursor"]
    error = assert_envelope(client.get("/api/events", params={"cursor": cursor,
                                                              "sort": "fatalities"}),
                            422, "invalid_parameter")
    assert "sort='-date'" in error["details"][0]["message"]


@pytest.mark.parametrize(("path", "query", "parameter"), [
    ("/api/stats", {"interval": "year"}, "interval"),
    ("/api/stats", {"top": "0"}, "top"),
    ("/api/stats", {"bbox": "x"}, "bbox"),
    ("/api/actors", {"limit": "0"}, "limit"),
    ("/api/actors", {"offset": "-5"}, "offset"),
    (f"/api/actors/{ISKP}", {"top": "1000"}, "top"),
])
def test_invalid_parameters_elsewhere(
    client: httpx.Client, path: str, query: dict[str, str], parameter: str
) -> None:
    error = assert_envelope(client.get(path, params=query), 422, "invalid_parameter")
    assert [d["parameter"] for d in error["details"]] == [parameter]


def _downgrade(path: Path, reference: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Turn a database into one written before the desk (no m0004, m0005): drop every table,
    index, trigger and column a database migrated without them lacks. The store writes the desk's
    keys with each row, so an older database is made by taking the desk away, not by writing
    without it."""
    with monkeypatch.context() as old:
        # Later one first: monkeypatch puts them back in reverse, so the order is kept.
        old.delitem(sqlite_store.MIGRATIONS, "m0005_desk_rollups")
        old.delitem(sqlite_store.MIGRATIONS, "m0004_desk")
        SQLiteStore(reference).close()
    with sqlite3.connect(reference) as ref:
        kept = {(r[0], r[1]) for r in ref.execute("SELECT type, name FROM sqlite_master")}
        columns = {t: [r[1] for r in ref.execute(f"PRAGMA table_info({t})")]
                   for kind, t in kept if kind == "table"}
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        extra = conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE "
                             "'sqlite_%' AND name NOT LIKE 'article_search_%'").fetchall()
        for kind in ("trigger", "index", "table"):
            for found, name in extra:
                if found == kind and (found, name) not in kept:
                    conn.execute(f"DROP {kind} IF EXISTS {name}")
        for table, wanted in columns.items():
            for column in [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]:
                if column not in wanted:
                    conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        conn.execute("DELETE FROM _migrations WHERE name IN ('m0004_desk', 'm0005_desk_rollups')")
    finally:
        conn.close()


def test_an_older_database_is_upgraded_with_keys_and_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database written before the desk existed (no m0004, m0005) gets its keys backfilled
    and its statistics rolled up."""
    path = tmp_path / "old.db"
    with SQLiteStore(path) as s:
        for result in records.all_samples():
            s.add_document(result)
    _downgrade(path, tmp_path / "reference.db", monkeypatch)
    with sqlite3.connect(path) as conn:
        assert "admin2_key" not in [r[1] for r in conn.execute("PRAGMA table_info(events)")]
    with Server(path) as server, httpx.Client(base_url=server.url, timeout=10) as http:
        assert set(event_ids(http.get("/api/events", params={"actor_id": ISKP}))) == {AF_ATTACK}
        assert set(event_ids(http.get("/api/events", params={"q": "police post"}))) == {
            CI_RIOT, CI_LOOTING}
        assert set(event_ids(http.get("/api/events", params={"admin2": "kabul"}))) == {
            AF_BOMBING}
        assert http.get(f"/api/places/{MAIDUGURI}").status_code == 200
        body = http.get("/api/stats").json()
        assert json.dumps(body["totals"]) == '{"events": 5, "fatalities": 44}'


def test_event_page_renders_merged_sources_and_history(db: Path) -> None:
    """Once cross-document merging stores ``sources`` and ``merge``, the page shows them all."""
    af, ng = records.afghanistan(), records.nigeria()
    with SQLiteStore(db) as s:
        record = s.get_event(AF_ATTACK)
        assert record is not None
        record.pop("source")
        own = dict(record, fatalities={"best": 12, "low": 12, "high": 12, "text": None,
                                       "span": None})
        record["sources"] = [
            {"article_id": af.article.identity, "url": records.AF_URL, "title": "First report",
             "published": "2024-11-10", "values": own},
            {"article_id": ng.article.identity, "url": "javascript:alert(1)",
             "title": "<i>Second</i> report", "published": "2024-11-11"},
        ]
        record["merge"] = [{"action": "merged", "into": AF_ATTACK, "reason": "same day & place"}]
        s.connection.execute("UPDATE events SET record = ? WHERE id = ?",
                             (json.dumps(record), AF_ATTACK))
    with Server(db) as server, httpx.Client(base_url=server.url, timeout=10) as http:
        page = http.get(f"/events/{AF_ATTACK}")
        assert page.status_code == 200
        html = page.text
        assert "2 sources" in html and "First report" in html
        assert "&lt;i&gt;Second&lt;/i&gt; report" in html and "<i>" not in html
        assert 'href="javascript:' not in html  # only http(s) sources become links
        assert "Merge history" in html and "same day &amp; place" in html
        assert "<td>12</td>" in html.replace("\n", "")  # the first source's own toll
        twin = http.get(f"/events/{AF_ATTACK}.json").json()
        assert [s["article_id"] for s in twin["sources"]] == [af.article.identity,
                                                              ng.article.identity]
        assert twin["merge"] == record["merge"]
        # The second source has its own article: its text is shown (spans of the event only
        # where they fit that text).
        assert records.NG_TEXT[:40] in html


def test_the_event_page_of_a_merged_report_shows_every_outlet(tmp_path: Path) -> None:
    """Once two outlets' reports are merged, either report's page shows the reconciled event,
    both sources with their own tolls, and the merge record."""
    from merge_records import report

    path = tmp_path / "merged.db"
    first = report("outlet-a", published="2025-04-03", day="2025-04-02", place="Guzara",
                   killed=6)
    second = report("outlet-b", published="2025-04-04", day="2025-04-02", place="Guzara",
                    killed=9, perpetrator="Islamic State", attribution="claimed")
    with SQLiteStore(path) as s:
        s.add_document(first)
        s.add_document(second)
    with Server(path) as server, httpx.Client(base_url=server.url, timeout=10) as http:
        page = http.get(f"/events/{first.events[0].id}.json").json()
        html = http.get(f"/events/{first.events[0].id}").text
    assert page["event"]["fatalities"]["best"] == 9
    assert {s["url"] for s in page["sources"]} == {first.article.url, second.article.url}
    tolls = {s["url"]: dict((row[0], row[2]) for row in s["own_values"])["fatalities"]
             for s in page["sources"]}
    assert tolls[first.article.url].startswith("6") and tolls[second.article.url].startswith("9")
    assert page["merge"]["reports"] == 2
    assert first.article.url in html and second.article.url in html
