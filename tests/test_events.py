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


def test_perpetrator_deaths_are_kept_out_of_the_toll() -> None:
    (event,) = _events("Attack on army post in Kirkuk",
                       "Militants stormed an army post near Kirkuk on Sunday. Five soldiers and "
                       "three attackers were killed in the fighting, officials said.")
    fatalities, attackers = event["fatalities"], event["perpetrator_deaths"]
    assert isinstance(fatalities, dict) and isinstance(attackers, dict)
    assert fatalities["best"] == 5
    assert attackers["best"] == 3 and attackers["text"] == "three attackers were killed"


def test_a_dead_bomber_is_not_a_victim() -> None:
    (event,) = _events("Suicide bombing at market",
                       "A suicide bomber blew himself up in a market in Maiduguri on Sunday, "
                       "killing 12 people, police said.")
    fatalities, attackers = event["fatalities"], event["perpetrator_deaths"]
    assert isinstance(fatalities, dict) and isinstance(attackers, dict)
    assert (fatalities["best"], attackers["best"]) == (12, 1)


def test_militants_killed_by_troops_are_the_toll() -> None:
    (event,) = _events("Troops kill militants in raid",
                       "Security forces killed 10 militants in a raid on a hideout in Kunar "
                       "province on Sunday, officials said.")
    fatalities, attackers = event["fatalities"], event["perpetrator_deaths"]
    assert isinstance(fatalities, dict) and isinstance(attackers, dict)
    assert fatalities["best"] == 10 and attackers["best"] is None


def test_no_attacker_deaths_stay_unknown() -> None:
    (event,) = _events("Gunmen kill four villagers",
                       "Gunmen killed four villagers in Zamfara state on Sunday, police said.")
    attackers = event["perpetrator_deaths"]
    assert isinstance(attackers, dict)
    assert attackers == {"best": None, "low": None, "high": None, "text": None, "span": None}


def test_a_country_in_a_compound_adjective_is_not_where_the_story_is() -> None:
    (event,) = _events("Blasts at school in Afghan capital kill six",
                       "Two bombs exploded outside a boys' school in a Shia neighbourhood of "
                       "the Afghan capital on Tuesday, killing six students, police said. Attacks "
                       "have fallen since the US-backed Afghan government collapsed.")
    location = event["location"]
    assert isinstance(location, dict)
    assert location["country_code"] == "AF"


def test_a_nationality_is_not_a_same_named_place() -> None:
    (event,) = _events("Militants attack Somali hotel, killing 12",
                       "Gunmen stormed a hotel on Friday night, killing at least 12 people, "
                       "Somali police said.")
    location = event["location"]
    assert isinstance(location, dict)
    # Not Ethiopia's Somali Region: the adjective says whose hotel, and the police's.
    assert location["country_code"] in (None, "SO") and location["admin1"] != "Somali"


def test_a_local_name_said_to_lie_in_a_city_is_not_a_foreign_town() -> None:
    (event,) = _events("Car bomb kills four near beach restaurant",
                       "A car bomb exploded outside a restaurant near the Lido beach in "
                       "Mogadishu on Sunday, killing four people, police said.")
    location = event["location"]
    assert isinstance(location, dict)
    assert (location["country_code"], location["name"]) == ("SO", "Mogadishu")


def test_the_ends_of_a_journey_are_not_where_it_was_attacked() -> None:
    (event,) = _events("Gunmen ambush passenger convoy in Kurram",
                       "Gunmen opened fire on a convoy of passenger vans in Kurram district on "
                       "Thursday as it travelled from Parachinar to Peshawar, killing 30 people, "
                       "police said.")
    location = event["location"]
    assert isinstance(location, dict)
    assert location["admin2"] == "Kurram District" and location["name"] != "Peshawar"
