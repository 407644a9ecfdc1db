"""Merging mentions into events at scale: block by place and date window, merge inside blocks.

Every mention is assigned to the blocks it can merge within: its country and first-level
division (unknown places block by country alone) crossed with a window of ``WINDOW_DAYS`` days.
A mention near a window boundary is also placed in the neighbouring window, so two reports of one
incident on either side of a boundary still meet. Inside a block the pure merge rules decide which
mentions report one incident (``cluster_block``); clusters that share a mention (it was in two
blocks) are then joined by label propagation, so every mention ends in exactly one event, which
``reconcile`` builds.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from .job import month_of

WINDOW_DAYS = 14
EVENT_COLUMNS = (
    ("id", "string"), ("event_type", "string"), ("sub_event_type", "string"),
    ("date_start", "string"), ("date_end", "string"), ("country_code", "string"),
    ("admin1", "string"), ("fatalities_best", "int"), ("mention_ids", "string"),
    ("record", "string"), ("month", "string"),
)


def _window(day: str | None) -> int | None:
    if not day:
        return None
    return dt.date.fromisoformat(day).toordinal() // WINDOW_DAYS


def block_keys(row: dict[str, Any]) -> list[tuple[str, bool]]:
    """``(block key, own)`` pairs for a mention row: its own block, and the neighbouring
    window's block on the side of the boundary it is nearer to."""
    place = f"{row.get('country_code') or '?'}|{row.get('admin1') or '?'}"
    window = _window(row.get("date_start"))
    if window is None:
        return [(f"{place}|undated", True)]
    keys = [(f"{place}|{window}", True)]
    ordinal = dt.date.fromisoformat(row["date_start"]).toordinal()
    offset = ordinal - window * WINDOW_DAYS
    if offset < WINDOW_DAYS // 2:
        keys.append((f"{place}|{window - 1}", False))
    else:
        keys.append((f"{place}|{window + 1}", False))
    return keys


def cluster_block(rows: list[dict[str, Any]]) -> list[list[str]]:
    """Which mentions of one block report the same incident: lists of mention ids.

    Until cross-document merging lands, each mention is its own incident.
    """
    return [[row["id"]] for row in sorted(rows, key=lambda r: r["id"])]


def reconcile(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One event record from the mention rows of one incident."""
    first = min(rows, key=lambda r: r["id"])
    record: dict[str, Any] = json.loads(first["record"])
    return record


def _event_row(label: str, rows: Iterable[dict[str, Any]]) -> tuple[Any, ...]:
    members = sorted(rows, key=lambda r: r["id"])
    record = reconcile(members)
    date = record.get("date") or {}
    loc = record.get("location") or {}
    return (record.get("id", label), record.get("event_type"), record.get("sub_event_type"),
            date.get("start"), date.get("end"), loc.get("country_code"), loc.get("admin1"),
            (record.get("fatalities") or {}).get("best"),
            json.dumps([r["id"] for r in members]),
            json.dumps(record, ensure_ascii=False, sort_keys=True), month_of(date.get("start")))


def _components(memberships: Any, max_rounds: int = 10) -> Any:
    """``(mention id, component label)``: clusters that share a mention (a mention near a window
    boundary is clustered in two blocks) are joined; the label is the smallest mention id."""
    # memberships: (cluster key, mention id); a cluster key names one cluster of one block.
    labels = memberships.map(lambda kv: (kv[1], kv[1]))
    for _ in range(max_rounds):
        cluster_label = (memberships.map(lambda kv: (kv[1], kv[0])).join(labels)
                         .map(lambda kv: kv[1]).reduceByKey(min))       # cluster -> label
        updated = (memberships.join(cluster_label).map(lambda kv: kv[1])
                   .reduceByKey(min))                                    # mention -> label
        changed = updated.join(labels).filter(lambda kv: kv[1][0] != kv[1][1]).count()
        labels = updated.cache()
        if changed == 0:
            break
    return labels


def merge_mentions_frame(mentions: Any, articles: Any) -> Any:
    """The ``events`` DataFrame from the ``mentions`` (and ``articles``) DataFrames."""
    del articles  # each mention's record carries its provenance already
    session = mentions.sparkSession
    rows = mentions.drop("month").rdd.map(lambda r: r.asDict()).cache()
    blocked = rows.flatMap(lambda row: [(key, row) for key, _owned in block_keys(row)])
    memberships = blocked.groupByKey().flatMap(
        lambda kv: [(f"{kv[0]}#{i}", mention_id)
                    for i, ids in enumerate(cluster_block(list(kv[1]))) for mention_id in ids])
    labels = _components(memberships)
    by_label = rows.map(lambda row: (row["id"], row)).join(labels).map(
        lambda kv: (kv[1][1], kv[1][0]))
    events = by_label.groupByKey().map(lambda kv: _event_row(kv[0], kv[1]))
    schema = ", ".join(f"{name} {kind}" for name, kind in EVENT_COLUMNS)
    return session.createDataFrame(events, schema=schema)
