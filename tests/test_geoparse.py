"""Geoparsing: ``geoparse_article``, ``eventwatch geoparse`` and ``eventwatch eval geoparse``."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import CliResult
from eventwatch.evaluation.geoparse import (
    MAX_ERROR_KM,
    GoldToponym,
    auc_of_errors,
    haversine_km,
    match_spans,
    read_lgl,
    score_documents,
)
from eventwatch.geoparse import PLACE_FIELDS, geoparse_article
from eventwatch.models import Article
from eventwatch.sources import article_from_text

REPORT = ("Gunmen attacked a checkpoint in Kandahar province on Tuesday, officials in Kabul "
          "said.\n")

# Two toponyms and a third the geoparser cannot know: "Zorbluk" is in no gazetteer. Kabul's gold
# point is exact; Herat's is moved 2 degrees of latitude north (about 222 km) of the city.
LGL_XML = """<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="a1">
    <text><![CDATA[Officials in Kabul said the convoy left Herat for Zorbluk on Monday.]]></text>
    <toponyms>
      <toponym><start>13</start><end>18</end><phrase>Kabul</phrase>
        <gaztag geonameid="1138958"><fcode>PPLC</fcode><lat>34.52813</lat><lon>69.17233</lon>
        <country geonameid="1149361">Afghanistan</country></gaztag></toponym>
      <toponym><start>40</start><end>45</end><phrase>Herat</phrase>
        <gaztag geonameid="1"><fcode>PPLA</fcode><lat>36.34817</lat><lon>62.19967</lon>
        </gaztag></toponym>
      <toponym><start>50</start><end>57</end><phrase>Zorbluk</phrase>
        <gaztag geonameid="2"><fcode>PPL</fcode><lat>30.0</lat><lon>60.0</lon></gaztag>
      </toponym>
    </toponyms>
  </article>
</articles>
"""


def _by_text(places: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {p["text"]: p for p in places}


def test_seed_article_places(seed_path: Path) -> None:
    article = article_from_text(seed_path.read_text(encoding="utf-8"), "seed")
    places = geoparse_article(article)
    assert places and all(tuple(p) == PLACE_FIELDS for p in places)
    for place in places:
        assert article.text[place["start"]:place["end"]] == place["text"]
    found = _by_text(places)
    assert found["Kabul"]["name"] == "Kabul" and found["Kabul"]["country_code"] == "AF"
    assert found["Herat"]["admin1"] == "Herat" and found["Herat"]["precision"] == "point"
    assert found["Daikundi"]["admin1"] == "Daykundi"
    assert found["Daikundi"]["precision"] == "admin1"
    assert found["Khost"]["admin1"] == "Khost"  # "... Sabari district, Khost province"
    barchi = found["Dasht-e-Barchi"]
    assert barchi["feature"] == "neighbourhood" and barchi["admin1"] == "Kabul"
    for name in ("Kabul", "Herat", "Daikundi", "Khost", "Dasht-e-Barchi"):
        assert found[name]["lat"] is not None and found[name]["lon"] is not None
        assert found[name]["country_code"] == "AF"
    assert haversine_km(barchi["lat"], barchi["lon"], found["Kabul"]["lat"],
                        found["Kabul"]["lon"]) < 20


def test_geoparse_does_not_modify_the_article() -> None:
    article = Article(doc_id="x", text=REPORT)
    geoparse_article(article)
    assert article.text == REPORT


def test_cli_geoparse_text_and_stdin(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    result = cli("geoparse", str(path))
    assert result.code == 0, result.err
    (doc,) = [json.loads(line) for line in result.out.splitlines()]
    assert doc["doc_id"] == str(path)
    places = _by_text(doc["places"])
    assert places["Kandahar"]["admin1"] == "Kandahar"
    assert places["Kabul"]["precision"] == "point"
    assert REPORT[places["Kabul"]["start"]:places["Kabul"]["end"]] == "Kabul"

    line = json.dumps({"id": "j1", "text": REPORT}).encode()
    result = cli("geoparse", "-", "--input-format", "jsonl", stdin=line)
    assert result.code == 0, result.err
    assert json.loads(result.out)["doc_id"] == "j1"


def test_cli_geoparse_bad_inputs(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(REPORT, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    result = cli("geoparse", str(empty), str(good), str(binary), str(tmp_path / "missing.txt"))
    assert result.code == 1
    assert [json.loads(line)["doc_id"] for line in result.out.splitlines()] == [str(good)]
    errors = [line for line in result.err.splitlines() if line.startswith("eventwatch: error:")]
    assert len(errors) == 3
    assert "3 input(s) failed" in result.err

    assert cli("geoparse", "--input-format", "pdf", str(good)).code == 2


def test_haversine_known_pair() -> None:
    # Paris (48.8566, 2.3522) to London (51.5074, -0.1278): 343.5 km on a 6371 km sphere.
    assert haversine_km(48.8566, 2.3522, 51.5074, -0.1278) == pytest.approx(343.6, abs=0.5)
    assert haversine_km(10.0, 20.0, 10.0, 20.0) == 0.0
    assert haversine_km(0.0, 0.0, 0.0, 180.0) == pytest.approx(math.pi * 6371.0088)


def test_auc_of_errors() -> None:
    assert auc_of_errors([0.0, 0.0, 0.0]) == 0.0
    assert auc_of_errors([MAX_ERROR_KM - 1] * 4) == pytest.approx(1.0)
    # Sorted ln(1+e) = [0, ln 101]; one trapezoid of width 1, divided by ln(20039) * 1.
    assert auc_of_errors([100.0, 0.0]) == pytest.approx(math.log(101) / 2 / math.log(20039))


def test_match_spans_one_to_one() -> None:
    gold = [GoldToponym(0, 5, "Kabul"), GoldToponym(3, 9, "ul Cit")]
    predicted = [{"start": 0, "end": 10}]
    assert match_spans(gold, predicted) == [0, None]
    assert match_spans([GoldToponym(0, 5, "Kabul")], [{"start": 5, "end": 9}]) == [None]


def test_read_lgl_and_score(tmp_path: Path) -> None:
    corpus = tmp_path / "tiny.xml"
    corpus.write_text(LGL_XML, encoding="utf-8")
    (article,) = read_lgl(corpus)
    assert [t.phrase for t in article.toponyms] == ["Kabul", "Herat", "Zorbluk"]
    assert all(article.text[t.start:t.end] == t.phrase for t in article.toponyms)

    # A stand-in geoparser: Kabul exact, Herat at the real city, Zorbluk not found, and one
    # prediction that matches no gold span.
    def fake(a: Article) -> list[dict[str, Any]]:
        return [
            {"text": "Kabul", "start": 13, "end": 18, "lat": 34.52813, "lon": 69.17233,
             "geonames_id": 1138958, "name": "Kabul", "country_code": "AF"},
            {"text": "Herat", "start": 40, "end": 45, "lat": 34.34817, "lon": 62.19967,
             "geonames_id": 1, "name": "Herat", "country_code": "AF"},
            {"text": "Monday", "start": 61, "end": 67, "lat": 0.0, "lon": 0.0,
             "geonames_id": 3, "name": "Monday", "country_code": "XX"},
        ]

    scores = score_documents([article], fake).to_dict()
    spans, res = scores["spans"], scores["resolution"]
    assert (spans["predicted"], spans["gold"], spans["matched"]) == (3, 3, 2)
    assert spans["precision"] == spans["recall"] == pytest.approx(66.7)
    assert res["geo_gold"] == 3 and res["resolved"] == 2 and res["missed"] == 1
    assert res["acc161"] == pytest.approx(33.3)  # Kabul only: Herat is ~222 km off
    assert res["acc161_matched"] == 50.0
    herat_km = haversine_km(36.34817, 62.19967, 34.34817, 62.19967)
    assert herat_km == pytest.approx(222.4, abs=0.5)
    assert res["mean_km"] == pytest.approx(herat_km / 2, abs=0.1)
    assert res["median_km"] == pytest.approx(herat_km / 2, abs=0.1)
    assert res["auc"] == pytest.approx(
        round(auc_of_errors([0.0, herat_km, MAX_ERROR_KM]), 3))
    assert res["id_acc"] == pytest.approx(66.7)
    assert scores["top_missed"] == [["Zorbluk", 1]]
    assert scores["top_spurious"] == [["Monday", 1]]


def test_eval_geoparse_cli(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    corpus = tmp_path / "tiny.xml"
    corpus.write_text(LGL_XML, encoding="utf-8")
    result = cli("eval", "geoparse", str(corpus), "--json")
    assert result.code == 0, result.err
    scores = json.loads(result.out)
    assert scores["docs"] == 1 and scores["spans"]["gold"] == 3
    assert scores["spans"]["matched"] >= 2  # Kabul and Herat are in the gazetteer
    assert scores["resolution"]["missed"] >= 1  # Zorbluk is in none
    table = cli("eval", "geoparse", str(corpus))
    assert table.code == 0 and "acc@161" in table.out


@pytest.mark.parametrize("content, message", [
    ("<articles><article docid='1'><text>x</text>", "not well-formed XML"),
    ("<docs/>", "not <articles>"),
    ("<articles/>", "no <article>"),
    ("<articles><article docid='1'><text>Kabul</text><toponyms><toponym><start>0</start>"
     "<end>50</end></toponym></toponyms></article></articles>", "outside the text"),
    ("<articles><article docid='1'><text>Kabul</text><toponyms><toponym><start>a</start>"
     "<end>5</end></toponym></toponyms></article></articles>", "toponym 1"),
])
def test_eval_geoparse_bad_file(cli: Callable[..., CliResult], tmp_path: Path, content: str,
                                message: str) -> None:
    corpus = tmp_path / "bad.xml"
    corpus.write_text(content, encoding="utf-8")
    result = cli("eval", "geoparse", str(corpus))
    assert result.code == 1
    assert result.err.startswith(f"eventwatch: error: {corpus}:") and message in result.err
    assert cli("eval", "geoparse", str(tmp_path / "missing.xml")).code == 1


def test_read_lgl_does_not_resolve_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    corpus = tmp_path / "xxe.xml"
    corpus.write_text(
        f'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<articles><article docid='1'><text>&x; Kabul</text></article></articles>",
        encoding="utf-8")
    (article,) = read_lgl(corpus)
    assert "TOPSECRET" not in article.text


def test_demonyms_are_country_places_in_geoparse_but_not_event_locations() -> None:
    from eventwatch import extract_text
    from eventwatch.geoparse import geoparse_article
    from eventwatch.sources import article_from_text

    text = ("Iraqi officials said gunmen killed two guards at a checkpoint in Kirkuk on Monday. "
            "The Pakistani Taliban were not involved.\n")
    places = geoparse_article(article_from_text(text, "demonyms"))
    iraqi = next(p for p in places if p["text"] == "Iraqi")
    assert (iraqi["country_code"], iraqi["feature"], iraqi["precision"]) == ("IQ", "country",
                                                                             "country")
    assert not any(p["text"] == "Pakistani" for p in places)  # part of an actor's name
    (event,) = extract_text(text, published="2025-03-04").events
    assert event.location.name == "Kirkuk"
