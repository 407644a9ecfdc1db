"""One merged event from its reports: reconciled values, the sources and where each value came from.

The merged record has the shape of ``Event.to_dict()`` (docs/event-record.md) so every consumer of
events reads it unchanged, plus ``sources`` (one entry per report with that report's own values)
and ``merge`` (history and decisions, filled in by the store). Spans in the reconciled fields
point into the article of the report the value was taken from; ``merge.value_sources`` names it.

Rules (docs/merging.md):
- fatalities and injured: ``low`` the smallest figure any source gives, ``best`` the largest
  ``best`` (tolls rise as the dead are counted, so a later, higher report supersedes an earlier
  one), ``high`` the largest upper bound; perpetrator deaths the same way, apart from the toll;
- date and place: the most precise the reports support; among equally precise ones, the value
  most reports give, then the earliest report's;
- type: the type most reports give (weighted by their confidence);
- perpetrators: named groups from every report, each with its strongest attribution (claimed >
  stated > suspected), so one outlet's report of a claim upgrades another's suspicion; unnamed
  descriptions ("gunmen") only when no report names a group.

Pure functions; no database code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .reports import fold

_DATE_RANK = {"day": 4, "week": 3, "month": 2, "year": 1, "unknown": 0}
_GEO_RANK = {"point": 4, "admin2": 3, "admin1": 2, "country": 1, "unknown": 0}
_ATTRIBUTION_RANK = {"claimed": 3, "stated": 2, "suspected": 1, None: 0}
MAX_LISTED = 12  # victims/targets/weapons kept in the merged record
_NO_COUNT: dict[str, Any] = {"best": None, "low": None, "high": None, "text": None, "span": None}


@dataclass(frozen=True, slots=True)
class Source:
    """One report of a merged event with the article it came from."""

    report_id: str
    key: str
    article_id: str
    url: str | None
    path: str | None
    title: str | None
    published: str | None  # YYYY-MM-DD
    record: dict[str, Any]  # the report's own Event.to_dict()

    def to_dict(self) -> dict[str, Any]:
        return {"report_id": self.report_id, "article_id": self.article_id, "url": self.url,
                "path": self.path, "title": self.title, "published": self.published,
                "event": self.record}


def _order(sources: Sequence[Source]) -> list[Source]:
    """Oldest publication first (unknown last), then report id: a stable order for tie-breaks."""
    return sorted(sources, key=lambda s: (s.published is None, s.published or "", s.report_id))


def _pick(sources: list[Source], rank: Callable[[Source], int],
          value: Callable[[Source], Any]) -> Source:
    """The source whose value is most precise, then most often given, then earliest."""
    top = max(rank(s) for s in sources)
    best = [s for s in sources if rank(s) == top]
    votes = Counter(value(s) for s in best)
    winner = max(best, key=lambda s: votes[value(s)])  # max keeps the first among equals
    return winner


def _date_value(s: Source) -> Any:
    d = s.record["date"]
    return (d["start"], d["end"])


def _place_value(s: Source) -> Any:
    loc = s.record["location"]
    return (loc["country_code"], loc["admin1"], loc["admin2"], fold(loc["name"] or ""))


def reconcile_count(counts: list[dict[str, Any]]) -> tuple[dict[str, Any], int | None]:
    """Low/best/high across sources and the index of the count that gave ``best``."""
    known = [(i, c) for i, c in enumerate(counts) if c["best"] is not None]
    if not known:
        return {"best": None, "low": None, "high": None, "text": None, "span": None}, None
    best_i, best_c = max(known, key=lambda ic: (ic[1]["best"], -ic[0]))
    lows = [c["low"] if c["low"] is not None else c["best"] for _, c in known]
    highs = [c["high"] if c["high"] is not None else c["best"] for _, c in known]
    out = {"best": best_c["best"], "low": min(lows), "high": max(highs),
           "text": best_c["text"], "span": best_c["span"]}
    return out, best_i


def _perpetrators(sources: list[Source]) -> list[dict[str, Any]]:
    named: dict[str, dict[str, Any]] = {}
    unnamed: dict[str, dict[str, Any]] = {}
    for s in sources:
        for p in s.record["perpetrators"]:
            if p.get("name"):
                kept = named.get(p["name"])
                if kept is None or (_ATTRIBUTION_RANK[p.get("attribution")]
                                    > _ATTRIBUTION_RANK[kept.get("attribution")]):
                    named[p["name"]] = dict(p)
            else:
                unnamed.setdefault(fold(p["text"]), dict(p))
    return list(named.values()) if named else list(unnamed.values())[:3]


def _union(sources: list[Source], role: str) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for s in sources:
        for item in s.record[role]:
            seen.setdefault(fold(item["text"]), item)
    return list(seen.values())[:MAX_LISTED]


def _event_type(sources: list[Source]) -> Source:
    weight: dict[tuple[str, str], float] = {}
    for s in sources:
        kind = (s.record["event_type"], s.record["sub_event_type"])
        weight[kind] = weight.get(kind, 0.0) + 0.5 + float(s.record["confidence"])
    top = max(weight.values())
    return next(s for s in sources
                if weight[(s.record["event_type"], s.record["sub_event_type"])] == top)


def reconcile(merged_id: str, sources: Sequence[Source]) -> dict[str, Any]:
    """The merged record (``Event.to_dict()`` shape plus ``sources``) of a non-empty event."""
    if not sources:
        raise ValueError(f"merged event {merged_id} has no reports to reconcile")
    ordered = _order(sources)
    typed = _event_type(ordered)
    dated = _pick(ordered, lambda s: _DATE_RANK.get(s.record["date"]["precision"], 0)
                  if s.record["date"]["start"] else 0, _date_value)
    placed = _pick(ordered, lambda s: _GEO_RANK.get(s.record["location"]["precision"], 0),
                   _place_value)
    fatalities, f_i = reconcile_count([s.record["fatalities"] for s in ordered])
    injured, i_i = reconcile_count([s.record["injured"] for s in ordered])
    # Reported apart from the toll by each source that gives them (records stored before the
    # field existed have none): an outlet that counts the bomber does not raise the toll.
    attackers, a_i = reconcile_count([s.record.get("perpetrator_deaths") or _NO_COUNT
                                      for s in ordered])
    lead = max(ordered, key=lambda s: float(s.record["confidence"]))  # first among equals
    perpetrators = _perpetrators(ordered)
    value_sources = {
        "event_type": typed.report_id, "date": dated.report_id, "location": placed.report_id,
        "fatalities": ordered[f_i].report_id if f_i is not None else None,
        "injured": ordered[i_i].report_id if i_i is not None else None,
        "perpetrator_deaths": ordered[a_i].report_id if a_i is not None else None,
        "evidence": lead.report_id,
    }
    return {
        "id": merged_id,
        "doc_id": lead.record["doc_id"],
        "event_type": typed.record["event_type"],
        "sub_event_type": typed.record["sub_event_type"],
        "attack_type": typed.record["attack_type"],
        "date": dated.record["date"],
        "location": placed.record["location"],
        "perpetrators": perpetrators,
        "victims": _union(ordered, "victims"),
        "targets": _union(ordered, "targets"),
        "weapons": _union(ordered, "weapons"),
        "fatalities": fatalities,
        "injured": injured,
        "perpetrator_deaths": attackers,
        "evidence": lead.record["evidence"],
        "confidence": max(float(s.record["confidence"]) for s in ordered),
        "trigger": lead.record["trigger"],
        "extractor": lead.record["extractor"],
        "sources": [s.to_dict() for s in ordered],
        "merge": {"reports": len(ordered), "value_sources": value_sources},
    }
