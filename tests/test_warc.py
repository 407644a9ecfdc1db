"""Web archives: generated WARC files, damaged ones, and ingesting them."""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

from eventwatch import errors
from eventwatch.sources import iter_articles
from eventwatch.synthetic import generate_pages
from eventwatch.warc import iter_warc, response_record, write_warc

LATIN_PAGE = (
    "<html><head><meta charset='iso-8859-1'><title>Raid</title></head><body><article>"
    "<p>Militants raided a village near Mopti in central Mali on Sunday and killed four "
    "herders, the mayor of the commune said. The mayor, Amadou Ouédraogo, said the raiders "
    "burned granaries before leaving.</p></article></body></html>"
)


def _archive(path: Path, count: int = 6) -> list[str]:
    pages = list(generate_pages(count, seed=3))
    records = [response_record(p.url, p.html.encode()) for p in pages]
    records.append(response_record("https://latin.example/raid", LATIN_PAGE.encode("latin-1"),
                                   content_type="text/html; charset=iso-8859-1"))
    records.append(response_record("https://x.example/missing", b"gone", status=404))
    write_warc(path, records)
    return [p.url for p in pages] + ["https://latin.example/raid"]


def test_pages_come_out_of_a_warc_gz_with_their_charset(tmp_path: Path) -> None:
    urls = _archive(tmp_path / "a.warc.gz")
    items = list(iter_articles([str(tmp_path / "a.warc.gz")]))
    articles = [i for i in items if not isinstance(i, errors.InputError)]
    failures = [i for i in items if isinstance(i, errors.InputError)]
    assert [a.url for a in articles] == urls
    assert "Ouédraogo" in articles[-1].text  # decoded as ISO-8859-1, as the server declared
    assert all(a.source_format == "html" for a in articles)
    assert all(a.language == "en" for a in articles[:-1])
    assert all("cookies" not in a.text and "All rights reserved" not in a.text for a in articles)
    assert len(failures) == 1 and "HTTP status 404" in str(failures[0])


def test_plain_warc_and_directories_are_read(tmp_path: Path) -> None:
    (tmp_path / "crawl").mkdir()
    urls = _archive(tmp_path / "crawl" / "b.warc", count=2)
    found = [i.url for i in iter_articles([str(tmp_path / "crawl")])
             if not isinstance(i, errors.InputError)]
    assert found == urls


def test_a_truncated_archive_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    path = tmp_path / "t.warc.gz"
    urls = _archive(path)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.6)])
    items = list(iter_warc(path))
    pages = [i for i in items if not isinstance(i, errors.InputError)]
    damage = [i for i in items if isinstance(i, errors.InputError)]
    assert 1 <= len(pages) < len(urls)
    assert [p.url for p in pages] == urls[: len(pages)]
    assert len(damage) == 1 and damage[0].reason == "corrupt-archive"
    assert str(path) in str(damage[0])


def test_garbage_with_a_warc_name_is_an_error_not_a_crash(tmp_path: Path) -> None:
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(gzip.compress(b"this is not an archive\n" * 50))
    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")
    for path in (junk, empty):
        items = list(iter_warc(path))
        assert len(items) == 1 and isinstance(items[0], errors.ArchiveError), path


def test_ingesting_an_archive_twice_stores_each_page_once(cli, tmp_path: Path) -> None:
    path = tmp_path / "c.warc.gz"
    urls = _archive(path, count=10)
    db = tmp_path / "w.db"
    first = cli("ingest", str(path), "--db", str(db), "--workers", "1")
    assert first.code == 1  # the 404 record is reported
    assert f"{len(urls)} ingested" in first.err and "1 unreadable" in first.err
    again = cli("ingest", str(path), "--db", str(db), "--workers", "1")
    assert f"0 ingested, 0 updated, {len(urls)} unchanged" in again.err
    conn = sqlite3.connect(db)
    try:
        stored = [r[0] for r in conn.execute("SELECT url FROM articles ORDER BY url")]
        sites = {r[0] for r in conn.execute("SELECT site_name FROM articles")}
    finally:
        conn.close()
    assert stored == sorted(urls)
    assert "dailyreport.example" in sites or "frontier-news.example" in sites
