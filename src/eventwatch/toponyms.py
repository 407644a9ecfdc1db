"""Finding toponyms: the gazetteer's names in a text that the text uses as places.

Every n-gram of up to five words that is a gazetteer name (exact match after folding, never a
fuzzy near-miss) is a candidate; in cased text it must be capitalised. A candidate is a toponym
when it is a country, a first-level division or a large city, or when its context says so: a
cue ("Khost province"), a locative preposition, a dateline, ", State", an adjectival or
possessive use, a spaCy place entity, a list of places, an institution named after the town,
the same name used surely as a place elsewhere in the text, a place of that name in the
division the story is set in, or a town of that name in a division its source is at home in.
A name whose own places are all hamlets (under 1,000 people) is kept only where the text
writes its division or the story, or its source, is at home in a division that has it.
Resolving the toponyms to places is ``geocode``'s work.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict

from spacy.lang.en.stop_words import STOP_WORDS

from .demonyms import demonym_country
from .gazetteer import Gazetteer, Toponym, normalise, words_of
from .models import Place, Span

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
    r"Public|Board|Commission|Selectmen|Aldermen|Parish|Unified|Independent|Volunteer|Rescue|"
    r"Selectman|Selectwoman|Magistrates|Magistrates'|Correctional|Elks|Rotary|Kiwanis|"
    r"Borough|Town Hall|City Hall|Commonwealth's|Commonwealth"))
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
_DATELINE_AFTER = re.compile(r"(?:,\s|\s*(?:--|—|–|\x97|\()|\s+-\s)")
# "a Raytown apartment", "an Alton funeral director", "the Laconia man", "four Hopkinton homes":
# a town's name used as an adjective, after an article or a number and before a noun that
# belongs somewhere.
_ARTICLE_BEFORE = re.compile(
    r"\b(?:a|an|the|A|An|The|his|her|their|its|our|another|Another|every|each|two|three|four|"
    r"five|six|seven|eight|nine|ten|several|many|some|\d+)\s+$")
_ADJECTIVAL_AFTER = re.compile(
    r"(?:\s+(?:man|woman|men|women|resident|residents|native|natives|family|families|"
    r"couple|teen|teenager|boy|girl|youth|student|students|police|officer|officers|detective|"
    r"detectives|official|officials|council|mayor|home|homes|apartment|house|mosque|church|"
    r"school|hospital|business|businesses|company|firm|store|shop|restaurant|neighbou?rhood|"
    r"street|market|bazaar|villagers|jury|court|judge|attorney|prosecutor|newspaper|funeral|"
    r"area|suburb|district|hotel|factory|plant|mine|farm|bank|branch|office|facility|"
    r"soldier|marine|lawmaker|legislator|senator)\b)")
_REGION_BEFORE = re.compile(r"\b(?:South|North|Central|Latin|Middle|East|West|Southern|Northern|"
                            r"Eastern|Western|Sub-Saharan)\s+$")
# A weekday before a name is no part of it: "On Sunday Laconia Police went to the home".
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s"
_CAPITALISED_BEFORE = re.compile(
    rf"(?<![\w'’.&-])(?!(?:The|A|An)\s|{_WEEKDAY})[A-Z][\w'’.&-]*\s+$")
# A person entity with one of these words is an institution spaCy mislabelled ("Alachua County
# Sheriff's Office"), so the place names in it are not hidden as part of a person's name.
_NOT_A_PERSON = re.compile(
    r"\b(?:County|Counties|Province|District|City|Township|Parish|Sheriff|Police|Office|"
    r"Department|Council|Court|University|College|School|Hospital|Airport|Church|Fire)\b")
# "Torrington firefighters", "Mansfield residents": a town's people and officials, no article
# needed.
_CIVIC_AFTER = re.compile(r"\s+(?:police|firefighters|residents|officials|voters|schools|"
                          r"city council|aldermen|selectmen|taxpayers|homeowners|investigators|"
                          r"deputies|man|woman|teen|couple|parents|grand jury|students)\b")
# "Rep. Donald F. Humason, R-Westfield": a legislator's party and home town; "of 1935 Orchard
# St., Alexandria": the town of a street address.
_HOME_BEFORE = re.compile(r"(?:\b[RDI]-|\b(?:St|Ave|Rd|Dr|Blvd|Ln|Hwy|Road|Street|Avenue|"
                          r"Lane|Drive|Highway|Boulevard|Way|Pike|Parkway|Circle|Ct|Pl|Place|"
                          r"Court|Terrace)\.?,\s+)$")
_SAINT_BEFORE = re.compile(r"\b(?:St|Ste|Saint|San|Santa)\.?\s+$")
_INSTITUTIONS = {"white house"}  # written like a place's name, almost always a building
_HOLIDAY_AFTER = re.compile(r"['’]s\s+Day\b")
_POSSESSIVE_AFTER = re.compile(r"['’]s\b")
_CONTAINER_AFTER = re.compile(r",\s+(?P<name>[A-Z][\w.]*(?:[ -][A-Z][\w.]*)?)")
_NAME_PRECEDES = re.compile(
    rf"(?<![\w'-])(?!{_WEEKDAY})[A-Z][\w'-]+\s+(?:(?:of|for)\s+)?(?:the\s+)?$")
_SENTENCE_START = re.compile(r"(?:^|[.!?\n]\s*)[A-Z][\w'-]+\s+$")
_CUE_BEFORE = re.compile(r"\b(?P<cue>province|city|town|village|district|state|region) of\s+$",
                         re.I)
_LOCATIVE = re.compile(r"\b(in|at|near|outside|from|to|around|across|into|inside|of|on|"
                       r"behind|throughout|within|via|"
                       r"towards|between|and|northern|southern|eastern|western|central)\s+"
                       r"(the\s+)?$", re.I)
_IN_PLACE = re.compile(r"\b(?:in|at|near|outside|inside)\s+$")
_CONNECTORS = {"e", "i", "al", "el", "de", "du", "des", "la", "le", "of", "the", "ul", "ur", "bin",
               "y", "da", "do", "dos", "di", "del", "an", "as", "ash", "ad", "ar", "es", "ye"}
CUE_FEATURE = {"province": "admin1", "provinces": "admin1", "state": "admin1",
                "region": "admin1", "governorate": "admin1", "prefecture": "admin1",
                "department": "admin1", "territory": "admin1", "district": "admin2",
                "counties": "admin2", "parish": "admin2", "parishes": "admin2",
                "districts": "admin2", "county": "admin2", "municipality": "admin2",
                "city": "city", "town": "city", "village": "city", "neighbourhood": "neighbourhood",
                "neighborhood": "neighbourhood", "camp": "city", "area": "city"}

# "Dublin City Council": the city's council, not a place called "Dublin City".
_CITY_OFFICE = re.compile(r"\s+(?:Council|Hall|Manager|Commission|Attorney|Clerk|Schools|"
                          r"Administrator|Engineer|Planning|Board|Police|Fire)\b")
# Last words of water bodies' names; see find_toponyms.
_WATER = {"river", "creek", "lake", "bay", "sound", "brook", "reservoir"}
# "Fargo-Moorhead", "Athens-Clarke County": places joined by a hyphen are listed too.
_LIST_GAP = re.compile(r",\s*|,?\s+(?:and|or)\s+|-")
_BASED_AFTER = re.compile(r"-based\b")  # "Rock Hill-based Carolinas Cab Co."
# A town standing for its council or its team: "Rock Hill wants $180,000", "Hagerstown advances
# to state meet". Not "said": that is far more often a surname's verb ("Corcoran said").
_ACTS_AFTER = re.compile(r"\s+(?:wants|voted|votes|approved|approves|advances|advanced|bids)\b")

_HAMLET = 1000  # a town smaller than this needs its division (see find_toponyms)
_HOME_SUPPORT = 3.0  # distinct names (region_support) that make a division a story's home
_WORLD_CITY = 300_000  # a city this large is a place even where spaCy says "person"

# Title-case words that are place names somewhere but rarely mean one in news prose.
_COMMON = set(STOP_WORDS) | {
    "reply", "excellent", "regional", "region", "olympic", "refuge", "energy", "center",
    "president", "police", "army", "central",
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "union",
    "university", "mass",
    "victoria", "media", "mission", "independence", "unity", "liberty", "progress", "hope",
    "march", "may", "june", "july", "april", "august", "monday", "friday", "sunday", "said",
    "security", "council", "minister", "times", "post", "star", "sun", "national", "islamic",
    "state", "republic", "democratic", "federal", "news",
    "comment", "policy", "reuters", "general", "colonel", "major", "captain", "home", "world",
    "power", "peace", "justice", "salaam", "mosque", "church", "market", "man", "metro",
    "commerce", "gulf", "bell", "miss", "day", "street", "lake", "hill", "free", "king", "god",
    "parliament", "congress", "senate", "government", "office", "bank", "court", "hazara",
    "homeland", "defence", "defense", "freedom", "liberation", "resistance", "victory",
    "tuesday", "wednesday", "thursday", "saturday", "january", "february", "september",
    "october", "november", "december", "christmas", "easter", "ramadan", "eid",
}

Unit = tuple[str, str]  # (country code, first-level division)


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


def _unlike_a_person(key: str, hits: tuple[int, ...], features: set[str], gaz: Gazetteer) -> bool:
    """A country, a first-level division or a world city tagged as a person ("Tbilisi has
    denied"): spaCy's small model guesses "person" for unfamiliar words, but such a name is
    rarely a person's unless the text names someone by it (see ``surnames``)."""
    return bool(features & {"country", "admin1"}) or any(
        gaz.places[i].feature == "city" and gaz.places[i].population >= _WORLD_CITY
        and normalise(gaz.places[i].name) == key for i in hits)


def contained_in_division(text: str, end: int, gaz: Gazetteer) -> bool:
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
    homes: frozenset[Unit] = frozenset(),
) -> list[Toponym]:
    """Place-name candidates in ``text`` (see the module docstring for what is accepted).

    ``homes``: the first-level divisions the text's source is at home in (``source_profile``):
    a capitalised name with a town there is a place, and a hamlet's name there needs no more
    evidence than a larger town's."""
    words = words_of(text)
    out: list[Toponym] = []
    pending: list[tuple[int, int, Toponym]] = []  # names that lack evidence of being places
    pending_embedded: list[Toponym] = []  # "the Webb Center": kept if "Webb" is a place here
    excluded = exclude or []
    covered_until = -1  # index of the last word inside an accepted toponym
    sure: set[str] = set()  # names accepted on strong evidence somewhere in the text
    for first, last, key, hits in gaz.iter_candidates(words):
        if first <= covered_until:
            continue
        if key.rpartition(" ")[2] in _WATER:
            # "Red River" is the river, not Red River County: a division does not answer to
            # a water body's name with its generic word dropped.
            hits = tuple(i for i in hits if gaz.places[i].feature not in ("admin1", "admin2")
                         or normalise(gaz.places[i].name) == key)
            if not hits:
                continue
        if uncased:
            # Without capitals every word is a candidate: hamlets would add only noise.
            hits = tuple(i for i in hits if not _is_hamlet(gaz.places[i]))
            if not hits:
                continue
        s, e = words[first][0], words[last][1]
        if "," in text[s:e]:
            continue  # "Washington, D.C.": a place and its container, two toponyms
        if any(s < xe and xs < e for xs, xe in excluded) and not (
                any(xs == s and text[e:xe] in ("", "'s", "’s") for xs, xe in excluded)
                and (_IN_PLACE.search(text, max(0, s - 12), s)
                     or contained_in_division(text, e, gaz)
                     or any(gaz.places[i].feature == "country" for i in hits))):
            # Inside a person's or a group's name, unless the whole "name" is a place the
            # text puts someone in ("of Telegraph Road in Glen Allen", "Glen Allen, Va.") or
            # a country, which no one is called ("Sri Lanka" tagged as a person).
            continue
        tokens = [w[2] for w in words[first:last + 1]]
        if len(tokens) > 1 and tokens[-1] in ("City", "Town") and _CITY_OFFICE.match(text, e):
            continue  # "Dublin City Council" is Dublin's council, not the Irish "Dublin City"
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
            not uncased and tokens[0].isupper() and "country" in features) and not (
            # "Mass." is Massachusetts as AP style writes it, not a church service
            not uncased and text.startswith(".", e) and "admin1" in features)
        if not uncased and "country" in features and _REGION_BEFORE.search(
                text, max(0, s - 10), s):
            continue  # "Latin America", "North Africa": a region the gazetteer does not have
        if common and not (cue and CUE_FEATURE.get(cue) in features):
            continue  # "South and Central Asia", "Police Department": a common word needs a cue
        if len(tokens) == 1 and "country" not in features and not cue_after \
                and demonym_country(tokens[0]) is not None:
            continue  # "Somali hotel": a nationality, not Ethiopia's Somali Region (a cue keeps it)
        # A large city under its own name or an abbreviation of it ("L.A.", "Phila."):
        # "Twickenham", an old name of Huntsville, Ala., is no evidence of anything when a
        # London story writes it.
        big_city = any(gaz.places[i].population >= 100_000
                       and (gaz.places[i].feature != "city" or "." in text[s:e + 1]
                            or normalise(gaz.places[i].name) in (key, key + " city")
                            or normalise(gaz.places[i].name) + " city" == key)
                       for i in hits)
        strong = bool(features & {"country", "admin1", "neighbourhood", "region"}) or big_city
        surname = len(tokens) == 1 and tokens[0] in (surnames or ())
        if doubtful and any(s < de and ds < e for ds, de in doubtful) and (
                surname or not _unlike_a_person(key, hits, features, gaz)):
            strong = False  # "Lincoln said": a surname, unless the context says otherwise
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
        if key in _INSTITUTIONS:
            continue  # "the White House" said, not White House, Tenn.
        if _HOLIDAY_AFTER.match(text, e):
            continue  # "St. Patrick's Day", whatever towns are called St. Patrick
        in_entity = any(s < ee and es < e for es, ee in entity_spans)
        locative = dateline or bool(_LOCATIVE.search(text, max(0, s - 25), s)) or bool(
            _HOME_BEFORE.search(text, max(0, s - 12), s)) or \
            contained_in_division(text, e, gaz)
        if uncased and not (cue or locative or ("country" in features)):
            continue
        person = surname or bool(doubtful and any(s < de and ds < e for ds, de in doubtful))
        adjectival = bool(_POSSESSIVE_AFTER.match(text, e) or _CIVIC_AFTER.match(text, e)
                          or _BASED_AFTER.match(text, e)) or (
            bool(_ADJECTIVAL_AFTER.match(text, e))
            and bool(_ARTICLE_BEFORE.search(text, max(0, s - 12), s))) or (
            not person and bool(_ACTS_AFTER.match(text, e)))
        if surname and not (cue or locative) and not (
                in_entity and features & {"country", "admin1"}):
            # "Jones' appointment" after "Jason Terrell Jones": the person again. A country
            # spaCy tags as a place here stays one, whatever name it ended before.
            continue
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
        if not embedded and (strong or cue or dateline or in_entity
                             or contained_in_division(text, e, gaz)):
            sure.add(key)
        covered_until = last
    named = {t.key for t in out if not t.embedded}
    out += [t for t in pending_embedded if t.key in named]
    out.sort(key=lambda t: t.span.start)
    if not uncased:
        out += _us_acronyms(text, gaz, [(t.span.start, t.span.end) for t in out] + excluded)
    out = _add_list_members(text, out, pending)
    # One sense per discourse: a name the text surely uses as a place once ("Gainesville, Ga.",
    # "the city of Gainesville") is the place where it stands with no evidence of its own
    # ("Another Gainesville business"). Prepositions and possessives are too weak a source:
    # "beyond Jones", "Jones' appointment". A name with a place in the story's home division,
    # or a town (no hamlet) in one of its source's, is one too: "Hagerstown advances".
    home = _homeunit_of(out, gaz)
    taken = [(t.span.start, t.span.end) for t in out] + list(doubtful or ())
    out += [t for _, _, t in pending
            if not any(t.span.start < te and ts < t.span.end for ts, te in taken) and (
                t.key in sure or any(
                    unit_of(p) == home or (unit_of(p) in homes and not _is_hamlet(p))
                    for p in (gaz.places[i] for i in t.candidates)))]
    out.sort(key=lambda t: t.span.start)
    # A hamlet's name is often a word or a first name ("Billy's", "from the Northwest"):
    # it counts only where the text writes its division or the story (or its source) is at
    # home in a division that has it.
    units = ({home} if home is not None else set()) | set(homes)
    out = [t for t in out if not _hamlets_only(t, gaz)
           or contained_in_division(text, t.span.end, gaz)
           or any(unit_of(gaz.places[i]) in units for i in t.candidates)]
    return _share_plural_cues(text, out)


def _is_hamlet(place: Place) -> bool:
    return place.feature == "city" and place.population < _HAMLET


def _hamlets_only(top: Toponym, gaz: Gazetteer) -> bool:
    """Whether every place of the name is a hamlet, or every place under its very name is
    (the others, whose alternate name it is, were never enough for a toponym on their own)."""
    places = [gaz.places[i] for i in top.candidates]
    own = [p for p in places if normalise(p.name) == top.key]
    return all(_is_hamlet(p) for p in own or places)


def _homeunit_of(toponyms: list[Toponym], gaz: Gazetteer) -> Unit | None:
    """The first-level division a local story is set in, when its places clearly agree.

    A capitalised name with no evidence of its own ("Hagerstown advances to state meet") is
    a place when the story's other places lie in a division where a place of that name does.
    """
    support = region_support([t for t in toponyms if not t.embedded], gaz)
    if not support:
        return None
    ranked = sorted(support.items(), key=lambda kv: -kv[1])
    (unit, best), runner = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
    return unit if best >= _HOME_SUPPORT and best >= 2 * runner else None


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
        if any(not _is_hamlet(p) for p in places):
            # Hamlets say little about where a story is when the name has larger places:
            # "Marion" and "Clinton" have villages in most states.
            places = [p for p in places if not _is_hamlet(p)]
        units = {(p.country_code, p.admin1) for p in places if p.admin1 and p.feature != "country"}
        for unit in units:
            support[unit] += 1 / len(units)
        for p in places:
            if p.feature == "admin1" and p.admin1 and (top.strong or top.cue):
                support[(p.country_code, p.admin1)] += 1
    return support


def unit_of(place: Place) -> Unit | None:
    """(country code, first-level division) of a place inside a division."""
    return (place.country_code, place.admin1) if place.admin1 and place.feature != "country" \
        else None
