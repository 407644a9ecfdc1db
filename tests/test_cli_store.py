"""ingest, events, export and serve through the command line, over a real SQLite file."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from conftest import SAMPLES, CliResult


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "events.db")


def _ingest_seed(cli: Callable[..., CliResult], seed: Path, db: str) -> CliResult:
    return cli("ingest", str(seed), "--published", "2024-11-10", "--db", db)


def test_ingest_is_idempotent(cli: Callable[..., CliResult], seed_path: Path, db: str) -> None:
    first = _ingest_seed(cli, seed_path, db)
    assert first.code == 0, first.err
    assert "1 ingested" in first.err and "3 event(s) stored" in first.err
    again = _ingest_seed(cli, seed_path, db)
    assert again.code == 0
    assert "0 ingested" in again.err and "1 unchanged" in again.err
    listed = cli("events", "--db", db, "--format", "jsonl")
    assert len(listed.out.splitlines()) == 3


def test_commit_every_groups_writes_without_changing_what_is_stored(
        cli: Callable[..., CliResult], tmp_path: Path) -> None:
    grouped, single = str(tmp_path / "grouped.db"), str(tmp_path / "single.db")
    first = cli("ingest", str(SAMPLES), "--db", grouped, "--commit-every", "2")
    assert first.code == 0, first.err
    assert cli("ingest", str(SAMPLES), "--db", single, "--commit-every", "1").code == 0
    listed = [cli("events", "--db", path, "--format", "jsonl").out.splitlines()
              for path in (grouped, single)]
    assert listed[0] and sorted(listed[0]) == sorted(listed[1])
    refused = cli("ingest", str(SAMPLES), "--db", grouped, "--commit-every", "0")
    assert refused.code == 2 and "--commit-every" in refused.err


def test_changed_article_at_same_path_is_a_new_version(cli: Callable[..., CliResult],
                                                       tmp_path: Path, db: str) -> None:
    path = tmp_path / "report.txt"
    path.write_text("Gunmen shot dead two traders in Kandahar province on Monday, police said.\n",
                    encoding="utf-8")
    assert cli("ingest", str(path), "--db", db, "--published", "2025-01-08").code == 0
    path.write_text("Gunmen shot dead five traders in Kandahar province on Monday, police said.\n",
                    encoding="utf-8")
    result = cli("ingest", str(path), "--db", db, "--published", "2025-01-08")
    assert "1 updated" in result.err
    (event,) = [json.loads(x) for x in cli("events", "--db", db, "--format",
                                           "jsonl").out.splitlines()]
    assert event["fatalities"]["best"] == 5


def test_filters(cli: Callable[..., CliResult], seed_path: Path, db: str) -> None:
    _ingest_seed(cli, seed_path, db)
    assert cli("ingest", str(SAMPLES), "--db", db).code == 0

    def count(*args: str) -> int:
        result = cli("events", "--db", db, "--format", "jsonl", *args)
        assert result.code == 0, result.err
        return len(result.out.splitlines())

    assert count("--country", "AF") == 3
    assert count("--country", "Afghanistan") == 3
    assert count("--admin1", "herat") == 1
    assert count("--actor", "ISIS-K") == 3  # an alias as written finds the canonical actor
    assert count("--actor", "Islamic State Khorasan") == 3
    assert count("--type", "Violence against civilians", "--country", "AF") == 3
    assert count("--since", "2024-04-01", "--until", "2024-04-30") == 1
    assert count("--limit", "2") == 2
    table = cli("events", "--db", db, "--country", "AF")
    assert "Dasht-e-Barchi" in table.out and "3 event(s)" in table.out
    rows = list(csv.DictReader(io.StringIO(cli("events", "--db", db, "--format", "csv",
                                               "--country", "AF").out)))
    assert {r["admin1"] for r in rows} == {"Kabul", "Herat", "Daykundi"}


def test_exports(cli: Callable[..., CliResult], seed_path: Path, db: str, tmp_path: Path) -> None:
    _ingest_seed(cli, seed_path, db)
    out = tmp_path / "events.csv"
    result = cli("export", "--format", "csv", str(out), "--db", db)
    assert result.code == 0 and "exported 3 event(s)" in result.err
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    for column in ("event_date", "event_type", "sub_event_type", "actor1", "country", "admin1",
                   "admin2", "location", "latitude", "longitude", "geo_precision",
                   "time_precision", "fatalities", "notes", "source"):
        assert column in rows[0], column
    assert sorted(r["fatalities"] for r in rows) == ["", "14", "6"]  # unknown is empty, not 0
    geo = tmp_path / "events.geojson"
    assert cli("export", "--format", "geojson", str(geo), "--db", db).code == 0
    features = json.loads(geo.read_text(encoding="utf-8"))["features"]
    assert len(features) == 3 and all(f["geometry"]["type"] == "Point" for f in features)
    parquet = tmp_path / "events.parquet"
    assert cli("export", "--format", "parquet", str(parquet), "--db", db).code == 0
    import pyarrow.parquet as pq

    assert pq.read_table(parquet).num_rows == 3
    bad = cli("export", "--format", "csv", str(tmp_path), "--db", db)  # a directory
    assert bad.code == 1 and "error" in bad.err


def test_ingest_bad_input_keeps_going_and_keeps_what_was_stored(
        cli: Callable[..., CliResult], seed_path: Path, db: str, tmp_path: Path) -> None:
    _ingest_seed(cli, seed_path, db)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00\x01binary")
    good = tmp_path / "good.txt"
    good.write_text("Gunmen killed three farmers in Borno state on Tuesday, officials said.\n",
                    encoding="utf-8")
    result = cli("ingest", str(bad), str(good), "--db", db, "--published", "2025-01-08")
    assert result.code == 1
    assert "bad.txt" in result.err and "1 ingested" in result.err and "1 failed" in result.err
    listed = cli("events", "--db", db, "--format", "jsonl").out.splitlines()
    assert len(listed) == 4  # the seed's three are still there


def test_default_db_comes_from_the_environment(cli: Callable[..., CliResult], seed_path: Path,
                                               tmp_path: Path) -> None:
    assert cli("ingest", str(seed_path)).code == 0
    assert (tmp_path / "default.db").exists()  # EVENTWATCH_DB, set by conftest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_answers_while_another_process_ingests(cli: Callable[..., CliResult],
                                                     seed_path: Path, db: str) -> None:
    _ingest_seed(cli, seed_path, db)
    port = _free_port()
    exe = str(Path(sys.executable).with_name("eventwatch"))
    server = subprocess.Popen([exe, "serve", "--db", db, "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        writer = subprocess.Popen([exe, "ingest", str(SAMPLES), "--db", db],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  env={**os.environ})
        seen = []
        while writer.poll() is None:
            response = httpx.get(f"{base}/api/events", params={"country": "AF"}, timeout=5)
            assert response.status_code == 200
            seen.append(response.json()["count"])
            time.sleep(0.05)
        assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
        assert seen and all(n == 3 for n in seen)
        events = httpx.get(f"{base}/api/events", timeout=5).json()
        assert events["count"] > 3
        one = httpx.get(f"{base}/api/events/{events['events'][0]['id']}", timeout=5)
        assert one.status_code == 200
        missing = httpx.get(f"{base}/api/events/nope", timeout=5)
        assert missing.status_code == 404 and "error" in missing.json()
    finally:
        server.terminate()
        server.wait(timeout=10)
