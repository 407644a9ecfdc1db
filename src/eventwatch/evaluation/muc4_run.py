"""Running the extractor over MUC-4 documents and turning events into MUC-4 templates."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from .. import registry
from ..models import Event
from ..pipeline import extract_article
from ..settings import Settings, load_settings
from ..sources import article_from_text
from .muc4 import ROLES, Score, Template, read_gold, score

# GTD attack type -> MUC-4 incident type; anything else violent is an "attack".
_BY_ATTACK_TYPE = {
    "Bombing/Explosion": "bombing",
    "Hostage Taking (Kidnapping)": "kidnapping",
    "Hostage Taking (Barricade Incident)": "kidnapping",
    "Hijacking": "kidnapping",
    "Facility/Infrastructure Attack": "arson",
}
_VIOLENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}


def incident_type(event: Event) -> str | None:
    """MUC-4 incident type of an event; None for events MUC-4 does not template."""
    if event.attack_type in _BY_ATTACK_TYPE:
        return _BY_ATTACK_TYPE[event.attack_type]
    if event.sub_event_type == "Looting/property destruction":
        return "arson" if event.trigger.lower().startswith(("arson", "set", "torch", "burn")) \
            else "robbery"
    if event.event_type in _VIOLENT_TYPES:
        return "attack"
    return None


def _unique(strings: list[str]) -> list[list[str]]:
    seen: dict[str, None] = {}
    for text in strings:
        seen.setdefault(text, None)
    return [[text] for text in seen]


def event_to_template(event: Event) -> Template | None:
    kind = incident_type(event)
    if kind is None:
        return None
    roles: dict[str, list[str]] = {role: [] for role in ROLES}
    for perp in event.perpetrators:
        roles["PerpInd" if perp.kind == "individual" else "PerpOrg"].append(perp.span.text)
    roles["Target"] = [t.span.text for t in event.targets]
    roles["Victim"] = [v.span.text for v in event.victims]
    roles["Weapon"] = [w.span.text for w in event.weapons]
    return {"incident_type": kind, **{role: _unique(texts) for role, texts in roles.items()}}


@dataclass(slots=True)
class Muc4Result:
    score: Score
    predictions: dict[str, dict[str, list[Template]]]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {**self.score.to_dict(), "seconds": round(self.seconds, 2)}


def _event_templates(gold: dict[str, dict[str, Any]],
                     settings: Settings) -> dict[str, list[Template]]:
    out: dict[str, list[Template]] = {}
    for docid, record in gold.items():
        article = article_from_text(record["doctext"], docid)
        events = extract_article(article, settings).events
        out[docid] = [t for t in (event_to_template(e) for e in events) if t is not None]
    return out


def _role_templates(gold: dict[str, dict[str, Any]],
                    settings: Settings) -> dict[str, list[Template]]:
    model = registry.get("extractors", "muc4_roles")(settings)
    texts = (record["doctext"] for record in gold.values())
    return dict(zip(gold, model.templates(texts), strict=True))


# "roles": the role-filler model trained on MUC-4 (eventwatch.roles); "events": the modern-news
# event extractor with each event mapped to a template.
METHODS = {"roles": _role_templates, "events": _event_templates}


def run_muc4(gold_path: str, settings: Settings | None = None,
             method: str = "roles") -> Muc4Result:
    """Extract from every ``doctext`` of ``gold_path`` and score against its templates."""
    settings = settings or load_settings()
    started = time.perf_counter()
    gold = read_gold(gold_path)
    predictions = {docid: {"pred_templates": templates}
                   for docid, templates in METHODS[method](gold, settings).items()}
    result = score({d: p["pred_templates"] for d, p in predictions.items()},
                   {d: r["templates"] for d, r in gold.items()})
    return Muc4Result(result, predictions, time.perf_counter() - started)
