"""Cross-document merging: one incident reported by many articles becomes one merged event.

Pure logic only (no database code), so the SQLite store (``store/merged.py``) and a batch job call
the same functions:

- ``reports``: the features of one report (a per-article event) and the stable ids;
- ``scoring``: candidate scores, vetoes and the join decision with its reason;
- ``reconcile``: the merged record from its reports (low/best/high tolls, most precise date and
  place, upgraded attribution, every source listed);
- ``index``: candidate lookup by (country, day) cells, in memory.
"""

from __future__ import annotations

from .index import MemoryMerger
from .reconcile import Source, reconcile
from .reports import Report, merged_id_for, report_from_record, report_key
from .scoring import JOIN_THRESHOLD, Decision, decide, score_pair

__all__ = ["JOIN_THRESHOLD", "Decision", "MemoryMerger", "Report", "Source", "decide",
           "merged_id_for", "reconcile", "report_from_record", "report_key", "score_pair"]
