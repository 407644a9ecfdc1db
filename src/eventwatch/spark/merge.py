"""Merging mentions into events at scale: block by country and date window, merge inside blocks.

A mention is placed in every block it could merge within: its country crossed with each window of
``WINDOW_DAYS`` days that its candidate days (``Report.day_range`` widened by ``MAX_DAY_GAP``, as
the local index looks them up) overlap. Two reports of one incident on either side of a window
boundary therefore still meet in a block. Inside a block, ``MemoryMerger``, the same decisions as
the SQLite store's merge (``eventwatch.merging``), runs over the reports in a canonical order:
publication date, article, the article's main report first (each report sees the article's later
reports as rivals, as the store does: ``scoring.decide``). Clusters that share a mention (it sat
in two blocks) are joined (union-find on the driver over those links), so every mention ends in
exactly one event; the event's id comes from its first report in that order (``merged_id_for``)
and its record from ``merging.reconcile``, with every source and the per-value provenance.

Differences from the local store, by design: the local store merges in arrival order, so for
equal inputs an event founded by another report may carry another id; reports of unknown
country are merged only among themselves; analyst decisions live in the local store only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from ..merging import MemoryMerger, Report, Source, merged_id_for, reconcile, report_from_record
from ..merging.reports import MAX_DAY_GAP
from .job import month_of

WINDOW_DAYS = 14
EVENT_COLUMNS = (
    ("id", "string"), ("event_type", "string"), ("sub_event_type", "string"),
    ("date_start", "string"), ("date_end", "string"), ("country_code", "string"),
    ("admin1", "string"), ("fatalities_best", "int"), ("mention_ids", "string"),
    ("record", "string"), ("month", "string"),
)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def to_report(row: dict[str, Any]) -> Report:
    return report_from_record(json.loads(row["record"]), key=row["report_key"],
                              article_id=row["article_id"],
                              published=_date(row["article_published"]),
                              title=row["article_title"])


def order_key(row: dict[str, Any]) -> tuple[bool, str, str, int]:
    """The canonical merge order: oldest publication first, then article, then main report."""
    published = row.get("article_published")
    return (published is None, published or "", row["article_id"], int(row["rank"]))


def block_keys(row: dict[str, Any]) -> list[str]:
    """The blocks of a mention row (see the module docstring)."""
    report = to_report(row)
    country = report.country or "?"
    days = report.day_range()
    if days is None:
        return [f"{country}|undated|{row['id']}"]  # it can only found its own event
    first = (days[0] - MAX_DAY_GAP) // WINDOW_DAYS
    last = (days[1] + MAX_DAY_GAP) // WINDOW_DAYS
    return [f"{country}|{window}" for window in range(first, last + 1)]


def cluster_block(rows: Iterable[dict[str, Any]]) -> list[list[str]]:
    """Mention ids grouped by incident, decided by the local merge rules in canonical order."""
    merger = MemoryMerger()
    reports = [to_report(row) for row in sorted(rows, key=order_key)]
    for number, report in enumerate(reports):
        # The article's reports still to come (they follow each other in this order).
        rivals = []
        for later in reports[number + 1:]:
            if later.article_id != report.article_id:
                break
            rivals.append(later)
        merger.add(report, rivals)
    return [[r.report_id for r in members] for members in merger.members.values()]


def event_row(rows: Iterable[dict[str, Any]]) -> tuple[Any, ...]:
    """The ``events`` row of one incident from its mention rows."""
    members = sorted(rows, key=order_key)
    merged_id = merged_id_for(members[0]["report_key"])
    sources = [Source(report_id=r["id"], key=r["report_key"], article_id=r["article_id"],
                      url=r["article_url"], path=r["article_path"], title=r["article_title"],
                      published=r["article_published"], record=json.loads(r["record"]))
               for r in members]
    record = reconcile(merged_id, sources)
    date, loc = record["date"], record["location"]
    return (merged_id, record["event_type"], record["sub_event_type"], date["start"],
            date["end"], loc["country_code"], loc["admin1"], record["fatalities"]["best"],
            json.dumps(sorted(r["id"] for r in members)),
            json.dumps(record, ensure_ascii=False, sort_keys=True), month_of(date["start"]))


def linked_roots(links: Iterable[list[str]]) -> dict[str, str]:
    """Union-find over cluster keys: each list names clusters that share a mention; returns, for
    every cluster key named, the smallest key of its connected component."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        parent.setdefault(key, key)
        root = key
        while parent[root] != root:
            root = parent[root]
        while parent[key] != root:              # path compression keeps later finds short
            parent[key], key = root, parent[key]
        return root

    for keys in links:
        first = find(keys[0])
        for key in keys[1:]:
            other = find(key)
            if other != first:
                # the smaller key becomes the root, so the result does not depend on link order
                first, other = min(first, other), max(first, other)
                parent[other] = first
    return {key: find(key) for key in parent}


def _components(memberships: Any, partitions: int) -> Any:
    """``(mention id, label)``: clusters of different blocks that share a mention are joined;
    the label is the smallest cluster key of the component."""
    # memberships: (cluster key, mention id); a cluster key names one cluster of one block.
    # Only mentions near a window boundary sit in two blocks, so the links between clusters are
    # few (a small share of the mentions) and are resolved in one pass on the driver; iterating
    # joins on the cluster instead costs a round of shuffles per step of the longest chain.
    by_mention = (memberships.map(lambda kv: (kv[1], kv[0])).groupByKey(partitions)
                  .mapValues(sorted).cache())              # read twice: links, labels
    links = by_mention.filter(lambda kv: len(kv[1]) > 1).values().collect()
    roots = memberships.context.broadcast(linked_roots(links))
    return by_mention.map(lambda kv: (kv[0], roots.value.get(kv[1][0], kv[1][0])))


def merge_mentions_frame(mentions: Any, partitions: int | None = None) -> Any:
    """The ``events`` DataFrame from the ``mentions`` DataFrame. ``partitions``: of every shuffle
    (default two per core); a small mentions dataset is read as one partition, and without it
    every merge step would run in one task."""
    session = mentions.sparkSession
    partitions = partitions or max(2, session.sparkContext.defaultParallelism * 2)
    rows = (mentions.drop("month").rdd.repartition(partitions).map(lambda r: r.asDict())
            .cache())
    blocked = rows.flatMap(lambda row: [(key, row) for key in block_keys(row)])
    memberships = blocked.groupByKey(partitions).flatMap(
        lambda kv: [(f"{kv[0]}#{i}", mention_id)
                    for i, ids in enumerate(cluster_block(kv[1])) for mention_id in ids])
    labels = _components(memberships, partitions)
    by_label = rows.map(lambda row: (row["id"], row)).join(labels, partitions).map(
        lambda kv: (kv[1][1], kv[1][0]))
    events = by_label.groupByKey(partitions).map(lambda kv: event_row(kv[1]))
    schema = ", ".join(f"{name} {kind}" for name, kind in EVENT_COLUMNS)
    return session.createDataFrame(events, schema=schema)
