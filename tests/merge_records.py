"""Per-article reports of invented incidents, built from the model dataclasses (no NLP), for the
merging tests. Each call writes a short article whose spans are computed from its own text."""

from __future__ import annotations

import datetime as dt

from eventwatch.models import (
    Article,
    Count,
    DateInfo,
    DocumentResult,
    Event,
    Location,
    Participant,
    content_hash,
)
from records import at

# name, admin2, admin1, country code, country, lat, lon
PLACES = {
    "Guzara": ("Guzara", "Guzara", "Herat", "AF", "Afghanistan", 34.23, 62.22),
    "Herat": ("Herat", None, "Herat", "AF", "Afghanistan", 34.35, 62.2),
    "Kunduz": ("Kunduz", "Kunduz", "Kunduz", "AF", "Afghanistan", 36.73, 68.86),
    "Afghanistan": ("Afghanistan", None, None, "AF", "Afghanistan", 33.9, 67.7),
    "Maru": ("Maru", "Maru", "Zamfara", "NG", "Nigeria", 12.33, 6.4),
}
PRECISION = {"Guzara": "point", "Herat": "admin1", "Kunduz": "point", "Afghanistan": "country",
             "Maru": "point"}


def report(doc_id: str, *, published: str, day: str | None, place: str, killed: int | None,
           low: int | None = None, perpetrator: str | None = None,
           attribution: str = "stated", kind: str = "Explosions/Remote violence",
           sub: str = "Remote explosive/landmine/IED", words: str = "a mosque during prayers",
           url: str | None = None, extra: str = "", attackers: int | None = None
           ) -> DocumentResult:
    """One article reporting one incident; ``day`` None leaves the date unknown; ``attackers``
    adds the attackers' dead apart from the toll."""
    name, admin2, admin1, cc, country, lat, lon = PLACES[place]
    who = f"{perpetrator} " if perpetrator else "Unknown attackers "
    toll = f"killing {killed} people" if killed is not None else "causing casualties"
    text = (f"{who}struck {words} in {name} on {day or 'an unknown day'}, {toll}, officials "
            f"said.{extra}")
    if attackers is not None:
        text += f" {attackers} attackers were killed."
    article = Article(doc_id=doc_id, text=text, title=f"{doc_id} report",
                      published=dt.date.fromisoformat(published),
                      url=url or f"https://news.example.org/{doc_id}", source_format="text",
                      raw_hash=content_hash(text))
    date = (DateInfo(dt.date.fromisoformat(day), dt.date.fromisoformat(day), "day", day,
                     span=at(text, day)) if day else DateInfo.unknown())
    perps = ([Participant(at(text, perpetrator), "organization", perpetrator,
                          attribution)]  # type: ignore[arg-type]
             if perpetrator else [])
    event = Event(
        id="ev_" + content_hash(f"{article.identity}\n0")[:20], doc_id=doc_id,
        event_type=kind, sub_event_type=sub, attack_type="Bombing/Explosion",  # type: ignore[arg-type]
        date=date,
        location=Location(name, name, country, cc, admin1, admin2, lat, lon, None,
                          PRECISION[place], at(text, name)),  # type: ignore[arg-type]
        perpetrators=perps, victims=[], targets=[], weapons=[],
        fatalities=(Count(killed, low if low is not None else killed, killed,
                          at(text, f"killing {killed}")) if killed is not None else Count()),
        injured=Count(), evidence=[at(text, text)], confidence=0.8, trigger="struck",
        perpetrator_deaths=(Count(attackers, attackers, attackers,
                                  at(text, f"{attackers} attackers were killed"))
                            if attackers is not None else Count()),
    )
    return DocumentResult(article, [event])


def guzara_reports() -> list[DocumentResult]:
    """Three outlets on one mosque bombing (rising toll, province vs town, suspected then
    claimed, one counting two dead attackers apart) and a distractor: the same district eleven
    days later."""
    return [
        report("out-a", published="2025-03-14", day="2025-03-14", place="Guzara", killed=6,
               perpetrator="Islamic State", attribution="suspected"),
        report("out-b", published="2025-03-15", day="2025-03-14", place="Herat", killed=7,
               words="a Shia mosque during Friday prayers", attackers=2),
        report("out-c", published="2025-03-16", day=None, place="Guzara", killed=9,
               perpetrator="Islamic State", attribution="claimed",
               words="a mosque during prayers as the toll rose"),
        report("out-d", published="2025-03-26", day="2025-03-25", place="Guzara", killed=2,
               words="a police vehicle on the airport road"),
    ]
