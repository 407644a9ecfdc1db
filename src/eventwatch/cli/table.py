"""A plain-text table of events for terminals."""

from __future__ import annotations

from typing import Any

_COLUMNS = (("date", 12), ("type", 27), ("sub-type", 24), ("where", 28), ("actor", 30),
            ("killed", 6), ("id", 23))


def _cell(value: object, width: int) -> str:
    text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _row(event: dict[str, Any]) -> list[object]:
    date = event["date"]
    when = date["start"] if date["precision"] == "day" else (
        (date["start"] or "")[:7] if date["precision"] == "month" and date["start"] else
        date["start"] or date["partial"] or "?")
    loc = event["location"]
    where = ", ".join(x for x in (loc["name"], loc["admin1"], loc["country_code"]) if x) or "?"
    perps = event["perpetrators"]
    actor = (perps[0]["name"] or perps[0]["text"]) if perps else ""
    killed = event["fatalities"]["best"]
    return [when, event["event_type"], event["sub_event_type"], where, actor,
            "?" if killed is None else killed, event["id"]]


def events_table(events: list[dict[str, Any]]) -> str:
    header = "  ".join(name.ljust(width) for name, width in _COLUMNS)
    lines = [header, "-" * len(header)]
    for event in events:
        cells = _row(event)
        lines.append("  ".join(_cell(v, w).ljust(w) for v, (_, w) in zip(cells, _COLUMNS,
                                                                           strict=True)))
    lines.append(f"{len(events)} event(s)")
    return "\n".join(lines)
