"""The seed article: exactly the three incidents the issue names, with their values."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from eventwatch import extract_article
from eventwatch.sources import iter_articles

GOLDEN = Path(__file__).parent / "golden" / "seed.jsonl"


def _seed_events(path: Path, published: dt.date | None) -> tuple[str, list[dict[str, Any]]]:
    (article,) = list(iter_articles([str(path)], published=published))
    assert not isinstance(article, Exception), article
    # A fixed identity, so that ids in the golden file do not depend on where the repo lives.
    article.doc_id, article.path = "isis-k-afghanistan.txt", None
    result = extract_article(article)
    return article.text, [e.to_dict() for e in result.events]


@pytest.fixture(scope="module")
def seed_events(seed_path: Path) -> tuple[str, list[dict[str, Any]]]:
    return _seed_events(seed_path, dt.date(2024, 11, 10))


def test_exactly_three_events(seed_events: tuple[str, list[dict[str, Any]]]) -> None:
    _, events = seed_events
    assert len(events) == 3
    months = sorted(e["date"]["start"] for e in events)
    assert months == ["2024-01-01", "2024-04-01", "2024-09-12"]


def _event(events: list[dict[str, Any]], start: str) -> dict[str, Any]:
    return next(e for e in events if e["date"]["start"] == start)


def _isisk(event: dict[str, Any]) -> None:
    names = {(p["name"], p["attribution"], p["kind"]) for p in event["perpetrators"]}
    assert ("Islamic State Khorasan Province", "stated", "organization") in names


def test_january_assault_in_dasht_e_barchi(seed_events: tuple[str, list[dict[str, Any]]]) -> None:
    _, events = seed_events
    event = _event(events, "2024-01-01")
    assert event["date"]["end"] == "2024-01-31"
    assert event["date"]["precision"] == "month"
    assert event["location"]["country_code"] == "AF"
    assert event["location"]["admin1"] == "Kabul"
    assert event["location"]["name"] == "Dasht-e-Barchi"
    assert event["fatalities"]["best"] is None
    assert event["event_type"] in ("Violence against civilians", "Explosions/Remote violence")
    _isisk(event)


def test_april_shooting_at_herat_mosque(seed_events: tuple[str, list[dict[str, Any]]]) -> None:
    _, events = seed_events
    event = _event(events, "2024-04-01")
    assert (event["date"]["end"], event["date"]["precision"]) == ("2024-04-30", "month")
    assert (event["location"]["country_code"], event["location"]["admin1"]) == ("AF", "Herat")
    assert event["fatalities"]["best"] == 6
    assert "six Shia" in [v["text"] for v in event["victims"]]
    assert "a Herat mosque" in [t["text"] for t in event["targets"]]
    assert (event["event_type"], event["sub_event_type"]) == ("Violence against civilians",
                                                               "Attack")
    assert event["attack_type"] == "Armed Assault"
    _isisk(event)


def test_september_slaughter_in_daikundi(seed_events: tuple[str, list[dict[str, Any]]]) -> None:
    _, events = seed_events
    event = _event(events, "2024-09-12")
    assert (event["date"]["end"], event["date"]["precision"]) == ("2024-09-12", "day")
    assert event["location"]["country_code"] == "AF"
    assert event["location"]["admin1"] in ("Daykundi", "Daikundi", "Dāykundī")
    assert event["fatalities"]["best"] == 14
    assert "14 civilians" in [v["text"] for v in event["victims"]]
    assert event["event_type"] == "Violence against civilians"
    _isisk(event)


def test_every_span_is_the_exact_substring(seed_events: tuple[str, list[dict[str, Any]]]) -> None:
    text, events = seed_events
    for event in events:
        spans = [event["date"]["span"], event["location"]["span"], event["fatalities"]["span"]]
        spans += [p for role in ("perpetrators", "victims", "targets", "weapons")
                  for p in event[role]]
        spans += event["evidence"]
        for span in filter(None, spans):
            assert text[span["start"]:span["end"]] == span["text"]


def test_no_event_from_caption_generic_statement_or_quotes(
        seed_events: tuple[str, list[dict[str, Any]]]) -> None:
    text, events = seed_events
    caption = text.index("A photograph taken April 22")
    generic = text.index("Since mid-2021")
    for event in events:
        for span in event["evidence"]:
            assert not span["start"] <= caption < span["end"]
            assert not span["start"] <= generic < span["end"]
            assert '"' not in span["text"]


def test_without_publication_date_the_year_stays_unknown(seed_path: Path) -> None:
    _, events = _seed_events(seed_path, None)
    assert len(events) == 3
    partials = sorted(e["date"]["partial"] for e in events)
    assert partials == ["--01", "--04", "--09-12"]
    for event in events:
        assert event["date"]["start"] is None and event["date"]["end"] is None
    assert {e["fatalities"]["best"] for e in events} == {None, 6, 14}


def test_stored_text_has_caption_once_and_no_comment_widget(seed_path: Path) -> None:
    (article,) = list(iter_articles([str(seed_path)]))
    assert not isinstance(article, Exception)
    assert article.text.count("A photograph taken April 22") == 1
    assert article.captions and article.captions[0].startswith("A photograph taken April 22")
    for furniture in ("Do you like this article", "Comment Policy", "Reply", "Excellent"):
        assert furniture not in article.text


def test_golden_output(seed_events: tuple[str, list[dict[str, Any]]], update_golden: bool) -> None:
    """The whole record, field for field; ``pytest --update-golden`` rewrites it after review."""
    _, events = seed_events
    lines = [json.dumps(e, sort_keys=True, ensure_ascii=False)
             for e in sorted(events, key=lambda e: e["id"])]
    if update_golden:
        GOLDEN.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert GOLDEN.exists(), "no golden file yet: run pytest --update-golden and review it"
    assert GOLDEN.read_text(encoding="utf-8").splitlines() == lines


def test_long_articles_are_cut_on_a_copy(seed_path: Path) -> None:
    """max_text_chars cuts at a paragraph break; the caller's article keeps its whole text."""
    from eventwatch.settings import load_settings

    (article,) = list(iter_articles([str(seed_path)], published=dt.date(2024, 11, 10)))
    assert not isinstance(article, Exception)
    whole = article.text
    limit = whole.index("The lack of serious intent") + 10  # just past the incidents' paragraph
    result = extract_article(article, load_settings({"max_text_chars": limit}))
    assert article.text == whole
    assert len(result.article.text) <= limit and result.article.text.endswith("province.")
    assert len(result.events) == 3
    for event in result.events:
        for span in event.evidence:
            assert result.article.text[span.start:span.end] == span.text
