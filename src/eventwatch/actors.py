"""Armed groups and generic perpetrators found in text, resolved to canonical actors.

The catalogue (``data/actors.json``, extendable with the ``actors_file`` setting) lists each group
once with its aliases: ISIS-K, ISKP, IS-K and "Islamic State Khorasan Province" are one actor.
Acronyms match case-sensitively in normally cased text (so "ADF" is not "adf"); in text that has
lost its capitals (the MUC-4 corpus) every alias of three letters or more matches in any case.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from .models import Span


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    kind: str
    category: str
    countries: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ActorMention:
    span: Span
    actor: Actor | None  # None for a generic description ("gunmen")
    kind: str  # organization | individual


# Generic perpetrators: who did it when the text names no group. Singular forms are individuals.
_GENERIC = re.compile(
    r"\b(?:(?:unknown|unidentified|suspected|armed|masked|heavily armed|Islamist|jihadist|"
    r"separatist|rebel|Maoist|militant|urban|leftist|rightist)\s+)?(?P<noun>gunm[ae]n|militants?|insurgents?|rebels?|"
    r"jihadists?|terrorists?|bandits?|attackers?|assailants?|fighters?|suicide bombers?|"
    r"bombers?|extremists?|separatists?|guerrillas?|kidnappers?|abductors?|subversives?|"
    r"paramilitar(?:y|ies)|death squads?|hitmen|hit men|commandos?|"
    r"(?:security|government|military|armed|police|regime|pro-government) forces|soldiers|troops|"
    r"the army|(?:the )?(?:\w+ )?air force|warplanes?|fighter jets?|navy|"
    r"the military|police(?:men)?|mob|rioters|protesters|demonstrators|"
    r"(?:armed|unknown|unidentified) men|(?:a|the|one) (?:lone )?(?:gunman|assailant|attacker))\b",
    re.I,
)
# Descriptions of people ("gunmen", "a suicide bomber", "urban guerrillas") are individuals, the
# MUC-4 PerpInd role; named groups and institutions ("the army", "security forces") organizations.
_ORGANIZATION = re.compile(r"(forces|army|military|air force|navy|police|mob)$", re.I)
_STATE = re.compile(r"(security|government|military|police|regime|pro-government) forces|"
                    r"soldiers|troops|army|military|police|air force|warplane|jet|navy", re.I)


def _is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(alias) <= 7


def _pattern(aliases: list[str], flags: int) -> re.Pattern[str] | None:
    if not aliases:
        return None
    # Longest first so "ISIS-K" wins over "ISIS"; lookarounds instead of \b because aliases
    # may start or end with quotes and hyphens.
    alternation = "|".join(re.escape(a) for a in sorted(set(aliases), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-]|-\w)", flags)


class ActorCatalogue:
    """Matches catalogue aliases and generic perpetrator descriptions in text."""

    def __init__(self, entries: list[dict[str, object]]) -> None:
        self.by_alias: dict[str, Actor] = {}
        self.all_by_alias: dict[str, list[Actor]] = {}
        cased: list[str] = []
        uncased: list[str] = []
        for entry in entries:
            actor = Actor(
                name=str(entry["name"]),
                kind=str(entry.get("kind", "organization")),
                category=str(entry.get("category", "")),
                countries=tuple(entry.get("countries", ()) or ()),  # type: ignore[arg-type]
            )
            aliases = [actor.name, *entry.get("aliases", ())]  # type: ignore[misc]
            for alias in aliases:
                alias = str(alias)
                if "(" in alias:
                    continue  # "Front (FMLN)": the name and the acronym are matched separately
                self.by_alias.setdefault(alias.lower(), actor)
                if actor not in self.all_by_alias.setdefault(alias.lower(), []):
                    self.all_by_alias[alias.lower()].append(actor)
                (cased if _is_acronym(alias) else uncased).append(alias)
        self._cased = _pattern(cased, 0)
        self._uncased = _pattern(uncased, re.IGNORECASE)
        self._all_lower = _pattern([a for a in cased + uncased if len(a) >= 3], re.IGNORECASE)

    @property
    def actors(self) -> list[Actor]:
        return sorted(set(self.by_alias.values()), key=lambda a: a.name)

    def for_country(self, mentions: list[ActorMention], country: str | None
                    ) -> list[ActorMention]:
        """Mentions re-resolved for the document's country: "al-Shabaab" in a Mozambican story is
        Ahlu Sunnah Wal Jamaa, in a Somali one al-Shabaab."""
        if not country:
            return mentions
        out = []
        for mention in mentions:
            options = self.all_by_alias.get(mention.span.text.lower(), [])
            local = [a for a in options if country in a.countries]
            if mention.actor is not None and len(options) > 1 and local and \
                    mention.actor not in local:
                mention = ActorMention(mention.span, local[0], local[0].kind)
            out.append(mention)
        return out

    def lookup(self, name: str) -> Actor | None:
        return self.by_alias.get(name.lower())

    def find(self, text: str, start: int = 0, end: int | None = None, *,
             uncased: bool = False) -> list[ActorMention]:
        """Named groups in ``text[start:end]``; ``uncased`` for text without capitals."""
        end = len(text) if end is None else end
        patterns = [self._all_lower] if uncased else [self._uncased, self._cased]
        found: list[ActorMention] = []
        for pattern in patterns:
            if pattern is None:
                continue
            for match in pattern.finditer(text, start, end):
                s, e = match.span()
                if any(s < m.span.end and m.span.start < e for m in found):
                    continue
                actor = self.by_alias.get(match.group(0).lower())
                if actor is not None:
                    found.append(ActorMention(Span(s, e, match.group(0)), actor, actor.kind))
        return sorted(found, key=lambda m: m.span.start)

    @staticmethod
    def find_generic(text: str, start: int = 0, end: int | None = None) -> list[ActorMention]:
        """Descriptions such as "unknown gunmen" or "a suicide bomber" in ``text[start:end]``."""
        end = len(text) if end is None else end
        out = []
        for match in _GENERIC.finditer(text, start, end):
            s, e = match.span()
            kind = "organization" if _ORGANIZATION.search(match.group(0)) else "individual"
            out.append(ActorMention(Span(s, e, match.group(0)), None, kind))
        return out


def is_state_force(text: str) -> bool:
    return bool(_STATE.search(text))


@lru_cache(maxsize=4)
def load_catalogue(extra_file: str | None = None) -> ActorCatalogue:
    """The packaged catalogue, plus the entries of ``extra_file`` (same JSON shape) if given."""
    data = json.loads(files("eventwatch").joinpath("data/actors.json").read_text("utf-8"))
    entries = list(data["actors"])
    if extra_file:
        extra = json.loads(Path(extra_file).read_text("utf-8"))
        entries = list(extra.get("actors", [])) + entries  # user entries win alias conflicts
    return ActorCatalogue(entries)
