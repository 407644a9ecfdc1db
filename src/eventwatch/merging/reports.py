"""What merging knows about one report: the features of one per-article event.

A *report* is one stored per-article event (``Event.to_dict()``); merging never changes it. This
module turns a report into the compact, hashable ``Report`` the scorer compares, and back from
the JSON the store keeps beside each link, so candidates are scored without re-reading and
re-tokenising their full records. No database code here: the SQLite store, the in-memory index
and a Spark job all call the same functions.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..models import content_hash

# Reports of one incident arrive over days: an article published on the 12th can date the attack
# "on Sunday" (the 10th) while another says "yesterday" (the 11th) because the extractor resolved
# a weekday one week off, or an outlet's dateline lags. Three days covers both.
MAX_DAY_GAP = 3
# A report with no usable date is looked up around its publication date: incidents are reported
# within days, rarely later than a week.
PUBLISHED_LOOKBACK = 7
# News reports an incident within days; an event dated earlier is background to the article.
PUBLICATION_WINDOW = 7
# Intervals wider than this (a year, an open "since") date nothing; the publication date is used.
MAX_INDEXED_SPAN = 45

_WORD = re.compile(r"[^\W\d_]{3,}|\d+", re.UNICODE)
# Words every violence report uses; they say nothing about which incident it is.
_STOPWORDS = frozenset(re.split(r"\s+", """
the and for with that this from were was are has have had been but not its their his her they
said says say told according officials official police security forces local residents people
killed kill killing dead death deaths died wounded injured injuring wounding attack attacks
attacked after before when while into over under near about more than least also which who
would could will other another one two three four five six seven eight nine ten monday tuesday
wednesday thursday friday saturday sunday yesterday today last week on in at of to by an a as
statement reported reports report province district region town city village area capital
government state military army soldiers civilians group groups incident news agency there
""".strip()))
MAX_WORDS = 60
# A first line this short without a closing full stop is a headline, not the lead paragraph.
_HEADLINE_CHARS = 160
_CLOSERS = frozenset('.!?"\u201d')
# The end of a sentence: a full stop (or ! ?) and a closing quote before a capital or the end,
# or a paragraph break.
_SENTENCE_END = re.compile(r"[.!?][\"\u201d\u2019)]?(?=\s+[\"\u201cA-Z0-9]|\s*$)|\n\s*\n")


@dataclass(frozen=True, slots=True)
class Report:
    """The features of one report that scoring compares (see ``scoring.py``)."""

    report_id: str  # the per-article event id
    key: str  # stable across re-ingestion and re-extraction: article locator + position
    article_id: str
    published: dt.date | None
    event_type: str
    sub_event_type: str
    start: dt.date | None
    end: dt.date | None
    precision: str
    country: str | None  # folded ISO code
    admin1: str | None  # folded names
    admin2: str | None
    place: str | None
    lat: float | None
    lon: float | None
    geo_precision: str
    actors: frozenset[str]  # folded canonical names of named perpetrators
    fatalities: int | None
    injured: int | None
    words: frozenset[str]
    # day_range(), computed once: scoring asks for it of both reports of every pair compared.
    _days: tuple[int, int] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_days", self._day_range())

    def day_range(self) -> tuple[int, int] | None:
        """First and last day (ordinals) this report's incident can have happened on.

        The event's own date interval when it is narrow enough, else the days before
        publication; None when the report has neither (it can only start an event).
        """
        return self._days

    def _day_range(self) -> tuple[int, int] | None:
        if self.start is not None and self.end is not None:
            first, last = self.start.toordinal(), self.end.toordinal()
            if 0 <= last - first <= MAX_INDEXED_SPAN:
                return first, last
        if self.published is not None:
            day = self.published.toordinal()
            return day - PUBLISHED_LOOKBACK, day
        return None

    def filing_days(self) -> tuple[int, int] | None:
        """Days an event is filed under for this report: its own date interval, or only its
        publication day when undated (a dated report looks three days either side of its
        incident, which covers the usual publication lag, and eight cells per undated report
        would double the index's writes)."""
        if self.start is not None and self.end is not None:
            first, last = self.start.toordinal(), self.end.toordinal()
            if 0 <= last - first <= MAX_INDEXED_SPAN:
                return first, last
        if self.published is not None:
            day = self.published.toordinal()
            return day, day
        return None

    def to_json(self) -> dict[str, Any]:
        """Compact JSON form kept beside each link (``from_json`` reads it back)."""
        return {
            "r": self.report_id, "k": self.key, "a": self.article_id,
            "p": _iso(self.published), "t": self.event_type, "st": self.sub_event_type,
            "s": _iso(self.start), "e": _iso(self.end), "dp": self.precision,
            "c": self.country, "a1": self.admin1, "a2": self.admin2, "pl": self.place,
            "lat": self.lat, "lon": self.lon, "gp": self.geo_precision,
            "ac": sorted(self.actors), "f": self.fatalities, "i": self.injured,
            "w": sorted(self.words),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        return cls(
            report_id=data["r"], key=data["k"], article_id=data["a"],
            published=_date(data["p"]), event_type=data["t"], sub_event_type=data["st"],
            start=_date(data["s"]), end=_date(data["e"]), precision=data["dp"],
            country=data["c"], admin1=data["a1"], admin2=data["a2"], place=data["pl"],
            lat=data["lat"], lon=data["lon"], geo_precision=data["gp"],
            actors=frozenset(data["ac"]), fatalities=data["f"], injured=data["i"],
            words=frozenset(data["w"]),
        )


def report_key(locator: str, position: int) -> str:
    """Key of the ``position``-th event of the article at ``locator`` (URL, else path, else id).

    Analyst decisions are stored under this key rather than the event id: the event id changes
    whenever the article text or the extractor changes, the locator and position do not.
    """
    return "rk_" + content_hash(f"{locator}\n{position}")[:24]


def merged_id_for(key: str, attempt: int = 0) -> str:
    """The id of the merged event founded by the report with ``key``.

    Derived from the founder's stable key, so re-running the same inputs in the same order, or
    re-ingesting an article whose report founded an event, gives the same id. ``attempt`` > 0
    only when that id is taken by another event already.
    """
    suffix = f"\n{attempt}" if attempt else ""
    return "me_" + content_hash(f"merged\n{key}{suffix}")[:20]


def main_first(records: list[dict[str, Any]], published: dt.date | None,
               lead_end: int | None = None) -> list[int]:
    """Positions of an article's reports, its main report first: reports of a recent incident
    (dated within ``PUBLICATION_WINDOW`` days before publication, or undated) before background
    ones ("in January, a bomb ..."), then reports told in the article's lead (evidence starting
    before ``lead_end``, see ``lead_end``) before ones told only further down, then the most
    confident, then text order.

    News leads with its own incident; an incident told only further down ("hours later, another
    blast ...", "a week after the attack in ...") is context, however confidently the extractor
    read it. On real multi-outlet reports, ranking by confidence alone made such context the main
    report of several articles and joined them to the other incident's event.
    """
    def recent(record: dict[str, Any]) -> bool:
        end = _date(record["date"]["end"])
        if end is None or published is None:
            return True
        return 0 <= (published - end).days <= PUBLICATION_WINDOW

    def in_lead(record: dict[str, Any]) -> bool:
        if lead_end is None:
            return True
        return any(int(e["start"]) < lead_end for e in record["evidence"])

    return sorted(range(len(records)), key=lambda i: (
        not recent(records[i]), not in_lead(records[i]), -float(records[i]["confidence"]), i))


def lead_end(text: str, title: str | None) -> int:
    """End offset of an article's lead: its first sentence, after the headline line when the
    text opens with one (the article's title, or a short line without a closing full stop).

    The first sentence rather than the first paragraph: cleaned text often runs a story's
    paragraphs together, and the lead sentence is where news says what happened. An abbreviation
    that ends the sentence early ("Sep. 29") only shortens the lead; reports told in it still
    start before its end.
    """
    pos = 0
    body = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            headline = (stripped == (title or "").strip()
                        or (len(stripped) <= _HEADLINE_CHARS and stripped[-1] not in _CLOSERS))
            body = pos + len(line) + 1 if headline else pos
            break
        pos += len(line) + 1
    end = _SENTENCE_END.search(text, min(body, len(text)))
    return end.end() if end else len(text)


def words_of(texts: list[str]) -> frozenset[str]:
    """Distinctive words of a report's evidence: folded, stopwords dropped, at most MAX_WORDS."""
    seen: dict[str, None] = {}
    for text in texts:
        for match in _WORD.finditer(fold(text)):
            word = match.group()
            if word not in _STOPWORDS:
                seen.setdefault(word, None)
                if len(seen) >= MAX_WORDS:
                    return frozenset(seen)
    return frozenset(seen)


def report_from_record(
    record: dict[str, Any], *, key: str, article_id: str, published: dt.date | None,
    title: str | None = None,
) -> Report:
    """The ``Report`` of a per-article event record (``Event.to_dict()`` shape)."""
    date, loc = record["date"], record["location"]
    actors = frozenset(fold(p["name"]) for p in record["perpetrators"] if p.get("name"))
    texts = [e["text"] for e in record["evidence"]]
    if title:
        texts.insert(0, title)
    return Report(
        report_id=record["id"], key=key, article_id=article_id, published=published,
        event_type=record["event_type"], sub_event_type=record["sub_event_type"],
        start=_date(date["start"]), end=_date(date["end"]), precision=date["precision"],
        country=_fold(loc["country_code"]), admin1=_fold(loc["admin1"]),
        admin2=_fold(loc["admin2"]), place=_fold(loc["name"]), lat=loc["lat"], lon=loc["lon"],
        geo_precision=loc["precision"], actors=actors,
        fatalities=record["fatalities"]["best"], injured=record["injured"]["best"],
        words=words_of(texts),
    )


@lru_cache(maxsize=65536)
def fold(value: str) -> str:
    """Matching key for names, as ``store.base.fold`` computes it (NFKD without marks, case-folded,
    whitespace collapsed); repeated here because importing ``store`` would import the SQLite
    backend, which imports this package. Cached: a feed names the same places and groups again
    and again, and reconciling an event folds every source's place on each join."""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def _fold(value: str | None) -> str | None:
    return fold(value) if value else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
