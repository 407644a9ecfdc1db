"""``eventwatch eval merge``: B-cubed scores of cross-document merging on a gold JSONL file.

Each line is ``{"id", "text", "published", "cluster"}`` (``title`` and ``url`` optional):
``cluster`` names the gold incident the article reports, ``null`` when it reports none. Every
article is extracted and ingested, in file order, into a fresh database (so earlier runs cannot
help), then scored as an item of a clustering:

- the article's predicted cluster is the merged event of its main report (``main_first``: a
  recent incident before background ones, then the most confident), or a cluster of its own
  when no event was extracted;
- an article whose gold ``cluster`` is null is a gold cluster of its own;
- B-cubed precision/recall are averaged over articles (Bagga and Baldwin's definition), F1 is
  their harmonic mean; ``events_per_incident`` counts the distinct predicted clusters among the
  articles of each gold incident.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..merging.reports import lead_end, main_first
from ..pipeline import extract_many
from ..settings import Settings
from ..sources import iter_articles


@dataclass(slots=True)
class MergeScores:
    precision: float
    recall: float
    f1: float
    articles: int
    incidents: int
    events_per_incident: float
    max_events_per_incident: int
    per_incident: dict[str, int] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "bcubed": {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                       "f1": round(self.f1, 4)},
            "articles": self.articles, "incidents": self.incidents,
            "events_per_incident": round(self.events_per_incident, 3),
            "max_events_per_incident": self.max_events_per_incident,
            "per_incident": self.per_incident, "failed": self.failed,
            "seconds": round(self.seconds, 1),
        }


def bcubed(gold: Mapping[str, str], predicted: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of ``predicted`` against ``gold`` (item -> cluster).

    Both must cover the same items; an empty set of items scores 0.
    """
    if set(gold) != set(predicted):
        raise ValueError("gold and predicted clusterings cover different items")
    if not gold:
        return 0.0, 0.0, 0.0
    gold_members: dict[str, set[str]] = defaultdict(set)
    pred_members: dict[str, set[str]] = defaultdict(set)
    for item, cluster in gold.items():
        gold_members[cluster].add(item)
    for item, cluster in predicted.items():
        pred_members[cluster].add(item)
    precision = recall = 0.0
    for item in gold:
        g, p = gold_members[gold[item]], pred_members[predicted[item]]
        both = len(g & p)
        precision += both / len(p)
        recall += both / len(g)
    precision /= len(gold)
    recall /= len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def read_gold(path: str | Path) -> dict[str, str | None]:
    """Article id -> gold cluster (None for articles reporting no incident), in file order."""
    gold: dict[str, str | None] = {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"line {number}: not valid JSON ({exc.msg})") from exc
            if not isinstance(record, dict) or not isinstance(record.get("id"), str | int):
                raise ValueError(f"line {number}: a record needs an 'id'")
            if "cluster" not in record:
                raise ValueError(f"line {number}: a record needs a 'cluster' (null for none)")
            cluster = record["cluster"]
            doc_id = str(record["id"])
            if doc_id in gold:
                raise ValueError(f"line {number}: id {doc_id!r} appears twice")
            gold[doc_id] = None if cluster is None else str(cluster)
    if not gold:
        raise ValueError("no records")
    return gold


def run_merge_eval(path: str | Path, settings: Settings) -> MergeScores:
    """Ingest the gold file into a fresh temporary database and score the merged events."""
    from ..store.merged import MergedEvents
    from ..store.sqlite import SQLiteStore

    started = time.perf_counter()
    gold = read_gold(path)
    main_report: dict[str, str | None] = {}
    failed: list[str] = []
    items = iter_articles([str(path)], input_format="jsonl", published=None,
                          max_bytes=settings.max_input_bytes)
    with tempfile.TemporaryDirectory(prefix="eventwatch-merge-eval-") as tmp, \
            SQLiteStore(Path(tmp) / "eval.db") as store:
        for result in extract_many(items, settings):
            if isinstance(result, InputError):
                failed.append(str(result))
                continue
            article = result.article
            order = main_first([e.to_dict() for e in result.events], article.published,
                               lead_end(article.text, article.title))
            main_report[result.article.doc_id] = result.events[order[0]].id if order else None
            store.add_document(result)
        assigned = MergedEvents(store).assignments()
    predicted: dict[str, str] = {}
    gold_items: dict[str, str] = {}
    for doc_id, cluster in gold.items():
        gold_items[doc_id] = cluster if cluster is not None else f"none:{doc_id}"
        report = main_report.get(doc_id)
        predicted[doc_id] = assigned.get(report, f"none:{doc_id}") if report else f"none:{doc_id}"
    precision, recall, f1 = bcubed(gold_items, predicted)
    per_incident: dict[str, set[str]] = defaultdict(set)
    for doc_id, cluster in gold.items():
        if cluster is not None:
            per_incident[cluster].add(predicted[doc_id])
    counts = {cluster: len(events) for cluster, events in sorted(per_incident.items())}
    return MergeScores(
        precision=precision, recall=recall, f1=f1, articles=len(gold), incidents=len(counts),
        events_per_incident=sum(counts.values()) / len(counts) if counts else 0.0,
        max_events_per_incident=max(counts.values(), default=0), per_incident=counts,
        failed=failed, seconds=time.perf_counter() - started,
    )
