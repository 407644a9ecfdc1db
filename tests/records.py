"""Sample ``DocumentResult``s built from the model dataclasses, for store, export and API tests.

Spans are computed from the article text, so every ``text[start:end] == span.text`` holds as it
does for real extractor output. Event ids follow the extractor's recipe (article identity plus
position), so a changed text yields new ids.
"""

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
    Span,
    content_hash,
)

AF_URL = "https://news.example.org/2024/11/10/isis-k-afghanistan"
NG_PATH = "/srv/corpus/borno/2024-03-12-maiduguri.txt"

AF_TEXT = (
    "KABUL, Nov 10 — ISIS-K gunmen killed 14 civilians in Daikundi province on September 12, "
    "provincial officials said.\n\n"
    "In January a suicide bomber struck a minibus in Dasht-e-Barchi, a Hazara neighbourhood "
    "of Kabul, wounding 20 people; no group claimed the attack."
)
NG_TEXT = (
    "MAIDUGURI — Boko Haram and ISWAP fighters clashed near Maiduguri last week, leaving at "
    "least 30 and as many as 45 fighters dead, residents said on Tuesday."
)
CI_TEXT = (
    "Rioters set fire to a police post in Côte d'Ivoire on May 3 after a disputed arrest, "
    "according to witnesses. Elsewhere, a crowd looted shops, a local radio said."
)


def at(text: str, fragment: str, occurrence: int = 0) -> Span:
    """The span of ``fragment`` in ``text`` (its ``occurrence``-th appearance)."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(fragment, start + 1)
    return Span(start, start + len(fragment), fragment)


def event_id(article: Article, position: int) -> str:
    return "ev_" + content_hash(f"{article.identity}\n{position}")[:20]


def perp(text: str, fragment: str, name: str | None, attribution: str = "stated") -> Participant:
    return Participant(span=at(text, fragment), kind="organization", name=name,
                       attribution=attribution)  # type: ignore[arg-type]


def afghanistan(text: str = AF_TEXT, url: str | None = AF_URL) -> DocumentResult:
    """Two events: a dated, placed attack with a known toll; a month-dated bombing."""
    article = Article(doc_id="af-001", text=text, title="ISIS-K kills 14 in Daikundi",
                      published=dt.date(2024, 11, 10), url=url, source_format="html",
                      captions=["Mourners in Nili, Daikundi province."], language="en",
                      raw_hash=content_hash("<html>" + text))
    attack = Event(
        id=event_id(article, 0), doc_id=article.doc_id,
        event_type="Violence against civilians", sub_event_type="Attack",
        attack_type="Armed Assault",
        date=DateInfo(dt.date(2024, 9, 12), dt.date(2024, 9, 12), "day", "September 12",
                      span=at(text, "September 12")),
        location=Location("Daikundi", "Daykundi", "Afghanistan", "AF", "Daykundi", None,
                          33.72178, 66.13023, 6957553, "admin1", at(text, "Daikundi")),
        perpetrators=[perp(text, "ISIS-K", "Islamic State Khorasan Province")],
        victims=[Participant(at(text, "14 civilians"), "civilians")],
        targets=[], weapons=[],
        fatalities=Count(14, 14, 14, at(text, "killed 14")), injured=Count(),
        evidence=[at(text, text.split("\n\n")[0])], confidence=0.9, trigger="killed",
    )
    bombing = Event(
        id=event_id(article, 1), doc_id=article.doc_id,
        event_type="Explosions/Remote violence", sub_event_type="Suicide bomb",
        attack_type="Bombing/Explosion",
        date=DateInfo(dt.date(2024, 1, 1), dt.date(2024, 1, 31), "month", "January",
                      span=at(text, "January")),
        location=Location("Dasht-e-Barchi", "Dasht-e-Barchi", "Afghanistan", "AF", "Kabul",
                          "Kabul", 34.4967, 69.0858, None, "point", at(text, "Dasht-e-Barchi")),
        perpetrators=[], victims=[Participant(at(text, "20 people"), "people")],
        targets=[Participant(at(text, "a minibus"), "transport")],
        weapons=[Participant(at(text, "suicide bomber"), "explosive")],
        fatalities=Count(), injured=Count(20, 20, 20, at(text, "wounding 20")),
        evidence=[at(text, text.split("\n\n")[1])], confidence=0.7, trigger="struck",
    )
    return DocumentResult(article, [attack, bombing])


def nigeria(text: str = NG_TEXT) -> DocumentResult:
    """A week-dated battle between two named groups, stored by path (no URL)."""
    article = Article(doc_id=NG_PATH, text=text, title=None, published=dt.date(2024, 3, 12),
                      path=NG_PATH, raw_hash=content_hash(text))
    clash = Event(
        id=event_id(article, 0), doc_id=article.doc_id, event_type="Battles",
        sub_event_type="Armed clash", attack_type=None,
        date=DateInfo(dt.date(2024, 3, 4), dt.date(2024, 3, 10), "week", "last week",
                      span=at(text, "last week")),
        location=Location("Maiduguri", "Maiduguri", "Nigeria", "NG", "Borno", "Maiduguri",
                          11.84692, 13.15712, 2331447, "point", at(text, "Maiduguri")),
        perpetrators=[
            perp(text, "Boko Haram", "Jama'atu Ahlis Sunna Lidda'awati wal-Jihad"),
            perp(text, "ISWAP", "Islamic State West Africa Province"),
        ],
        victims=[Participant(at(text, "fighters dead"), "people")], targets=[], weapons=[],
        fatalities=Count(30, 30, 45, at(text, "at least 30 and as many as 45")),
        injured=Count(), evidence=[at(text, text)], confidence=0.8, trigger="clashed",
    )
    return DocumentResult(article, [clash])


def ivory_coast() -> DocumentResult:
    """No publication date, so no known year: two events of unknown date, one of unknown place."""
    text = CI_TEXT
    article = Article(doc_id="ci-7", text=text, title="Police post burned",
                      url="https://example.ci/emeute")
    riot = Event(
        id=event_id(article, 0), doc_id=article.doc_id, event_type="Riots",
        sub_event_type="Violent demonstration", attack_type=None,
        date=DateInfo(None, None, "day", "May 3", partial="--05-03", span=at(text, "May 3")),
        location=Location("Côte d'Ivoire", "Côte d'Ivoire", "Côte d'Ivoire", "CI", None, None,
                          7.54, -5.5471, 2287781, "country", at(text, "Côte d'Ivoire")),
        perpetrators=[perp(text, "Rioters", None, "stated")],
        victims=[], targets=[Participant(at(text, "a police post"), "security")], weapons=[],
        fatalities=Count(), injured=Count(),
        evidence=[at(text, text.split(". ")[0] + ".")], confidence=0.5, trigger="set fire",
    )
    looting = Event(
        id=event_id(article, 1), doc_id=article.doc_id, event_type="Riots",
        sub_event_type="Looting/property destruction", attack_type=None,
        date=DateInfo.unknown(), location=Location.unknown(), perpetrators=[],
        victims=[], targets=[Participant(at(text, "shops"), "business")], weapons=[],
        fatalities=Count(), injured=Count(), evidence=[at(text, "a crowd looted shops")],
        confidence=0.3, trigger="looted",
    )
    return DocumentResult(article, [riot, looting])


def all_samples() -> list[DocumentResult]:
    return [afghanistan(), nigeria(), ivory_coast()]


def stored_form(result: DocumentResult) -> list[dict[str, object]]:
    """What a store returns for each event of ``result``: ``to_dict()`` plus ``source``."""
    a = result.article
    source = {"url": a.url, "path": a.path, "title": a.title,
              "published": a.published.isoformat() if a.published else None}
    return [dict(e.to_dict(), source=source) for e in result.events]
