"""Evidence segments of the event page, source fallbacks, and the TopoJSON outline decoder."""

from __future__ import annotations

from typing import Any

import records
from eventwatch.web import render
from eventwatch.web.outlines import decode_countries


def test_segments_cover_the_text_and_mark_each_field() -> None:
    result = records.afghanistan()
    event = result.events[0].to_dict()
    pieces = render.segments(records.AF_TEXT, render.marks(event))
    assert "".join(p.text for p in pieces) == records.AF_TEXT  # nothing lost or repeated
    fatal = [p.text for p in pieces if "fatalities" in p.fields]
    assert "".join(fatal) == "killed 14"  # "14" also belongs to the victims
    assert [p.text for p in pieces if "perpetrators" in p.fields] == ["ISIS-K"]
    # Inside the evidence passage every piece carries "evidence"; the second paragraph not.
    first, second = records.AF_TEXT.split("\n\n")
    assert all("evidence" in p.fields for p in pieces if p.text and p.text in first
               and p.fields)
    assert pieces[-1].fields == [] and pieces[-1].text.endswith(second[-20:])
    assert "hl-fatalities" in next(p.css for p in pieces if "fatalities" in p.fields)


def test_overlapping_spans_split_into_pieces_with_both_fields() -> None:
    text = "Gunmen killed seven traders today."
    spans = [render.Mark("fatalities", 7, 19, "killed seven"),
             render.Mark("victims", 14, 27, "seven traders")]
    pieces = [(p.text, p.fields) for p in render.segments(text, spans)]
    assert pieces == [("Gunmen ", []), ("killed ", ["fatalities"]),
                      ("seven", ["victims", "fatalities"]), (" traders", ["victims"]),
                      (" today.", [])]


def test_spans_that_do_not_fit_the_text_are_left_out() -> None:
    text = "A short text."
    spans = [render.Mark("date", 2, 7, "short"), render.Mark("location", 2, 7, "other"),
             render.Mark("victims", 5, 500, "")]
    pieces = render.segments(text, spans)
    assert [(p.text, p.fields) for p in pieces] == [("A ", []), ("short", ["date"]),
                                                    (" text.", [])]


def test_values_say_unknown_and_ranges() -> None:
    stored = records.stored_form(records.nigeria())[0]
    table = {name: value for name, _, value in render.values(stored)}
    assert table["fatalities"] == "30 (range 30–45)"
    assert table["injured"] is None
    assert table["date"] == "2024-03-04 – 2024-03-10 (week)"
    assert table["location"] == "Maiduguri, Maiduguri, Borno, Nigeria (point)"
    riot = records.stored_form(records.ivory_coast())[0]
    assert {n: v for n, _, v in render.values(riot)}["date"] == "--05-03 (year unknown)"


def test_sources_fall_back_to_the_single_source() -> None:
    stored: dict[str, Any] = records.stored_form(records.afghanistan())[0]
    single = render.sources(stored)
    assert len(single) == 1 and single[0]["url"] == records.AF_URL and single[0]["values"] is None
    merged = dict(stored, sources=[
        {"article_id": "a1", "url": "https://one.example", "values": {"fatalities": {"best": 3}}},
        {"article_id": "a2", "url": "https://two.example"},
        "not a source",
    ])
    listed = render.sources(merged)
    assert [s["article_id"] for s in listed] == ["a1", "a2"]
    assert listed[0]["values"] == {"fatalities": {"best": 3}} and listed[1]["values"] is None


def test_topojson_arcs_are_decoded_and_joined() -> None:
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
        # arc 0: (0,0) -> (2,0) -> (2,4); arc 1: (2,4) -> (0,0), both delta-encoded
        "arcs": [[[0, 0], [2, 0], [0, 4]], [[2, 4], [-2, -4]]],
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0, 1]], "id": "001", "properties": {"name": "A"}},
            {"type": "MultiPolygon", "arcs": [[[~1, ~0]]], "id": "002"},
            {"type": None},
        ]}},
    }
    a, b = decode_countries(topology)
    assert a == {"id": "001", "name": "A",
                 "rings": [[[10.0, 20.0], [11.0, 20.0], [11.0, 21.0], [10.0, 20.0]]]}
    # Reversed arcs walk the same ring the other way round.
    assert b["rings"] == [[[10.0, 20.0], [11.0, 21.0], [11.0, 20.0], [10.0, 20.0]]]
    assert b["name"] is None


def test_a_topology_without_countries_is_refused() -> None:
    import pytest

    with pytest.raises(ValueError, match="countries"):
        decode_countries({"type": "Topology", "objects": {"land": {}}, "arcs": []})
