"""Event assembly (events.py) on short articles written for these tests."""

from __future__ import annotations

import datetime as dt

from eventwatch import extract_article
from eventwatch.models import Article


def _events(title: str, body: str) -> list[dict[str, object]]:
    text = f"{title}\n\n{body}"
    article = Article(doc_id="t", text=text, title=title, published=dt.date(2023, 7, 31))
    return [e.to_dict() for e in extract_article(article).events]


def test_colon_dateline_is_where_the_reporter_files_not_the_incident() -> None:
    (event,) = _events("Suicide blast at party convention kills 12",
                       "Islamabad: A suicide bomber killed 12 people at a party convention in "
                       "Bajaur district on Sunday, police said.")
    location = event["location"]
    assert isinstance(location, dict)
    assert location["admin2"] != "Islamabad" and location["admin1"] == "Khyber Pakhtunkhwa"


def test_headline_country_before_a_colon_is_kept() -> None:
    (event,) = _events("Somalia: Car bomb kills five at restaurant",
                       "A car bomb exploded outside a restaurant on Sunday, killing five "
                       "people, police said.")
    location = event["location"]
    assert isinstance(location, dict)
    assert location["country_code"] == "SO"
