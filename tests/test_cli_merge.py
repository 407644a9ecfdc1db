"""Merging end to end with the real extractor: ``eventwatch eval merge`` on the development set,
``eventwatch events show|split|merge`` and the merged-events API."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

import merge_records
from conftest import FIXTURES, CliResult
from eventwatch.store.sqlite import SQLiteStore
from test_api import Server

DEV = FIXTURES / "merge" / "dev.jsonl"


def test_eval_merge_on_the_development_set(cli: Callable[..., CliResult]) -> None:
    result = cli("eval", "merge", str(DEV), "--json")
    assert result.code == 0, result.err
    scores = json.loads(result.out)
    assert scores["articles"] == 38 and scores["incidents"] == 16
    assert scores["bcubed"]["f1"] >= 0.9
    assert scores["events_per_incident"] <= 1.2
    assert scores["failed"] == []
    table = cli("eval", "merge", str(DEV))
    assert table.code == 0 and "B-cubed" in table.out


def test_eval_merge_names_a_bad_gold_file(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"id": "a", "text": "Gunmen killed two."}\n', encoding="utf-8")
    result = cli("eval", "merge", str(bad))
    assert result.code == 1
    assert str(bad) in result.err and "needs a 'cluster'" in result.err


@pytest.fixture
def dev_db(cli: Callable[..., CliResult], tmp_path: Path) -> str:
    db = str(tmp_path / "dev.db")
    result = cli("ingest", str(DEV), "--db", db)
    assert result.code == 0, result.err
    return db


def _merged(cli: Callable[..., CliResult], db: str) -> list[dict[str, Any]]:
    result = cli("events", "--merged", "--db", db, "--format", "jsonl", "--limit", "1000")
    assert result.code == 0, result.err
    return [json.loads(line) for line in result.out.splitlines()]


def test_events_show_split_and_merge(cli: Callable[..., CliResult], dev_db: str) -> None:
    events = _merged(cli, dev_db)
    mosque = next(e for e in events
                  if {s["title"] for s in e["sources"]} >= {
                      "Blast at mosque in western Afghanistan kills six",
                      "At least seven dead in Herat mosque bombing"})
    assert len(mosque["sources"]) >= 3
    shown = cli("events", "show", mosque["id"], "--db", dev_db)
    assert shown.code == 0, shown.err
    assert "sources:" in shown.out and "why joined:" in shown.out and "joined: score" in shown.out
    report = mosque["sources"][-1]["report_id"]
    split = cli("events", "split", report, "--db", dev_db, "--note", "checking")
    assert split.code == 0, split.err
    new_id = split.out.split()[-1]
    after = json.loads(cli("events", "show", report, "--db", dev_db, "--format", "jsonl").out)
    assert after["id"] == new_id and len(after["sources"]) == 1
    merged = cli("events", "merge", mosque["id"], new_id, "--db", dev_db)
    assert merged.code == 0, merged.err
    back = json.loads(cli("events", "show", new_id, "--db", dev_db, "--format", "jsonl").out)
    assert back["id"] == mosque["id"] and len(back["sources"]) == len(mosque["sources"])
    assert [d["kind"] for d in back["merge"]["decisions"]] == ["split", "merge"]
    missing = cli("events", "show", "me_nope", "--db", dev_db)
    assert missing.code == 1 and "me_nope" in missing.err
    usage = cli("events", "merge", mosque["id"], "--db", dev_db)
    assert usage.code == 2 and "takes 2 id(s)" in usage.err
    filtered = cli("events", "--merged", "--country", "AF", "--db", dev_db)
    assert filtered.code == 2 and "--country" in filtered.err


def test_merged_events_api(tmp_path: Path) -> None:
    db = tmp_path / "api.db"
    with SQLiteStore(db) as store:
        for result in merge_records.guzara_reports():
            store.add_document(result)
    a, b, _, later = (r.events[0].id for r in merge_records.guzara_reports())
    with Server(db) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        _api_checks(client, a, b, later)


def _api_checks(client: httpx.Client, a: str, b: str, later: str) -> None:
    listed = client.get("/api/merged-events").json()
    assert listed["count"] == 2 and len(listed["events"]) == 2
    one = client.get(f"/api/merged-events/{a}")
    assert one.status_code == 200 and len(one.json()["sources"]) == 3
    split = client.post("/api/merged-events/split", json={"report_id": b, "note": "<b>no</b>"})
    assert split.status_code == 201
    new_id = split.json()["event"]["id"]
    assert client.get("/api/merged-events").json()["count"] == 3
    merged = client.post("/api/merged-events/merge",
                         json={"into": one.json()["id"], "other": new_id})
    assert merged.status_code == 200 and len(merged.json()["event"]["sources"]) == 3
    missing = client.get("/api/merged-events/me_nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    same = client.post("/api/merged-events/merge",
                       json={"into": one.json()["id"], "other": new_id})
    assert same.status_code == 422 and same.json()["error"]["code"] == "invalid_parameter"
    unknown = client.post("/api/merged-events/split", json={"report_id": "ev_nope"})
    assert unknown.status_code == 404
    too_long = client.post("/api/merged-events/split", json={"report_id": "x" * 500})
    assert too_long.status_code == 422
    assert client.get(f"/api/merged-events/{later}").json()["id"] != one.json()["id"]


def test_the_seed_keeps_its_three_incidents(cli: Callable[..., CliResult], seed_path: Path,
                                            tmp_path: Path) -> None:
    db = str(tmp_path / "seed.db")
    assert cli("ingest", str(seed_path), "--published", "2024-11-10", "--db", db).code == 0
    reports = cli("events", "--db", db, "--format", "jsonl").out.splitlines()
    merged = _merged(cli, db)
    assert len(reports) == len(merged) == 3  # two reports of one article never join
    assert sorted(len(m["sources"]) for m in merged) == [1, 1, 1]
