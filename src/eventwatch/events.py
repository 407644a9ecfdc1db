"""Event extraction: incident mentions in an article, their arguments, and one event per incident.

Steps, over the cleaned text and its spaCy parse:

1. triggers: violence words (``triggers.py``) outside captions and quoted speech, minus the
   non-factual ones (negated, modal, infinitive, "fear of attacks", future or generic plurals);
2. incident segments: each sentence split at semicolons, so that "a January assault in X; an
   April shooting in Y" gives two incidents; the triggers of one segment describe one incident;
3. arguments from the segment, falling back to the sentence's head for the perpetrator, date
   and place: dates, places, actors, casualty counts, victims, targets, weapons;
4. specificity: a mention with no date, place or count of its own is either a reference to an
   incident already reported ("the blast", "claimed the attack") and merges into it, or a generic
   statement and is dropped;
5. merging within the document: mentions with compatible dates, places and types are one event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import casualties as cas
from .actors import ActorCatalogue, ActorMention, is_state_force
from .dates import compatible, find_dates, more_precise, resolve
from .gazetteer import FEATURE_RANK, Gazetteer
from .geocode import ResolvedPlace, most_specific, to_location
from .models import (
    EXTRACTOR_VERSION,
    Article,
    Count,
    DateInfo,
    Event,
    Location,
    Participant,
    Span,
    content_hash,
)
from .participants import (
    CLAIM,
    CROWD,
    NO_CLAIM,
    attribution_of,
    dependency_arguments,
    merge_participants,
    outside,
    participants_in,
    targets_in,
    victims_in,
    weapons_in,
    within,
)
from .triggers import (
    NOUN_TRIGGERS,
    PHRASE_TRIGGERS,
    TYPING,
    VERB_TRIGGERS,
    VIOLENT,
    WEAK,
    Trigger,
    best_category,
)

_MODALS = {"would", "could", "might", "may", "will", "shall", "should", "can", "must"}
_IRREALIS_HEADS = {"fear", "threat", "risk", "plan", "plot", "warning", "prevent", "thwart", "foil",
                   "avert", "deter", "possibility", "likelihood", "danger", "wave", "campaign",
                   "series", "spate", "string", "surge", "rise", "number", "history", "capacity",
                   "ability", "capability", "preparation"}
_IRREALIS_MODS = {"future", "possible", "potential", "planned", "further", "such", "any",
                  "foiled", "thwarted", "failed", "frequent", "repeated", "several", "many",
                  "numerous", "multiple"}
_GENERIC_CUE = re.compile(
    r"\b(since|over the (past|last)|for (years|decades|months)|in recent (years|months|weeks)|"
    r"every (year|month|week)|each (year|month)|has carried out|have carried out|"
    r"has claimed|continue[sd]? to|routinely|regularly|frequently|often|repeatedly|"
    r"thousands of|tens of thousands|hundreds of (?:people|civilians|thousands))\b", re.I)
_PERFECT = re.compile(r"\b(has|have)\s+(been\s+)?(\w+ly\s+)?\w+(ed|en)\b", re.I)
# A date right after "said", "told", "claimed" dates the statement, not the incident.
_SPEECH_DATE = re.compile(r"\b(said|says|told|reported|announced|stated|confirmed|added|claimed|"
                          r"statement|according to [\w ]{1,30}|responsibility[\w ]{0,30})\s*"
                          r"(\w+\s+){0,2}$", re.I)
# "The army confirmed that a device had struck...": whoever speaks is not the perpetrator.
_ANAPHOR = re.compile(r"(the|these|those)\s+(attackers?|gunm[ae]n|assailants?|militants|"
                     r"fighters|insurgents|kidnappers|abductors|bombers?)\b", re.I)
_TOLL_UPDATE = re.compile(r"\b(death toll|toll)\b.{0,30}\b(rose|risen|rises|climbed|climbs|"
                          r"reached|increased|jumped)\b|\bdied (?:later )?(?:of|from|in) "
                          r"(?:their |his |her )?(?:wounds|injuries|hospital)\b|\bsuccumbed\b",
                          re.I)
_SPEECH = re.compile(r"\"[^\"\n]{1,3000}\"|“[^”\n]{1,3000}”")
_STATE_PERP_TYPES = {"airstrike", "drone", "shelling"}
# "KABUL --", "MOGADISHU, March 3 (Wire) --": where the reporter files from, not where it happened.
_DATELINE = re.compile(
    r"(?m)^(?P<dateline>[A-Z][A-Z'.\- ]{2,40}(?:,\s*[A-Z][A-Za-z'.\- ]{1,40}){0,2}"
    r"(?:,?\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\([^)\n]{1,40}\))?)\s*(?:--|—|–)\s*")
# "HANGU:", "Islamabad :", "MASTUNG/ISLAMABAD:", "KABUL (Agencies):", "Kabul, April 19:": the
# colon form South Asian and African outlets use; never on the headline line ("Pakistan: bomb
# explodes at rally" names the country of the incident).
_DATELINE_COLON = re.compile(
    r"(?m)^(?P<dateline>[A-Z][A-Za-z'.\-]+(?:[ /][A-Z][A-Za-z'.\-]+){0,3}"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\([^)\n]{1,40}\))?)\s*:[ \t]+(?=\S)")
_RIOT_CATEGORIES = {"protest", "riot", "mob"}
# An end of a journey: "from X to Y", "between X and Y", "en route to Y", "bound for Y". The text
# before a destination, and around an origin (a "from X" alone is often where people came from).
_ROUTE_TO = re.compile(r"(?:\b(?:from|between)\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?\s+(?:to|and)\s+"
                       r"(?:the\s+)?|\b(?:en route|on (?:its|their|the) way|heading|travell?ing|"
                       r"bound)\s+(?:to|for)\s+(?:the\s+)?)$")
_ROUTE_FROM = re.compile(r"\b(?:from|between)\s+(?:the\s+)?$")
_ROUTE_ON = re.compile(r"\s+(?:to|and)\s")
# A neighbour named as a landmark: "near the borders with Burkina Faso and Mali", "a district
# bordering Kunar", "Tillaberi, which borders Mali". The text before each listed name.
_NEIGHBOUR = re.compile(r"\b(?:borders?\s+with|bordering|(?:which|that)\s+borders?)\s+(?:the\s+)?"
                        r"(?:[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*\s*(?:,|and|or)\s+(?:the\s+)?)*$")
_RIOT_VIOLENCE = {"clash", "arson", "riot", "mob", "attack", "kill", "shooting", "stabbing"}

@dataclass(slots=True)
class Mention:
    triggers: list[Trigger]
    segment: Span
    sentence: Span
    dates: list[DateInfo] = field(default_factory=list)
    places: list[ResolvedPlace] = field(default_factory=list)
    perpetrators: list[Participant] = field(default_factory=list)
    victims: list[Participant] = field(default_factory=list)
    targets: list[Participant] = field(default_factory=list)
    weapons: list[Participant] = field(default_factory=list)
    counts: list[cas.CasualtyMention] = field(default_factory=list)
    attacker_deaths: list[cas.CasualtyMention] = field(default_factory=list)
    reference: bool = False

    @property
    def category(self) -> str:
        return best_category([t.category for t in self.triggers])


@dataclass(slots=True)
class Resources:
    nlp: Any
    gazetteer: Gazetteer
    actors: ActorCatalogue


def _speech_zones(text: str) -> list[tuple[int, int]]:
    """Quoted speech of eight words or more; shorter quotes are names or scare quotes."""
    return [m.span() for m in _SPEECH.finditer(text) if len(m.group(0).split()) >= 8]


def _dateline_zones(text: str, title: str | None = None) -> list[tuple[int, int]]:
    zones = [m.span("dateline") for m in _DATELINE.finditer(text)]
    first = text.lstrip()
    headline_end = (len(text) - len(first) + len(title.strip())
                    if title and title.strip() and first.startswith(title.strip()) else 0)
    zones += [m.span("dateline") for m in _DATELINE_COLON.finditer(text)
              if m.start() >= headline_end]
    return zones


def _neighbour(text: str, start: int) -> bool:
    return bool(_NEIGHBOUR.search(text, max(0, start - 80), start))


def _journey_end(text: str, start: int, end: int) -> bool:
    if _ROUTE_TO.search(text, max(0, start - 60), start):
        return True
    return bool(_ROUTE_FROM.search(text, max(0, start - 15), start)
                and _ROUTE_ON.match(text, end))


def _caption_zones(article: Article) -> list[tuple[int, int]]:
    zones = []
    for caption in article.captions:
        at = article.text.find(caption)
        while at >= 0:
            zones.append((at, at + len(caption)))
            at = article.text.find(caption, at + len(caption))
    return zones


def _inside(span: tuple[int, int], zones: list[tuple[int, int]]) -> bool:
    return any(zs <= span[0] and span[1] <= ze for zs, ze in zones)


def _factual(token: Any) -> bool:
    """False for a trigger the sentence does not report as having happened."""
    if any(child.dep_ == "neg" for child in token.children):
        return False
    if token.pos_ in ("VERB", "AUX"):
        if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in token.children):
            return False
        return not any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
    if any(c.lower_ in _IRREALIS_MODS for c in token.children if c.dep_ in ("amod", "compound")):
        return False
    head = token.head
    for _ in range(2):
        if head.lemma_.lower() in _IRREALIS_HEADS and head is not token:
            return False
        if head.dep_ == "prep" or head.pos_ == "ADP":
            head = head.head
            continue
        break
    return True


def find_triggers(doc: Any, text: str, excluded: list[tuple[int, int]]) -> list[Trigger]:
    out: list[Trigger] = []
    taken: list[tuple[int, int]] = []
    for pattern, phrase_category in PHRASE_TRIGGERS:
        for match in pattern.finditer(text):
            span = match.span()
            if _inside(span, excluded) or any(span[0] < e and s < span[1] for s, e in taken):
                continue
            plural = match.group(0).lower().endswith("s") and phrase_category != "suicide"
            out.append(Trigger(span[0], span[1], match.group(0), phrase_category, "PHRASE",
                               plural))
            taken.append(span)
    for token in doc:
        lemma = token.lemma_.lower()
        category: str | None
        if token.pos_ in ("NOUN", "PROPN"):
            category = NOUN_TRIGGERS.get(lemma) or NOUN_TRIGGERS.get(token.lower_)
        elif token.pos_ == "VERB":
            category = VERB_TRIGGERS.get(lemma)
        else:
            category = None
        if not category:
            continue
        span = (token.idx, token.idx + len(token.text))
        if _inside(span, excluded) or any(span[0] < e and s < span[1] for s, e in taken):
            continue
        if not _factual(token):
            continue
        plural = token.tag_ in ("NNS", "NNPS")
        definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these")
                       for c in token.children) or any(c.dep_ == "poss" for c in token.children)
        out.append(Trigger(span[0], span[1], token.text, category,
                           "VERB" if token.pos_ == "VERB" else "NOUN", plural, definite, token.i))
    return sorted(out, key=lambda t: t.start)


def _segments(doc: Any, text: str) -> list[tuple[Span, Span]]:
    """(segment, sentence) pairs: sentences cut at paragraph breaks (a headline is its own
    sentence even without a full stop), then split into segments at semicolons."""
    out = []
    for sent in doc.sents:
        para_start = sent.start_char
        for para in re.split(r"(\n\s*\n)", text[sent.start_char:sent.end_char]):
            para_end = para_start + len(para)
            if not para.strip():
                para_start = para_end
                continue
            sentence = Span(para_start, para_end, para)
            start = para_start
            for part in re.split(r"(;)", para):
                end = start + len(part)
                if part != ";" and part.strip():
                    lead = len(part) - len(part.lstrip())
                    trail = len(part) - len(part.rstrip())
                    s, e = start + lead, end - trail
                    out.append((Span(s, e, text[s:e]), sentence))
                start = end
            para_start = para_end
    return out



def _is_generic(mention: Mention, text: str) -> bool:
    triggers = mention.triggers
    if all(t.plural and t.category not in ("clash", "protest", "riot") for t in triggers) and (
            not mention.counts or _GENERIC_CUE.search(mention.segment.text)):
        return True
    specific_date = any(d.precision in ("day", "week", "month") for d in mention.dates)
    if _PERFECT.search(mention.segment.text) and not specific_date and not mention.counts:
        return True  # "Thousands have been killed in attacks across the Sahel"
    return bool(_GENERIC_CUE.search(mention.segment.text)) and not any(
        d.precision in ("day", "week") for d in mention.dates)


def build_mentions(article: Article, doc: Any, res: Resources, *, uncased: bool,
                   places: list[ResolvedPlace], named: list[ActorMention]) -> list[Mention]:
    text = article.text
    excluded = _caption_zones(article) + _speech_zones(text)
    triggers = [t for t in find_triggers(doc, text, excluded)
                if not any(a.span.start <= t.start and t.end <= a.span.end for a in named)]
    generic = res.actors.find_generic(text)
    datelines = _dateline_zones(text, article.title)
    date_mentions = [d for d in find_dates(text, uncased=uncased)
                     if not _inside((d.span.start, d.span.end), excluded + datelines)
                     and not _SPEECH_DATE.search(text, max(0, d.span.start - 60), d.span.start)]
    places = [p for p in places if not _inside((p.span.start, p.span.end), datelines)]
    # "a convoy travelling from Parachinar to Peshawar", "engineers heading from Islamabad to
    # their camp": the ends of a journey, not where it was attacked, unless nothing else is named;
    # nor is a neighbour the text names as a landmark ("near the border with Mali").
    staying = [p for p in places if not _journey_end(text, p.span.start, p.span.end)
               and not _neighbour(text, p.span.start)]
    places = staying or places
    found = cas.find_casualties(text)
    counts_all = [c for c in found if not c.attacker_only]
    attackers_all = [c for c in found if c.attacker_only]
    mentions: list[Mention] = []
    segments = _segments(doc, text)
    trigger_segments = {i for i, (seg, _) in enumerate(segments)
                        if any(seg.start <= t.start < seg.end for t in triggers)}
    for index, (seg, sentence) in enumerate(segments):
        seg_triggers = [t for t in triggers if seg.start <= t.start < seg.end]
        seg_counts = [c for c in counts_all if c.count.span and within(c.count.span, seg)]
        if not seg_triggers:
            # "The death toll rose to 15 by evening" or "JNIM was suspected of planting the
            # device": no incident word of its own, an update of the incident reported just before.
            if mentions and not _GENERIC_CUE.search(seg.text) \
                    and not _inside((seg.start, seg.end), excluded):
                seg_named = [a for a in named if within(a.span, seg)]
                if seg_counts:
                    span = seg_counts[0].count.span
                    assert span is not None
                    pseudo = Trigger(span.start, span.end, span.text, "kill", "COUNT")
                    mentions.append(Mention([pseudo], seg, sentence, counts=seg_counts,
                                            reference=True, attacker_deaths=[
                                                c for c in attackers_all if c.count.span
                                                and within(c.count.span, seg)]))
                elif ((seg_named and attribution_of(seg.text) != "stated")
                      or _ANAPHOR.match(seg.text)):
                    # "The attackers entered the village on Tuesday night": the narrative goes on.
                    pseudo = Trigger(seg.start, seg.start, "", "kill", "ACTOR")
                    perps = [Participant(a.span, a.kind, a.actor.name if a.actor else None,
                                         attribution_of(seg.text))  # type: ignore[arg-type]
                             for a in seg_named]
                    dates = [resolve(d, article.published) for d in date_mentions
                             if within(d.span, seg) and not d.is_range_bound]
                    mentions.append(Mention([pseudo], seg, sentence, perpetrators=perps,
                                            dates=dates, reference=True))
            continue
        first = seg_triggers[0]
        mention = Mention(seg_triggers, seg, sentence)
        own_dates = [d for d in date_mentions if within(d.span, seg) and not d.is_range_bound]
        mention.dates = [resolve(d, article.published) for d in own_dates]
        mention.places = [p for p in places if within(p.span, seg)]
        mention.counts = [c for c in counts_all if c.count.span and within(c.count.span, seg)]
        mention.attacker_deaths = [c for c in attackers_all
                                   if c.count.span and within(c.count.span, seg)]
        mention.perpetrators = participants_in(seg, first, named, generic, text, sentence,
                                                seg_triggers)
        mention.victims = victims_in(text, seg)
        mention.targets = targets_in(doc, seg, text)
        dep_victims, dep_targets = dependency_arguments(doc, seg_triggers, seg, named)
        covered = [(v.span.start, v.span.end) for v in mention.victims + mention.targets]
        mention.victims += [v for v in dep_victims if not any(
            v.span.start < e and s < v.span.end for s, e in covered)]
        mention.targets += [t for t in dep_targets if not any(
            t.span.start < e and s < t.span.end for s, e in covered)]
        mention.weapons = weapons_in(text, seg)
        # The sentence's head (before its first trigger, outside other incident segments)
        # speaks for every segment: "ISIS-K's campaign includes X; Y; and Z".
        sentence_triggers = [t for t in triggers if sentence.start <= t.start < sentence.end]
        head = Span(sentence.start, sentence_triggers[0].start, "")
        other = [segments[j][0] for j in trigger_segments if j != index
                 and segments[j][1].start == sentence.start]
        if not mention.perpetrators and head.end > head.start:
            mention.perpetrators = participants_in(head, first, named, generic, text, sentence)
        if not mention.dates:
            mention.dates = [resolve(d, article.published) for d in date_mentions
                             if within(d.span, sentence) and outside(d.span, other)
                             and not d.is_range_bound]
        if not mention.places:
            mention.places = [p for p in places
                              if within(p.span, sentence) and outside(p.span, other)]
        # A year alone ("in 2022") dates a campaign, not an incident: it anchors nothing.
        anchored = bool(mention.counts or any(d.precision not in ("unknown", "year") or d.partial
                                              for d in mention.dates)
                        or any(p.place.feature != "country" for p in mention.places))
        if _is_generic(mention, text):
            continue
        if CLAIM.search(seg.text) and not NO_CLAIM.search(seg.text) and mentions:
            mention.reference = True  # a claim's date and place are the claim's, not the attack's
            mention.dates, mention.places, mention.counts = [], [], []
            mention.attacker_deaths = []
            mentions.append(mention)
            continue
        own_date = any(d.precision not in ("unknown", "year") or d.partial
                       for d in mention.dates if d.span is not None and within(d.span, seg))
        # "The fighting began when...": a definite noun with no date of its own points back.
        anaphoric = all(t.definite and t.pos == "NOUN" for t in seg_triggers) and not own_date
        if mentions and (_TOLL_UPDATE.search(seg.text) or anaphoric
                         or all(t.category in WEAK for t in seg_triggers)):
            mention.reference = True  # "the toll rose to 9 on Monday": the date is the update's
            mention.dates, mention.places = [], []
            mentions.append(mention)
            continue
        if not anchored:
            # No anchor of its own: a reference to an incident already reported, or nothing.
            if not any(t.definite or t.pos == "VERB" for t in seg_triggers):
                continue
            mention.reference = True
        mentions.append(mention)
    return mentions


# Incident kinds that never describe one another: a kidnapping is not a bombing. Categories
# outside these groups ("attack", "killing", "clash") are general and agree with any of them.
_KINDS = ({"kidnap", "hostage", "hijack"}, {"bombing", "ied", "suicide", "grenade"},
          {"airstrike", "drone", "shelling"})


def _family(category: str) -> str:
    return "violent" if category in VIOLENT else "protest"


def _kinds_agree(a: set[str], b: set[str]) -> bool:
    for group in _KINDS:
        for other in _KINDS:
            if group is not other and a & group and not a - group and b & other \
                    and not b & group:
                return False
    return True


def _best_date(dates: list[DateInfo]) -> DateInfo:
    best = DateInfo.unknown()
    for date in dates:
        if more_precise(date, best):
            best = date
    return best


@dataclass(slots=True)
class _Incident:
    mentions: list[Mention]

    @property
    def date(self) -> DateInfo:
        own = _best_date([d for m in self.mentions if not m.reference for d in m.dates])
        if own.precision != "unknown" or own.partial:
            return own
        return _best_date([d for m in self.mentions for d in m.dates])

    @property
    def place(self) -> ResolvedPlace | None:
        return most_specific([p for m in self.mentions for p in m.places])


def _places_compatible(a: ResolvedPlace | None, b: ResolvedPlace | None) -> bool:
    if a is None or b is None:
        return True
    pa, pb = a.place, b.place
    if pa.country_code != pb.country_code:
        return False
    if pa.feature == "country" or pb.feature == "country":
        return True
    if pa.admin1 and pb.admin1 and pa.admin1 != pb.admin1:
        return False
    if FEATURE_RANK.get(pa.feature, 9) <= 1 and FEATURE_RANK.get(pb.feature, 9) <= 1:
        # "Arauca" is a town and the department around it: it may mean either, so it agrees
        # with any place of that department.
        homonym = any(p.name == p.admin1 for p in (pa, pb))
        return pa.name == pb.name or pa.feature != pb.feature or homonym
    return True


def merge_mentions(mentions: list[Mention]) -> list[_Incident]:
    incidents: list[_Incident] = []
    for mention in mentions:
        family = _family(mention.category)
        target = None
        if mention.reference:
            for incident in reversed(incidents):
                if _family(incident.mentions[0].category) == family:
                    target = incident
                    break
            if target is None:
                continue
        else:
            date = _best_date(mention.dates)
            place = most_specific(mention.places)
            for incident in reversed(incidents):  # the incident reported last is the likeliest
                if _family(incident.mentions[0].category) != family:
                    continue
                idate = incident.date
                same_date = date.start is not None and idate.start is not None and compatible(
                    date, idate)
                if not compatible(date, idate) or not _places_compatible(place, incident.place):
                    continue
                if not _kinds_agree({t.category for t in mention.triggers},
                                    {t.category for m in incident.mentions for t in m.triggers}):
                    continue
                if same_date or date.start is None or idate.start is None:
                    target = incident
                    break
        if target is None:
            incidents.append(_Incident([mention]))
        else:
            target.mentions.append(mention)
    return incidents



def _typing(category: str, perps: list[Participant], victims: list[Participant],
            targets: list[Participant], fatalities: Count, text: str
            ) -> tuple[str, str, str | None]:
    event_type, sub_type, attack_type = TYPING[category]
    security_victims = [v for v in victims if v.kind == "security forces"] + \
        [t for t in targets if t.kind == "security"]
    civilian_victims = [v for v in victims if v.kind == "civilians"]
    state_perp = bool(perps) and all(p.name is None and is_state_force(p.span.text)
                                     for p in perps)
    if event_type == "Violence against civilians" and security_victims and not civilian_victims \
            and category not in ("kidnap", "hostage", "hijack"):
        event_type, sub_type = "Battles", "Armed clash"
    if category == "protest" and re.search(r"\b(torch|loot|stone|clash|burn|vandal|riot)", text,
                                           re.I):
        event_type, sub_type = "Riots", "Violent demonstration"
    elif category == "protest" and re.search(r"tear ?gas|dispers|arrest|water cannon", text, re.I):
        sub_type = "Protest with intervention"
    if category == "arson" and fatalities.best:
        event_type, sub_type, attack_type = "Violence against civilians", "Attack", "Armed Assault"
    if state_perp or (category in _STATE_PERP_TYPES and not any(p.name for p in perps)):
        attack_type = None
    return event_type, sub_type, attack_type


def _location(incident: _Incident, res: Resources, fallback_country: str | None) -> Location:
    place = incident.place
    if place is not None:
        return to_location(place, res.gazetteer)
    if fallback_country:
        country = res.gazetteer.country_name(fallback_country)
        return Location(None, country, country, fallback_country, None, None, None, None, None,
                        "country")
    return Location.unknown()


def _state_side(perpetrator: Participant, actors: ActorCatalogue) -> bool:
    """A perpetrator on the state's side: the militants its troops kill are the event's dead,
    not perpetrator deaths ("troops killed 10 militants in a raid")."""
    if perpetrator.name is None:
        return is_state_force(perpetrator.span.text)
    actor = actors.lookup(perpetrator.name)
    return actor is not None and actor.category == "state forces"


def to_events(article: Article, incidents: list[_Incident], res: Resources,
              fallback_country: str | None) -> list[Event]:
    events = []
    identity = article.identity
    for incident in incidents:
        mentions = incident.mentions
        category = best_category([m.category for m in mentions if not m.reference]
                                 or [m.category for m in mentions])
        categories = {t.category for m in mentions for t in m.triggers}
        if categories & _RIOT_CATEGORIES and categories & _RIOT_VIOLENCE:
            category = "riot"
        perps = merge_participants([m.perpetrators for m in mentions], key_name=True)
        crowd_first = category in ("protest", "riot", "mob")
        # Named groups first, descriptions after; in a protest or riot the crowd leads.
        perps.sort(key=lambda p: (p.name is None,
                                  crowd_first and not CROWD.search(p.span.text)))
        victims = merge_participants([m.victims for m in mentions])
        targets = merge_participants([m.targets for m in mentions if not m.reference])
        weapons = merge_participants([m.weapons for m in mentions])
        all_counts = [c for m in mentions for c in m.counts]
        others, attackers = (
            cas.split_perpetrator_deaths(sorted(
                all_counts + [c for m in mentions for c in m.attacker_deaths],
                key=lambda c: c.count.span.start if c.count.span else 0))
            if not any(_state_side(p, res.actors) for p in perps) else (all_counts, []))
        fatalities = cas.combine(others, "killed")
        injured = cas.combine(others, "injured")
        perpetrator_deaths = cas.combine(attackers, "killed")
        evidence_text = " ".join(m.segment.text for m in mentions)
        event_type, sub_type, attack_type = _typing(category, perps, victims, targets,
                                                    fatalities, evidence_text)
        date = incident.date
        location = _location(incident, res, fallback_country)
        first = mentions[0].triggers[0]
        evidence = list({(m.segment.start, m.segment.end): m.segment for m in mentions}.values())
        confidence = 0.35 + 0.15 * (date.precision in ("day", "week", "month")) \
            + 0.15 * (location.precision not in ("unknown", "country")) + 0.15 * bool(perps) \
            + 0.1 * (fatalities.best is not None or perpetrator_deaths.best is not None) \
            + 0.05 * (len(mentions) > 1)
        events.append(Event(
            id="ev_" + content_hash(f"{identity}:{first.start}:{first.end}")[:20],
            doc_id=article.doc_id,
            event_type=event_type,  # type: ignore[arg-type]
            sub_event_type=sub_type,
            attack_type=attack_type,
            date=date,
            location=location,
            perpetrators=perps,
            victims=victims,
            targets=targets,
            weapons=weapons,
            fatalities=fatalities,
            injured=injured,
            perpetrator_deaths=perpetrator_deaths,
            evidence=[Span(s.start, s.end, s.text) for s in evidence],
            confidence=min(confidence, 0.95),
            trigger=first.text,
            extractor=EXTRACTOR_VERSION,
        ))
    return events
