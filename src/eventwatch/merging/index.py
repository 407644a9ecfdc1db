"""Candidate lookup by date window and place, in memory: what the SQLite index does, for a batch
job (a Spark partition of one country, the benchmark's reference) and for tests.

Events are filed in cells (country, first-level division, day) for every day of their reports'
dates. A report looks up the days of its own range widened by ``MAX_DAY_GAP``, in its country
(and among events of unknown country), in its own division and among events whose division is
unknown; a report that names no division looks across the whole country. It never compares
against every stored event, and in a busy country it does not meet the other provinces' events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .reports import MAX_DAY_GAP, Report, merged_id_for
from .scoring import Decision, decide, sibling_decision

UNKNOWN = ""  # the country or division of a cell whose events do not name one

Cell = tuple[str, str, int]  # (folded country code, folded admin1, day ordinal)


@dataclass(frozen=True, slots=True)
class Lookup:
    """Where a report's candidates are filed: ``admin1s`` None means any division."""

    countries: tuple[str, ...]
    admin1s: tuple[str, ...] | None
    first_day: int
    last_day: int


def lookup_for(report: Report) -> Lookup | None:
    """The cells a report's candidates are filed in; None when the report has no date at all."""
    days = report.day_range()
    if days is None:
        return None
    countries = (report.country, UNKNOWN) if report.country else (UNKNOWN,)
    admin1s = (report.admin1, UNKNOWN) if report.country and report.admin1 else None
    return Lookup(countries, admin1s, days[0] - MAX_DAY_GAP, days[1] + MAX_DAY_GAP)


def filing_keys(report: Report) -> list[Cell]:
    """The cells an event is filed in for one of its reports."""
    days = report.filing_days()
    if days is None:
        return []
    country, admin1 = report.country or UNKNOWN, report.admin1 or UNKNOWN
    return [(country, admin1, d) for d in range(days[0], days[1] + 1)]


class MemoryMerger:
    """Online merging of reports in arrival order, all state in memory."""

    def __init__(self) -> None:
        self.members: dict[str, list[Report]] = {}
        self.assignment: dict[str, str] = {}  # report id -> merged id
        self._cells: dict[tuple[str, int], dict[str, list[str]]] = defaultdict(
            lambda: defaultdict(list))
        self.comparisons = 0
        self._articles: dict[str, list[tuple[Report, str]]] = defaultdict(list)

    def candidates(self, report: Report) -> list[str]:
        where = lookup_for(report)
        if where is None:
            return []
        seen: dict[str, None] = {}
        for country in where.countries:
            for day in range(where.first_day, where.last_day + 1):
                by_admin1 = self._cells.get((country, day))
                if not by_admin1:
                    continue
                admin1s = where.admin1s if where.admin1s is not None else tuple(by_admin1)
                for admin1 in admin1s:
                    for merged_id in by_admin1.get(admin1, ()):
                        seen.setdefault(merged_id, None)
        return list(seen)

    def add(self, report: Report, rivals: Sequence[Report] = ()) -> Decision:
        """Assign ``report`` to an existing event or a new one; returns the decision.

        ``rivals``: the reports of the same article still to be added (``scoring.decide``)."""
        siblings = self._articles[report.article_id]
        decision = sibling_decision(report, siblings)
        if decision is None:
            ids = self.candidates(report)
            self.comparisons += len(ids)
            decision = decide(report, [(m, self.members[m]) for m in ids], rivals)
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
        siblings.append((report, merged_id))
        for country, admin1, day in filing_keys(report):
            cell = self._cells[(country, day)][admin1]
            if merged_id not in cell:
                cell.append(merged_id)
        return decision
