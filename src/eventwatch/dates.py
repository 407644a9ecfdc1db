"""Finding date expressions in text and resolving them against the publication date.

News reports past events, so an expression without a year ("the September 12 slaughter", "in
January", "on Monday") resolves to its most recent occurrence on or before the publication date.
Without a publication date the year is unknown: ``start``/``end`` stay None, ``partial`` keeps
the month (``--MM``) or month and day (``--MM-DD``), and ``precision`` still says which of the
two the text gave. Nothing is ever resolved against today.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .models import DateInfo, Span

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_MONTH = r"(?P<month>january|february|march|april|may|june|july|august|september|october|" \
         r"november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("month_day", re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?", re.I)),
    ("day_month", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR}\b)?", re.I)),
    ("part_month", re.compile(
        rf"\b(?P<part>early|mid|late|the end of|the beginning of|the start of)[- ]{_MONTH}"
        rf"(?:,?\s+{_YEAR}\b)?", re.I)),
    ("month_year", re.compile(rf"\b{_MONTH}(?:\s+of)?,?\s+{_YEAR}\b", re.I)),
    ("month", re.compile(rf"(?<![\w-])(?:in|since|during|this|last|a|an|the|on|of|early|late|"
                         rf"mid|by|until|from|through)[- ]{_MONTH}(?![\w-])", re.I)),
    ("weekday", re.compile(r"\b(?P<last>last\s+)?(?P<weekday>monday|tuesday|wednesday|thursday|"
                           r"friday|saturday|sunday)(?:'s)?\b", re.I)),
    ("relative_day", re.compile(r"\b(?P<rel>yesterday|today|tonight|this morning|"
                                r"last night|this afternoon|this evening)\b", re.I)),
    ("relative_period", re.compile(
        r"\b(?P<period>last week|this week|earlier this week|last month|earlier this month|"
        r"this month|last year|earlier this year|this year)\b", re.I)),
    ("year", re.compile(r"\b(?:in|since|during|of|by)\s+(?P<year>(?:19|20)\d\d)\b", re.I)),
]
# Expressions of a span of years or an open period: they never date one specific incident.
_RANGE_CUE = re.compile(r"\b(since|over the (past|last)|for the (past|last)|between|until|"
                        r"from)\s*$", re.I)


@dataclass(slots=True)
class DateMention:
    span: Span
    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    relative: str | None = None
    part: str | None = None
    is_range_bound: bool = False


def _month_of(match: re.Match[str]) -> int | None:
    groups = match.groupdict()
    if groups.get("mnum"):
        return int(groups["mnum"])
    name = groups.get("month")
    return _MONTHS.get(name.lower().rstrip(".")) if name else None


def find_dates(text: str, start: int = 0, end: int | None = None, *,
               uncased: bool = False) -> list[DateMention]:
    """Date expressions in ``text[start:end]``, earliest first, longest wins on overlap.

    In normally cased text a month or weekday must be capitalised ("the march was peaceful" is
    no date); ``uncased`` lifts that for text that lost its capitals."""
    end = len(text) if end is None else end
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text, start, end):
            s, e = match.span()
            if kind == "month":
                # The cue word ("in", "a") is context, not part of the expression.
                s = match.start("month")
            if any(s < te and ts < e for ts, te in taken):
                continue
            # "may" is a modal verb far more often than a month; it needs a day or a year.
            month_word = match.groupdict().get("month")
            if kind == "month" and month_word and month_word.lower() in ("may", "mar"):
                continue
            name_word = month_word or match.groupdict().get("weekday")
            if name_word and not uncased and not name_word[0].isupper():
                continue
            mention = DateMention(span=Span(s, e, text[s:e]), kind=kind)
            groups = match.groupdict()
            mention.month = _month_of(match)
            if groups.get("year"):
                mention.year = int(groups["year"])
            if groups.get("day"):
                mention.day = int(groups["day"])
            if groups.get("weekday"):
                mention.weekday = _WEEKDAYS[groups["weekday"].lower()]
            mention.relative = (groups.get("rel") or groups.get("period") or "").lower() or None
            mention.part = groups.get("part")
            mention.is_range_bound = bool(_RANGE_CUE.search(text[max(0, s - 25):s]))
            if mention.day is not None and mention.month is not None:
                year = mention.year or 2000  # a leap year validates 29 February
                try:
                    dt.date(year, mention.month, mention.day)
                except ValueError:
                    continue
            found.append(mention)
            taken.append((s, e))
    return sorted(found, key=lambda m: m.span.start)


def _month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _latest_year(month: int, day: int | None, published: dt.date) -> int:
    """Year of the most recent (month, day) on or before ``published``."""
    day = day or 1
    if month == 2 and day == 29:  # compare as the 28th so a non-leap year is a valid candidate
        day = 28
    candidate = dt.date(published.year, month, day)
    return published.year if candidate <= published else published.year - 1


def resolve(mention: DateMention, published: dt.date | None) -> DateInfo:
    """Absolute date of ``mention`` with honest precision."""
    text, span = mention.span.text, mention.span
    month, day, year = mention.month, mention.day, mention.year
    if mention.kind in ("iso", "month_day", "day_month") and month and day:
        if year is None and published is not None:
            year = _latest_year(month, day, published)
        if year is None:
            return DateInfo(None, None, "day", text, f"--{month:02d}-{day:02d}", span)
        try:
            date = dt.date(year, month, day)
        except ValueError:  # 29 February of a year that has none
            return DateInfo(None, None, "unknown", text, f"--{month:02d}-{day:02d}", span)
        return DateInfo(date, date, "day", text, None, span)
    if mention.kind in ("month_year", "month", "part_month") and month:
        if year is None and published is not None:
            year = _latest_year(month, None, published)
        if year is None:
            return DateInfo(None, None, "month", text, f"--{month:02d}", span)
        first, last = _month_range(year, month)
        return DateInfo(first, last, "month", text, None, span)
    if mention.kind == "year" and year:
        return DateInfo(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", text, None, span)
    if published is None:
        return DateInfo(None, None, "unknown", text, None, span)
    if mention.kind == "weekday" and mention.weekday is not None:
        back = (published.weekday() - mention.weekday) % 7
        if mention.relative is None and text.lower().startswith("last") and back == 0:
            back = 7
        date = published - dt.timedelta(days=back)
        return DateInfo(date, date, "day", text, None, span)
    rel = mention.relative or ""
    if rel in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return DateInfo(published, published, "day", text, None, span)
    if rel in ("yesterday", "last night"):
        date = published - dt.timedelta(days=1)
        return DateInfo(date, date, "day", text, None, span)
    if rel in ("last week",):
        monday = published - dt.timedelta(days=published.weekday() + 7)
        return DateInfo(monday, monday + dt.timedelta(days=6), "week", text, None, span)
    if rel in ("this week", "earlier this week"):
        monday = published - dt.timedelta(days=published.weekday())
        return DateInfo(monday, published, "week", text, None, span)
    if rel == "last month":
        prev = published.replace(day=1) - dt.timedelta(days=1)
        first, last = _month_range(prev.year, prev.month)
        return DateInfo(first, last, "month", text, None, span)
    if rel in ("this month", "earlier this month"):
        return DateInfo(published.replace(day=1), published, "month", text, None, span)
    if rel == "last year":
        y = published.year - 1
        return DateInfo(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", text, None, span)
    if rel in ("this year", "earlier this year"):
        return DateInfo(dt.date(published.year, 1, 1), published, "year", text, None, span)
    return DateInfo(None, None, "unknown", text, None, span)


_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}


def more_precise(a: DateInfo, b: DateInfo) -> bool:
    """True when ``a`` pins the date down more than ``b``."""
    return _PRECISION_RANK[a.precision] < _PRECISION_RANK[b.precision] or (
        a.precision == b.precision == "unknown" and a.partial is not None and b.partial is None
    )


def compatible(a: DateInfo, b: DateInfo) -> bool:
    """True when both dates could describe the same day (unknown is compatible with anything)."""
    if a.start is None or b.start is None or a.end is None or b.end is None:
        if a.partial and b.partial:
            return a.partial.startswith(b.partial) or b.partial.startswith(a.partial)
        return True
    return a.start <= b.end and b.start <= a.end
