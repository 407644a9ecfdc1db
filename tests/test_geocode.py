"""Toponym recognition and resolution (``eventwatch.geocode``) on short texts written for this
project; each test checks a rule of the finder or the resolver, and where it can, its converse."""

from __future__ import annotations

from typing import Any

import pytest

from eventwatch import extract_text
from eventwatch.evaluation.geoparse import haversine_km
from eventwatch.gazetteer import Gazetteer, load_gazetteer
from eventwatch.geocode import find_demonyms, find_toponyms, person_spans, resolve_toponyms
from eventwatch.geoparse import geoparse_article
from eventwatch.models import Article


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def _places(text: str) -> list[dict[str, Any]]:
    return geoparse_article(Article(doc_id="t", text=text))


def _texts(places: list[dict[str, Any]]) -> list[str]:
    return [p["text"] for p in places]


def _resolve(text: str, gaz: Gazetteer) -> dict[str, Any]:
    """Finder and resolver without spaCy: text -> {toponym text: place}."""
    found = resolve_toponyms(text, find_toponyms(text, gaz, []), gaz)
    return {r.span.text: r.place for r in found}


def test_names_of_institutions_are_reported_but_locate_no_event() -> None:
    text = ("Gunmen killed two guards at a checkpoint in Spin Boldak on Monday, the Kandahar "
            "Police Department said.\n")
    places = {p["text"]: p for p in _places(text)}
    assert places["Kandahar"]["admin1"] == "Kandahar"
    assert places["Spin Boldak"]["country_code"] == "AF"
    (event,) = extract_text(text, published="2025-03-04").events
    assert event.location.name != "Kandahar" and event.location.admin1 == "Kandahar"
    assert event.location.text == "Spin Boldak"


def test_an_institution_named_after_a_person_is_no_place(gaz: Gazetteer) -> None:
    # "Ripley" is a town in the gazetteer, but "the Ripley Center" names it only if the text
    # also names Ripley as a place.
    alone = "Parents met at the Ripley Center on Evergreen Street to discuss the budget."
    assert "Ripley" not in _resolve(alone, gaz)
    both = alone + " The center has served families in Ripley since 1990."
    assert "Ripley" in _resolve(both, gaz)


def test_civic_bodies_name_their_town(gaz: Gazetteer) -> None:
    found = _resolve("The Laconia Police Department asked for help on Friday.", gaz)
    assert found["Laconia"].admin1 == "New Hampshire"


def test_division_shared_by_the_documents_names_wins(gaz: Gazetteer) -> None:
    # The same ambiguous name, read against the other places of two invented stories.
    tennessee = ("A barn burned near Paris on Tuesday. Crews from Huntingdon and McKenzie "
                 "helped, and the Henry County sheriff said nobody was hurt.")
    france = ("Trains between Paris and Lyon stopped on Tuesday after a strike; services to "
              "Marseille and Lille were cut too.")
    assert (_resolve(tennessee, gaz)["Paris"].admin1, _resolve(tennessee, gaz)[
        "Paris"].country_code) == ("Tennessee", "US")
    assert _resolve(france, gaz)["Paris"].country_code == "FR"


def test_a_country_name_that_is_also_a_state(gaz: Gazetteer) -> None:
    state = ("Lawmakers in Atlanta passed the bill; Georgia counties such as Fulton County "
             "and Cobb County will share the money, officials in Savannah said.")
    country = "Fighting between Russia and Georgia spread from Tbilisi toward Gori."
    assert _resolve(state, gaz)["Georgia"].feature == "admin1"
    assert _resolve(country, gaz)["Georgia"].country_code == "GE"


def test_a_name_two_countries_go_by_is_settled_by_the_story(gaz: Gazetteer) -> None:
    # "Congo" names both countries: the story's other places decide, and with none the
    # Democratic Republic, the far more populous and more reported one, is meant.
    east = _resolve("Rebels burned homes near Bunia in eastern Congo on Sunday.", gaz)
    assert east["Congo"].country_code == "CD"
    west = _resolve("Protesters marched in Brazzaville, the capital of Congo, on Sunday.", gaz)
    assert west["Congo"].country_code == "CG"
    bare = _resolve("Fighting between soldiers and rebels killed ten people in Congo.", gaz)
    assert bare["Congo"].country_code == "CD"
    # A name only one country goes by is untouched by the rule.
    assert _resolve("Troops were sent to Sudan on Sunday.", gaz)["Sudan"].country_code == "SD"


def test_datelines_and_state_abbreviations(gaz: Gazetteer) -> None:
    found = _resolve("COVINGTON, Ky. (AP) — A man held in the county jail died on Sunday.", gaz)
    assert found["COVINGTON"].admin1 == "Kentucky"
    found = _resolve("Grain prices fell, said a farmer from Greer, S.C., on Monday.", gaz)
    assert found["Greer"].admin1 == "South Carolina"


def test_adjectival_and_possessive_uses(gaz: Gazetteer) -> None:
    found = _resolve("Gunmen attacked a Herat mosque after dusk.", gaz)
    assert found["Herat"].country_code == "AF"
    found = _resolve("Police said the Laconia man was found on Sunday.", gaz)
    assert found["Laconia"].admin1 == "New Hampshire"
    # Without the article and the noun, a small town's name alone is not enough.
    assert "Laconia" not in _resolve("Laconia said nothing.", gaz)


def test_names_listed_with_places(gaz: Gazetteer) -> None:
    text = "The guard opened armories in Dodge City, Great Bend, Larned and Pratt last year."
    found = _resolve(text, gaz)
    assert {"Dodge City", "Great Bend", "Larned", "Pratt"} <= set(found)
    assert all(found[n].admin1 == "Kansas" for n in ("Great Bend", "Larned", "Pratt"))


def test_plural_cue_applies_to_the_whole_list(gaz: Gazetteer) -> None:
    found = _resolve("Schools in Butler, Preble or Warren counties closed.", gaz)
    assert [found[n].feature for n in ("Butler", "Preble", "Warren")] == ["admin2"] * 3


def test_us_acronym_and_america(gaz: Gazetteer) -> None:
    found = _resolve("US officials met in Washington. They said America would help.", gaz)
    assert found["US"].country_code == "US" and found["US"].feature == "country"
    assert found["America"].country_code == "US"
    assert "us" not in _resolve("He told us to leave the village of Bagram.", gaz)
    assert "America" not in _resolve("Migrants from Latin America crossed the river.", gaz)


def test_plural_demonyms_are_country_places() -> None:
    places = {p["text"]: p for p in _places("Israelis and Palestinians met in Cairo.\n")}
    assert places["Israelis"]["country_code"] == "IL"
    assert places["Palestinians"]["country_code"] == "PS"


def test_mislabelled_person_entities_do_not_hide_places() -> None:
    names, doubtful = person_spans([(0, 31, "Alachua County Sheriff's Office"),
                                    (40, 50, "Art Forgey"), (60, 71, "Gainesville")])
    assert names == [(40, 50)] and doubtful == [(60, 71)]
    # A fire department's title is no person's name either.
    assert person_spans([(0, 33, "Huntsville Fire Chief Tom Grisham")]) == ([], [])


def test_a_single_word_person_needs_evidence_of_being_a_place(gaz: Gazetteer) -> None:
    def found(text: str, word: str) -> bool:
        start = text.index(word)
        doubtful = [(start, start + len(word))]
        return any(t.span.text == word
                   for t in find_toponyms(text, gaz, [], doubtful=doubtful))

    assert not found("Lincoln said the vote would wait.", "Lincoln")
    assert found("A Gainesville restaurant was robbed on Monday.", "Gainesville")
    assert found("The convoy arrived in Lincoln at noon.", "Lincoln")


def test_countries_sit_at_their_conventional_point(gaz: Gazetteer) -> None:
    # Most Russian towns lie west of the Urals; the country's point is not their middle.
    (russia,) = [p for p in gaz.lookup("Russia") if p.feature == "country"]
    assert russia.lat is not None and russia.lon is not None
    assert haversine_km(russia.lat, russia.lon, 60.0, 100.0) < 50


def test_no_fuzzy_near_misses(gaz: Gazetteer) -> None:
    assert "Dasht-e-Barchy" not in _resolve("Shops closed in Dasht-e-Barchy on Friday.", gaz)


def test_a_persons_surname_later_in_the_text(gaz: Gazetteer) -> None:
    text = "Officers arrested Jason Terrell Jones on Friday. Jones' lawyer moved to Jones, Okla."
    found = find_toponyms(text, gaz, [], exclude=[(18, 36)], surnames={"Jones"})
    assert [t.span.start for t in found if t.span.text == "Jones"] == [text.rindex("Jones")]


def test_saints_and_institutions_named_after_counties(gaz: Gazetteer) -> None:
    assert "Patrick" not in _resolve("Crowds gathered for the St. Patrick's Day parade.", gaz)
    # Scott County is populous, but "Scott West" (a school) does not name it.
    assert "Scott" not in _resolve("The Scott West Panthers won the section title.", gaz)


def test_home_towns_of_legislators_and_addresses(gaz: Gazetteer) -> None:
    assert "Westfield" in _resolve("The bill was filed by Rep. Ann Doe, R-Westfield, today.", gaz)
    found = _resolve("Jo Roe, 19, of 1935 Orchard St., Alexandria, was arrested.", gaz)
    assert "Alexandria" in found
    assert "Westfield" not in _resolve("Westfield said nothing.", gaz)


def test_a_local_storys_division_makes_its_names_places(gaz: Gazetteer) -> None:
    text = ("Flooding closed roads in Keene, Concord, Nashua, Dover and Manchester, N.H., on "
            "Monday. Laconia has opened a shelter.")
    assert _resolve(text, gaz)["Laconia"].admin1 == "New Hampshire"


def test_one_place_per_name_in_a_document(gaz: Gazetteer) -> None:
    text = ("SPRINGFIELD, Ohio (AP) — A bridge closed on Monday. Springfield police said the "
            "repairs would take a week, and Springfield schools changed bus routes.")
    found = resolve_toponyms(text, find_toponyms(text, gaz, []), gaz)
    assert {r.place.admin1 for r in found if r.span.text.lower() == "springfield"} == {"Ohio"}
    alone = _resolve("Springfield police said the repairs would take a week.", gaz)
    assert alone["Springfield"].admin1 != "Ohio"  # the dateline's state is what decided


def test_a_populous_division_over_a_small_namesake(gaz: Gazetteer) -> None:
    found = _resolve("The couple, both of California, moved to Dallas and Houston in Texas.", gaz)
    assert found["California"].feature == "admin1"
    found = _resolve("The couple lived in California, Md., for a decade.", gaz)
    assert (found["California"].feature, found["California"].admin1) == ("city", "Maryland")


def test_a_world_city_in_a_story_led_by_another_country(gaz: Gazetteer) -> None:
    text = ("Flights from Dallas, Houston and Chicago to Moscow start in May, the carrier said, "
            "as demand for travel to Russia grows.")
    assert _resolve(text, gaz)["Moscow"].country_code == "RU"
    # Without Russia in the story, the Idaho town is as good a reading as any.
    assert _resolve("Flights from Boise and Spokane to Moscow start in May.", gaz)[
        "Moscow"].country_code == "US"


def test_world_regions_are_reported_but_locate_no_event() -> None:
    text = ("A car bomb killed five soldiers in Kandahar on Monday, the latest attack in a "
            "region where talks on the Middle East and Central Asia have stalled.\n")
    places = {p["text"]: p for p in _places(text)}
    assert places["Middle East"]["precision"] == "region"
    assert places["Middle East"]["country_code"] is None
    assert places["Central Asia"]["feature"] == "region"
    events = extract_text(text, published="2025-03-04").events
    assert events and all(e.location.name not in ("Middle East", "Central Asia") for e in events)


def test_a_container_written_once_decides_every_mention(gaz: Gazetteer) -> None:
    text = "Prices at the Lebanon Farmers Market in Lebanon, Pa., rose this spring."
    found = resolve_toponyms(text, find_toponyms(text, gaz, []), gaz)
    assert [r.place.country_code for r in found if r.span.text == "Lebanon"] == ["US", "US"]


def test_country_names_borrowed_by_hamlets_and_acronyms(gaz: Gazetteer) -> None:
    # Egypt, Pa., has a few thousand people: in a story that names no other country, the
    # name still means the country...
    found = _resolve("Exports to Egypt fell, a farmer from York County said.", gaz)
    assert found["Egypt"].feature == "country"
    # ... unless the text places it: "Egypt, Pa."
    assert _resolve("He farmed near Egypt, Pa., for years.", gaz)["Egypt"].admin1 == \
        "Pennsylvania"
    assert _resolve("Officials in the UK said trade with Ohio fell.", gaz)["UK"].country_code \
        == "GB"


def test_a_state_named_among_states_is_the_state(gaz: Gazetteer) -> None:
    text = "The company runs a casino in Iowa, two more in Missouri and twelve in Nevada."
    assert _resolve(text, gaz)["Nevada"].feature == "admin1"
    # Written with its state, the Iowa town of that name is meant.
    assert _resolve("The plant in Nevada, Iowa, closed.", gaz)["Nevada"].admin1 == "Iowa"


def test_holidays_buildings_and_common_words_are_no_places(gaz: Gazetteer) -> None:
    text = ("Crowds marched on St. Patrick's Day, the White House said, and Olympic officials "
            "met in Boston.")
    found = _resolve(text, gaz)
    assert set(found) == {"Boston"}


def test_words_for_the_people_of_a_division(gaz: Gazetteer) -> None:
    text = "Ohioans and Texans voted, while South Ossetian officials met Dagestani leaders."
    found = {r.span.text: r.place for r in find_demonyms(text, gaz, [])}
    assert (found["Ohioans"].feature, found["Ohioans"].admin1) == ("admin1", "Ohio")
    assert found["Texans"].admin1 == "Texas"
    assert found["South Ossetian"].feature == "region"
    assert found["Dagestani"].country_code == "RU"
    # A word that only looks like one names nothing: no division is called "Gunma" here...
    assert "Officials" not in found and "Susan" not in {
        r.span.text for r in find_demonyms("Susan and the officials left.", gaz, [])}


def test_a_place_with_a_point_beats_a_namesake_without_one(gaz: Gazetteer) -> None:
    # The gazetteer has Gaza as a Palestinian division and an Israeli district without
    # coordinates, and as a city with them: a place no map can show is the last choice.
    found = _resolve("Rockets were fired from Gaza on Monday, Israeli officials said.", gaz)
    assert found["Gaza"].lat is not None


def test_a_namesake_near_the_storys_sure_places_wins(gaz: Gazetteer) -> None:
    # No state is named: the Hanover meant is the one near the story's unambiguous towns
    # (White River Junction and Brattleboro, Vt.), across the state line in New Hampshire.
    text = ("Police in Hanover said the driver was stopped in White River Junction after a "
            "chase from Brattleboro.")
    found = _resolve(text, gaz)
    hanover, junction = found["Hanover"], found["White River Junction"]
    assert hanover.lat is not None and hanover.lon is not None
    assert junction.lat is not None and junction.lon is not None
    assert haversine_km(hanover.lat, hanover.lon, junction.lat, junction.lon) < 50
    # Alone, the name carries no such evidence and goes to its usual reading.
    alone = _resolve("Police in Hanover said the driver was stopped.", gaz)["Hanover"]
    assert (alone.admin1, alone.country_code) != ("New Hampshire", "US")


def test_a_water_body_is_not_the_division_it_shares_a_word_with(gaz: Gazetteer) -> None:
    text = ("Barges were stuck on the Ohio River near Cincinnati, and ice closed ports on Lake "
            "Erie, officials in Ohio said.")
    found = _resolve(text, gaz)
    assert found["Ohio River"].feature == "region"
    assert found["Lake Erie"].feature == "region"
    assert found["Ohio"].feature == "admin1"  # the state on its own is still the state
    # Reported with precision "region", which no event location takes.
    places = {p["text"]: p for p in _places(text)}
    assert places["Ohio River"]["precision"] == "region"


def test_a_country_beats_a_hamlet_named_after_it_unless_its_state_is_written(
        gaz: Gazetteer) -> None:
    # A Pennsylvania story: the state's hamlet of Egypt (2,400 people) lies among the story's
    # towns, but "a week in Egypt" is the country all the same.
    found = _resolve("Volunteers from Allentown and Bethlehem spent a week in Egypt.", gaz)
    assert found["Egypt"].feature == "country"
    found = _resolve("The fair in Egypt, Pa., opens Friday; vendors from Allentown will attend.",
                     gaz)
    assert (found["Egypt"].feature, found["Egypt"].admin1) == ("city", "Pennsylvania")


def test_names_that_lie_near_each_other_choose_each_other(gaz: Gazetteer) -> None:
    # Of the Parises and Henry Counties, one pair are neighbours: Paris, Tenn., is the seat
    # of Henry County, Tenn. Nothing else in the text names a state or a country.
    found = _resolve("A Paris man was charged on Monday after a chase, Henry County deputies "
                     "said.", gaz)
    assert (found["Paris"].country_code, found["Paris"].admin1) == ("US", "Tennessee")
    assert found["Henry County"].admin1 == "Tennessee"
    # Across a state line, where the division coherence cannot help: Columbus, Ga., lies
    # across the river from Phenix City, Ala.
    found = _resolve("A Columbus woman was hurt in a crash, and Phenix City police closed "
                     "the bridge.", gaz)
    assert found["Columbus"].admin1 == "Georgia"
    # Alone, Paris is still the French capital.
    assert _resolve("A man was charged in Paris on Monday.", gaz)["Paris"].country_code == "FR"


def test_world_cities_named_together_stay_in_their_own_states(gaz: Gazetteer) -> None:
    # Each has a namesake town in the other's state; neither borrows the other's division.
    found = _resolve("A new airline will fly from Dallas and Atlanta this summer.", gaz)
    assert (found["Dallas"].admin1, found["Atlanta"].admin1) == ("Texas", "Georgia")


def test_world_cities_of_one_country_say_the_story_is_about_it(gaz: Gazetteer) -> None:
    # Two world cities of France under their own names, in a story whose other place is
    # American: Lyon and Paris are France's, not Lyon County, Nev., or Paris, Ill.
    found = _resolve("Tourists from Chicago flocked to Lyon and Paris this summer.", gaz)
    assert (found["Lyon"].country_code, found["Paris"].country_code) == ("FR", "FR")


def test_a_city_of_a_million_beats_a_namesake_the_text_does_not_place(gaz: Gazetteer) -> None:
    # Only Chicago says where the story is: the US. Toronto, Ohio, is a village of 5,000;
    # Ontario's Toronto, of millions, is meant.
    found = _resolve("The band played two nights in Toronto before flying to Chicago for the "
                     "last show of the tour.", gaz)
    assert (found["Toronto"].country_code, found["Chicago"].country_code) == ("CA", "US")
    # The text places the village: its state is named, or a town beside it.
    found = _resolve("The mill in Toronto will close, Ohio officials said on Friday.", gaz)
    assert (found["Toronto"].country_code, found["Toronto"].admin1) == ("US", "Ohio")
    found = _resolve("Workers from Toronto and Steubenville marched to the mill gate.", gaz)
    assert (found["Toronto"].country_code, found["Toronto"].admin1) == ("US", "Ohio")
    # A name the story repeats is its own town's, whatever city of a million shares it: the
    # rule leaves the context to decide ("Paris police ... in Paris ..." near Henry County).
    found = _resolve("Paris police arrested a man on Monday. Henry County deputies said the "
                     "Paris man had fled.", gaz)
    assert found["Paris"].admin1 == "Tennessee"
