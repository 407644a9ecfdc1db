"""Does a new report describe the same incident as a candidate event? Scores and reasons.

A report is compared with each member report of a candidate event (at most ``MAX_COMPARED`` of
them: the founder and the latest). Each pair gets part scores in 0..1 for date, place, type,
wording, perpetrators and casualties, combined with fixed weights; some differences veto a join
outright (another country, places far apart, dates more than ``MAX_DAY_GAP`` days apart, a protest
against an armed attack, two reports of one article). The report joins the best candidate whose
score reaches ``JOIN_THRESHOLD``, else it starts a new event. Two reports of one article join one
event only as one incident told twice (``same_incident``, before any scoring), and an event that a
later report of the article, told apart from this one, matches better is left to it (``decide``'s
rivals). Every decision keeps the candidates' part scores and a sentence saying why, for the
audit trail.

Pure functions; no database code (the SQLite store and a Spark job call the same ones).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .reports import MAX_DAY_GAP, Report

JOIN_THRESHOLD = 0.62
MAX_COMPARED = 6
WEIGHTS = {"date": 0.24, "place": 0.26, "type": 0.14, "wording": 0.2, "actors": 0.08,
           "casualties": 0.08}
# Two places of one province further apart than this are different incidents whatever else
# agrees; closer ones may be one incident coded to a town by one outlet and to the next by another.
NEAR_KM = 40.0
FAR_KM = 120.0
# Two reports of one article naming different places this close (or a province and a place in
# it) on compatible dates are one incident the extractor told twice: a headline's city and the
# body's suburb.
SIBLING_KM = 50.0

_VIOLENT = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_UNREST = frozenset({"Protests", "Riots"})
_BOMBS = frozenset({"Suicide bomb", "Remote explosive/landmine/IED", "Grenade"})
_GEO_RANK = {"point": 4, "admin2": 3, "admin1": 2, "country": 1, "unknown": 0}


@dataclass(frozen=True, slots=True)
class PairScore:
    """How well two reports match: combined ``total``, ``parts`` and a ``veto`` reason if any."""

    total: float
    parts: dict[str, float]
    notes: tuple[str, ...]
    veto: str | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A candidate event's best pair score with the new report."""

    merged_id: str
    score: PairScore
    compared_with: str  # report id of the member that scored best

    def to_dict(self) -> dict[str, Any]:
        return {"event": self.merged_id, "score": round(self.score.total, 3),
                "parts": {k: round(v, 3) for k, v in self.score.parts.items()},
                "veto": self.score.veto, "compared_with": self.compared_with}


@dataclass(frozen=True, slots=True)
class Decision:
    """Join ``merged_id`` (None: start a new event), with the candidates and the reason."""

    merged_id: str | None
    score: float | None
    reason: str
    candidates: list[Candidate] = field(default_factory=list)

    def candidates_json(self) -> list[dict[str, Any]]:
        return [c.to_dict() for c in self.candidates]


def date_part(a: Report, b: Report) -> tuple[float, str | None, str]:
    """Date agreement, veto reason, note. Gaps count from interval edges, so precision matters:
    a month-dated report is compatible with every day of that month, but scores lower."""
    ra, rb = a.day_range(), b.day_range()
    if ra is None or rb is None:
        return 0.4, None, "a date unknown"
    gap = max(0, rb[0] - ra[1], ra[0] - rb[1])
    if gap > MAX_DAY_GAP:
        return 0.0, f"dates {gap} days apart", f"dates {gap} days apart"
    dated = a.start is not None and b.start is not None
    exact = dated and a.precision == b.precision == "day"
    if not dated:  # at least one dated only by its publication
        return _publication_date_part(a, b, gap)
    if exact:
        return (1.0, 0.7, 0.45, 0.25)[gap], None, "same day" if gap == 0 else f"{gap} day(s) apart"
    return 0.6 - 0.1 * gap, None, "compatible dates of different precision"


def _publication_date_part(a: Report, b: Report, gap: int) -> tuple[float, str | None, str]:
    """An undated report was most likely published the day of the incident or the day after:
    a candidate dated within two days before its publication scores higher than one dated
    earlier in the week."""
    undated, other = (a, b) if a.start is None else (b, a)
    if undated.published is not None and other.start is not None and other.end is not None:
        lag = undated.published.toordinal() - other.end.toordinal()
        if 0 <= lag <= 2:
            return 0.75, None, f"dated by publication {lag} day(s) after the other's date"
    elif (undated.published is not None and other.published is not None
          and abs(undated.published.toordinal() - other.published.toordinal()) <= 1):
        return 0.6, None, "both dated by publication, a day apart at most"
    return 0.5 - 0.1 * gap, None, "dated by publication"


def _km(a: Report, b: Report) -> float | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def place_part(a: Report, b: Report) -> tuple[float, str | None, str]:
    """Place agreement: same town best; a province and a town inside it agree; distance decides
    between different named places of the same country."""
    if a.country and b.country and a.country != b.country:
        return 0.0, "different countries", "different countries"
    if not a.country or not b.country:
        return 0.35, None, "a place unknown"
    fine = min(_GEO_RANK.get(a.geo_precision, 0), _GEO_RANK.get(b.geo_precision, 0))
    if a.place and a.place == b.place and fine >= 2:
        return 1.0, None, f"same place ({a.place})"
    km = _km(a, b) if fine >= 3 else None
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        # The candidate index files events by province, so this only decides between reports
        # compared directly (tests, a batch job); both must agree.
        return 0.0, "different provinces", f"different provinces ({a.admin1}, {b.admin1})"
    if km is not None and km > FAR_KM:
        return 0.0, f"places {km:.0f} km apart", f"places {km:.0f} km apart"
    if a.admin2 and b.admin2:
        if a.admin2 == b.admin2:
            return 0.9, None, f"same district ({a.admin2})"
        if km is not None and km <= NEAR_KM:
            return 0.6, None, f"nearby places {km:.0f} km apart"
        return 0.25, None, "different districts of one province"
    if a.admin1 and a.admin1 == b.admin1:
        if fine >= 3 and km is not None and km <= NEAR_KM:
            return 0.85, None, f"places {km:.0f} km apart in {a.admin1}"
        return 0.75, None, f"same province ({a.admin1}), one report less precise"
    return 0.5, None, "same country, one report names no province"


def type_part(a: Report, b: Report) -> tuple[float, str | None, str]:
    """Outlets code one incident differently (a bombing that killed civilians is an explosion to
    one, violence against civilians to another), but a protest is never an armed attack."""
    if a.event_type == b.event_type:
        if a.sub_event_type == b.sub_event_type:
            return 1.0, None, f"same type ({a.event_type}, {a.sub_event_type})"
        note = f"same type, sub-types differ ({a.sub_event_type}, {b.sub_event_type})"
        if _weapon_group(a.sub_event_type) != _weapon_group(b.sub_event_type):
            # A mortar round and a car bomb are both explosions but not one incident; a car
            # bomb is a suicide bomb to one outlet and an IED to another.
            return 0.25, None, note
        return 0.6, None, note
    if a.event_type in _VIOLENT and b.event_type in _VIOLENT:
        return 0.45, None, "related violent types"
    if a.event_type in _UNREST and b.event_type in _UNREST:
        return 0.5, None, "protest and riot"
    return 0.0, f"incompatible types ({a.event_type}, {b.event_type})", "incompatible types"


def _weapon_group(sub_event_type: str) -> str:
    return "bombs" if sub_event_type in _BOMBS else sub_event_type


def wording_part(a: Report, b: Report) -> tuple[float, str]:
    """Cosine of the two reports' distinctive word sets, stretched: unrelated reports of violence
    share few words once the stopwords are gone, reports of one incident share names."""
    if not a.words or not b.words:
        return 0.3, "no wording to compare"
    shared = len(a.words & b.words)
    cosine = shared / math.sqrt(len(a.words) * len(b.words))
    return min(1.0, cosine * 2.5), f"wording {cosine:.2f}"


def actors_part(a: Report, b: Report) -> tuple[float, str]:
    if a.actors and b.actors:
        if a.actors & b.actors:
            return 1.0, "same perpetrator"
        return 0.0, "different named perpetrators"
    return 0.5, "perpetrator named by at most one"


def casualties_part(a: Report, b: Report) -> tuple[float, str]:
    """Tolls rise over days and differ between outlets; only wildly different tolls count."""
    fa, fb = a.fatalities, b.fatalities
    if fa is None or fb is None:
        return 0.5, "a toll unknown"
    low, high = min(fa, fb), max(fa, fb)
    if high - low <= 3 or low >= 0.5 * high:
        return 1.0, f"tolls {fa} and {fb} agree"
    if low >= 0.2 * high:
        return 0.6, f"tolls {fa} and {fb} differ"
    return 0.1, f"tolls {fa} and {fb} far apart"


def score_pair(a: Report, b: Report) -> PairScore:
    """Part scores, combined total and veto (if any) for two reports."""
    if a.article_id == b.article_id:
        # The extractor already merged everything one article says about one incident.
        return PairScore(0.0, {}, ("same article",), "two reports of one article")
    date, date_veto, date_note = date_part(a, b)
    place, place_veto, place_note = place_part(a, b)
    kind, type_veto, type_note = type_part(a, b)
    veto = date_veto or place_veto or type_veto
    if veto:  # the other parts cannot change the outcome; skip the costly wording
        parts = {"date": date, "place": place, "type": kind}
        return PairScore(0.0, parts, (date_note, place_note, type_note), veto)
    wording, wording_note = wording_part(a, b)
    actors, actors_note = actors_part(a, b)
    casualties, casualties_note = casualties_part(a, b)
    parts = {"date": date, "place": place, "type": kind, "wording": wording, "actors": actors,
             "casualties": casualties}
    total = sum(WEIGHTS[name] * value for name, value in parts.items())
    notes = (date_note, place_note, type_note, wording_note, actors_note, casualties_note)
    return PairScore(total, parts, notes, None)


def told_apart(a: Report, b: Report) -> str | None:
    """What makes two reports (of one article) two incidents, or None when nothing does: another
    country, type or weapon group, dates more than a day apart (a night attack is dated to
    either day), tolls that disagree, or places more than ``SIBLING_KM`` apart."""
    if not a.country or not b.country or a.country != b.country:
        return "different or unknown countries"
    if a.event_type != b.event_type or (
            _weapon_group(a.sub_event_type) != _weapon_group(b.sub_event_type)):
        return "different types"
    if a.start is not None and b.start is not None and a.end is not None \
            and b.end is not None and max((a.start - b.end).days, (b.start - a.end).days) > 1:
        return "dates more than a day apart"
    if a.fatalities is not None and b.fatalities is not None \
            and casualties_part(a, b)[0] < 1.0:
        return "tolls disagree"
    km = _km(a, b)  # not provinces: a city and its suburb may lie in two (Moscow, Krasnogorsk)
    if km is not None and km > SIBLING_KM:
        return f"places {km:.0f} km apart"
    return None


def same_incident(a: Report, b: Report) -> str | None:
    """Why two reports of one article are one incident, or None when they may be two.

    The extractor keeps one report per incident and place it reads, so an article whose headline
    names a city and whose body names the suburb can yield two reports of one incident. They are
    taken as one only when nothing tells them apart (``told_apart``) and they name *different*
    places that are close (two points within ``SIBLING_KM``) or nested (a province or district
    and a place inside it). Two reports of one named place are kept apart: the extractor split
    them for a reason the features do not show ("a second blast hours later").
    """
    if a.article_id != b.article_id or told_apart(a, b) is not None:
        return None
    if not a.place or not b.place or a.place == b.place:
        return None
    nested = _nested(a, b) or _nested(b, a)
    if nested:
        return f"{nested} (one incident told twice by the article)"
    ranks = (_GEO_RANK.get(a.geo_precision, 0), _GEO_RANK.get(b.geo_precision, 0))
    km = _km(a, b)
    if min(ranks) >= 4 and km is not None:
        return (f"{a.place} and {b.place} {km:.0f} km apart (one incident told twice by the "
                "article)")
    return None


def _nested(outer: Report, inner: Report) -> str | None:
    """A province- or district-level report and a finer place inside it."""
    if outer.geo_precision == "admin1" and outer.admin1 and outer.admin1 == inner.admin1 \
            and _GEO_RANK.get(inner.geo_precision, 0) > 2:
        return f"{inner.place} lies in {outer.admin1}"
    if outer.geo_precision == "admin2" and outer.admin2 and outer.admin2 == inner.admin2 \
            and _GEO_RANK.get(inner.geo_precision, 0) > 3:
        return f"{inner.place} lies in {outer.admin2}"
    return None


def sibling_decision(report: Report,
                     siblings: Sequence[tuple[Report, str]]) -> Decision | None:
    """Join the event of an earlier report of the same article that is the same incident
    (``same_incident``); None when there is none and the report is scored as usual."""
    for sibling, merged_id in siblings:
        why = same_incident(report, sibling)
        if why is not None:
            return Decision(merged_id, None,
                            f"joined with report {sibling.report_id} of the same article: {why}")
    return None


def score_candidate(report: Report, merged_id: str, members: Sequence[Report]) -> Candidate:
    """The best pair score of ``report`` with the members of one candidate event.

    A report from an article that already reported into this event vetoes the event: one article
    does not report one incident twice.
    """
    # The store passes only these members; the same-article check still sees the article's
    # own earlier report, which is always among the latest.
    compared = list(members[:1]) + list(members[1:][-(MAX_COMPARED - 1):])
    best: tuple[PairScore, str] | None = None
    for member in compared:
        if member.article_id == report.article_id:
            return Candidate(merged_id, score_pair(report, member), member.report_id)
    for member in compared:
        pair = score_pair(report, member)
        if best is None or pair.total > best[0].total:
            best = (pair, member.report_id)
    if best is None:
        return Candidate(merged_id, PairScore(0.0, {}, ("empty event",), "no reports"), "")
    return Candidate(merged_id, best[0], best[1])


def decide(report: Report, candidates: Sequence[tuple[str, Sequence[Report]]],
           rivals: Sequence[Report] = ()) -> Decision:
    """Join the best-scoring candidate event at or above ``JOIN_THRESHOLD``, else start one.

    Candidates are scored in the order given; ties keep the first (the store passes them oldest
    first, so the decision is the same on every run). ``rivals`` are the article's reports still
    to be merged: an article that tells two incidents of one place (a car bomb on Monday, "a car
    bomb on Saturday killed four") has one report per incident, and an event that a rival told
    apart from this report (``told_apart``) matches better is left to it, since one article
    does not report one incident twice.
    """
    scored = [score_candidate(report, merged_id, members) for merged_id, members in candidates]
    ranked = sorted(scored, key=lambda c: -c.score.total)
    top = ranked[:5]
    by_id = dict(candidates)
    left: list[str] = []
    for best in ranked:
        if best.score.total < JOIN_THRESHOLD:
            break
        claimed = _claimed_by(report, best, by_id[best.merged_id], rivals)
        if claimed is not None:
            left.append(f"{best.merged_id} left to {claimed}")
            continue
        reason = (f"joined: score {best.score.total:.2f} >= {JOIN_THRESHOLD} with report "
                  f"{best.compared_with}: " + "; ".join(best.score.notes))
        return Decision(best.merged_id, best.score.total, reason, top)
    if not ranked:
        return Decision(None, None, "new event: no candidate event in the date window and place")
    if left:
        return Decision(None, None, f"new event: {'; '.join(left)}", top)
    best = ranked[0]
    why = best.score.veto or f"best score {best.score.total:.2f} < {JOIN_THRESHOLD}"
    return Decision(None, None, f"new event: {len(ranked)} candidate(s), none close enough "
                                f"(best {best.merged_id}: {why})", top)


def _claimed_by(report: Report, candidate: Candidate, members: Sequence[Report],
                rivals: Sequence[Report]) -> str | None:
    """The rival report of the same article that matches ``candidate`` better, if any."""
    for rival in rivals:
        if told_apart(report, rival) is None:
            continue  # maybe one incident: nothing says the rival is the better owner
        theirs = score_candidate(rival, candidate.merged_id, members).score.total
        if theirs > candidate.score.total:
            return (f"report {rival.report_id} of the same article, which matches it better "
                    f"({theirs:.2f} > {candidate.score.total:.2f})")
    return None
