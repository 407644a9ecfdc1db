"""Toponyms resolved against the gazetteer with document context.

Finding them is ``toponyms``' work (re-exported here: ``find_toponyms``, ``person_spans``).
Resolving: each candidate is scored by feature class, population, the countries and provinces the
document is about (names, demonyms, the dateline), the cue, containment ("Sabari district,
Khost province") and two geographic priors: other names with a place nearby, and nearness to
the middle of the places the document names surely. The most specific place of an event
becomes its ``Location``.
"""

from __future__ import annotations

import dataclasses
import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from .demonyms import DEMONYM_WORD, demonym_country, demonym_stems
from .gazetteer import FEATURE_RANK, Gazetteer, Toponym, haversine_km, normalise
from .models import Location, Place, Span
from .toponyms import (
    CUE_FEATURE,
    Unit,
    contained_in_division,
    find_toponyms,
    person_spans,
    region_support,
    unit_of,
)

__all__ = ["ResolvedPlace", "document_context", "dominant_country", "find_demonyms",
           "find_toponyms", "most_specific", "person_spans", "region_support",
           "resolve_toponyms", "to_location"]

_MIN_SCORE = 2.0
_PRIMARY_BONUS = 5.0  # a place's own name, not one of its alternate names
_GENERIC_WORD = re.compile(r"\s+(?:province|governorate|state|region|district|county|parish|"
                           r"prefecture|department|municipality|oblast|territory|division)$|"
                           r"^(?:province|state|region|district|governorate) of\s+|"
                           r",\s+respublika$", re.I)
_DIVISION_POPULATION = 2.5  # log10(population) / 2 above which a division's size counts
_REGION_WEIGHT = 5.0  # the bonus of the division most of the document's names share
_NAMESAKE_TOWN = 5000  # population from which a town shares its name with a country
_ACRONYM = re.compile(r"[A-Z.]{2,5}")
_NO_POINT = 6.0  # what a place without coordinates loses
_WORLD_CITY = 300_000  # a place this large is meant whenever its country is mentioned
_LOCAL = frozenset({"city", "admin2", "neighbourhood"})  # places the proximity prior weighs
_NEAR_WEIGHT = 3.0  # the bonus of a place at the centre of the document's sure places ...
_NEAR_KM = 150.0  # ... falling to nothing at this distance
_SURE_MARGIN = 1.0  # score lead over every namesake further than _NEAR_KM that makes a place sure
_CLUSTER_KM = 40.0  # other names with a place this near a candidate make it likelier ...
_CLUSTER_WEIGHT = 3.0  # ... by up to this much ...
_CLUSTER_CAP = 3  # ... reached with this many such names
_MIN_SURE = 1  # sure places (other than the name itself) a centre needs
_MILLION_CITY = 1_000_000  # a city this large is meant unless the text places a namesake
_HOME_WEIGHT = 3.0  # the bonus of a local place in its source's home division (share 1)
_BASE = {"region": 8.0, "country": 6.0, "admin1": 4.0, "admin2": 2.5, "city": 2.0,
         "neighbourhood": 3.5}


@dataclass(slots=True)
class ResolvedPlace:
    span: Span
    place: Place
    score: float
    cue: str | None
    embedded: bool = False  # inside an organisation's name: reported, never an event's location


_ATTRIBUTIVE = re.compile(r"-(?:backed|led|based|funded|allied|aligned|sponsored|brokered|"
                         r"trained|supported|owned|made|born|linked)\b", re.I)


def _country_votes(top: Toponym, gaz: Gazetteer) -> Counter[str]:
    """What one toponym says about the countries of its document."""
    votes: Counter[str] = Counter()
    if not (top.strong or top.cue):
        return votes  # a small town's name does not say what country a story is about
    # "Middle East", "Europe": a region across countries says nothing of any one of them.
    candidates = [i for i in top.candidates if gaz.places[i].feature != "region"]
    if len(candidates) < len(top.candidates):
        return votes
    codes = {gaz.places[i].country_code for i in candidates}
    features = {gaz.places[i].feature for i in candidates}
    if "country" in features:
        # "Georgia", "Lebanon": when the name is also a division elsewhere, the weight is
        # shared, so a story about the US state does not become one about the country.
        divisions = {gaz.places[i].country_code for i in candidates
                     if gaz.places[i].feature == "admin1"}
        weight = 2 if divisions - {gaz.places[i].country_code for i in candidates
                                   if gaz.places[i].feature == "country"} else 3
        for code in divisions:
            votes[code] += 3 - weight
        for i in candidates:
            if gaz.places[i].feature == "country":
                votes[gaz.places[i].country_code] += weight
    elif len(codes) == 1:
        votes[codes.pop()] += 2
    return votes


def document_context(text: str, toponyms: list[Toponym], gaz: Gazetteer) -> Counter[str]:
    """Weighted countries the document is about: country names, demonyms, unambiguous places."""
    countries: Counter[str] = Counter()
    for top in toponyms:
        if _ATTRIBUTIVE.match(text, top.span.end):
            continue  # "US-backed government", "Iran-led militia": not where the story is
        countries.update(_country_votes(top, gaz))
    for match in re.finditer(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)?)\b", text):
        demonym = demonym_country(match.group(1))
        if demonym:
            countries[demonym] += 1
    return countries


def _dominant(countries: Counter[str]) -> str | None:
    if not countries:
        return None
    (top, weight), *rest = [*countries.most_common(2), ("", 0)]
    return top if weight >= 2 * rest[0][1] and weight >= 3 else None


def _primary_key(place: Place) -> str:
    return normalise(_GENERIC_WORD.sub("", place.name))


def _score(place: Place, top: Toponym, countries: Counter[str],
           regions: dict[Unit, float], container: Place | None,
           states: frozenset[Unit] = frozenset(),
           centre: tuple[float, float] | None = None) -> float:
    """``states``: the first-level divisions whose very name ``top`` is; ``centre``: the
    middle of the places the document names unambiguously (see ``_centres``)."""
    score = _BASE.get(place.feature, 1.0)
    if place.feature == "region":  # across borders: no country or division says against it
        return score + (_PRIMARY_BONUS if _primary_key(place) == top.key else 0.0)
    if place.lat is None or place.lon is None:
        score -= _NO_POINT  # a place no map can show loses to a namesake that has a point
    if place.feature == "city":
        score += math.log10(place.population + 1) / 2
    elif place.feature in ("admin1", "admin2"):
        # A populous division over a small namesake town ("both of California").
        score += max(0.0, math.log10(place.population + 1) / 2 - _DIVISION_POPULATION)
    total = sum(countries.values()) or 1
    score += 4 * countries.get(place.country_code, 0) / total
    if countries and not countries.get(place.country_code):
        score -= 3  # a place in a country the document never mentions needs strong evidence
    leading = max(countries.values()) if countries else 0
    if place.feature != "country" and 0 < countries.get(place.country_code, 0) <= 0.6 * leading \
            and place.population < _WORLD_CITY:
        # A Pakistani story's "Jani Khel area" is not the Afghan district; but a US story that
        # also names Russia means Moscow, Russia.
        score -= 2
    if place.admin1 and place.feature != "country" and regions and not (
            place.feature != "admin1" and container is None
            and place.country_code in {code for code, _ in states}
            and (place.country_code, place.admin1) not in states):
        # A town named after another state of its country ("Nevada", Iowa) does not borrow
        # the story's other places: "casinos in Iowa, Missouri and Nevada" names states.
        # (Herat city, in Herat province, is no namesake of another division.)
        best = max(regions.values())
        own = regions.get((place.country_code, place.admin1), 0.0)
        if best >= 1:
            score += _REGION_WEIGHT * own / best
    if top.cue and CUE_FEATURE.get(top.cue) == place.feature:
        score += 4
    if _primary_key(place) == top.key and not _ACRONYM.fullmatch(top.span.text):
        # "California" is the state, not a town with that alias; but "UK" is the country,
        # not the Siberian village of Uk.
        score += _PRIMARY_BONUS
    if container is not None and (
        (container.feature == "admin1" and container.admin1 == place.admin1
         and container.country_code == place.country_code)
        or (container.feature == "country" and container.country_code == place.country_code)
    ):
        score += 3
    if centre is not None and place.lat is not None and place.lon is not None \
            and place.feature in _LOCAL:
        # A local story's towns lie near each other: of two Hanovers, the one near the
        # story's sure places ("Bethel", "Vt.").
        distance = haversine_km(centre[0], centre[1], place.lat, place.lon)
        score += _NEAR_WEIGHT * max(0.0, 1.0 - distance / _NEAR_KM)
    return score


def _share_country_name(top: Toponym, shared: list[int], scores: dict[int, float],
                        toponyms: list[Toponym], gaz: Gazetteer) -> None:
    """A name two countries go by ("Congo"): owning it says nothing; the story's other names
    that can lie in only one of them decide (Brazzaville, Ituri), else the usual priors."""
    codes = {gaz.places[i].country_code for i in shared}
    support: Counter[str] = Counter()
    for other in toponyms:
        if other.key != top.key:
            within = codes & {gaz.places[j].country_code for j in other.candidates}
            if len(within) == 1:
                support[within.pop()] += 1
    for i in shared:
        place = gaz.places[i]
        if _primary_key(place) == top.key:
            scores[i] -= _PRIMARY_BONUS
        # The more populous country by a hair, when nothing else tells them apart.
        scores[i] += 3 * min(support[place.country_code], 2) + math.log10(place.population + 1) / 10


# "<name> beach in <place>", "<name> in <place>": said to lie in a place of another country.
_LOCAL_IN = re.compile(r"\s+(?:[a-z]+\s+){0,2}in\s+(?:the\s+)?")


def _resolve_pass(text: str, toponyms: list[Toponym], gaz: Gazetteer,
                  contexts: list[Counter[str]], regions: dict[int, dict[Unit, float]],
                  centres: dict[str, tuple[float, float]] | None = None,
                  sure: list[str] | None = None, near: dict[int, float] | None = None,
                  named: frozenset[Unit] = frozenset(), placing: dict[int, float] | None = None,
                  home: dict[int, float] | None = None) -> list[ResolvedPlace]:
    """One reading of the document; ``sure`` (if given) collects the keys of the names
    placed surely (see ``_is_sure``), ``centres`` the proximity prior for each key."""
    mentions = Counter(top.key for top in toponyms)
    resolved: list[ResolvedPlace] = []
    scored: list[dict[int, float]] = []  # each resolved mention's score of every candidate
    contained: list[bool] = []  # ... and whether its container was written next to it
    # Resolve right to left so that "Sabari district, Khost province" knows its container.
    for index in range(len(toponyms) - 1, -1, -1):
        top = toponyms[index]
        container = host = None
        if resolved:
            nxt = resolved[-1]
            between = text[top.span.end:nxt.span.start]
            if len(between) <= 25 and FEATURE_RANK.get(nxt.place.feature, 0) > 1 and \
                    re.fullmatch(r"[\s\w]*,\s*(in\s+)?(the\s+)?|\s+in\s+(the\s+)?", between):
                container = nxt.place
            if _LOCAL_IN.fullmatch(between):
                host = nxt.place
        region, countries = regions[index], contexts[index]
        states = frozenset((gaz.places[i].country_code, gaz.places[i].admin1 or "")
                           for i in top.candidates
                           if gaz.places[i].feature == "admin1" and gaz.places[i].lat is not None
                           and normalise(gaz.places[i].name) == top.key)
        centre = centres.get(top.key) if centres else None
        scores = {i: _score(gaz.place(i), top, countries, region, container, states, centre)
                  for i in top.candidates}
        shared = [i for i in top.candidates if gaz.places[i].feature == "country"]
        if len(shared) > 1:
            _share_country_name(top, shared, scores, toponyms, gaz)
        if near and not any(gaz.places[i].population >= _WORLD_CITY
                            and countries.get(gaz.places[i].country_code)
                            for i in top.candidates):
            # (Moscow, Russia, in a story that names Russia, whatever towns lie near Dallas.)
            for i in scores:
                scores[i] += near.get(i, 0.0)
        if home:
            for i in scores:
                scores[i] += home.get(i, 0.0)
        if not contained_in_division(text, top.span.end, gaz) and any(
                gaz.places[i].feature == "country"
                and _primary_key(gaz.places[i]) == top.key for i in top.candidates):
            # "Egypt" in a Pittsburgh story is the country, not the hamlet of Egypt, Pa.,
            # (nor Goodyear, Ariz., once called Egypt) unless the text writes the hamlet's
            # state next to it.
            scores = {i: score for i, score in scores.items()
                      if gaz.places[i].feature != "city"
                      or (gaz.places[i].population >= _NAMESAKE_TOWN
                          and _primary_key(gaz.places[i]) == top.key)}
        if container is None and mentions[top.key] == 1:
            # A namesake in the source's home division is placed as well as one near the
            # story's other names: "Dublin" in a paper from Dublin, Ohio.
            scores = _million_city(top, scores, gaz, named | {u for u, n in region.items()
                                                              if n >= 1},
                                   {**(placing or {}), **(home or {})})
        best = max(scores, key=scores.__getitem__)
        if scores[best] < _MIN_SCORE:
            continue  # "Boni" in a Malian story is not Bonn, whatever an exonym list says
        if host is not None and not top.strong and \
                host.country_code != gaz.place(best).country_code:
            continue  # "the Lido beach in Mogadishu": a local name the gazetteer lacks there
        resolved.append(ResolvedPlace(top.span, gaz.place(best), scores[best], top.cue,
                                      top.embedded))
        if sure is not None and not top.embedded and (
                container is not None or _is_sure(best, scores, gaz)):
            sure.append(top.key)
        scored.append(scores)
        contained.append(container is not None)
    resolved.reverse()
    scored.reverse()
    contained.reverse()
    return _one_sense(resolved, scored, contained, gaz)


def _million_city(top: Toponym, scores: dict[int, float], gaz: Gazetteer,
                  named: frozenset[Unit], near: dict[int, float]) -> dict[int, float]:
    """``scores`` without the local namesakes of a city of a million or more that the text
    does not place, for a name written once: "Toronto" in a US story that also names Chicago
    is Ontario's, not the Ohio village the story's country favours; but a story that names
    Ohio, or other places in Ohio (``named``: the divisions named or holding other names), or
    a town within ``_CLUSTER_KM`` of the village (``near``), or writes "Toronto, Ohio", means
    the village. A name a story repeats is its own town's ("Paris firefighters ... Paris
    police"): a local paper seldom writes the state, so there the context decides as before."""
    if not any(gaz.places[i].feature == "city" and gaz.places[i].population >= _MILLION_CITY
               and _primary_key(gaz.places[i]) == top.key for i in scores):
        return scores
    return {i: score for i, score in scores.items()
            if (place := gaz.places[i]).feature not in _LOCAL
            or place.population >= _MILLION_CITY or near.get(i, 0.0) > 0
            or (place.country_code, place.admin1 or "") in named}


def _named_divisions(toponyms: list[Toponym], gaz: Gazetteer) -> frozenset[Unit]:
    """The first-level divisions the document names outright ("Ohio", "Tenn.")."""
    return frozenset((gaz.places[i].country_code, gaz.places[i].admin1 or "")
                     for top in toponyms for i in top.candidates
                     if gaz.places[i].feature == "admin1"
                     and _primary_key(gaz.places[i]) == top.key)


def _one_sense(resolved: list[ResolvedPlace], scored: list[dict[int, float]],
               contained: list[bool], gaz: Gazetteer) -> list[ResolvedPlace]:
    """One place per name and cue in a document: the candidate with the best summed score.

    A story says which Springfield it means once ("SPRINGFIELD, Ohio —") and then writes
    "Springfield" alone; the mentions with their container written next to them decide for
    all, and where none has one, the evidence of every mention does.
    """
    groups: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for n, r in enumerate(resolved):
        groups[(normalise(r.span.text), CUE_FEATURE.get(r.cue or ""))].append(n)
    for members in groups.values():
        if len(members) < 2:
            continue
        totals: Counter[int] = Counter()
        for n in [n for n in members if contained[n]] or members:
            totals.update(scored[n])
        best = max(totals, key=lambda i: (totals[i], -i))
        for n in members:
            if scored[n].get(best, 0.0) >= _MIN_SCORE:
                resolved[n] = dataclasses.replace(resolved[n], place=gaz.place(best),
                                                  score=scored[n][best])
    return resolved


def resolve_toponyms(text: str, toponyms: list[Toponym], gaz: Gazetteer,
                     home: Mapping[Unit, float] | None = None) -> list[ResolvedPlace]:
    """Best place for each toponym given the document's other toponyms.

    Two passes: the first weighs each division by how many of the document's names could lie in
    it (``region_support``); the second by where the other names were actually placed, so that
    one coherent reading of the document wins (each name's own vote left out). A third pass
    adds a proximity prior: the namesake near the middle of the places the second pass placed
    surely wins, which decides across state lines where the divisions cannot.

    ``home``: the first-level divisions the story's source is at home in, with weights from
    0 to 1 (``source_profile.SourceProfile.home``); without it, or for a story that names a
    division itself, nothing changes.
    """
    countries = document_context(text, toponyms, gaz) + _world_cities(toponyms, gaz)
    # A name that is a country's and a town's does not vote for its own reading: in a local
    # story "Lebanon" is the town unless something else in the text is about the country.
    own: dict[str, Counter[str]] = defaultdict(Counter)
    for top in toponyms:
        features = {gaz.places[i].feature for i in top.candidates}
        # A country's name that is also a real town's ("Lebanon", Pa.); a hamlet that borrowed
        # a country's name ("Egypt", Pa.: 2,400 people) leaves the country its vote.
        towns = [gaz.places[i].population for i in top.candidates
                 if gaz.places[i].feature != "country"]
        if "country" in features and towns and max(towns) >= _NAMESAKE_TOWN:
            own[top.key].update(_country_votes(top, gaz))
    contexts = []
    for top in toponyms:
        context = Counter(countries)
        context.subtract(own[top.key])
        contexts.append(+context)
    support = region_support(toponyms, gaz)
    near = _neighbours(toponyms, gaz)
    named = _named_divisions(toponyms, gaz)
    bonus = _home_bonus(toponyms, gaz, home or {})
    # Whether a namesake of a city of a million has neighbours in the text (see
    # _million_city): "Dublin" is a division's name too, but Dublin, Ohio, lies by Columbus.
    placing = _neighbours(toponyms, gaz, divisions=True)
    first = _resolve_pass(text, toponyms, gaz, contexts, dict.fromkeys(range(len(toponyms)),
                                                                       support), near=near,
                          named=named, placing=placing, home=bonus)
    placed: dict[str, tuple[str, str]] = {}
    world: set[str] = set()
    for r in first:
        unit = unit_of(r.place)
        if unit is not None:
            placed.setdefault(normalise(r.span.text), unit)
        if r.place.feature == "city" and r.place.population >= _WORLD_CITY \
                and _primary_key(r.place) == normalise(r.span.text):
            world.add(normalise(r.span.text))
    votes = Counter(placed.values())
    regions: dict[int, dict[Unit, float]] = {}
    for index, top in enumerate(toponyms):
        own_unit = placed.get(normalise(top.span.text))
        region: dict[Unit, float] = dict(votes)
        if own_unit is not None:
            region[own_unit] -= 1
        if normalise(top.span.text) in world:
            # "Dallas and Atlanta": left out of its own vote, each world city would move to
            # the other's state (Dallas, Ga.; Atlanta, Tex.); it keeps the first pass's view.
            region = support
        regions[index] = region
    sure: list[str] = []
    second = _resolve_pass(text, toponyms, gaz, contexts, regions, sure=sure, near=near,
                           named=named, placing=placing, home=bonus)
    centres = _centres(second, set(sure))
    if not centres:
        return second
    return _resolve_pass(text, toponyms, gaz, contexts, regions, centres, near=near,
                         named=named, placing=placing, home=bonus)


def _home_bonus(toponyms: list[Toponym], gaz: Gazetteer, home: Mapping[Unit, float]
                ) -> dict[int, float]:
    """A weak prior for the local namesakes in the divisions the story's source is at home
    in: "Richmond" in a Kentucky paper is Kentucky's. Not for a name the story places itself,
    one with a namesake in a division the story's other names name ("Richmond, Va.",
    "Richmond ... Virginia"), nor for the name of a first-level division ("Washington" is the
    state or the capital, whatever towns of that name the source's home has); a division
    without a point is no such name (County Dublin: "Dublin" is a town's name)."""
    bonus: dict[int, float] = {}
    if not home:
        return bonus
    naming: dict[Unit, set[str]] = defaultdict(set)  # division -> the names naming it
    for top in toponyms:
        for i in top.candidates:
            place = gaz.places[i]
            if place.feature == "admin1" and _primary_key(place) == top.key:
                naming[(place.country_code, place.admin1 or "")].add(top.key)
    for top in toponyms:
        places = [gaz.places[i] for i in top.candidates]
        if any(naming.get((p.country_code, p.admin1 or ""), set()) - {top.key} for p in places) \
                or any(p.feature == "admin1" and p.lat is not None and _primary_key(p) == top.key
                       for p in places):
            continue
        for i, place in zip(top.candidates, places, strict=True):
            weight = home.get((place.country_code, place.admin1 or ""), 0.0)
            if weight and place.feature in _LOCAL:
                bonus[i] = _HOME_WEIGHT * weight
    return bonus


def _world_cities(toponyms: list[Toponym], gaz: Gazetteer) -> Counter[str]:
    """Countries where two or more of the document's names are world cities under their own
    name: "Moscow" and "St. Petersburg" together are Russia's, whatever towns of the story's
    own country took their names."""
    keys: dict[str, set[str]] = defaultdict(set)
    for top in toponyms:
        for i in top.candidates:
            place = gaz.places[i]
            if place.feature == "city" and place.population >= _WORLD_CITY \
                    and _primary_key(place) == top.key:
                keys[place.country_code].add(top.key)
    return Counter({code: len(names) for code, names in keys.items() if len(names) >= 2})


def _neighbours(toponyms: list[Toponym], gaz: Gazetteer, *, divisions: bool = False
                ) -> dict[int, float]:
    """A bonus for each local candidate by how many of the document's other names have a
    place within ``_CLUSTER_KM`` of it.

    A village paper's Cornwall, Sharon, Salisbury and Kent are neighbouring towns of one
    county, whichever states have namesakes of each; the division coherence cannot see this
    when the story's towns straddle a state line or when every name has namesakes in many
    states. Points are bucketed in a grid of cells ``_CLUSTER_KM`` wide, so only nearby
    candidates are compared.
    """
    cell = _CLUSTER_KM / 111.0  # degrees of latitude in _CLUSTER_KM
    points: list[tuple[str, int, float, float]] = []
    seen: set[tuple[str, int]] = set()
    for top in toponyms:
        if top.embedded or (not divisions and any(
                gaz.places[i].feature in ("admin1", "country")
                and _primary_key(gaz.places[i]) == top.key for i in top.candidates)):
            continue  # "California" is the state, whatever its namesake towns lie near
        for i in top.candidates:
            place = gaz.places[i]
            if place.feature in _LOCAL and place.lat is not None and place.lon is not None \
                    and (top.key, i) not in seen:
                seen.add((top.key, i))
                points.append((top.key, i, place.lat, place.lon))
    grid: dict[tuple[int, int], list[tuple[str, float, float]]] = defaultdict(list)
    for key, _, lat, lon in points:
        grid[(int(lat // cell), int(lon // cell))].append((key, lat, lon))
    out: dict[int, float] = {}
    for key, i, lat, lon in points:
        y, x = int(lat // cell), int(lon // cell)
        # A degree of longitude shrinks away from the equator: look as many cells east and
        # west as _CLUSTER_KM spans there.
        wide = math.ceil(1 / max(math.cos(math.radians(lat)), 0.05))
        found = {other for dy in (-1, 0, 1) for dx in range(-wide, wide + 1)
                 for other, olat, olon in grid.get((y + dy, x + dx), ())
                 if other != key and haversine_km(lat, lon, olat, olon) <= _CLUSTER_KM}
        if found:
            out[i] = max(out.get(i, 0.0),
                         _CLUSTER_WEIGHT * min(len(found), _CLUSTER_CAP) / _CLUSTER_CAP)
    return out


def _is_sure(best: int, scores: dict[int, float], gaz: Gazetteer) -> bool:
    """A local place chosen with a clear lead over every namesake far from it."""
    place = gaz.places[best]
    if place.feature not in _LOCAL or place.lat is None or place.lon is None:
        return False
    rivals = [score for i, score in scores.items()
              if (other := gaz.places[i]).lat is not None and other.lon is not None
              and haversine_km(place.lat, place.lon, other.lat, other.lon) > _NEAR_KM]
    return not rivals or scores[best] - max(rivals) >= _SURE_MARGIN


def _centres(resolved: list[ResolvedPlace], sure: set[str]) -> dict[str, tuple[float, float]]:
    """For each name of the document, the median point of its other surely placed names.

    Leaving the name itself out keeps a sure name from confirming itself; names with no other
    sure place get no centre.
    """
    points: dict[str, tuple[float, float]] = {}
    for r in resolved:
        key = normalise(r.span.text)
        if key in sure and r.place.lat is not None and r.place.lon is not None:
            points.setdefault(key, (r.place.lat, r.place.lon))
    if not points:
        return {}
    centres: dict[str, tuple[float, float]] = {}
    for key in {normalise(r.span.text) for r in resolved}:
        others = [point for name, point in points.items() if name != key]
        if len(others) >= _MIN_SURE:
            centres[key] = (statistics.median(p[0] for p in others),
                            statistics.median(p[1] for p in others))
    return centres


_PRECISION = {"neighbourhood": "point", "city": "point", "admin2": "admin2", "admin1": "admin1",
              "country": "country"}


def to_location(resolved: ResolvedPlace, gaz: Gazetteer) -> Location:
    place = resolved.place
    return Location(
        text=resolved.span.text,
        name=place.name,
        country=gaz.country_name(place.country_code) or place.country_code,
        country_code=place.country_code,
        admin1=place.admin1 if place.feature != "country" else None,
        admin2=place.admin2,
        lat=place.lat,
        lon=place.lon,
        geonames_id=place.geonames_id,
        precision=_PRECISION.get(place.feature, "unknown"),  # type: ignore[arg-type]
        span=resolved.span,
    )


def most_specific(places: list[ResolvedPlace]) -> ResolvedPlace | None:
    """The most specific place; among equals the first written."""
    if not places:
        return None
    return min(places, key=lambda r: (FEATURE_RANK.get(r.place.feature, 9), r.span.start))


def dominant_country(text: str, toponyms: list[Toponym], gaz: Gazetteer) -> str | None:
    """The country a document is mostly about, when one clearly dominates."""
    return _dominant(document_context(text, toponyms, gaz))


def find_demonyms(text: str, gaz: Gazetteer, taken: list[tuple[int, int]]) -> list[ResolvedPlace]:
    """Adjectives of nationality ("an American soldier", "Iraqi officials") as country places.

    Used by the geoparser, which reports every place a text names; event locations do not use
    them, because "Pakistani Taliban" does not place an attack in Pakistan.
    """
    out = []
    for match in DEMONYM_WORD.finditer(text):
        s, e = match.span()
        if any(s < te and ts < e for ts, te in taken):
            continue
        code = demonym_country(match.group(0))
        name = gaz.country_name(code) if code else None
        place = next((p for p in gaz.lookup(name) if p.feature == "country"), None) \
            if name else _division_of_people(match.group(0), gaz)
        if place is not None:
            out.append(ResolvedPlace(Span(s, e, match.group(0)), place, 0.0, None))
    return out


def _division_of_people(word: str, gaz: Gazetteer) -> Place | None:
    """The division or region a word for its people names: "Ohioans", "South Ossetian".

    Only an unambiguous reading counts: exactly one first-level division or one-country region
    whose own name is the stem.
    """
    for stem in demonym_stems(word):
        key = normalise(stem)
        found = {i for i in gaz.names.get(key, ())
                 if gaz.places[i].feature in ("admin1", "region") and gaz.places[i].country_code
                 and _primary_key(gaz.places[i]) == key}
        if len(found) == 1:
            return gaz.place(found.pop())
    return None
