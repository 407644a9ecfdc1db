"""Scoring extraction against articles annotated with their expected events.

The annotation file maps each article file name to ``{"published", "events": [...]}`` where an
expected event gives ``date_start``, ``country_code``, ``admin1``, ``fatalities_best``,
``perpetrator`` (canonical name or null), ``attribution`` and ``event_type``. A predicted event
matches an expected one of the same country whose date it overlaps (unknown dates match any);
event precision/recall count the matches, and each field's accuracy is measured over them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..models import Event
from ..pipeline import extract_article
from ..settings import Settings, load_settings
from ..sources import article_from_text

FIELDS = ("date_start", "admin1", "fatalities_best", "perpetrator", "attribution", "event_type")


@dataclass(slots=True)
class FixtureScore:
    predicted: int = 0
    expected: int = 0
    matched: int = 0
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    misses: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        p = self.matched / self.predicted if self.predicted else 1.0
        r = self.matched / self.expected if self.expected else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        accuracy = {name: round(100 * n / self.matched, 1) if self.matched else 0.0
                    for name, n in self.correct.items()}
        return {"events": {"precision": round(100 * p, 1), "recall": round(100 * r, 1),
                           "f1": round(100 * f, 1)},
                "field_accuracy": accuracy, "predicted": self.predicted,
                "expected": self.expected, "matched": self.matched, "misses": self.misses}


def _values(event: Event) -> dict[str, Any]:
    perp = next((p for p in event.perpetrators if p.name), None)
    return {
        "date_start": event.date.start.isoformat() if event.date.start else None,
        "admin1": event.location.admin1,
        "fatalities_best": event.fatalities.best,
        "perpetrator": perp.name if perp else None,
        "attribution": perp.attribution if perp else None,
        "event_type": event.event_type,
    }


def _overlaps(event: Event, expected: dict[str, Any]) -> bool:
    if event.location.country_code != expected["country_code"]:
        return False
    if event.date.start is None or event.date.end is None:
        return True
    day = dt.date.fromisoformat(expected["date_start"])
    return event.date.start <= day <= event.date.end or abs((event.date.start - day).days) <= 1


def score_fixtures(directory: str | Path, annotations: str = "expected.json",
                   settings: Settings | None = None) -> FixtureScore:
    settings = settings or load_settings()
    root = Path(directory)
    spec = json.loads((root / annotations).read_text(encoding="utf-8"))
    total = FixtureScore()
    for name, item in sorted(spec.items()):
        text = (root / name).read_text(encoding="utf-8")
        published = dt.date.fromisoformat(item["published"])
        events = extract_article(article_from_text(text, name, published=published),
                                 settings).events
        expected = list(item["events"])
        total.predicted += len(events)
        total.expected += len(expected)
        for event in events:
            match = next((e for e in expected if _overlaps(event, e)), None)
            if match is None:
                total.misses.append(f"{name}: unexpected event ({event.trigger})")
                continue
            expected.remove(match)
            total.matched += 1
            values = _values(event)
            for key in FIELDS:
                if values[key] == match[key]:
                    total.correct[key] += 1
                else:
                    total.misses.append(f"{name}: {key} {values[key]!r} != {match[key]!r}")
        total.misses += [f"{name}: missed event on {e['date_start']}" for e in expected]
    return total
