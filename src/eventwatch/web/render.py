"""What the desk's pages show of an event: its values with their evidence spans, and the article
text cut into segments so each span can be highlighted.

Nothing here produces HTML: the templates escape every string (Jinja2 autoescape), so article
text such as ``<script>`` or ``onerror=`` is shown as text, never run.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

# Order of the event page's sections; ``evidence`` is the passage, drawn under the others.
FIELDS = ("event", "date", "location", "perpetrators", "victims", "targets", "weapons",
          "fatalities", "injured", "evidence")
LABELS = {"event": "what", "date": "when", "location": "where", "perpetrators": "who",
          "victims": "victims", "targets": "targets", "weapons": "weapons",
          "fatalities": "fatalities", "injured": "injured", "evidence": "evidence"}


@dataclass(frozen=True, slots=True)
class Mark:
    """A value's evidence: characters ``start:end`` of the article text, for ``field``."""

    field: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Segment:
    """A run of article text and the fields whose evidence covers all of it."""

    text: str
    fields: list[str] = field(default_factory=list)

    @property
    def css(self) -> str:
        return " ".join(f"hl-{name}" for name in self.fields)


def _span(value: Any) -> tuple[int, int, str] | None:
    if not isinstance(value, dict):
        return None
    start, end = value.get("start"), value.get("end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
        return start, end, str(value.get("text") or "")
    return None


def marks(record: dict[str, Any]) -> list[Mark]:
    """Every evidence span of a stored event (or of one source's values), by field."""
    found: list[Mark] = []

    def add(name: str, value: Any) -> None:
        span = _span(value)
        if span is not None:
            found.append(Mark(name, *span))

    for name in ("date", "location", "fatalities", "injured"):
        value = record.get(name)
        if isinstance(value, dict):
            add(name, value.get("span"))
    for name in ("perpetrators", "victims", "targets", "weapons", "evidence"):
        for item in record.get(name) or []:
            add(name, item)
    return found


def segments(text: str, spans: list[Mark]) -> list[Segment]:
    """``text`` cut at every span boundary; each piece lists the fields covering it.

    A span whose offsets fall outside the text or whose text differs from the characters at its
    offsets (an event from another version of the article) is left out rather than misplaced.
    """
    valid = [m for m in spans if m.end <= len(text) and (not m.text
                                                         or text[m.start:m.end] == m.text)]
    cuts = sorted({0, len(text), *(m.start for m in valid), *(m.end for m in valid)})
    out: list[Segment] = []
    for start, end in itertools.pairwise(cuts):
        covering = sorted({m.field for m in valid if m.start <= start and m.end >= end},
                          key=FIELDS.index)
        if out and out[-1].fields == covering:
            out[-1].text += text[start:end]
        else:
            out.append(Segment(text[start:end], covering))
    return out


def _items(record: dict[str, Any], name: str) -> str | None:
    values = [str(p.get("name") or p.get("text")) for p in record.get(name) or []
              if p.get("name") or p.get("text")]
    return "; ".join(values) or None


def _count(value: dict[str, Any] | None) -> str | None:
    if not value or value.get("best") is None:
        return None
    best, low, high = value["best"], value.get("low"), value.get("high")
    if high is not None and high != best:
        return f"{best} (range {low if low is not None else best}–{high})"
    return str(best)


def values(record: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """``(field, label, value as text or None when unknown)`` for the event page's table."""
    date = record.get("date") or {}
    loc = record.get("location") or {}
    when = None
    if date.get("start"):
        when = date["start"] if date.get("start") == date.get("end") else (
            f"{date['start']} – {date.get('end')}")
        when += f" ({date.get('precision')})"
    elif date.get("partial"):
        when = f"{date['partial']} (year unknown)"
    where = ", ".join(str(v) for v in (loc.get("name"), loc.get("admin2"), loc.get("admin1"),
                                        loc.get("country")) if v) or None
    if where and loc.get("precision"):
        where += f" ({loc['precision']})"
    what = " / ".join(str(v) for v in (record.get("event_type"), record.get("sub_event_type"))
                      if v) or None
    rows = [("event", "what", what), ("date", "when", when), ("location", "where", where),
            ("perpetrators", "who", _items(record, "perpetrators")),
            ("victims", "victims", _items(record, "victims")),
            ("targets", "targets", _items(record, "targets")),
            ("weapons", "weapons", _items(record, "weapons")),
            ("fatalities", "fatalities", _count(record.get("fatalities"))),
            ("injured", "injured", _count(record.get("injured")))]
    return rows


def sources(event: dict[str, Any]) -> list[dict[str, Any]]:
    """The reporting articles: ``sources`` once events are merged across documents, else the one
    ``source``. Each entry keeps its own keys; ``values`` is what that source reported when the
    entry carries its own extraction, else the event itself."""
    listed = event.get("sources")
    if isinstance(listed, list) and listed:
        out = []
        for entry in listed:
            if isinstance(entry, dict):
                own = entry.get("values") or entry.get("event") or entry.get("record")
                out.append({**entry, "values": own if isinstance(own, dict) else None})
        return out
    single = event.get("source") or {}
    return [{**single, "values": None}]
