"""The gazetteer's index (``eventwatch.gazetteer``) on tables written for this test, and the
packaged data where a fact about it is checked."""

from __future__ import annotations

from eventwatch.evaluation.geoparse import haversine_km
from eventwatch.gazetteer import COLUMNS, Gazetteer, load_gazetteer


def _row(**values: str) -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    row.update(values)
    return row


def test_an_extra_row_moves_a_known_place_and_adds_names() -> None:
    base = _row(geonames_id="1", name="Alphaville", feature="city", country_code="XA",
                admin1="North", lat="10.0", lon="20.0", population="5000")
    other = _row(geonames_id="2", name="Betaville", feature="city", country_code="XA",
                 admin1="North", lat="11.0", lon="21.0", population="5000")
    moved = _row(geonames_id="1", name="Alphaville", feature="city", country_code="XA",
                 lat="12.5", lon="22.5", alt_names="Alpha Town", _extra="1")
    named = _row(geonames_id="2", name="Betaville", feature="city", country_code="XA",
                 alt_names="Beta Town", _extra="1")
    gaz = Gazetteer([base, other, moved, named])
    (alpha,) = gaz.lookup("Alpha Town")
    assert (alpha.lat, alpha.lon) == (12.5, 22.5)
    (beta,) = gaz.lookup("Beta Town")
    assert (beta.lat, beta.lon) == (11.0, 21.0)  # names only: the point stays


def test_republics_inside_a_federation_are_indexed_by_their_bare_name() -> None:
    gaz = Gazetteer([
        _row(geonames_id="3", name="Ostrava, Respublika", feature="admin1", country_code="XB",
             admin1="Ostrava, Respublika", lat="40", lon="40"),
        _row(geonames_id="4", name="Gamma Republic", feature="country", country_code="XC",
             lat="41", lon="41"),
    ])
    assert [p.geonames_id for p in gaz.lookup("Ostrava")] == [3]
    assert gaz.lookup("Gamma") == []  # a country keeps its whole name
    assert [p.geonames_id for p in gaz.lookup("Gamma Republic")] == [4]


def test_the_united_states_sits_at_geonames_point() -> None:
    (us,) = [p for p in load_gazetteer().lookup("United States") if p.feature == "country"]
    assert us.lat is not None and us.lon is not None
    assert haversine_km(us.lat, us.lon, 39.76, -98.5) < 5


def test_continents_and_world_regions() -> None:
    gaz = load_gazetteer()
    assert [p.geonames_id for p in gaz.lookup("Europe") if p.feature == "region"] == [6255148]
    (darfur,) = [p for p in gaz.lookup("Darfur") if p.feature == "region"]
    assert darfur.country_code == "SD"


def test_saint_mount_and_fort_are_indexed_in_full_and_abbreviated() -> None:
    gaz = Gazetteer([
        _row(geonames_id="5", name="Saint Delta", feature="city", country_code="XD",
             lat="1", lon="1", population="2000"),
        _row(geonames_id="6", name="Mt. Epsilon", feature="city", country_code="XD",
             lat="2", lon="2", population="2000"),
    ])
    assert [p.geonames_id for p in gaz.lookup("St. Delta")] == [5]
    assert [p.geonames_id for p in gaz.lookup("Mount Epsilon")] == [6]
    assert gaz.lookup("Delta") == []  # the generic word is not dropped


def test_water_bodies_ranges_and_regions_are_regions_with_points() -> None:
    gaz = load_gazetteer()
    for name in ("Mississippi River", "Lake Erie", "Black Sea", "Rocky Mountains", "Urals"):
        (place,) = [p for p in gaz.lookup(name) if p.feature == "region"]
        assert place.lat is not None and place.lon is not None
    # A river in one country carries it; a sea between countries carries none.
    assert {p.country_code for p in gaz.lookup("Ohio River") if p.feature == "region"} == {"US"}
    assert {p.country_code for p in gaz.lookup("Black Sea") if p.feature == "region"} == {""}


def test_large_divisions_sit_at_their_centre_not_among_their_towns() -> None:
    # Ontario's towns crowd its southern edge; its centre lies far to the north of Toronto.
    gaz = load_gazetteer()
    (ontario,) = [p for p in gaz.lookup("Ontario") if p.feature == "admin1"
                  and p.country_code == "CA"]
    (toronto,) = [p for p in gaz.lookup("Toronto") if p.feature == "city"
                  and p.country_code == "CA"]
    assert ontario.lat is not None and toronto.lat is not None
    assert ontario.lat - toronto.lat > 4
