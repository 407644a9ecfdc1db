"""The gazetteer's compact, columnar form: what ``load_gazetteer`` keeps in memory and on disk.

Two hundred thousand ``Place`` objects and four hundred thousand candidate lists cost about
300 MB and two seconds to unpickle (most of it the garbage collector walking the new objects).
Here a place is a row of parallel arrays (coordinates, population, GeoNames id, codes into
small string tables) and a name maps to one int: a place's row, or a negative reference into
one flat array of rows for the names several places share. Saved, the whole index is a dozen
large strings and arrays, which unpickle in milliseconds; the dictionaries are rebuilt from
them in one pass of C code each. A ``Place`` is made only when the resolver asks for a row,
and kept, so each candidate a process meets costs one object once.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator, Sequence
from typing import Any

from .models import Place

FEATURES = ("city", "admin2", "admin1", "country", "region", "neighbourhood")
_FEATURE_CODE = {name: code for code, name in enumerate(FEATURES)}
_SEP = "\n"  # never inside a name: the tables are one row per line


def _table(values: Sequence[str]) -> tuple[tuple[str, ...], array[int]]:
    """Distinct values (the empty string first) and each value's position among them."""
    codes: dict[str, int] = {"": 0}
    out = array("I", (codes.setdefault(v, len(codes)) for v in values))
    return tuple(codes), out


def compact(places: Sequence[Place], names: dict[str, list[int]],
            country_names: dict[str, str]) -> dict[str, Any]:
    """The columns of ``places`` and ``names``, in builtins and arrays only (pickled as is)."""
    countries, country_of = _table([p.country_code for p in places])
    # First- and second-level division codes share one table ("" first: no code).
    admin_table = tuple(dict.fromkeys(
        ["", *(p.admin1 or "" for p in places), *(p.admin2 or "" for p in places)]))
    admin_code = {v: i for i, v in enumerate(admin_table)}
    values = array("i")
    multi, starts = array("i"), array("I", [0])
    for hits in names.values():
        if len(hits) == 1:
            values.append(hits[0])
        else:
            values.append(-len(starts))  # -(k + 1) for the k-th shared list
            multi.extend(hits)
            starts.append(len(multi))
    longest: dict[str, int] = {}
    for key in names:
        first, _, rest = key.partition(" ")
        words = 1 + rest.count(" ") + bool(rest)
        if words > longest.get(first, 0):
            longest[first] = words
    nan = math.nan
    return {
        "names": _SEP.join(p.name for p in places),
        "features": bytes(_FEATURE_CODE[p.feature] for p in places),
        "countries": countries, "country_of": country_of,
        "admins": admin_table,
        "admin1_of": array("I", (admin_code[p.admin1 or ""] for p in places)),
        "admin2_of": array("I", (admin_code[p.admin2 or ""] for p in places)),
        "lat": array("d", (nan if p.lat is None else p.lat for p in places)),
        "lon": array("d", (nan if p.lon is None else p.lon for p in places)),
        "gid": array("q", (-1 if p.geonames_id is None else p.geonames_id for p in places)),
        "population": array("q", (p.population for p in places)),
        "keys": _SEP.join(names), "values": values, "multi": multi, "starts": starts,
        "first_words": _SEP.join(longest), "longest": bytes(longest.values()),
        "country_names": dict(country_names),
    }


class PlaceTable(Sequence[Place]):
    """The places as a read-only sequence; ``table[i]`` makes row i's ``Place`` on first use."""

    def __init__(self, columns: dict[str, Any]) -> None:
        self._names: list[str] = columns["names"].split(_SEP)
        self._features: bytes = columns["features"]
        self._countries: tuple[str, ...] = columns["countries"]
        self._country_of: array[int] = columns["country_of"]
        self._admins: tuple[str, ...] = columns["admins"]
        self._admin1_of: array[int] = columns["admin1_of"]
        self._admin2_of: array[int] = columns["admin2_of"]
        self._lat: array[float] = columns["lat"]
        self._lon: array[float] = columns["lon"]
        self._gid: array[int] = columns["gid"]
        self._population: array[int] = columns["population"]
        self._country_names: dict[str, str] = columns["country_names"]
        self._made: dict[int, Place] = {}

    def __len__(self) -> int:
        return len(self._features)

    def __getitem__(self, idx: int) -> Place:  # type: ignore[override]  # rows, never slices
        place = self._made.get(idx)
        if place is None:
            place = self._made[idx] = self._make(idx)
        return place

    def __iter__(self) -> Iterator[Place]:
        return (self[i] for i in range(len(self)))

    def _make(self, idx: int) -> Place:
        if idx < 0:
            idx += len(self)
        lat, lon, gid = self._lat[idx], self._lon[idx], self._gid[idx]
        code = self._countries[self._country_of[idx]]
        return Place(
            name=self._names[idx], feature=FEATURES[self._features[idx]], country_code=code,
            country=self._country_names.get(code, code),
            admin1=self._admins[self._admin1_of[idx]] or None,
            admin2=self._admins[self._admin2_of[idx]] or None,
            lat=None if math.isnan(lat) else lat, lon=None if math.isnan(lon) else lon,
            geonames_id=None if gid < 0 else gid, population=self._population[idx])


class NameIndex:
    """Normalised name -> the rows of the places it names (a tuple, in indexing order)."""

    def __init__(self, columns: dict[str, Any]) -> None:
        keys: str = columns["keys"]
        self._rows: dict[str, int] = dict(zip(keys.split(_SEP), columns["values"], strict=True))
        self._multi: array[int] = columns["multi"]
        self._starts: array[int] = columns["starts"]

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def get(self, key: str, default: tuple[int, ...] = ()) -> tuple[int, ...]:
        """The rows ``key`` names; ``default`` (no rows) for a name the index lacks."""
        row = self._rows.get(key)
        if row is None:
            return default
        if row >= 0:
            return (row,)
        k = -row - 1
        return tuple(self._multi[self._starts[k]:self._starts[k + 1]])


def first_word_lengths(columns: dict[str, Any]) -> dict[str, int]:
    """The longest name (in words) starting with each first word."""
    words: str = columns["first_words"]
    return dict(zip(words.split(_SEP), columns["longest"], strict=True))
