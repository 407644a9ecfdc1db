"""The Spark job in local mode gives the local pipeline's output, event for event."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eventwatch import errors
from eventwatch.models import DocumentResult
from eventwatch.pipeline import extract_many
from eventwatch.settings import load_settings
from eventwatch.sources import iter_articles
from eventwatch.spark.importer import import_output
from eventwatch.store.merged import MergedEvents
from eventwatch.store.sqlite import SQLiteStore
from eventwatch.synthetic import generate_pages
from eventwatch.warc import response_record, write_warc

pytest.importorskip("pyspark", reason="pyspark is pinned in requirements-dev.txt")
pa_dataset = pytest.importorskip("pyarrow.dataset")


def _republished(html: str) -> str:
    """The same report as another outlet runs it: another site, one more paragraph."""
    return (html.replace("https://", "https://syndicated.example/from/")
            .replace("</h1>", "</h1><p>This report was first published by a partner outlet "
                     "and is republished with permission.</p>", 1)
            .replace("</h2>", "</h2><p>This report was first published by a partner outlet "
                     "and is republished with permission.</p>", 1))


def _inputs(root: Path) -> Path:
    pages = list(generate_pages(240, seed=41))
    inputs = root / "inputs"
    inputs.mkdir()
    # A fifth of the reports appear twice: the job must merge each pair into one event.
    copies = [response_record(p.url.replace("https://", "https://syndicated.example/from/"),
                              _republished(p.html).encode()) for p in pages[::5]]
    write_warc(inputs / "one.warc.gz", [response_record(p.url, p.html.encode())
                                        for p in pages[:100]] + copies
               + [response_record("https://gone.example/x", b"gone", status=404)])
    write_warc(inputs / "two.warc", [response_record(p.url, p.html.encode())
                                     for p in pages[100:180]])
    with (inputs / "three.jsonl").open("w", encoding="utf-8") as handle:
        for i, p in enumerate(pages[180:]):
            handle.write(json.dumps({"id": f"wire-{i}", "html": p.html, "url": p.url}) + "\n")
        handle.write('{"id": "broken", "text": \n')
    return inputs


def _table(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = pa_dataset.dataset(
        path, format="parquet", partitioning="hive").to_table().to_pylist()
    return rows


@pytest.fixture(scope="module")
def spark_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    from eventwatch.spark.job import run_job, spark_session

    root = tmp_path_factory.mktemp("spark")
    inputs = _inputs(root)
    session = spark_session("local[2]")
    try:
        run_job([str(inputs)], str(root / "out"), load_settings({"workers": 1}),
                session=session, partitions=4)
    finally:
        session.stop()
    yield inputs, root / "out"


def _local(inputs: Path) -> tuple[list[DocumentResult], list[errors.InputError]]:
    results, failures = [], []
    for item in extract_many(iter_articles([str(inputs)]), load_settings({"workers": 1})):
        if isinstance(item, errors.InputError):
            failures.append(item)
        else:
            results.append(item)
    return results, failures


def test_spark_mentions_equal_the_local_pipeline_event_for_event(
        spark_run: tuple[Path, Path]) -> None:
    inputs, out = spark_run
    results, failures = _local(inputs)
    local = {e.id: e.to_dict() for r in results for e in r.events}
    mentions = _table(out / "mentions")
    spark = {row["id"]: json.loads(row["record"]) for row in mentions}
    assert len(local) > 150 and len(mentions) == len(spark)  # no id twice
    assert spark == local
    articles = _table(out / "articles")
    assert sorted(a["id"] for a in articles) == sorted(r.article.identity for r in results)
    for row in mentions:  # partitioned by the event's month
        start = json.loads(row["record"])["date"]["start"]
        assert row["month"] == (start[:7] if start else "unknown")
    assert len(failures) == 2


def test_rejects_carry_their_reasons(spark_run: tuple[Path, Path]) -> None:
    rejects = _table(spark_run[1] / "rejects")
    reasons = sorted(r["reason"] for r in rejects)
    assert reasons == ["malformed-record", "unreadable"]
    assert any("HTTP status 404" in r["message"] for r in rejects)
    assert any("three.jsonl" in r["source"] for r in rejects)


def test_every_mention_is_in_exactly_one_event(spark_run: tuple[Path, Path]) -> None:
    out = spark_run[1]
    mention_ids = sorted(row["id"] for row in _table(out / "mentions"))
    covered = sorted(m for row in _table(out / "events") for m in json.loads(row["mention_ids"]))
    assert covered == mention_ids


def test_spark_events_equal_the_local_stores_merged_events(spark_run: tuple[Path, Path],
                                                           tmp_path: Path) -> None:
    """The local store, fed the same articles in the job's canonical order (oldest publication
    first, then article id), merges exactly as the job does: same events, same ids."""
    inputs, out = spark_run
    results, _ = _local(inputs)
    results.sort(key=lambda r: (r.article.published is None, r.article.published or
                                dt.date.min, r.article.identity))
    with SQLiteStore(tmp_path / "local.db") as store:
        for result in results:
            store.add_document(result)
        assignment = MergedEvents(store).assignments()
    local: dict[str, list[str]] = {}
    for report_id, merged_id in assignment.items():
        local.setdefault(merged_id, []).append(report_id)
    spark = {row["id"]: json.loads(row["mention_ids"]) for row in _table(out / "events")}
    assert {k: sorted(v) for k, v in local.items()} == spark
    merged = [ids for ids in spark.values() if len(ids) > 1]
    assert len(merged) >= 30  # the republished reports joined their originals
    for row in _table(out / "events"):
        urls = [s["url"] for s in json.loads(row["record"])["sources"]]
        for url in urls:  # every republished copy sits with its original
            if "syndicated.example/from/" in url:
                assert url.replace("syndicated.example/from/", "") in urls


def test_the_output_imports_into_the_local_store(spark_run: tuple[Path, Path],
                                                 tmp_path: Path) -> None:
    out = spark_run[1]
    with SQLiteStore(tmp_path / "imported.db") as store:
        first = import_output(out, store)
        again = import_output(out, store)
        assert store.count_articles() == len(_table(out / "articles"))
        assert store.count_events() == len(_table(out / "mentions"))
    assert first.added == store_count(tmp_path / "imported.db") and first.failed == {}
    assert again.added == 0 and again.unchanged == first.added


def store_count(db: Path) -> int:
    with SQLiteStore(db) as store:
        return store.count_articles()


def test_clusters_linked_through_shared_mentions_form_one_component() -> None:
    from eventwatch.spark.merge import linked_roots

    links = [["NG|5#2", "NG|6#0"], ["NG|6#0", "NG|7#1"], ["AF|3#0", "AF|4#4"]]
    roots = linked_roots(links)
    assert roots == {"NG|5#2": "NG|5#2", "NG|6#0": "NG|5#2", "NG|7#1": "NG|5#2",
                     "AF|3#0": "AF|3#0", "AF|4#4": "AF|3#0"}
    # the links' order does not change the components or their labels
    assert linked_roots(list(reversed([list(reversed(k)) for k in links]))) == roots
    # a chain joined only at its far end still ends in one component
    chain = [[f"X|{i}#0", f"X|{i + 1}#0"] for i in range(50, 0, -1)]
    assert set(linked_roots(chain).values()) == {"X|1#0"}
