"""Event assembly (events.py) on short articles written for these tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from eventwatch import extract_article
from eventwatch.models import Article


def _event(title: str, body: str) -> dict[str, Any]:
    """The one event a short article reports."""
    text = f"{title}\n\n{body}"
    article = Article(doc_id="t", text=text, title=title, published=dt.date(2023, 7, 31))
    (event,) = [e.to_dict() for e in extract_article(article).events]
    return event


@pytest.mark.parametrize(("title", "body", "field", "expected", "not_expected"), [
    # A colon dateline is where the reporter files, not where the incident was.
    ("Suicide blast at party convention kills 12",
     "Islamabad: A suicide bomber killed 12 people at a party convention in Bajaur district on "
     "Sunday, police said.", "admin1", "Khyber Pakhtunkhwa", None),
    # The headline's "Somalia:" is no dateline.
    ("Somalia: Car bomb kills five at restaurant",
     "A car bomb exploded outside a restaurant on Sunday, killing five people, police said.",
     "country_code", "SO", None),
    # "US-backed" does not make the story American.
    ("Blasts at school in Afghan capital kill six",
     "Two bombs exploded outside a boys' school in a Shia neighbourhood of the Afghan capital on "
     "Tuesday, killing six students, police said. Attacks have fallen since the US-backed Afghan "
     "government collapsed.", "country_code", "AF", None),
    # "Somali" says whose hotel, not Ethiopia's Somali Region.
    ("Militants attack Somali hotel, killing 12",
     "Gunmen stormed a hotel on Friday night, killing at least 12 people, Somali police said.",
     "admin1", None, "Somali"),
    # A local name said to lie in Mogadishu is not the Lido of Venice.
    ("Car bomb kills four near beach restaurant",
     "A car bomb exploded outside a restaurant near the Lido beach in Mogadishu on Sunday, "
     "killing four people, police said.", "name", "Mogadishu", None),
    # The ends of a journey are not where it was attacked.
    ("Gunmen ambush passenger convoy in Kurram",
     "Gunmen opened fire on a convoy of passenger vans in Kurram district on Thursday as it "
     "travelled from Parachinar to Peshawar, killing 30 people, police said.",
     "admin2", "Kurram District", "Peshawar"),
    # A neighbour named as a landmark is not where it happened.
    ("Gunmen kill 14 soldiers",
     "Gunmen killed 14 soldiers in an ambush near the borders with Burkina Faso and Mali on "
     "Tuesday, Niger's army said.", "country_code", "NE", "Burkina Faso"),
])
def test_where_it_happened(title: str, body: str, field: str, expected: str | None,
                           not_expected: str | None) -> None:
    location = _event(title, body)["location"]
    if expected is not None:
        assert location[field] == expected
    if not_expected is not None:
        assert not_expected not in (location["name"], location["admin1"], location["admin2"])


@pytest.mark.parametrize(("title", "body", "fatalities", "attackers", "attackers_text"), [
    ("Attack on army post in Kirkuk",
     "Militants stormed an army post near Kirkuk on Sunday. Five soldiers and three attackers "
     "were killed in the fighting, officials said.", 5, 3, "three attackers were killed"),
    ("Suicide bombing at market",
     "A suicide bomber blew himself up in a market in Maiduguri on Sunday, killing 12 people, "
     "police said.", 12, 1, "A suicide bomber blew himself up"),
    # Troops are the perpetrators here: the militants they killed are the event's dead.
    ("Troops kill militants in raid",
     "Security forces killed 10 militants in a raid on a hideout in Kunar province on Sunday, "
     "officials said.", 10, None, None),
    ("Gunmen kill four villagers",
     "Gunmen killed four villagers in Zamfara state on Sunday, police said.", 4, None, None),
])
def test_perpetrator_deaths_are_kept_out_of_the_toll(
        title: str, body: str, fatalities: int, attackers: int | None,
        attackers_text: str | None) -> None:
    event = _event(title, body)
    assert event["fatalities"]["best"] == fatalities
    counted = event["perpetrator_deaths"]
    assert (counted["best"], counted["text"]) == (attackers, attackers_text)
    if attackers is None:  # unknown, never 0
        assert counted == {"best": None, "low": None, "high": None, "text": None, "span": None}
