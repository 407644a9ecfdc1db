"""Toponyms found in text and resolved against the gazetteer with document context.

Finding: gazetteer names in the text (the "gazetteer ruler"), accepted when they look like places
here: capitalised (in cased text), and either a country or division, a large city, next to a cue
("province", "district", "town"), after a locative preposition, or inside a spaCy place entity.

Resolving: each candidate is scored by feature class, population, the countries and provinces the
document is about (names, demonyms, the dateline), the cue, and containment ("Sabari district,
Khost province"). The most specific place of an event becomes its ``Location``.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from .demonyms import DEMONYM_WORD, demonym_country
from .gazetteer import FEATURE_RANK, Gazetteer, Toponym, normalise, words_of
from .models import Location, Place, Span

# Used with .match(text, pos): no "^", which would only match at the start of the whole text.
_CUE_AFTER = re.compile(
    r"\s+(?P<cue>province|provinces|district|districts|city|town|village|county|counties|state|"
    r"region|parish|parishes|"
    r"governorate|prefecture|department|municipality|neighbou?rhood|area|camp|territory)\b", re.I)
_NAME_CONTINUES = re.compile(r"(?:[ -](?:al|el|ad|ar|as|ash|de|del|la)-?\s?)?[ -][A-Z][a-z]")
# Head words of institutions named after a place: "Gainesville Police Department", "Harwinton
# Senior Center", "Ohio Supreme Court", "Laurel County Sheriff's Office". Civic bodies are named
# after their town almost always; other institutions often after a person ("the Webb Center"),
# so with those a small town's name counts only when the text names the town on its own too.
_HEAD = r"(?:[ -](?:[A-Z][\w'.&]*|of|for|and|the)){{0,3}}?[ -](?:{})\b"
_CIVIC = re.compile(_HEAD.format(
    r"Police|Fire|Sheriff|Sheriff's|Council|Mayor|Township|Chamber|Courthouse|Municipal|Parks|"
    r"Public|Board|Commission|Selectmen|Aldermen|Parish|Unified|Independent|Volunteer|Rescue"))
_INSTITUTION = re.compile(_HEAD.format(
    r"University|College|School|Schools|Academy|Hospital|Medical|Clinic|Library|Museum|Airport|"
    r"Department|Court|Jail|Prison|Regional|Community|Center|Centre|Park|Zoo|Stadium|Senate|"
    r"House|Legislature|Assembly|Supreme|Patrol|Guard|Government|Ministry|Embassy|Consulate|"
    r"Emergency|Health|Transit|Republican|Democratic|Party|Club|Agency|Authority|Service|"
    r"Services|Office|Bureau|Division|Port|Harbor|Harbour|Cathedral|Mosque|Church|Temple|"
    r"Festival|Fair|Fairgrounds|Convention|Civic|Memorial|Historical|Heritage|Conference|"
    r"Association|Federation|Institute|Foundation|Company|Corporation"))
# A dateline: the name opens a line and is followed by a comma, a dash or "(AP)".
_DATELINE_BEFORE = re.compile(r"(?:^|\n)[ \t]*$")
_DATELINE_AFTER = re.compile(r"(?:,\s|\s*(?:--|—|–|\x97|\())")
# "a Raytown apartment", "an Alton funeral director", "the Laconia man": a town's name used as
# an adjective, after an article and before a noun that belongs somewhere.
_ARTICLE_BEFORE = re.compile(r"\b(?:a|an|the|A|An|The)\s+$")
_ADJECTIVAL_AFTER = re.compile(
    r"(?:\s+(?:man|woman|men|women|resident|residents|native|natives|family|families|"
    r"couple|teen|teenager|boy|girl|youth|student|students|police|officer|officers|detective|"
    r"detectives|official|officials|council|mayor|home|homes|apartment|house|mosque|church|"
    r"school|hospital|business|businesses|company|firm|store|shop|restaurant|neighbou?rhood|"
    r"street|market|bazaar|villagers|jury|court|judge|attorney|prosecutor|newspaper|funeral|"
    r"area|suburb|district|hotel|factory|plant|mine|farm|bank|branch|office|facility)\b)")
_REGION_BEFORE = re.compile(r"\b(?:South|North|Central|Latin|Middle|East|West|Southern|Northern|"
                            r"Eastern|Western|Sub-Saharan)\s+$")
_CAPITALISED_BEFORE = re.compile(r"(?<![\w'’.&-])(?!(?:The|A|An)\s)[A-Z][\w'’.&-]*\s+$")
# A person entity with one of these words is an institution spaCy mislabelled ("Alachua County
# Sheriff's Office"), so the place names in it are not hidden as part of a person's name.
_NOT_A_PERSON = re.compile(
    r"\b(?:County|Counties|Province|District|City|Township|Parish|Sheriff|Police|Office|"
    r"Department|Council|Court|University|College|School|Hospital|Airport|Church)\b")
# "Torrington firefighters", "Mansfield residents": a town's people and officials, no article
# needed.
_CIVIC_AFTER = re.compile(r"\s+(?:police|firefighters|residents|officials|voters|schools|"
                          r"city council|aldermen|selectmen|taxpayers|homeowners|investigators|"
                          r"deputies|man|woman|teen|couple)\b")
# "Rep. Donald F. Humason, R-Westfield": a legislator's party and home town; "of 1935 Orchard
# St., Alexandria": the town of a street address.
_HOME_BEFORE = re.compile(r"(?:\b[RDI]-|\b(?:St|Ave|Rd|Dr|Blvd|Ln|Hwy|Road|Street|Avenue|"
                          r"Lane|Drive|Highway|Boulevard)\.?,\s+)$")
_SAINT_BEFORE = re.compile(r"\b(?:St|Ste|Saint|San|Santa)\.?\s+$")
_POSSESSIVE_AFTER = re.compile(r"['’]s\b")
_CONTAINER_AFTER = re.compile(r",\s+(?P<name>[A-Z][\w.]*(?:[ -][A-Z][\w.]*)?)")
_NAME_PRECEDES = re.compile(r"[A-Z][\w'-]+\s+(?:(?:of|for)\s+)?(?:the\s+)?$")
_SENTENCE_START = re.compile(r"(?:^|[.!?\n]\s*)[A-Z][\w'-]+\s+$")
_CUE_BEFORE = re.compile(r"\b(?P<cue>province|city|town|village|district|state|region) of\s+$",
                         re.I)
_LOCATIVE = re.compile(r"\b(in|at|near|outside|from|to|around|across|into|inside|of|on|"
                       r"towards|between|and|northern|southern|eastern|western|central)\s+"
                       r"(the\s+)?$", re.I)
_CONNECTORS = {"e", "i", "al", "el", "de", "du", "des", "la", "le", "of", "the", "ul", "ur", "bin",
               "y", "da", "do", "dos", "di", "del", "an", "as", "ash", "ad", "ar", "es", "ye"}
_CUE_FEATURE = {"province": "admin1", "provinces": "admin1", "state": "admin1",
                "region": "admin1", "governorate": "admin1", "prefecture": "admin1",
                "department": "admin1", "territory": "admin1", "district": "admin2",
                "counties": "admin2", "parish": "admin2", "parishes": "admin2",
                "districts": "admin2", "county": "admin2", "municipality": "admin2",
                "city": "city", "town": "city", "village": "city", "neighbourhood": "neighbourhood",
                "neighborhood": "neighbourhood", "camp": "city", "area": "city"}
_MIN_SCORE = 2.0
_LIST_GAP = re.compile(r",\s*|,?\s+(?:and|or)\s+")
_PRIMARY_BONUS = 5.0  # a place's own name, not one of its alternate names
_GENERIC_WORD = re.compile(r"\s+(?:province|governorate|state|region|district|county|parish|"
                           r"prefecture|department|municipality|oblast|territory|division)$|"
                           r"^(?:province|state|region|district|governorate) of\s+", re.I)
_REGION_WEIGHT = 5.0  # the bonus of the division most of the document's names share
_BASE = {"country": 6.0, "admin1": 4.0, "admin2": 2.5, "city": 2.0, "neighbourhood": 3.5}
# Title-case words that are place names somewhere but rarely mean one in news prose.
_COMMON = set(STOP_WORDS) | {
    "reply", "excellent", "regional", "president", "police", "army", "central", "north", "south",
    "east", "west", "northern", "southern", "eastern", "western", "union", "university", "mass",
    "victoria", "media", "mission", "independence", "unity", "liberty", "progress", "hope",
    "march", "may", "june", "july", "april", "august", "monday", "friday", "sunday", "said",
    "security", "council", "minister", "times", "post", "star", "sun", "national", "islamic",
    "state", "republic", "democratic", "federal", "asia", "africa", "europe", "news",
    "comment", "policy", "reuters", "general", "colonel", "major", "captain", "home", "world",
    "power", "peace", "justice", "salaam", "mosque", "church", "market", "man", "metro",
    "commerce", "gulf", "bell", "miss", "day", "street", "lake", "hill", "free", "king", "god",
    "parliament", "congress", "senate", "government", "office", "bank", "court", "hazara",
    "homeland", "defence", "defense", "freedom", "liberation", "resistance", "victory",
    "tuesday", "wednesday", "thursday", "saturday", "january", "february", "september",
    "october", "november", "december", "christmas", "easter", "ramadan", "eid",
}


Unit = tuple[str, str]  # (country code, first-level division)


@dataclass(slots=True)
class ResolvedPlace:
    span: Span
    place: Place
    score: float
    cue: str | None
    embedded: bool = False  # inside an organisation's name: reported, never an event's location


def person_spans(entities: list[tuple[int, int, str]]
                 ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Person entities (start, end, text) as (names, doubtful single words).

    Mislabelled institutions ("Alachua County Sheriff's Office") are neither. A single word is
    doubtful: spaCy's small model calls many towns persons ("A Gainesville restaurant"), so
    there a place name needs evidence from its context, not merely its size.
    """
    names: list[tuple[int, int]] = []
    single: list[tuple[int, int]] = []
    for s, e, text in entities:
        if _NOT_A_PERSON.search(text):
            continue
        (single if len(text.split()) == 1 else names).append((s, e))
    return names, single


def _us_acronyms(text: str, gaz: Gazetteer, taken: list[tuple[int, int]]) -> list[Toponym]:
    """"US" in cased text: the gazetteer cannot index it, folded it is the pronoun "us"."""
    hits = tuple(gaz.names.get("u s", ()))
    if not hits:
        return []
    out = []
    for match in re.finditer(r"(?<![\w.])US(?![\w.])", text):
        s, e = match.span()
        if not any(s < te and ts < e for ts, te in taken):
            out.append(Toponym(Span(s, e, "US"), "u s", hits, None, True))
    return out


def _contained_in_division(text: str, end: int, gaz: Gazetteer) -> bool:
    """True when ``text[end:]`` reads ", <country or first-level division>" ("Greer, S.C.")."""
    match = _CONTAINER_AFTER.match(text, end)
    if not match:
        return False
    words = match.group("name").split()
    for n in (2, 1):
        hits = gaz.names.get(normalise(" ".join(words[:n]))) if len(words) >= n else None
        if hits and any(gaz.places[i].feature in ("country", "admin1") for i in hits):
            return True
    return False


def find_toponyms(
    text: str, gaz: Gazetteer, entity_spans: list[tuple[int, int]], *,
    uncased: bool = False, exclude: list[tuple[int, int]] | None = None,
    doubtful: list[tuple[int, int]] | None = None, surnames: set[str] | None = None,
) -> list[Toponym]:
    """Place-name candidates in ``text`` (see the module docstring for what is accepted)."""
    words = words_of(text)
    out: list[Toponym] = []
    pending: list[tuple[int, int, Toponym]] = []  # names that lack evidence of being places
    pending_embedded: list[Toponym] = []  # "the Webb Center": kept if "Webb" is a place here
    excluded = exclude or []
    covered_until = -1  # index of the last word inside an accepted toponym
    for first, last, key, hits in gaz.iter_candidates(words):
        if first <= covered_until:
            continue
        s, e = words[first][0], words[last][1]
        if any(s < xe and xs < e for xs, xe in excluded):
            continue
        tokens = [w[2] for w in words[first:last + 1]]
        if (not uncased and not all(
            t[0].isupper() or t.lower() in _CONNECTORS for t in tokens
        )) or (not uncased and not tokens[0][0].isupper()):
            continue
        features = {gaz.places[i].feature for i in hits}
        dateline = not uncased and bool(_DATELINE_AFTER.match(text, e)) and (
            bool(_DATELINE_BEFORE.search(text, max(0, s - 3), s))
            or all(t.isupper() and len(t) > 2 for t in tokens))
        if not uncased and len(tokens) == 1 and tokens[0].isupper() and len(tokens[0]) <= 4 \
                and "country" not in features and not dateline:
            continue  # "VDP", "IED": acronyms, not the airport codes of some town ("US" is kept)
        cue_after = _CUE_AFTER.match(text, e)
        cue_match = cue_after or _CUE_BEFORE.search(text, max(0, s - 30), s)
        cue = cue_match.group("cue").lower() if cue_match else None
        common = len(tokens) == 1 and key in _COMMON and not (
            not uncased and tokens[0].isupper() and "country" in features)
        if not uncased and "country" in features and _REGION_BEFORE.search(
                text, max(0, s - 10), s):
            continue  # "Latin America", "North Africa": a region the gazetteer does not have
        if common and not (cue and _CUE_FEATURE.get(cue) in features):
            continue  # "South and Central Asia", "Police Department": a common word needs a cue
        if len(tokens) == 1 and "country" not in features and not cue_after \
                and demonym_country(tokens[0]) is not None:
            continue  # "Somali hotel": a nationality, not Ethiopia's Somali Region (a cue keeps it)
        big_city = any(gaz.places[i].population >= 100_000 for i in hits)
        strong = bool(features & {"country", "admin1", "neighbourhood"}) or big_city
        if doubtful and any(s < de and ds < e for ds, de in doubtful):
            strong = False  # "Lincoln said": a surname, unless the context says otherwise
        surname = len(tokens) == 1 and tokens[0] in (surnames or ())
        embedded = False
        if not uncased and not cue_after and _NAME_CONTINUES.match(text, e):
            # "Wadi al-Shay", "Kabul University": part of a longer name. It still names the
            # place when the name is an institution's ("Gainesville Police", "Texas Senate").
            # A populous county is no evidence here: "Scott West", "Brown Motor Company".
            prominent = bool(features & {"country", "admin1"}) or any(
                gaz.places[i].population >= 100_000 and gaz.places[i].feature == "city"
                for i in hits)
            if not (prominent or _CIVIC.match(text, e) or _INSTITUTION.match(text, e)):
                continue
            embedded = True
            if not prominent and not _CIVIC.match(text, e):
                pending_embedded.append(Toponym(Span(s, e, text[s:e]), key, tuple(hits), cue,
                                                False, True))
                continue
        if len(tokens) == 1 and not uncased and _SAINT_BEFORE.search(text, max(0, s - 8), s):
            continue  # "St. Patrick's Day": a saint, the place would have matched whole
        in_entity = any(s < ee and es < e for es, ee in entity_spans)
        locative = dateline or bool(_LOCATIVE.search(text, max(0, s - 25), s)) or bool(
            _HOME_BEFORE.search(text, max(0, s - 12), s)) or \
            _contained_in_division(text, e, gaz)
        if uncased and not (cue or locative or ("country" in features)):
            continue
        adjectival = bool(_POSSESSIVE_AFTER.match(text, e) or _CIVIC_AFTER.match(text, e)) or (
            bool(_ADJECTIVAL_AFTER.match(text, e))
            and bool(_ARTICLE_BEFORE.search(text, max(0, s - 12), s)))
        if surname and not (cue or locative):
            continue  # "Jones' appointment" after "Jason Terrell Jones": the person again
        if not (strong or cue or in_entity or locative or embedded or adjectival):
            if len(tokens) > 1 or key not in _COMMON:
                pending.append((first, last, Toponym(Span(s, e, text[s:e]), key, tuple(hits),
                                                      cue, False, False)))
            continue
        if embedded and not strong and _CAPITALISED_BEFORE.search(text, max(0, s - 30), s):
            continue  # "Gainesville Riding Club": only the name the institution starts with
        if not uncased and not strong and not cue and not locative and _NAME_PRECEDES.search(
                text, max(0, s - 40), s) and not _SENTENCE_START.search(text, max(0, s - 40), s):
            continue  # "Volunteers for the Defence of the Homeland": part of a longer name
        # In text without capitals a toponym was only accepted with a cue or a preposition,
        # which is evidence enough for it to say what country the story is about.
        out.append(Toponym(Span(s, e, text[s:e]), key, tuple(hits), cue, strong or uncased,
                           embedded))
        covered_until = last
    named = {t.key for t in out if not t.embedded}
    out += [t for t in pending_embedded if t.key in named]
    if not uncased:
        out += _us_acronyms(text, gaz, [(t.span.start, t.span.end) for t in out] + excluded)
    return _share_plural_cues(text, _add_list_members(text, out, pending))


def _add_list_members(text: str, accepted: list[Toponym],
                      pending: list[tuple[int, int, Toponym]]) -> list[Toponym]:
    """"Dodge City, Great Bend, Larned and Pratt": a name listed with places is one too."""
    out = sorted(accepted, key=lambda t: t.span.start)
    waiting = [t for _, _, t in pending
               if not any(t.span.start < o.span.end and o.span.start < t.span.end for o in out)]
    changed = True
    while changed and waiting:
        changed = False
        for top in list(waiting):
            if any(_LIST_GAP.fullmatch(text, top.span.end, o.span.start)
                   or _LIST_GAP.fullmatch(text, o.span.end, top.span.start) for o in out):
                out.append(top)
                waiting.remove(top)
                changed = True
        out.sort(key=lambda t: t.span.start)
    # Overlapping pending candidates (one word inside a longer name) are dropped above; two
    # accepted here could still overlap each other, so keep the first of any pair.
    kept: list[Toponym] = []
    for top in out:
        if not kept or top.span.start >= kept[-1].span.end:
            kept.append(top)
    return kept


def _share_plural_cues(text: str, toponyms: list[Toponym]) -> list[Toponym]:
    """"Madison, Preble or Warren counties": the plural cue applies to the whole list."""
    out = list(toponyms)
    for index in range(len(out) - 1, 0, -1):
        cue = out[index].cue
        if not cue or not cue.endswith("s") or cue.endswith("ss"):
            continue
        j = index - 1
        while j >= 0 and not out[j].cue and _LIST_GAP.fullmatch(
                text, out[j].span.end, out[j + 1].span.start):
            out[j] = dataclasses.replace(out[j], cue=cue)
            j -= 1
    return out


_ATTRIBUTIVE = re.compile(r"-(?:backed|led|based|funded|allied|aligned|sponsored|brokered|"
                         r"trained|supported|owned|made|born|linked)\b", re.I)


def _country_votes(top: Toponym, gaz: Gazetteer) -> Counter[str]:
    """What one toponym says about the countries of its document."""
    votes: Counter[str] = Counter()
    if not (top.strong or top.cue):
        return votes  # a small town's name does not say what country a story is about
    codes = {gaz.places[i].country_code for i in top.candidates}
    features = {gaz.places[i].feature for i in top.candidates}
    if "country" in features:
        # "Georgia", "Lebanon": when the name is also a division elsewhere, the weight is
        # shared, so a story about the US state does not become one about the country.
        divisions = {gaz.places[i].country_code for i in top.candidates
                     if gaz.places[i].feature == "admin1"}
        weight = 2 if divisions - {gaz.places[i].country_code for i in top.candidates
                                   if gaz.places[i].feature == "country"} else 3
        for code in divisions:
            votes[code] += 3 - weight
        for i in top.candidates:
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


def region_support(toponyms: list[Toponym], gaz: Gazetteer) -> dict[Unit, float]:
    """How many of the document's distinct names could lie in each first-level division.

    A name with candidates in k divisions gives each 1/k, so unambiguous names weigh most; a
    division named outright ("Texas", "Ky.") gives itself one more. Local news names many places
    of one state or province: Paris, Henry County and Huntingdon together point to Tennessee.
    """
    support: dict[Unit, float] = defaultdict(float)
    seen: set[str] = set()
    for top in toponyms:
        if top.key in seen:
            continue
        seen.add(top.key)
        places = [gaz.places[i] for i in top.candidates]
        units = {(p.country_code, p.admin1) for p in places if p.admin1 and p.feature != "country"}
        for unit in units:
            support[unit] += 1 / len(units)
        for p in places:
            if p.feature == "admin1" and p.admin1 and (top.strong or top.cue):
                support[(p.country_code, p.admin1)] += 1
    return support


def _score(place: Place, top: Toponym, countries: Counter[str],
           regions: dict[Unit, float], container: Place | None) -> float:
    score = _BASE.get(place.feature, 1.0)
    if place.feature == "city":
        score += math.log10(place.population + 1) / 2
    total = sum(countries.values()) or 1
    score += 4 * countries.get(place.country_code, 0) / total
    if countries and not countries.get(place.country_code):
        score -= 3  # a place in a country the document never mentions needs strong evidence
    leading = max(countries.values()) if countries else 0
    if place.feature != "country" and 0 < countries.get(place.country_code, 0) <= 0.6 * leading:
        score -= 2  # a Pakistani story's "Jani Khel area" is not the Afghan district
    if place.admin1 and place.feature != "country" and regions:
        best = max(regions.values())
        own = regions.get((place.country_code, place.admin1), 0.0)
        if best >= 1:
            score += _REGION_WEIGHT * own / best
    if top.cue and _CUE_FEATURE.get(top.cue) == place.feature:
        score += 4
    if _primary_key(place) == top.key:
        score += _PRIMARY_BONUS  # "California" is the state, not a town with that alias
    if container is not None and (
        (container.feature == "admin1" and container.admin1 == place.admin1
         and container.country_code == place.country_code)
        or (container.feature == "country" and container.country_code == place.country_code)
    ):
        score += 3
    return score


# "<name> beach in <place>", "<name> in <place>": said to lie in a place of another country.
_LOCAL_IN = re.compile(r"\s+(?:[a-z]+\s+){0,2}in\s+(?:the\s+)?")


def _resolve_pass(text: str, toponyms: list[Toponym], gaz: Gazetteer,
                  contexts: list[Counter[str]], regions: dict[int, dict[Unit, float]]
                  ) -> list[ResolvedPlace]:
    resolved: list[ResolvedPlace] = []
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
        best = max(
            (gaz.place(i) for i in top.candidates),
            key=lambda p: _score(p, top, countries, region, container),
        )
        score = _score(best, top, countries, region, container)
        if score < _MIN_SCORE:
            continue  # "Boni" in a Malian story is not Bonn, whatever an exonym list says
        if host is not None and host.country_code != best.country_code and not top.strong:
            continue  # "the Lido beach in Mogadishu": a local name the gazetteer lacks there
        resolved.append(ResolvedPlace(top.span, best, score, top.cue, top.embedded))
    resolved.reverse()
    return resolved


def _unit(place: Place) -> tuple[str, str] | None:
    return (place.country_code, place.admin1) if place.admin1 and place.feature != "country" \
        else None


def resolve_toponyms(text: str, toponyms: list[Toponym], gaz: Gazetteer) -> list[ResolvedPlace]:
    """Best place for each toponym given the document's other toponyms.

    Two passes: the first weighs each division by how many of the document's names could lie in
    it (``region_support``); the second by where the other names were actually placed, so that
    one coherent reading of the document wins (each name's own vote left out).
    """
    countries = document_context(text, toponyms, gaz)
    # A name that is a country's and a town's does not vote for its own reading: in a local
    # story "Lebanon" is the town unless something else in the text is about the country.
    own: dict[str, Counter[str]] = defaultdict(Counter)
    for top in toponyms:
        features = {gaz.places[i].feature for i in top.candidates}
        if "country" in features and len(features) > 1:  # a country's name, and a town's
            own[top.key].update(_country_votes(top, gaz))
    contexts = []
    for top in toponyms:
        context = Counter(countries)
        context.subtract(own[top.key])
        contexts.append(+context)
    support = region_support(toponyms, gaz)
    first = _resolve_pass(text, toponyms, gaz, contexts, dict.fromkeys(range(len(toponyms)),
                                                                       support))
    placed: dict[str, tuple[str, str]] = {}
    for r in first:
        unit = _unit(r.place)
        if unit is not None:
            placed.setdefault(normalise(r.span.text), unit)
    votes = Counter(placed.values())
    regions: dict[int, dict[Unit, float]] = {}
    for index, top in enumerate(toponyms):
        own_unit = placed.get(normalise(top.span.text))
        region: dict[Unit, float] = dict(votes)
        if own_unit is not None:
            region[own_unit] -= 1
        regions[index] = region
    return _resolve_pass(text, toponyms, gaz, contexts, regions)


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
        code = demonym_country(match.group(0))
        s, e = match.span()
        if code is None or any(s < te and ts < e for ts, te in taken):
            continue
        name = gaz.country_name(code)
        country = next((p for p in gaz.lookup(name) if p.feature == "country"), None) \
            if name else None
        if country is not None:
            out.append(ResolvedPlace(Span(s, e, match.group(0)), country, 0.0, None))
    return out
