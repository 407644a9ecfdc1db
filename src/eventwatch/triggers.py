"""The violence lexicon: words that report an incident, and what kind of incident each reports.

A trigger is a token (matched by lemma) or a short phrase. Its category decides the ACLED event
type and sub-type and the GTD attack type, refined later by the incident's participants (an
attack on soldiers is a battle; a shooting of worshippers is violence against civilians).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Single-lemma triggers: lemma -> category.
NOUN_TRIGGERS = {
    "attack": "attack", "assault": "attack", "raid": "attack", "ambush": "ambush",
    "shooting": "shooting", "gunfight": "clash", "firefight": "clash", "clash": "clash",
    "fighting": "clash", "battle": "clash", "skirmish": "clash",
    "bombing": "bombing", "blast": "bombing", "explosion": "bombing", "bomb": "bombing",
    "airstrike": "airstrike", "shelling": "shelling", "massacre": "massacre",
    "slaughter": "massacre", "killing": "kill", "murder": "kill", "assassination": "assassination",
    "kidnapping": "kidnap", "abduction": "kidnap", "kidnap": "kidnap", "hijacking": "hijack",
    "arson": "arson", "riot": "riot", "protest": "protest", "demonstration": "protest",
    "beheading": "kill", "lynching": "mob", "stabbing": "stabbing", "siege": "hostage",
    "ied": "ied", "landmine": "ied", "rampage": "attack", "onslaught": "attack",
    "dynamiting": "bombing", "car-bomb": "bombing", "sabotage": "arson",
    "protester": "protest", "demonstrator": "protest", "rioter": "riot", "mob": "mob",
}
VERB_TRIGGERS = {
    "attack": "attack", "assault": "attack", "raid": "attack", "ambush": "ambush",
    "shoot": "shooting", "kill": "kill", "murder": "kill", "slaughter": "massacre",
    "massacre": "massacre", "behead": "kill", "assassinate": "assassination", "bomb": "bombing",
    "explode": "bombing", "detonate": "bombing", "kidnap": "kidnap", "abduct": "kidnap",
    "storm": "attack", "clash": "clash", "shell": "shelling", "torch": "arson", "hijack": "hijack",
    "riot": "riot", "protest": "protest", "demonstrate": "protest", "wound": "harm",
    "injure": "harm", "stab": "stabbing", "hack": "stabbing", "gun": "shooting",
    "execute": "kill", "lynch": "mob", "loot": "riot", "dynamite": "bombing",
    "machinegun": "shooting", "machine-gun": "shooting",
}
# Multi-word triggers, matched on the text; they take precedence over their words.
PHRASE_TRIGGERS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bsuicide (?:bomb(?:ing|er|ers)?|attack(?:er|ers|s)?|blast|car bomb(?:ing)?|"
                r"vest)\b", re.I), "suicide"),
    (re.compile(r"\bblew (?:himself|herself|themselves) up\b", re.I), "suicide"),
    (re.compile(r"\b(?:car|truck|vehicle|roadside|magnetic|sticky|parcel|motorcycle|"
                r"improvised) bomb(?:s|ing|ings)?\b|\bimprovised explosive devices?\b|"
                r"\bIEDs?\b|\blandmines?\b|\bland mines?\b", re.I), "ied"),
    (re.compile(r"\b(?:air ?strikes?|air raids?|aerial (?:attack|bombardment|strike)s?|"
                r"bombing raids?|warplanes? (?:struck|bombed|hit))\b", re.I), "airstrike"),
    (re.compile(r"\bdrone (?:strikes?|attacks?)\b|\bdrones? (?:struck|hit|attacked|dropped|"
                r"drops|dropping)\b|\b(?:dropped|drops|dropping) (?:bombs|explosives|grenades)\b",
                re.I), "drone"),
    (re.compile(r"\b(?:rocket|mortar|missile|artillery) (?:attacks?|fire|strikes?|shells?|"
                r"barrages?|rounds?)\b|\bfired (?:rockets|mortars|missiles|shells)\b", re.I),
     "shelling"),
    (re.compile(r"\bgrenade (?:attacks?|explosions?|blasts?)\b|\b(?:hurled|threw|lobbed) "
                r"(?:a )?grenades?\b", re.I), "grenade"),
    (re.compile(r"\bopen(?:ed)? fire\b|\bgunned down\b|\bshot dead\b", re.I), "shooting"),
    (re.compile(r"\bset (?:fire to|ablaze|alight)\b|\bburn(?:ed|t) down\b", re.I), "arson"),
    (re.compile(r"\b(?:took|taken|taking|held|seized) (?:\w+ )?hostages?\b|"
                r"\bhostage[- ]taking\b", re.I), "hostage"),
]

# Category -> (event type, sub-event type, GTD attack type).
TYPING: dict[str, tuple[str, str, str | None]] = {
    "attack": ("Violence against civilians", "Attack", "Armed Assault"),
    "ambush": ("Battles", "Armed clash", "Armed Assault"),
    "shooting": ("Violence against civilians", "Attack", "Armed Assault"),
    "stabbing": ("Violence against civilians", "Attack", "Armed Assault"),
    "kill": ("Violence against civilians", "Attack", "Armed Assault"),
    "massacre": ("Violence against civilians", "Attack", "Armed Assault"),
    "assassination": ("Violence against civilians", "Attack", "Assassination"),
    "clash": ("Battles", "Armed clash", None),
    "bombing": ("Explosions/Remote violence", "Remote explosive/landmine/IED",
                "Bombing/Explosion"),
    "ied": ("Explosions/Remote violence", "Remote explosive/landmine/IED", "Bombing/Explosion"),
    "suicide": ("Explosions/Remote violence", "Suicide bomb", "Bombing/Explosion"),
    "grenade": ("Explosions/Remote violence", "Grenade", "Bombing/Explosion"),
    "airstrike": ("Explosions/Remote violence", "Air/drone strike", None),
    "drone": ("Explosions/Remote violence", "Air/drone strike", None),
    "shelling": ("Explosions/Remote violence", "Shelling/artillery/missile attack", None),
    "kidnap": ("Violence against civilians", "Abduction/forced disappearance",
               "Hostage Taking (Kidnapping)"),
    "hostage": ("Violence against civilians", "Abduction/forced disappearance",
                "Hostage Taking (Barricade Incident)"),
    "hijack": ("Violence against civilians", "Abduction/forced disappearance", "Hijacking"),
    "arson": ("Strategic developments", "Looting/property destruction",
              "Facility/Infrastructure Attack"),
    "riot": ("Riots", "Violent demonstration", None),
    "mob": ("Riots", "Mob violence", None),
    "protest": ("Protests", "Peaceful protest", None),
    "harm": ("Violence against civilians", "Attack", "Armed Assault"),
}
# Words that report harm but not an incident of their own ("four of the wounded died"): they
# update the incident reported before them and never start one.
WEAK = {"harm"}
# When several triggers describe one incident, the most informative category wins.
PRIORITY = ["suicide", "drone", "airstrike", "shelling", "grenade", "ied", "bombing", "hostage",
            "hijack", "kidnap", "massacre", "assassination", "ambush", "clash", "shooting",
            "stabbing", "arson", "riot", "mob", "protest", "attack", "kill", "harm"]
VIOLENT = set(PRIORITY) - {"protest"}


@dataclass(frozen=True, slots=True)
class Trigger:
    start: int
    end: int
    text: str
    category: str
    pos: str  # NOUN | VERB | PHRASE
    plural: bool = False
    definite: bool = False
    token_index: int = -1


def best_category(categories: list[str]) -> str:
    return min(categories, key=lambda c: PRIORITY.index(c) if c in PRIORITY else 99)
