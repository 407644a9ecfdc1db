"""Ingestion: articles in, events stored, every outcome counted; the library behind
``eventwatch ingest`` and ``eventwatch watch``.

Guarantees, and how they are kept:

- Idempotent: an article is identified by its canonical URL (else path) and content hash
  (``Article.identity``). One already stored is skipped before extraction, so re-running a job
  costs reading and text extraction only; a changed page at a known URL becomes a new version
  and its events replace the old ones (``Store.add_document``).
- Crash-safe and resumable: extracted articles are stored in groups (``commit_every`` articles
  or ``commit_seconds``, whichever comes first) in one transaction of a WAL database, each
  article in its own savepoint, so a process killed at any instant leaves every committed
  article complete and no half-written one; running the same command again skips what is
  stored and does the rest. The lock is taken only to write a ready group, never while waiting
  for the network or the extractor.
- Parallel: extraction runs in a process pool (``pipeline.extract_many``) over the same pure
  stage functions as everything else; reading and storing stay in this process.
- Bounded: inputs stream through; the pool works on bounded batches.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

from . import errors
from .language import is_english
from .models import Article, DocumentResult
from .pipeline import extract_many
from .settings import Settings
from .store.base import AddOutcome


class IngestStore(Protocol):
    def has_article(self, identity: str) -> bool: ...

    def add_document(self, result: DocumentResult) -> AddOutcome: ...

    def batch(self) -> AbstractContextManager[None]: ...


@dataclass
class IngestReport:
    """Counts of one run; ``failed`` by reason (the error class's ``reason``)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    not_english: int = 0
    events: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)

    @property
    def done(self) -> int:
        return self.added + self.updated + self.unchanged + sum(self.failed.values())

    @property
    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def count(self, outcome: AddOutcome) -> None:
        if outcome == "added":
            self.added += 1
        elif outcome == "updated":
            self.updated += 1
        else:
            self.unchanged += 1

    def summary(self) -> str:
        failed = sum(self.failed.values())
        reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(self.failed.items()))
        text = (f"{self.added} ingested, {self.updated} updated, {self.unchanged} unchanged, "
                f"{failed} failed" + (f" ({reasons})" if reasons else ""))
        if self.not_english:
            text += f"; {self.not_english} not in English (stored without extraction)"
        return text + f"; {self.events} event(s) stored"


Hook = Callable[[DocumentResult, AddOutcome], None]
ErrorHook = Callable[[errors.InputError], None]


def _skip_known(items: Iterable[Article | errors.InputError], store: IngestStore,
                report: IngestReport, progress: Callable[[IngestReport], None] | None
                ) -> Iterator[Article | errors.InputError]:
    for item in items:
        if isinstance(item, Article) and store.has_article(item.identity):
            report.unchanged += 1
            if progress:
                progress(report)
            continue
        yield item


def ingest_articles(
    items: Iterable[Article | errors.InputError], store: IngestStore, settings: Settings, *,
    report: IngestReport | None = None, on_error: ErrorHook | None = None,
    on_stored: Hook | None = None, progress: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Extract and store every article of ``items``; input errors are counted and passed to
    ``on_error``, stored documents to ``on_stored``. Store errors propagate (they are not about
    one document: a full disk or a locked database stops the run, and nothing half-done stays).
    """
    report = report or IngestReport()
    ready: list[DocumentResult] = []
    since = 0.0

    def store_ready() -> None:
        with store.batch():
            for result in ready:
                outcome = store.add_document(result)
                report.count(outcome)
                if not is_english(result.article.language):
                    report.not_english += 1
                if outcome != "unchanged":
                    report.events += len(result.events)
                if on_stored:
                    on_stored(result, outcome)
        ready.clear()

    for result in extract_many(_skip_known(items, store, report, progress), settings):
        if isinstance(result, errors.InputError):
            report.failed[result.reason] += 1
            if on_error:
                on_error(result)
        else:
            if not ready:
                since = time.monotonic()
            ready.append(result)
            if (len(ready) >= settings.commit_every
                    or time.monotonic() - since >= settings.commit_seconds):
                store_ready()
        if progress:
            progress(report)
    if ready:
        store_ready()
        if progress:
            progress(report)
    return report
