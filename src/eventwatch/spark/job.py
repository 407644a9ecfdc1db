"""The batch job on Apache Spark: files in, Parquet datasets out, same code as the local pipeline.

Flow: every input file arrives at an executor as ``(uri, bytes)`` (Spark's ``binaryFile``
source: WARC, WARC.gz, JSONL, HTML and text files; directories are read recursively, globs work
as in Hadoop), is read by ``sources.read_file_bytes`` (the function ``eventwatch ingest`` uses
for a file) into articles,
which are spread over the cluster and extracted inside ``mapPartitions`` by
``pipeline.extract_article``, the model and gazetteer loading once per Python worker. Outputs, as
Parquet datasets under ``--output``:

- ``articles``: one row per article (identity, metadata, text), partitioned by publication month;
- ``mentions``: one row per extracted event (the per-article record, with provenance),
  partitioned by the event's month;
- ``events``: reports of the same incident merged across articles (``spark/merge.py``),
  partitioned by month;
- ``rejects``: one row per input that could not be read or extracted, with its reason.

A bad record never fails the job. Ids are content hashes, so re-running over the same input
writes the same rows (the output directory is replaced).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .. import errors
from ..merging import report_key
from ..merging.reports import lead_end, main_first
from ..models import Article, DocumentResult
from ..pipeline import extract_article
from ..settings import Settings
from ..sources import read_file_bytes

UNKNOWN_MONTH = "unknown"
ARTICLE_COLUMNS = (
    ("id", "string"), ("doc_id", "string"), ("url", "string"), ("path", "string"),
    ("title", "string"), ("published", "string"), ("language", "string"),
    ("source_format", "string"), ("text", "string"), ("captions", "string"),
    ("content_hash", "string"), ("raw_hash", "string"), ("author", "string"),
    ("site_name", "string"), ("fetched_url", "string"), ("extractor", "string"),
    ("month", "string"),
)
MENTION_COLUMNS = (
    ("id", "string"), ("article_id", "string"), ("position", "int"), ("event_type", "string"),
    ("sub_event_type", "string"), ("date_start", "string"), ("date_end", "string"),
    ("country_code", "string"), ("admin1", "string"), ("admin2", "string"),
    ("lat", "double"), ("lon", "double"), ("fatalities_best", "int"), ("record", "string"),
    # What cross-document merging needs of the article (spark/merge.py), as the store has it:
    ("report_key", "string"), ("rank", "int"), ("article_url", "string"),
    ("article_path", "string"), ("article_title", "string"), ("article_published", "string"),
    ("month", "string"),
)
REJECT_COLUMNS = (("source", "string"), ("reason", "string"), ("code", "string"),
                  ("message", "string"))


@dataclass(frozen=True, slots=True)
class JobSummary:
    articles: int
    mentions: int
    events: int
    rejects: dict[str, int]
    output: str


def month_of(value: str | None) -> str:
    return value[:7] if value else UNKNOWN_MONTH


def article_row(article: Article) -> dict[str, Any]:
    published = article.published.isoformat() if article.published else None
    return {
        "id": article.identity, "doc_id": article.doc_id, "url": article.url,
        "path": article.path, "title": article.title, "published": published,
        "language": article.language, "source_format": article.source_format,
        "text": article.text, "captions": json.dumps(article.captions, ensure_ascii=False),
        "content_hash": article.content_hash, "raw_hash": article.raw_hash,
        "author": article.author, "site_name": article.site_name,
        "fetched_url": article.fetched_url, "extractor": article.extractor,
        "month": month_of(published),
    }


def mention_rows(result: DocumentResult) -> Iterator[dict[str, Any]]:
    article = result.article
    article_id = article.identity
    records = [event.to_dict() for event in result.events]
    locator = article.url or article.path or article.doc_id
    # The order in which the store merges an article's reports: its main report first.
    rank = {position: r for r, position in enumerate(main_first(
        records, article.published, lead_end(article.text, article.title)))}
    published = article.published.isoformat() if article.published else None
    for position, event in enumerate(result.events):
        record = records[position]
        start = record["date"]["start"]
        loc = event.location
        yield {
            "id": event.id, "article_id": article_id, "position": position,
            "event_type": event.event_type, "sub_event_type": event.sub_event_type,
            "date_start": start, "date_end": record["date"]["end"],
            "country_code": loc.country_code, "admin1": loc.admin1, "admin2": loc.admin2,
            "lat": loc.lat, "lon": loc.lon, "fatalities_best": event.fatalities.best,
            "record": json.dumps(record, ensure_ascii=False, sort_keys=True),
            "report_key": report_key(locator, position), "rank": rank[position],
            "article_url": article.url, "article_path": article.path,
            "article_title": article.title, "article_published": published,
            "month": month_of(start),
        }


def reject_row(error: errors.EventwatchError, source: str) -> dict[str, Any]:
    return {"source": getattr(error, "source", source), "reason": getattr(error, "reason",
                                                                          "extraction-failed"),
            "code": error.code, "message": error.message}


def read_partition(files: Iterable[tuple[str, bytes]], settings: Settings
                   ) -> Iterator[tuple[str, Any]]:
    """``("article", Article)`` or ``("reject", row)`` for each article of each file."""
    for uri, data in files:
        for item in read_file_bytes(data, uri, max_bytes=settings.max_input_bytes):
            if isinstance(item, errors.InputError):
                yield "reject", reject_row(item, uri)
            else:
                yield "article", item


def extract_partition(items: Iterable[tuple[str, Any]], settings: Settings
                      ) -> Iterator[tuple[str, dict[str, Any]]]:
    """Tagged rows: the stage functions of the local pipeline, run once per article."""
    for tag, item in items:
        if tag != "article":
            yield tag, item
            continue
        try:
            result = extract_article(item, settings)
        except errors.EventwatchError as exc:
            yield "reject", reject_row(exc, item.doc_id)
            continue
        yield "article", article_row(result.article)
        for row in mention_rows(result):
            yield "mention", row


def _schema(columns: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{name} {kind}" for name, kind in columns)


def spark_session(master: str | None, app_name: str = "eventwatch") -> Any:
    """A SparkSession; local mode gets this interpreter for its workers and a loopback address.
    ``master`` None keeps what spark-submit configured."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise errors.MissingExtra("Spark support needs pyspark: pip install 'eventwatch[spark]'"
                                  ) from exc
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    if master is None or master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.appName(app_name)
    if master is not None:
        builder = builder.master(master)
    builder = (builder
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.sources.partitionOverwriteMode", "static")
               .config("spark.python.worker.reuse", "true"))
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def input_files(session: Any, inputs: list[str], parallelism: int) -> Any:
    """``(uri, bytes)`` of every file under ``inputs`` (files, directories read recursively,
    globs), spread over at least ``parallelism`` tasks when there are that many files."""
    # ``SparkContext.binaryFiles`` packs small files into one split whatever its minPartitions,
    # so a few hundred MB of WARC files were read (HTML extraction included) by one task; the
    # DataFrame file source honours a minimum number of splits.
    session.conf.set("spark.sql.files.minPartitionNum", str(parallelism))
    frame = (session.read.format("binaryFile").option("recursiveFileLookup", "true")
             .load(inputs).select("path", "content"))
    return frame.rdd.map(lambda row: (row[0], bytes(row[1])))


def run_job(inputs: list[str], output: str, settings: Settings, *, session: Any,
            partitions: int | None = None) -> JobSummary:
    """Run the whole job on ``session``; returns the counts (see the module docstring)."""
    from pyspark import StorageLevel

    from .merge import merge_mentions_frame

    sc = session.sparkContext
    parallelism = partitions or max(2, sc.defaultParallelism * 2)
    files = input_files(session, inputs, parallelism)
    articles = files.mapPartitions(lambda part: read_partition(part, settings))
    # Files hold very different numbers of articles: spread the articles, not the files.
    tagged = (articles.repartition(parallelism)
              .mapPartitions(lambda part: extract_partition(part, settings))
              .persist(StorageLevel.MEMORY_AND_DISK))
    try:
        frames = {}
        for tag, columns in (("article", ARTICLE_COLUMNS), ("mention", MENTION_COLUMNS),
                             ("reject", REJECT_COLUMNS)):
            names = [name for name, _ in columns]
            rows = tagged.filter(lambda pair, t=tag: pair[0] == t).map(
                lambda pair, n=names: tuple(pair[1][k] for k in n))
            frames[tag] = session.createDataFrame(rows, schema=_schema(columns))
        frames["article"].write.mode("overwrite").partitionBy("month").parquet(
            f"{output}/articles")
        frames["mention"].write.mode("overwrite").partitionBy("month").parquet(
            f"{output}/mentions")
        frames["reject"].write.mode("overwrite").parquet(f"{output}/rejects")
        events = merge_mentions_frame(session.read.parquet(f"{output}/mentions"), parallelism)
        events.write.mode("overwrite").partitionBy("month").parquet(f"{output}/events")
        written = session.read.parquet(f"{output}/rejects")
        rejects = {row["reason"]: int(row["count"])
                   for row in written.groupBy("reason").count().collect()}
        return JobSummary(
            articles=session.read.parquet(f"{output}/articles").count(),
            mentions=session.read.parquet(f"{output}/mentions").count(),
            events=session.read.parquet(f"{output}/events").count(),
            rejects=rejects, output=output,
        )
    finally:
        tagged.unpersist()
