"""Typed records that flow through the pipeline: ``Article`` -> ``EventMention`` -> ``Event``.

Every extracted value keeps the character span of the text it came from, so an analyst can check
it in the cleaned article text. The JSON shape produced by ``to_dict`` is a public contract
(docs/event-record.md); it never changes with a flag.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

EventType = Literal[
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
]
DatePrecision = Literal["day", "week", "month", "year", "unknown"]
GeoPrecision = Literal["point", "admin2", "admin1", "country", "unknown"]
Attribution = Literal["stated", "claimed", "suspected"]
ActorKind = Literal["organization", "individual"]

EXTRACTOR_VERSION = "eventwatch.rules.v1"


def content_hash(text: str) -> str:
    """Stable short hash of a text, used for article identity and event ids."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Span:
    """A character range of the cleaned article text, with the text itself."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Span | None:
        if not data:
            return None
        return cls(int(data["start"]), int(data["end"]), str(data["text"]))


@dataclass(slots=True)
class Article:
    """One input document after reading and cleaning.

    ``text`` is the cleaned main text every span refers to; ``captions`` are photo captions kept
    apart because they name places but do not report incidents.
    """

    doc_id: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    url: str | None = None
    path: str | None = None
    source_format: str = "text"
    captions: list[str] = field(default_factory=list)
    language: str | None = None
    raw_hash: str = ""
    author: str | None = None
    site_name: str | None = None
    fetched_url: str | None = None   # where it was fetched, when that differs from ``url``
    extractor: str | None = None     # which text extractor produced ``text`` (HTML inputs)

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)

    @property
    def identity(self) -> str:
        """Canonical URL (else path, else doc id) plus content hash: re-ingesting adds nothing."""
        locator = self.url or self.path or self.doc_id
        return content_hash(f"{locator}\n{self.content_hash}")


@dataclass(slots=True)
class DateInfo:
    """When an event happened, with honest precision.

    ``start``/``end`` are None when the year cannot be known; ``partial`` then keeps the known
    month (``--MM``) or month and day (``--MM-DD``).
    """

    start: dt.date | None
    end: dt.date | None
    precision: DatePrecision
    text: str | None = None
    partial: str | None = None
    span: Span | None = None

    @classmethod
    def unknown(cls) -> DateInfo:
        return cls(start=None, end=None, precision="unknown")

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "precision": self.precision,
            "partial": self.partial,
            "text": self.text,
            "span": self.span.to_dict() if self.span else None,
        }


@dataclass(slots=True)
class Place:
    """A gazetteer entry a toponym resolved to."""

    name: str
    feature: str  # country | admin1 | admin2 | city | neighbourhood
    country_code: str
    country: str
    admin1: str | None
    admin2: str | None
    lat: float | None
    lon: float | None
    geonames_id: int | None
    population: int = 0


@dataclass(slots=True)
class Location:
    """Where an event happened: the most specific place the text links to it."""

    text: str | None
    name: str | None
    country: str | None
    country_code: str | None
    admin1: str | None
    admin2: str | None
    lat: float | None
    lon: float | None
    geonames_id: int | None
    precision: GeoPrecision
    span: Span | None = None

    @classmethod
    def unknown(cls) -> Location:
        return cls(None, None, None, None, None, None, None, None, None, "unknown")

    @property
    def acled_geo_precision(self) -> int | None:
        """ACLED's code: 1 named town, 2 part of a region, 3 a region coded to its centre."""
        return {"point": 1, "admin2": 2, "admin1": 3, "country": 3}.get(self.precision)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "name": self.name,
            "country": self.country,
            "country_code": self.country_code,
            "admin1": self.admin1,
            "admin2": self.admin2,
            "lat": self.lat,
            "lon": self.lon,
            "geonames_id": self.geonames_id,
            "precision": self.precision,
            "span": self.span.to_dict() if self.span else None,
        }


@dataclass(slots=True)
class Participant:
    """A perpetrator, victim, target or weapon mention."""

    span: Span
    kind: str
    name: str | None = None
    attribution: Attribution | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Participant:
        return cls(span=Span(int(data["start"]), int(data["end"]), str(data["text"])),
                   kind=str(data["kind"]), name=data.get("name"),
                   attribution=data.get("attribution"))

    def to_dict(self, role: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.span.text,
            "start": self.span.start,
            "end": self.span.end,
            "kind": self.kind,
        }
        if role == "perpetrators":
            out["name"] = self.name
            out["attribution"] = self.attribution
        return out


@dataclass(slots=True)
class Count:
    """A casualty count: best estimate with low/high bounds, or all None when unknown."""

    best: int | None = None
    low: int | None = None
    high: int | None = None
    span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "best": self.best,
            "low": self.low,
            "high": self.high,
            "text": self.span.text if self.span else None,
            "span": self.span.to_dict() if self.span else None,
        }


@dataclass(slots=True)
class Event:
    """One incident of political violence reported by one document."""

    id: str
    doc_id: str
    event_type: EventType
    sub_event_type: str
    attack_type: str | None
    date: DateInfo
    location: Location
    perpetrators: list[Participant]
    victims: list[Participant]
    targets: list[Participant]
    weapons: list[Participant]
    fatalities: Count
    injured: Count
    evidence: list[Span]
    confidence: float
    trigger: str = ""
    extractor: str = EXTRACTOR_VERSION
    # Deaths of the attackers where the text gives them apart ("five soldiers and three
    # attackers were killed", "the bomber died"); never part of ``fatalities``.
    perpetrator_deaths: Count = field(default_factory=Count)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "attack_type": self.attack_type,
            "date": self.date.to_dict(),
            "location": self.location.to_dict(),
            "perpetrators": [p.to_dict("perpetrators") for p in self.perpetrators],
            "victims": [p.to_dict("victims") for p in self.victims],
            "targets": [p.to_dict("targets") for p in self.targets],
            "weapons": [p.to_dict("weapons") for p in self.weapons],
            "fatalities": self.fatalities.to_dict(),
            "injured": self.injured.to_dict(),
            "perpetrator_deaths": self.perpetrator_deaths.to_dict(),
            "evidence": [e.to_dict() for e in self.evidence],
            "confidence": round(self.confidence, 3),
            "trigger": self.trigger,
            "extractor": self.extractor,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        """The inverse of ``to_dict`` (confidence comes back rounded to 3 places)."""
        date, loc = data["date"], data["location"]

        def count(c: dict[str, Any]) -> Count:
            return Count(best=c.get("best"), low=c.get("low"), high=c.get("high"),
                         span=Span.from_dict(c.get("span")))

        def day(value: str | None) -> dt.date | None:
            return dt.date.fromisoformat(value) if value else None

        return cls(
            id=data["id"], doc_id=data["doc_id"], event_type=data["event_type"],
            sub_event_type=data["sub_event_type"], attack_type=data.get("attack_type"),
            date=DateInfo(start=day(date.get("start")), end=day(date.get("end")),
                          precision=date["precision"], text=date.get("text"),
                          partial=date.get("partial"), span=Span.from_dict(date.get("span"))),
            location=Location(
                text=loc.get("text"), name=loc.get("name"), country=loc.get("country"),
                country_code=loc.get("country_code"), admin1=loc.get("admin1"),
                admin2=loc.get("admin2"), lat=loc.get("lat"), lon=loc.get("lon"),
                geonames_id=loc.get("geonames_id"), precision=loc["precision"],
                span=Span.from_dict(loc.get("span"))),
            perpetrators=[Participant.from_dict(p) for p in data["perpetrators"]],
            victims=[Participant.from_dict(p) for p in data["victims"]],
            targets=[Participant.from_dict(p) for p in data["targets"]],
            weapons=[Participant.from_dict(p) for p in data["weapons"]],
            fatalities=count(data["fatalities"]), injured=count(data["injured"]),
            perpetrator_deaths=count(data.get("perpetrator_deaths") or {}),
            evidence=[Span(int(e["start"]), int(e["end"]), str(e["text"]))
                      for e in data["evidence"]],
            confidence=float(data["confidence"]), trigger=data.get("trigger", ""),
            extractor=data.get("extractor", EXTRACTOR_VERSION),
        )


@dataclass(slots=True)
class DocumentResult:
    """What extraction returns for one input document."""

    article: Article
    events: list[Event]

    def to_dict(self, with_text: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "doc_id": self.article.doc_id,
            "published": self.article.published.isoformat() if self.article.published else None,
            "title": self.article.title,
            "events": [e.to_dict() for e in self.events],
        }
        if with_text:
            out["text"] = self.article.text
        return out
