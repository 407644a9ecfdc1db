"""Loading a Spark job's output into the local store (``eventwatch import-parquet DIR``).

Reads the ``articles`` and ``mentions`` datasets with pyarrow (no Spark needed) and stores each
article with its events through ``Store.add_document``, the path every other source takes, so
re-importing adds nothing and a newer version of an article replaces the older one. Mentions are
read one month partition at a time to bound memory.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .. import errors
from ..ingest import IngestReport, IngestStore
from ..models import Article, DocumentResult, Event


def _dataset(path: Path) -> Any:
    try:
        import pyarrow.dataset as ds
    except ImportError as exc:
        raise errors.MissingExtra("reading Parquet needs pyarrow: pip install "
                                  "'eventwatch[parquet]'") from exc
    if not path.is_dir():
        raise errors.InputError(str(path), "not a directory written by `eventwatch spark run` "
                                f"(missing {path.name}/)")
    return ds.dataset(path, format="parquet", partitioning="hive")


def _article(row: dict[str, Any]) -> Article:
    published = row.get("published")
    return Article(
        doc_id=row["doc_id"], text=row["text"], title=row.get("title"),
        published=dt.date.fromisoformat(published) if published else None,
        url=row.get("url"), path=row.get("path"), source_format=row["source_format"],
        captions=json.loads(row.get("captions") or "[]"), language=row.get("language"),
        raw_hash=row.get("raw_hash") or "", author=row.get("author"),
        site_name=row.get("site_name"), fetched_url=row.get("fetched_url"),
        extractor=row.get("extractor"),
    )


def _mentions_by_article(directory: Path) -> dict[str, list[tuple[int, str]]]:
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    table = _dataset(directory / "mentions").to_table(columns=["article_id", "position",
                                                                "record"])
    for batch in table.to_batches():
        for row in batch.to_pylist():
            found[row["article_id"]].append((row["position"], row["record"]))
    return found


def iter_documents(directory: Path) -> Iterator[DocumentResult | errors.InputError]:
    """Every article of the output with its events, as the extractor returned them."""
    mentions = _mentions_by_article(directory)
    for batch in _dataset(directory / "articles").to_batches():
        for row in batch.to_pylist():
            try:
                article = _article(row)
                if article.identity != row["id"]:
                    raise errors.MalformedRecord(row["doc_id"], "the article's id does not "
                                                 "match its text (edited after the job?)")
                events = [Event.from_dict(json.loads(record))
                          for _, record in sorted(mentions.get(row["id"], []))]
            except (KeyError, ValueError, TypeError) as exc:
                yield errors.MalformedRecord(str(row.get("doc_id")), f"unreadable row: {exc}")
                continue
            except errors.InputError as exc:
                yield exc
                continue
            yield DocumentResult(article, events)


def import_output(directory: Path, store: IngestStore, report: IngestReport | None = None,
                  on_error: Callable[[errors.InputError], None] | None = None) -> IngestReport:
    report = report or IngestReport()
    # Reading Parquet never waits on the network, so one batch (committed every few hundred
    # articles or second) spans the whole import.
    with store.batch():
        for item in iter_documents(directory):
            if isinstance(item, errors.InputError):
                report.failed[item.reason] += 1
                if on_error:
                    on_error(item)
                continue
            outcome = store.add_document(item)
            report.count(outcome)
            if outcome != "unchanged":
                report.events += len(item.events)
    return report
