"""Who did it to whom, with what: perpetrators, victims, targets and weapons of an incident.

Works on one incident segment of the parsed text: named groups and generic descriptions as
perpetrators (unless the text makes them victims or speakers), their attribution (stated, claimed,
suspected), victims ("14 civilians", "the priests were murdered"), physical targets ("a Herat
mosque") and weapons; and merges the participants of several mentions of one incident.
"""

from __future__ import annotations

import re
from typing import Any

from . import casualties as cas
from .actors import ActorMention
from .models import Participant, Span
from .triggers import Trigger

PASSIVE_GAP = re.compile(r"\b(were|was|been|being|got|are|is)\s+(\w+\s+)?$", re.I)

SPEAKER = re.compile(r"\b(said|says|say|told|confirmed|reported|announced|added|stated|"
                      r"claimed|denied|according)\b", re.I)
CROWD = re.compile(r"protesters|demonstrators|rioters|mob|crowd", re.I)

CLAIM = re.compile(r"\bclaim(?:ed|s|ing)?\s+(?:responsibility|credit)\b|"
                    r"\bclaim(?:ed|s)?\s+(?:the|that|it)\b|\bresponsibility\s+for\b", re.I)
NO_CLAIM = re.compile(r"\b(no|not|nobody|none|yet to|neither)\b[^.;]{0,40}\bclaim", re.I)
SUSPECT = re.compile(r"\b(suspect(?:ed|s)?|blam(?:ed|es|e)|believed|likely|accus(?:ed|es)|"
                      r"attributed|alleged(?:ly)?|hallmarks|suspicion)\b", re.I)
VICTIM_SIDE = re.compile(r"(?:\bon|\bagainst|\btargeting|\btargeted|\bkill(?:ed|ing)|\bof|"
                          r"\bwound(?:ed|ing)|\bkidnapp?(?:ed|ing)|\babduct(?:ed|ing))\s+"
                          r"(?:the\s+|a\s+|an\s+)?(?:\w+\s+){0,2}$", re.I)
VICTIM = re.compile(rf"(?<![\w-]){cas._QUAL}(?P<n>{cas.NUM})\s+{cas._PERSON}\b", re.I)
SECURITY_WORDS = re.compile(r"soldier|troop|police|officer|guard|security|servicem|recruit|"
                             r"personnel|checkpoint|base|outpost|convoy|barracks|garrison|"
                             r"military|army|militia", re.I)
CIVILIAN_WORDS = re.compile(r"civilian|people|worshipp|student|child|women|villager|passenger|"
                             r"pupil|shopper|resident|farmer|pilgrim|teacher|journalist|patient|"
                             r"Shia|Hazara|Christian|Muslim|Sunni|guest|tourist|worker", re.I)
TARGET_NOUNS = {
    "mosque": "religious", "church": "religious", "temple": "religious", "shrine": "religious",
    "synagogue": "religious", "madrasa": "religious", "seminary": "religious",
    "school": "educational", "university": "educational", "college": "educational",
    "market": "business", "bazaar": "business", "shop": "business", "hotel": "business",
    "restaurant": "business", "bank": "business", "mall": "business", "cafe": "business",
    "hospital": "civilian", "clinic": "civilian", "wedding": "civilian", "funeral": "civilian",
    "gathering": "civilian", "rally": "civilian", "house": "civilian", "home": "civilian",
    "village": "civilian", "camp": "civilian", "bus": "transport", "vehicle": "transport",
    "car": "transport", "truck": "transport", "minibus": "transport", "train": "transport",
    "airport": "transport", "checkpoint": "security", "convoy": "security", "base": "security",
    "outpost": "security", "post": "security", "station": "security", "barracks": "security",
    "headquarters": "government", "office": "government", "ministry": "government",
    "compound": "government", "embassy": "government", "prison": "government",
    "jail": "government", "court": "government", "pipeline": "infrastructure",
    "bridge": "infrastructure", "tower": "infrastructure", "power": "infrastructure",
    "stadium": "civilian", "park": "civilian", "pole": "infrastructure",
    "substation": "infrastructure", "transformer": "infrastructure", "pylon": "infrastructure",
    "line": "infrastructure", "plant": "infrastructure", "installation": "infrastructure",
    "facility": "infrastructure", "institute": "educational", "consulate": "government",
    "residence": "civilian", "building": "civilian", "warehouse": "business",
    "factory": "business", "dam": "infrastructure", "antenna": "infrastructure",
    "helicopter": "security", "aircraft": "transport", "plane": "transport",
}
WEAPONS = re.compile(
    r"\b(?:suicide vests?|explosive vests?|car bombs?|truck bombs?|roadside bombs?|"
    r"improvised explosive devices?|IEDs?|landmines?|land mines?|mines?|grenades?|"
    r"rocket-propelled grenades?|RPGs?|rockets?|mortars?|mortar shells?|missiles?|drones?|"
    r"artillery|explosives?|bombs?|guns?|rifles?|assault rifles?|AK-47s?|Kalashnikovs?|pistols?|"
    r"firearms?|machine guns?|machineguns?|knives|knife|machetes?|axes?|petrol bombs?|"
    r"molotov cocktails?|dynamite|dynamite charges?|explosive charges?|car-bombs?|"
    r"incendiary (?:bombs?|devices?)|submachine guns?|m-16s?|fal rifles?|bazookas?)\b",
    re.I)

QUALIFIER = re.compile(r"^(about|at least|more than|some|nearly|around|over|up to|as many as|"
                        r"almost|roughly|an estimated)\s+", re.I)


def attribution_of(sentence: str) -> str:
    if CLAIM.search(sentence) and not NO_CLAIM.search(sentence):
        return "claimed"
    if SUSPECT.search(sentence):
        return "suspected"
    return "stated"


def participants_in(seg: Span, first_trigger: Trigger, named: list[ActorMention],
                     generic: list[ActorMention], text: str, sentence: Span,
                     triggers: list[Trigger] | None = None) -> list[Participant]:
    perps: list[Participant] = []
    triggers = triggers or [first_trigger]
    attribution = attribution_of(sentence.text)
    for mention in named:
        if not (seg.start <= mention.span.start and mention.span.end <= seg.end):
            continue
        before = text[max(seg.start, mention.span.start - 40):mention.span.start]
        if VICTIM_SIDE.search(before) and mention.span.start > first_trigger.start:
            continue
        if mention.span.end <= first_trigger.start and first_trigger.pos == "VERB" and \
                PASSIVE_GAP.search(text[mention.span.end:first_trigger.start]):
            continue  # "three Taliban fighters were killed": the subject is the victim
        name = mention.actor.name if mention.actor else None
        perps.append(Participant(mention.span, mention.kind, name, attribution))  # type: ignore[arg-type]
    if any(t.category in ("protest", "riot", "mob") for t in triggers):
        crowd = [m for m in generic if within(m.span, seg) and CROWD.search(m.span.text)]
        if crowd:
            return [Participant(crowd[0].span, crowd[0].kind, None, attribution)]  # type: ignore[arg-type]
    for mention in generic:
        if not (seg.start <= mention.span.start and mention.span.end <= seg.end):
            continue
        before = text[max(seg.start, mention.span.start - 6):mention.span.start]
        is_agent = (mention.span.end <= first_trigger.end
                    and not SPEAKER.search(text[mention.span.end:first_trigger.start])
                    ) or before.rstrip().endswith("by")
        passive = first_trigger.pos == "VERB" and mention.span.end <= first_trigger.start and \
            bool(PASSIVE_GAP.search(text[mention.span.end:first_trigger.start]))
        inside_named = any(n.span.start <= mention.span.start < n.span.end for n in named)
        if is_agent and not passive and not inside_named and \
                not VICTIM_SIDE.search(text[seg.start:mention.span.start][-40:]):
            # "urban guerrillas of the FMLN": the description joins the named group.
            perps.append(Participant(mention.span, mention.kind, None, attribution))  # type: ignore[arg-type]
            break
    return perps


def victims_in(text: str, seg: Span) -> list[Participant]:
    out = []
    for match in VICTIM.finditer(text, seg.start, seg.end):
        words = match.group(0)
        kind = ("security forces" if SECURITY_WORDS.search(words) else
                "civilians" if CIVILIAN_WORDS.search(words) else "people")
        out.append(Participant(Span(match.start(), match.end(), words), kind))
    return out


def targets_in(doc: Any, seg: Span, text: str) -> list[Participant]:
    out = []
    for chunk in doc.noun_chunks:
        if chunk.start_char < seg.start or chunk.end_char > seg.end:
            continue
        kind = TARGET_NOUNS.get(chunk.root.lemma_.lower())
        if kind:
            out.append(Participant(Span(chunk.start_char, chunk.end_char, chunk.text), kind))
    return out


HARM_CATEGORIES = {"kill", "massacre", "assassination", "kidnap", "hostage", "shooting",
                    "stabbing", "attack", "bombing", "ied", "suicide", "grenade", "arson", "ambush"}
OBJECT_DEPS = {"dobj", "nsubjpass", "obj"}
INANIMATE = {"building", "facility", "facilities", "installation", "property", "line", "pylon",
              "tower", "vehicle", "plant", "network", "branch", "premises", "farm", "residence",
              "store", "warehouse", "factory", "dam", "road", "installations"}


TITLES = re.compile(
    r"^.*\b(president|vice president|governor|colonel|col|mayor|judge|minister|general|gen|"
    r"senator|deputy|priest|father|commander|leader|candidate|dr|mr|mrs|ms|attorney|lieutenant|"
    r"lt|captain|capt|major|sergeant|sgt|chief|director|ambassador|bishop|archbishop|"
    r"journalist|businessman|councilman|councillor|congressman|official|prosecutor|secretary)"
    r"\.?\s+(?=\S+\s+\S+)", re.I)


def person_span(span: Span) -> Span:
    """"governor antonio roldan betancur" -> "antonio roldan betancur": a named victim is their
    name, not their office."""
    match = TITLES.match(span.text)
    if not match or "," in span.text[match.end():]:
        return span
    start = span.start + match.end()
    return Span(start, span.end, span.text[match.end():])


def chunk_of(doc: Any, token: Any) -> Any:
    for chunk in doc.noun_chunks:
        if chunk.start <= token.i < chunk.end:
            return chunk
    return doc[token.i:token.i + 1]


def dependency_arguments(doc: Any, triggers: list[Trigger], seg: Span, named: list[ActorMention]
                          ) -> tuple[list[Participant], list[Participant]]:
    """Victims and targets that the parse links to the triggers: "killed a peasant", "the
    priests were murdered", "the murder of the mayor", "bombed the embassy"."""
    victims: list[Participant] = []
    targets: list[Participant] = []
    for trigger in triggers:
        if trigger.token_index < 0 or trigger.category not in HARM_CATEGORIES:
            continue
        token = doc[trigger.token_index]
        heads = [c for c in token.children if c.dep_ in OBJECT_DEPS]
        if token.pos_ != "VERB":
            heads += [g for c in token.children if c.dep_ == "prep" and c.lower_ in ("of", "on",
                                                                                  "against")
                      for g in c.children if g.dep_ == "pobj"]
        for head in heads:
            if head.pos_ == "PRON" or head.like_num:
                continue
            chunk = chunk_of(doc, head)
            if chunk.start_char < seg.start or chunk.end_char > seg.end:
                continue
            if any(a.span.start <= chunk.start_char < a.span.end for a in named):
                continue
            span = Span(chunk.start_char, chunk.end_char, chunk.text)
            lemma = head.lemma_.lower()
            if lemma in TARGET_NOUNS or lemma in INANIMATE:
                targets.append(Participant(span, TARGET_NOUNS.get(lemma, "civilian")))
            else:
                kind = ("security forces" if SECURITY_WORDS.search(chunk.text) else
                        "civilians" if CIVILIAN_WORDS.search(chunk.text) else "people")
                victims.append(Participant(person_span(span), kind))
    return victims, targets


def weapons_in(text: str, seg: Span) -> list[Participant]:
    return [Participant(Span(m.start(), m.end(), m.group(0)), "weapon")
            for m in WEAPONS.finditer(text, seg.start, seg.end)]


def within(span: Span, seg: Span) -> bool:
    return seg.start <= span.start and span.end <= seg.end


def outside(span: Span, segments: list[Span]) -> bool:
    return not any(within(span, seg) for seg in segments)


ATTRIBUTION_RANK = {"claimed": 3, "stated": 2, "suspected": 1}


def merge_participants(groups: list[list[Participant]], key_name: bool = False
                        ) -> list[Participant]:
    out: dict[str, Participant] = {}
    for group in groups:
        for part in group:
            if key_name:  # generic descriptions fold on their head noun: "gunmen" = "armed gunmen"
                key = (part.name or part.span.text.split()[-1]).lower()
            else:
                key = QUALIFIER.sub("", part.span.text.lower())
            have = out.get(key)
            if have is None:
                out[key] = part
            elif key_name and ATTRIBUTION_RANK.get(part.attribution or "", 0) > \
                    ATTRIBUTION_RANK.get(have.attribution or "", 0):
                out[key] = Participant(have.span, have.kind, have.name, part.attribution)
    return list(out.values())

