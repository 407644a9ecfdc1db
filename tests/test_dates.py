from __future__ import annotations

import datetime as dt

import pytest

from eventwatch.dates import compatible, find_dates, resolve

PUB = dt.date(2024, 11, 10)  # a Sunday


def _resolve(text: str, published: dt.date | None = PUB) -> tuple[str | None, str | None, str]:
    (mention,) = find_dates(text)
    info = resolve(mention, published)
    return (info.start.isoformat() if info.start else None,
            info.end.isoformat() if info.end else None, info.precision)


@pytest.mark.parametrize(("text", "expected"), [
    ("the September 12 slaughter", ("2024-09-12", "2024-09-12", "day")),
    ("on 3 March 2021 gunmen", ("2021-03-03", "2021-03-03", "day")),
    ("a January assault", ("2024-01-01", "2024-01-31", "month")),
    ("in December fighters", ("2023-12-01", "2023-12-31", "month")),  # after publication: last year
    ("in February 2024", ("2024-02-01", "2024-02-29", "month")),
    ("attacked on Monday", ("2024-11-04", "2024-11-04", "day")),
    ("attacked on Sunday", ("2024-11-10", "2024-11-10", "day")),
    ("yesterday", ("2024-11-09", "2024-11-09", "day")),
    ("last week", ("2024-10-28", "2024-11-03", "week")),
    ("last month", ("2024-10-01", "2024-10-31", "month")),
    ("2023-07-14", ("2023-07-14", "2023-07-14", "day")),
])
def test_resolution_against_publication_date(text: str, expected: tuple[str, str, str]) -> None:
    assert _resolve(text) == expected


def test_unknown_year_keeps_partial_and_never_uses_today() -> None:
    (mention,) = find_dates("the September 12 slaughter")
    info = resolve(mention, None)
    assert (info.start, info.end, info.partial, info.precision) == (None, None, "--09-12", "day")
    (mention,) = find_dates("an April shooting")
    info = resolve(mention, None)
    assert (info.start, info.partial, info.precision) == (None, "--04", "month")
    (mention,) = find_dates("on Monday")
    assert resolve(mention, None).precision == "unknown"


def test_february_29_without_a_year() -> None:
    (mention,) = find_dates("on February 29")
    info = resolve(mention, dt.date(2023, 6, 1))  # 2023 has no 29 February
    assert info.start is None and info.partial == "--02-29"


def test_may_the_modal_is_not_a_month() -> None:
    assert find_dates("the group may attack again") == []
    assert [m.span.text for m in find_dates("on May 4 the group struck")] == ["May 4"]


def test_range_bounds_are_marked() -> None:
    (mention,) = find_dates("Since January the group has struck often")
    assert mention.is_range_bound


def test_spans_are_exact() -> None:
    text = "Gunmen struck on October 29, 2023, in the city."
    (mention,) = find_dates(text)
    assert text[mention.span.start:mention.span.end] == mention.span.text == "October 29, 2023"


def test_compatibility() -> None:
    day = resolve(find_dates("on March 3")[0], PUB)
    month = resolve(find_dates("in March")[0], PUB)
    other = resolve(find_dates("in April")[0], PUB)
    assert compatible(day, month) and not compatible(day, other)
