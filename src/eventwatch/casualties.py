"""Numbers and casualty counts: "killed six Shia", "the slaughter of 14 civilians",
"at least 5 dead and 15 wounded", "the death toll rose to 9", "between 8 and 11 people died".

Counts follow ACLED's conventions for vague quantities ("a dozen" 12, "dozens" 12, "scores" 20,
"hundreds" 100, "several" / "many" 10) and are conservative: "at least N" and "more than N" give
low = best = N; "up to N" gives best = high = N; "between A and B" gives low A, best A, high B.
A count the text does not give stays None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import Count, Span

_UNITS = {
    "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a dozen": 12, "dozen": 12, "dozens": 12,
    "scores": 20, "hundreds": 100, "several": 10, "many": 10, "a hundred": 100,
    "one hundred": 100, "a couple of": 2, "a few": 3,
}
_WORD_NUM = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|"
    r"five|six|seven|eight|nine))?|one hundred|a hundred|a dozen|a couple of|a few|one|two|three|"
    r"four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    r"eighteen|nineteen|dozens|dozen|scores|hundreds|several|many)"
)
NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{_WORD_NUM})"
_QUAL = (r"(?:(?P<qual>at least|more than|over|nearly|almost|about|around|some|up to|as many as|"
         r"roughly|approximately|an estimated|close to|at most|no fewer than|fewer than|"
         r"less than)\s+)?")
_PERSON = (r"(?:(?:[A-Za-z'-]+\s+){0,2}?(?:people|persons|civilians|soldiers|troops|policemen|"
           r"police|"
           r"officers|children|women|men|students|worshippers|worshipers|villagers|passengers|"
           r"militants|fighters|members|guards|workers|farmers|pupils|journalists|residents|"
           r"Shia|Shias|Shiites|Sunnis|Hazaras|Christians|Muslims|attackers|gunmen|insurgents|"
           r"rebels|jihadists|terrorists|bandits|protesters|demonstrators|others|personnel|"
           r"servicemen|recruits|policeman|soldier|civilian|person|child|man|woman|boy|girl|"
           r"boys|girls|teenagers|miners|traders|herders|pilgrims|worshiper|worshipper|"
           r"guests|shoppers|staff|employees|teachers|doctors|patients|refugees|hostages|"
           r"relatives|family members|tourists|security forces|assailants|suspects))")
_KILL_PASSIVE = (r"(?P<verb>killed|dead|died|slain|massacred|slaughtered|executed|beheaded|"
                 r"shot dead|gunned down|perished|lost their lives|killed and|dead and|"
                 r"wounded|injured|hurt|wounded and|injured and)")
_DEATH_WORDS = {"killed", "dead", "died", "slain", "massacred", "slaughtered", "executed",
                "beheaded", "shot dead", "gunned down", "perished", "lost their lives", "lives",
                "deaths", "fatalities", "bodies", "death", "slaughter", "massacre", "killing",
                "murder", "execution", "kill", "killing of", "shot", "toll"}

_QUAL2 = _QUAL.replace("?P<qual>", "?:")
_ATTACKER_ADJ = r"(?:(?:suicide|lone|second|other|third)\s+)?"
_PATTERNS = [
    # "eight militants and two soldiers were killed", "killing five soldiers and three civilians"
    ("list", re.compile(
        rf"(?<![\w.-]){_QUAL}(?P<n>{NUM})\s+(?P<pn>{_PERSON})(?:\s*,\s*|\s*,?\s+and\s+)"
        rf"{_QUAL2}(?P<m>{NUM})\s+(?P<pm>{_PERSON})"
        rf"\s+(?:were\s+|have been\s+|had been\s+|was\s+)?{_KILL_PASSIVE}\b", re.I)),
    ("list", re.compile(
        rf"\b(?P<verb>kill(?:ed|ing)|wound(?:ed|ing)|injur(?:ed|ing))\s+{_QUAL}(?P<n>{NUM})\s+"
        rf"(?P<pn>{_PERSON})(?:\s*,\s*|\s*,?\s+and\s+){_QUAL2}(?P<m>{NUM})\s+"
        rf"(?P<pm>{_PERSON})", re.I)),
    # "the bomber died", "a suicide bomber blew himself up", "two bombers blew themselves up",
    # "the gunman was shot dead" (passive only: "the attackers killed 4" is the victims' toll)
    ("attacker", re.compile(
        rf"\b(?:(?:the|a|one|another)\s+{_ATTACKER_ADJ}(?:bomber|attacker|assailant|gunman|"
        rf"militant|terrorist)|{_QUAL}(?P<n>{NUM})\s+{_ATTACKER_ADJ}(?:bombers?|attackers?|"
        rf"assailants?|gunm[ae]n|militants?|terrorists?))\s+(?:(?:also|later|reportedly)\s+)?"
        rf"(?P<verb>(?:was|were|had been|have been)\s+(?:also\s+)?(?:killed|shot dead)|died|"
        rf"blew (?:himself|herself|themselves) up)\b", re.I)),
    # "killing between 8 and 11 people"
    ("range", re.compile(
        rf"\b(?P<verb>kill(?:ed|ing)|wound(?:ed|ing)|injur(?:ed|ing))\s+between\s+(?P<n>{NUM})\s+"
        rf"and\s+(?P<m>{NUM})\b", re.I)),
    # "between 8 and 11 people were killed"
    ("range", re.compile(
        rf"\bbetween\s+(?P<n>{NUM})\s+and\s+(?P<m>{NUM})\s+(?:{_PERSON}\s+)?"
        rf"(?:were\s+|have been\s+|"
        rf"had been\s+)?(?P<verb>killed|dead|died|wounded|injured|hurt)\b", re.I)),
    # "the death toll rose to 9"
    ("toll", re.compile(
        rf"\b(?P<verb>death toll|toll|number of (?:the )?dead|number of deaths|casualty toll)\s+"
        rf"(?:has\s+|had\s+)?(?:now\s+)?(?:rose|risen|rises|climbed|climbs|jumped|reached|"
        rf"stood at|stands at|is|was|of|increased|went up)\s+(?:to\s+)?{_QUAL}(?P<n>{NUM})\b",
        re.I)),
    # "killed six Shia", "killing at least 12 people", "wounded 15"
    ("active", re.compile(
        rf"\b(?P<verb>kill(?:ed|ing|s)?|shot dead|gunned down|massacred|slaughtered|executed|"
        rf"beheaded|wound(?:ed|ing|s)?|injur(?:ed|ing|es)|left)\s+{_QUAL}(?P<n>{NUM})\b"
        rf"(?:\s+{_PERSON})?(?P<left>\s+(?:people\s+)?(?:dead|wounded|injured))?", re.I)),
    # "the slaughter of 14 civilians", "the deaths of five soldiers", "claimed 7 lives"
    ("nominal", re.compile(
        rf"\b(?P<verb>slaughter|massacre|killing|killings|deaths|murder|murders|execution|"
        rf"executions|death)\s+of\s+{_QUAL}(?P<n>{NUM})\b", re.I)),
    ("lives", re.compile(rf"\b(?:claimed|cost|took)\s+(?:the\s+)?{_QUAL}(?P<n>{NUM})\s+"
                         rf"(?P<verb>lives)\b", re.I)),
    # "at least 5 dead and 15 wounded", "six people were killed", "12 civilians died"
    ("passive", re.compile(
        rf"(?<![\w.-]){_QUAL}(?P<n>{NUM})\s+(?:{_PERSON}\s+)?(?:(?:were|was|have been|had been|"
        rf"are|is|being|also|reportedly|later)\s+){{0,2}}{_KILL_PASSIVE}\b", re.I)),
    ("fatal_noun", re.compile(rf"(?<![\w.-]){_QUAL}(?P<n>{NUM})\s+(?P<verb>deaths|fatalities|"
                              rf"casualties|bodies|injuries)\b", re.I)),
]
# A stated zero is a fact, unlike silence: "nobody was killed" gives 0, "no immediate reports of
# casualties" gives nothing.
_ZERO = re.compile(
    r"\b(?:no ?one|nobody|no-one|none of (?:them|the \w+))\s+(?:was|were|had been|has been)\s+"
    r"(?P<verb>killed|hurt|injured|wounded)\b|\bno (?P<noun>deaths|fatalities|injuries) "
    r"(?:were|was|have been|had been)\s+reported\b|\b(?:no ?one|nobody) died\b", re.I)
# "caused no casualties": neither killed nor injured, stated.
_NO_CASUALTIES = re.compile(r"\b(?:but|and|caused|causing|with|were|was|reported|left)\s+no\s+"
                            r"(?:casualties|victims)\b", re.I)
_GROUP = re.compile(r"\b(soldiers?|troops|policem[ae]n|police officers|officers|militants?|"
                    r"fighters|attackers?|assailants?|gunm[ae]n|insurgents|rebels|jihadists|"
                    r"civilians|children|women|students|passengers|militiamen|guards|"
                    r"bandits|terrorists?|bombers?|worshippers|villagers)\b", re.I)
_ATTACKER_GROUPS = {"militant", "fighter", "attacker", "assailant", "gunmen", "gunman",
                    "insurgent", "rebel", "jihadist", "bandit", "terrorist", "bomber"}
_INJURY = re.compile(r"^(wound|injur|hurt|injuries|casualties)", re.I)
# Whose dead, written after the count: "10 dead bodies of armed militants".
_OF_GROUP = re.compile(rf"\s+of\s+(?:the\s+)?(?:[a-z]+\s+)?{_GROUP.pattern}", re.I)


@dataclass(slots=True)
class CasualtyMention:
    kind: str  # "killed" | "injured"
    count: Count
    update: bool = False  # "the death toll rose to 9": replaces the figures before it
    group: str | None = None  # who: "soldiers", "attackers"; None for "people" or unstated
    # Only an attacker's death ("the bomber died"): never a toll of its own, so it neither
    # anchors an incident nor stands for one's toll (events.py keeps these apart).
    attacker_only: bool = False


def parse_number(text: str) -> int | None:
    """Integer value of a number written in digits or words; None if it is not one."""
    value = text.strip().lower().replace(",", "")
    if value.isdigit():
        return int(value)
    if value in _UNITS:
        return _UNITS[value]
    parts = re.split(r"[- ]", value)
    if len(parts) == 2 and parts[0] in _UNITS and parts[1] in _UNITS:
        return _UNITS[parts[0]] + _UNITS[parts[1]]
    return None


def _count(n: int, qual: str | None, span: Span) -> Count:
    qual = (qual or "").lower()
    if qual in ("up to", "as many as", "at most", "fewer than", "less than"):
        return Count(best=n, low=None, high=n, span=span)
    if qual in ("at least", "more than", "over", "no fewer than"):
        return Count(best=n, low=n, high=None, span=span)
    return Count(best=n, low=n, high=n, span=span)


def find_casualties(text: str, start: int = 0, end: int | None = None) -> list[CasualtyMention]:
    """Killed and injured counts stated in ``text[start:end]``, in text order, no overlaps."""
    end = len(text) if end is None else end
    out: list[tuple[int, CasualtyMention]] = []
    taken: list[tuple[int, int]] = []
    for match in _NO_CASUALTIES.finditer(text, start, end):
        s, e = match.span()
        span = Span(s, e, text[s:e])
        for kind in ("killed", "injured"):
            out.append((s, CasualtyMention(kind, Count(best=0, low=0, high=0, span=span))))
        taken.append((s, e))
    for match in _ZERO.finditer(text, start, end):
        s, e = match.span()
        if any(s < te and ts < e for ts, te in taken):
            continue
        word = (match["verb"] or match["noun"] or "died").lower()
        kind = "injured" if _INJURY.match(word) else "killed"
        span = Span(s, e, text[s:e])
        out.append((s, CasualtyMention(kind, Count(best=0, low=0, high=0, span=span))))
        taken.append((s, e))
    for name, pattern in _PATTERNS:
        for match in pattern.finditer(text, start, end):
            s, e = match.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            n = parse_number(match["n"]) if match["n"] else 1 if name == "attacker" else None
            if n is None or n > 100_000:
                continue
            verb = match["verb"].lower()
            if name == "attacker":
                verb = "killed"  # "was shot dead", "died", "blew himself up": the attacker's death
            # "left 3 dead" is a death count; a bare "left 3" is not a casualty at all.
            if verb == "left":
                if not match["left"]:
                    continue
                verb = match["left"].split()[-1].lower()
            if name == "active" and n == 1 and match["n"].lower() in ("a", "an"):
                continue
            kind = "injured" if _INJURY.match(verb) else "killed"
            if name == "fatal_noun" and verb == "casualties":
                continue  # "casualties" mixes killed and injured; it is no count of either
            span = Span(s, e, text[s:e])
            if name == "list":
                m = parse_number(match["m"])
                if m is None:
                    continue
                sides = _list_sides(text, match, n, m, kind)
                if sides:  # "five soldiers and three attackers were killed": two sides' dead
                    out += [(side_start, side) for side_start, side in sides]
                    taken.append((s, e))
                    continue
                count = _count(n + m, match.groupdict().get("qual"), span)
            elif name == "range":
                m = parse_number(match["m"])
                if m is None:
                    continue
                count = Count(best=min(n, m), low=min(n, m), high=max(n, m), span=span)
            else:
                count = _count(n, match.groupdict().get("qual"), span)
            group = (_GROUP.search(match.group(0)) or _OF_GROUP.match(text, e)) \
                if name != "list" else None
            out.append((s, CasualtyMention(kind, count, update=name == "toll",
                                           group=group.group(1).lower().rstrip("s")
                                           if group else None,
                                           attacker_only=name == "attacker")))
            taken.append((s, e))
    return [mention for _, mention in sorted(out, key=lambda pair: pair[0])]


def _list_sides(text: str, match: re.Match[str], n: int, m: int, kind: str
                ) -> list[tuple[int, CasualtyMention]]:
    """The two counts of a list whose one side is the attackers ("five soldiers and three
    attackers were killed"), each with its own span; [] when both sides are the attacked."""
    groups = [_GROUP.search(match["pn"]), _GROUP.search(match["pm"])]
    names = [g.group(1).lower().rstrip("s") if g else None for g in groups]
    if (names[0] in _ATTACKER_GROUPS) == (names[1] in _ATTACKER_GROUPS):
        return []
    first = (match.start(), match.end("pn"))
    second = (match.start("m"), match.end())
    out = []
    for (s, e), value, group in ((first, n, names[0]), (second, m, names[1])):
        count = _count(value, match["qual"] if s == match.start() else None, Span(s, e, text[s:e]))
        out.append((s, CasualtyMention(kind, count, group=group)))
    return out


def is_attacker_group(group: str | None) -> bool:
    """Whether a casualty group names the attacking side ("militants", "the bomber")."""
    return group in _ATTACKER_GROUPS


def split_perpetrator_deaths(mentions: list[CasualtyMention]
                             ) -> tuple[list[CasualtyMention], list[CasualtyMention]]:
    """The mentions of everyone else's dead and wounded, and the attackers' dead."""
    def dead_attackers(m: CasualtyMention) -> bool:
        return m.kind == "killed" and is_attacker_group(m.group)

    return ([m for m in mentions if not dead_attackers(m)],
            [m for m in mentions if dead_attackers(m)])


def combine(mentions: list[CasualtyMention], kind: str) -> Count:
    """One count of ``kind`` from the mentions of one incident, in text order.

    The first figure stated stands (a lead carries the main toll; when sources then disagree
    the conservative first figure is kept, as ACLED does), unless a later "the toll rose to N"
    updates it. ``low`` and ``high`` span every figure reported.
    """
    counts = [m for m in mentions if m.kind == kind and m.count.best is not None]
    if not counts:
        return Count()
    updates = [m for m in counts if m.update]
    sides: dict[str, CasualtyMention] = {}
    for m in counts:
        if m.group and m.count.best:
            sides.setdefault("attackers" if m.group in _ATTACKER_GROUPS else "others", m)
    if not updates and len(sides) > 1:
        # "about 20 attackers" and "four soldiers died": both sides lost people, so the toll
        # adds up. Two words for one side ("villagers", "civilians") are the same dead.
        total = sum(m.count.best or 0 for m in sides.values())
        first = next(iter(sides.values())).count
        return Count(best=total, low=total, high=None, span=first.span)
    positive = [m for m in counts if m.count.best]
    # "No one was killed" gives way to any later death that is reported.
    chosen = (updates[-1] if updates else positive[0] if positive else counts[0]).count
    lows = [m.count.low if m.count.low is not None else m.count.best for m in counts]
    highs = [m.count.high for m in counts if m.count.high is not None]
    bests = [m.count.best for m in counts if m.count.best is not None]
    low = min(x for x in lows if x is not None)
    high = max(highs + bests) if highs else None
    return Count(best=chosen.best, low=min(low, chosen.best or 0),
                 high=high if high is not None and high >= (chosen.best or 0) else None,
                 span=chosen.span)
