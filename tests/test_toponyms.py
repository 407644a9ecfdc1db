"""Finding toponyms (``eventwatch.toponyms``) in short texts written for this project, without
spaCy: entity spans, person names and surnames are given as the pipeline would pass them."""

from __future__ import annotations

import pytest

from eventwatch.gazetteer import Gazetteer, load_gazetteer
from eventwatch.toponyms import find_toponyms, region_support


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def _found(text: str, gaz: Gazetteer) -> list[str]:
    return [t.span.text for t in find_toponyms(text, gaz, [])]


def test_a_country_spacy_tags_as_a_place_is_not_a_surname(gaz: Gazetteer) -> None:
    text = "Coach Ray Jordan spoke on Monday. Jordan, the minister said, will reopen the border."
    second = text.rindex("Jordan")
    person = [(text.index("Ray"), text.index(" spoke"))]

    def found(entities: list[tuple[int, int]]) -> list[int]:
        tops = find_toponyms(text, gaz, entities, exclude=person, surnames={"Jordan"})
        return [t.span.start for t in tops if t.span.text == "Jordan"]

    assert found([(second, second + 6)]) == [second]
    assert found([]) == []  # without spaCy's word, the coach's surname again


def test_one_sense_per_discourse_in_finding(gaz: Gazetteer) -> None:
    text = "A fire broke out in the city of Laconia on Sunday. Laconia has three fire stations."
    starts = [t.span.start for t in find_toponyms(text, gaz, []) if t.span.text == "Laconia"]
    assert starts == [text.index("Laconia"), text.rindex("Laconia")]
    assert not find_toponyms("Laconia has three fire stations.", gaz, [])


def test_more_locatives_and_determiners(gaz: Gazetteer) -> None:
    assert "Laconia" in _found("Thieves struck throughout Laconia on Sunday.", gaz)
    assert "Laconia" in _found("She sold her Laconia home in May.", gaz)
    assert "Laconia" not in _found("She met Laconia in May.", gaz)


def test_a_person_like_name_the_text_puts_someone_in(gaz: Gazetteer) -> None:
    text = "Ann Roe, 33, of Telegraph Road in Glen Allen, was found on Friday."
    span = (text.index("Glen Allen"), text.index("Glen Allen") + len("Glen Allen"))
    assert any(t.span.text == "Glen Allen" for t in find_toponyms(text, gaz, [], exclude=[span]))
    other = "Glen Allen said he would run again."
    assert not find_toponyms(other, gaz, [], exclude=[(0, 10)])


def test_ap_abbreviations_weekdays_and_town_people(gaz: Gazetteer) -> None:
    assert "Mass" in _found("Western Mass. lawmakers met on Monday.", gaz)
    assert "Mass" not in _found("They attended Mass on Sunday.", gaz)
    assert "Laconia" in _found("On Sunday Laconia Police went to the home.", gaz)
    assert "Laconia" in _found("Laconia parents charged after fight.", gaz)


def test_a_country_tagged_as_a_person_is_still_a_country(gaz: Gazetteer) -> None:
    text = "Talks resumed on Monday, and Sri Lanka's envoy left for Delhi."
    start = text.index("Sri Lanka")
    person = [(start, start + len("Sri Lanka's"))]
    assert "Sri Lanka" in [t.span.text for t in find_toponyms(text, gaz, [], exclude=person)]
    name = "Talks resumed after Jordan Smith's envoy left."
    start = name.index("Jordan")
    person = [(start, start + len("Jordan Smith's"))]
    assert "Jordan" not in [t.span.text for t in find_toponyms(name, gaz, [], exclude=person)]


def test_hyphen_datelines_and_party_home_towns(gaz: Gazetteer) -> None:
    assert "LACONIA" in _found("Crash injures driver.\nLACONIA - A woman rolled her car.", gaz)
    assert "Laconia" in _found("Ann Doe, a Laconia lawmaker, filed the bill.", gaz)
    assert "Laconia" not in _found("He read Laconia - the novel - twice.", gaz)


def test_a_river_is_not_the_county_named_after_it(gaz: Gazetteer) -> None:
    # The river is a place of its own (natural_places.tsv), never the county's bare name.
    (river,) = find_toponyms("Flooding on the Red River closed two roads.", gaz, [])
    assert {gaz.places[i].feature for i in river.candidates} == {"region"}
    assert "Red River" in _found("Voters in Red River County approved the levy.", gaz)[0]


def test_a_city_council_belongs_to_the_city(gaz: Gazetteer) -> None:
    found = find_toponyms("The Dublin City Council met on Monday.", gaz, [])
    assert [t.span.text for t in found] == ["Dublin"]


def test_more_civic_heads_and_street_kinds(gaz: Gazetteer) -> None:
    assert "Laconia" in _found("The board heard Laconia Selectman Ann Doe on Monday.", gaz)
    assert "Laconia" in _found("She lives at 12 Holm Way, Laconia, with her son.", gaz)
    assert "Laconia" not in _found("She met Ann Laconia Doe on Monday.", gaz)


def test_a_large_city_is_strong_only_under_its_own_name(gaz: Gazetteer) -> None:
    # Huntsville, Ala. (200,000 people) was once called Twickenham; a London story's
    # Twickenham says nothing by itself, while Huntsville written out is strong.
    strong = {t.span.text: t.strong for t in find_toponyms(
        "Crowds gathered in Huntsville and Twickenham on Monday.", gaz, [])}
    assert strong["Huntsville"] and not strong.get("Twickenham", False)


def test_a_world_city_tagged_as_a_person_is_still_a_place(gaz: Gazetteer) -> None:
    def found(text: str, word: str, surnames: set[str]) -> bool:
        start = text.rindex(word)
        doubtful = [(start, start + len(word))]
        return any(t.span.start == start for t in find_toponyms(
            text, gaz, [], doubtful=doubtful, surnames=surnames))

    # A capital standing for its government: no preposition or cue, but no one's name either.
    assert found("Tbilisi has denied the allegation, officials said.", "Tbilisi", set())
    # The same word as the surname of someone the text names is that person again.
    text = "Coach Mary Dallas spoke on Monday. Dallas said the team would travel."
    assert not found(text, "Dallas", {"Dallas"})


def test_a_name_and_its_container_are_two_toponyms(gaz: Gazetteer) -> None:
    # Gazetteers list "Washington, D.C." as one name; the text names a city and its district.
    assert _found("The group is based in Washington, D.C., and in Austin.", gaz) == [
        "Washington", "D.C", "Austin"]


def test_based_and_hyphenated_pairs_are_evidence_of_places(gaz: Gazetteer) -> None:
    assert _found("The Hopkinton-based firm hired ten workers.", gaz) == ["Hopkinton"]
    assert _found("Hopkinton hired ten workers.", gaz) == []
    # A town joined by a hyphen to a place is listed with it, like "Fargo and Moorhead".
    assert _found("Flooding reached Fargo-Moorhead on Friday.", gaz) == ["Fargo", "Moorhead"]
    assert _found("Flooding reached Moorhead on Friday.", gaz) == []


def test_a_town_standing_for_its_council_or_team(gaz: Gazetteer) -> None:
    # Nothing else says these are places: no preposition, no cue, no entity.
    assert _found("Laconia wants a new bridge before winter.", gaz) == ["Laconia"]
    assert _found("Laconia advances to the state final.", gaz) == ["Laconia"]
    assert not _found("Laconia has three fire stations.", gaz)  # any subject's verb
    # A person spaCy names: "Laconia" is her surname here.
    text = "Jane Laconia spoke first. Laconia wants a recount."
    second = text.rindex("Laconia")
    tops = find_toponyms(text, gaz, [], doubtful=[(second, second + 7)])
    assert [t.span.text for t in tops] == []


def test_a_town_used_as_an_adjective_after_a_number(gaz: Gazetteer) -> None:
    assert _found("Police said four Laconia homes were burglarized.", gaz) == ["Laconia"]
    assert not _found("Police said four Laconia were burglarized.", gaz)  # no noun after it


def test_a_hamlet_needs_its_division(gaz: Gazetteer) -> None:
    # East Bank, W.Va. (fewer than 1,000 people): a name like that is as often a river bank.
    written = "Residents of East Bank, W.Va., met on Monday to plan a cleanup."
    bare = "Residents of East Bank met on Monday to plan a cleanup."
    assert "East Bank" in _found(written, gaz)
    assert "East Bank" not in _found(bare, gaz)
    at_home = find_toponyms(bare, gaz, [], homes=frozenset({("US", "West Virginia")}))
    assert [t.span.text for t in at_home] == ["East Bank"]
    elsewhere = find_toponyms(bare, gaz, [], homes=frozenset({("US", "Ohio")}))
    assert not elsewhere
    # Without capitals every word is a candidate: hamlets are none.
    lower = written.lower()
    assert "east bank" not in [t.span.text for t in find_toponyms(lower, gaz, [], uncased=True)]


def test_hamlets_do_not_vote_for_a_division_where_their_name_has_towns(gaz: Gazetteer) -> None:
    (marion,) = find_toponyms("The Marion council met on Monday.", gaz, [])
    support = region_support([marion], gaz)
    towns = {(p.country_code, p.admin1) for p in (gaz.places[i] for i in marion.candidates)
             if p.admin1 and p.feature != "country"
             and (p.feature != "city" or p.population >= 1000)}
    hamlets = {(p.country_code, p.admin1) for p in (gaz.places[i] for i in marion.candidates)
               if p.feature == "city" and p.population < 1000} - towns
    assert towns and set(support) == towns
    assert hamlets  # the gazetteer has Marions too small to vote, and they do not


def test_a_town_in_the_sources_home_division_needs_no_cue(gaz: Gazetteer) -> None:
    text = "Hagerstown edged its rival 3-1 on Friday night."
    assert _found(text, gaz) == []
    maryland = find_toponyms(text, gaz, [], homes=frozenset({("US", "Maryland")}))
    assert [t.span.text for t in maryland] == ["Hagerstown"]
    assert find_toponyms(text, gaz, [], homes=frozenset({("US", "Ohio")})) == []
