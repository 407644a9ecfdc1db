"""``eventwatch ingest`` over URLs and files: versions, languages, a corpus of bad inputs, and a
run killed with SIGKILL and resumed."""

from __future__ import annotations

import gzip
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventwatch.synthetic import generate_pages
from eventwatch.warc import response_record, write_warc
from webserver import LocalServer, Route, serve

REPORT_V1 = ("Gunmen attacked a police post in Khost city on Saturday, killing two officers, "
             "the provincial police chief said. The attackers escaped on motorcycles.")
REPORT_V2 = ("Gunmen attacked a police post in Khost city on Saturday, killing four officers, "
             "the provincial police chief said on Sunday as the toll rose. The attackers "
             "escaped on motorcycles.")
GERMAN = ("Bei einem Anschlag auf einen Markt im Norden des Landes sind am Montag nach Angaben "
          "der Polizei mindestens sechs Menschen ums Leben gekommen. Die Behörden sprachen von "
          "einem Sprengsatz, der in einem Gemüsestand versteckt gewesen sei. Die Verletzten "
          "wurden in ein Krankenhaus der Provinzhauptstadt gebracht.")


def page(text: str, lang: str = "en") -> bytes:
    return (f"<html lang='{lang}'><head><title>Report</title><meta property="
            "'article:published_time' content='2025-06-02T06:00:00Z'></head><body><article>"
            f"<p>{text}</p></article></body></html>").encode()


@pytest.fixture()
def server() -> Iterator[LocalServer]:
    yield from serve()


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


def test_a_changed_page_becomes_a_new_version(cli, server: LocalServer, tmp_path: Path) -> None:
    server.routes["/story"] = Route(page(REPORT_V1))
    db = tmp_path / "v.db"
    args = ("ingest", server.url("/story"), "--db", str(db), "--allow-private", "--delay", "0")
    assert "1 ingested" in cli(*args).err
    assert "1 unchanged" in cli(*args).err
    server.routes["/story"] = Route(page(REPORT_V2))
    assert "1 updated" in cli(*args).err
    current = _rows(db, "SELECT e.fatalities_best FROM events e JOIN articles a "
                        "ON a.id = e.article_id WHERE a.superseded_by IS NULL")
    assert current == [(4,)]
    versions = _rows(db, "SELECT count(*), count(superseded_by) FROM articles")
    assert versions == [(2, 1)]


def test_other_languages_are_stored_and_flagged_without_events(
        cli, server: LocalServer, tmp_path: Path) -> None:
    server.routes["/de"] = Route(page(GERMAN, lang="de"))
    db = tmp_path / "lang.db"
    result = cli("ingest", server.url("/de"), "--db", str(db), "--allow-private", "--delay", "0")
    assert result.code == 0 and "1 not in English" in result.err
    assert _rows(db, "SELECT language FROM articles") == [("de",)]
    assert _rows(db, "SELECT count(*) FROM events") == [(0,)]


def test_a_batch_of_bad_inputs_reports_each_and_keeps_the_good(
        cli, server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "latin1.txt").write_bytes("Une bombe a explosé à Gao.".encode("latin-1"))
    (bad / "empty.html").write_bytes(b"")
    (bad / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    with (bad / "huge.html").open("wb") as handle:  # 50 MB, written without holding it
        handle.write(b"<html><body>")
        for _ in range(50):
            handle.write(b"<p>" + b"z" * (1 << 20) + b"</p>")
    pages = list(generate_pages(6, seed=11))
    archive = bad / "cut.warc.gz"
    write_warc(archive, (response_record(p.url, p.html.encode()) for p in pages))
    archive.write_bytes(archive.read_bytes()[:-200])
    (bad / "fake.warc.gz").write_bytes(gzip.compress(b"not a web archive " * 100))
    good = tmp_path / "good.txt"
    good.write_text(REPORT_V1, encoding="utf-8")
    server.routes["/slow"] = Route(page(REPORT_V1), delay=3)
    server.routes["/loop"] = Route(status=302, headers={"Location": "/loop"})
    server.routes["/empty"] = Route(b"<html><body></body></html>")
    db = tmp_path / "batch.db"
    monkeypatch.setenv("EVENTWATCH_FETCH_TIMEOUT", "0.5")
    result = cli("ingest", str(bad), server.url("/slow"), server.url("/loop"),
                 server.url("/empty"), str(good), "--db", str(db), "--allow-private",
                 "--delay", "0", "--workers", "1")
    assert result.code == 1
    for reason in ("invalid-utf8", "empty", "binary", "too-large", "corrupt-archive",
                   "timeout", "too-many-redirects", "no-article-text"):
        assert reason in result.err, reason
    for name in ("latin1.txt", "empty.html", "image.html", "huge.html", "cut.warc.gz",
                 "fake.warc.gz", "/slow", "/loop", "/empty"):
        assert name in result.err, name
    stored = {r[0] for r in _rows(db, "SELECT coalesce(url, path) FROM articles")}
    assert str(good) in stored
    assert len(stored) == 1 + 5  # the good file and the archive's records before the cut


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # not created or not migrated yet


def _processes_using(db: Path) -> list[int]:
    """Live processes whose command line names ``db`` (the command and its pool workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if str(db).encode() in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def test_a_killed_run_resumes_with_nothing_lost_or_duplicated(tmp_path: Path) -> None:
    pages = list(generate_pages(60, seed=5))
    archive = tmp_path / "crawl.warc.gz"
    write_warc(archive, (response_record(p.url, p.html.encode()) for p in pages))
    db = tmp_path / "resume.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTWATCH_")}
    # Small groups, so that the kill lands between commits with work in flight (the default
    # group would hold all 60 pages).
    env["EVENTWATCH_COMMIT_EVERY"] = "4"
    command = [sys.executable, "-m", "eventwatch", "ingest", str(archive), "--db", str(db)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _count(db) < 8 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the run finished before it could be killed"
    workers = _processes_using(db)
    assert len(workers) >= 2  # the command and its extraction pool
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    killed_at = _count(db)
    assert 8 <= killed_at < len(pages)
    deadline = time.monotonic() + 20
    while _processes_using(db) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_using(db) == []  # the pool's workers died with their parent

    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{len(pages) - killed_at} ingested" in done.stderr
    assert f"{killed_at} unchanged" in done.stderr
    urls = [r[0] for r in _rows(db, "SELECT url FROM articles")]
    assert sorted(urls) == sorted(p.url for p in pages)  # every page, each once
    assert _rows(db, "PRAGMA integrity_check") == [("ok",)]
    orphans = _rows(db, "SELECT count(*) FROM events WHERE article_id NOT IN "
                        "(SELECT id FROM articles)")
    assert orphans == [(0,)]
