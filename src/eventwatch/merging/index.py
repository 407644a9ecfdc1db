"""Candidate lookup by date window and place, in memory: what the SQLite index does, for a batch
job (a Spark partition of one country, the benchmark's reference) and for tests.

Events are filed under (country, day) for every day of their reports' date ranges; a report
looks up the days of its own range widened by ``MAX_DAY_GAP``, in its country and among events of
unknown country. It never compares against every stored event.
"""

from __future__ import annotations

from collections import defaultdict

from .reports import MAX_DAY_GAP, Report, merged_id_for
from .scoring import Decision, decide

UNKNOWN_COUNTRY = ""


def lookup_keys(report: Report) -> list[tuple[str, int]]:
    """The (country, day) cells a report's candidates are filed under."""
    days = report.day_range()
    if days is None:
        return []
    countries = [report.country, UNKNOWN_COUNTRY] if report.country else [UNKNOWN_COUNTRY]
    return [(c, d) for c in countries
            for d in range(days[0] - MAX_DAY_GAP, days[1] + MAX_DAY_GAP + 1)]


def filing_keys(report: Report) -> list[tuple[str, int]]:
    """The (country, day) cells an event is filed under for one of its reports."""
    days = report.filing_days()
    if days is None:
        return []
    return [(report.country or UNKNOWN_COUNTRY, d) for d in range(days[0], days[1] + 1)]


class MemoryMerger:
    """Online merging of reports in arrival order, all state in memory."""

    def __init__(self) -> None:
        self.members: dict[str, list[Report]] = {}
        self.assignment: dict[str, str] = {}  # report id -> merged id
        self._cells: dict[tuple[str, int], list[str]] = defaultdict(list)
        self.comparisons = 0

    def candidates(self, report: Report) -> list[str]:
        seen: dict[str, None] = {}
        for key in lookup_keys(report):
            for merged_id in self._cells.get(key, ()):
                seen.setdefault(merged_id, None)
        return list(seen)

    def add(self, report: Report) -> Decision:
        """Assign ``report`` to an existing event or a new one; returns the decision."""
        ids = self.candidates(report)
        self.comparisons += len(ids)
        decision = decide(report, [(m, self.members[m]) for m in ids])
        merged_id = decision.merged_id
        if merged_id is None:
            attempt = 0
            merged_id = merged_id_for(report.key)
            while merged_id in self.members:
                attempt += 1
                merged_id = merged_id_for(report.key, attempt)
            self.members[merged_id] = []
        self.members[merged_id].append(report)
        self.assignment[report.report_id] = merged_id
        for key in filing_keys(report):
            cell = self._cells[key]
            if merged_id not in cell:
                cell.append(merged_id)
        return decision
