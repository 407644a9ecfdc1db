"""The gazetteer's columnar index (``eventwatch.gazetteer_index``) and its cache file, on tables
written for this test."""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

from eventwatch.gazetteer import COLUMNS, Gazetteer, _read_cache, _write_cache, load_gazetteer
from eventwatch.gazetteer_index import compact
from eventwatch.models import Place


def _row(**values: str) -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    row.update(values)
    return row


ROWS = [
    _row(geonames_id="11", name="Xland", feature="country", country_code="XL", lat="5",
         lon="6", population="900000"),
    _row(geonames_id="12", name="North Xland", feature="admin1", country_code="XL",
         admin1="N1", lat="7", lon="8", population="300000"),
    _row(geonames_id="13", name="Pembury", feature="city", country_code="XL", admin1="N1",
         admin2="P9", lat="7.5", lon="8.5", population="12000", alt_names="Pembury Town"),
    _row(geonames_id="14", name="Pembury", feature="city", country_code="XM", lat="-3",
         lon="-4", population="700"),
    _row(name="Pembury Fen", feature="region", country_code="", lat="", lon=""),
]


def _facts(gaz: Gazetteer) -> list[tuple[object, ...]]:
    return [(p.geonames_id, p.name, p.feature, p.country_code, p.country, p.admin1, p.admin2,
             p.lat, p.lon, p.population)
            for key in ("xland", "north xland", "pembury", "pembury town", "pembury fen")
            for p in gaz.lookup(key)]


def test_rows_keep_every_field_and_shared_names_keep_their_order() -> None:
    gaz = Gazetteer(ROWS)
    assert [p.geonames_id for p in gaz.lookup("Pembury")] == [13, 14]
    town = gaz.lookup("Pembury Town")[0]
    assert town == Place(name="Pembury", feature="city", country_code="XL", country="Xland",
                         admin1="N1", admin2="P9", lat=7.5, lon=8.5, geonames_id=13,
                         population=12000)
    (fen,) = gaz.lookup("pembury fen")
    assert (fen.geonames_id, fen.lat, fen.lon, fen.admin1, fen.country) == (None,) * 4 + ("",)
    assert gaz.places[2] is gaz.places[2]  # made once
    assert len(gaz.places) == 5 and len(gaz.names) == 5
    assert gaz.longest["pembury"] == 2 and gaz.names.get("nowhere") == ()


def test_the_index_survives_its_cache_file(tmp_path: Path) -> None:
    built = Gazetteer(ROWS)
    columns = pickle.loads(pickle.dumps(compact(
        [built.places[i] for i in range(len(built.places))],
        {key: list(built.names.get(key)) for key in built.names}, built.country_names)))
    cache = tmp_path / "gazetteer-new"
    _write_cache(cache, columns)
    loaded = _read_cache(cache)
    assert loaded is not None
    assert _facts(Gazetteer(columns=loaded)) == _facts(built)
    (tmp_path / "gazetteer-bad").write_bytes(b"not a pickle")
    assert _read_cache(tmp_path / "gazetteer-bad") is None
    assert _read_cache(tmp_path / "gazetteer-missing") is None


def test_writing_an_entry_removes_only_long_unused_ones(tmp_path: Path) -> None:
    stale, recent = tmp_path / "gazetteer-stale", tmp_path / "gazetteer-recent"
    for path in (stale, recent):
        path.write_bytes(b"x")
    month_ago = time.time() - 31 * 86400
    os.utime(stale, (month_ago, month_ago))
    columns = compact([], {}, {})
    _write_cache(tmp_path / "gazetteer-new", columns)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gazetteer-new", "gazetteer-recent"]


def test_no_extra_table_is_one_index_whether_empty_or_none() -> None:
    assert load_gazetteer("") is load_gazetteer(None) is load_gazetteer()
