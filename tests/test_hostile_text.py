"""Article text is hostile input: whatever it holds, extraction neither crashes nor invents spans.

Seeded random mutations of real fixture text (so failures reproduce), plus pathological pages.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES
from eventwatch import extract_text
from eventwatch.errors import InputError
from eventwatch.sources import read_document

NOISE = ["\x00", "\x07", "\u200b", "\u202e", "\ufeff", "“", "”", '"', ";", "\n\n", " -- ",
         "ISIS-K", "killed 1,000,000,000", "at least", "Kabul", "province", "—", "؛", "喀布尔",
         "𝕂𝕒𝕓𝕦𝕝", "e\u0301", "\t", "<script>alert(1)</script>", "' OR 1=1 --", "%s%n", "{{x}}"]


def _mutate(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(5, 60)):
        where = rng.randrange(len(chars) + 1)
        action = rng.random()
        if action < 0.5:
            chars.insert(where, rng.choice(NOISE))
        elif action < 0.8 and chars:
            del chars[min(where, len(chars) - 1)]
        else:
            chars.insert(where, "x" * rng.randint(1, 5000))  # very long tokens
    return "".join(chars)


def _spans(event: dict[str, Any]) -> list[dict[str, Any]]:
    spans = [event["date"]["span"], event["location"]["span"], event["fatalities"]["span"],
             event["injured"]["span"], *event["evidence"]]
    spans += [p for role in ("perpetrators", "victims", "targets", "weapons") for p in event[role]]
    return [s for s in spans if s]


@pytest.mark.parametrize("seed", range(12))
def test_mutated_articles_never_crash_and_spans_stay_exact(seed: int) -> None:
    rng = random.Random(seed)
    sources = sorted((FIXTURES / "articles").glob("*.txt"))
    text = _mutate(rng.choice(sources).read_text(encoding="utf-8"), rng)
    try:
        result = extract_text(text, published="2025-06-01", doc_id=f"mutant-{seed}")
    except InputError:
        return  # refusing with a reason is allowed; crashing is not
    cleaned = result.article.text
    for event in (e.to_dict() for e in result.events):
        for span in _spans(event):
            assert cleaned[span["start"]:span["end"]] == span["text"]
        fatalities = event["fatalities"]
        assert fatalities["best"] is None or fatalities["best"] >= 0


def test_deeply_nested_html_is_refused_or_read(tmp_path: Path) -> None:
    page = ("<html><body>" + "<div>" * 20000 + "<p>Gunmen killed two guards in Kandahar on "
            "Monday, police said.</p>" + "</div>" * 20000 + "</body></html>").encode()
    items = list(read_document(page, "nested.html", "html", None))
    assert len(items) == 1  # one answer: an article or an error naming the input


def test_a_page_of_only_scripts_and_styles_has_no_text() -> None:
    page = b"<html><head><style>p{}</style></head><body><script>var a=1;</script></body></html>"
    (item,) = list(read_document(page, "scripts.html", "html", None))
    assert isinstance(item, InputError) and "scripts.html" in str(item)


def test_light_noise_does_not_blind_the_extractor() -> None:
    """The mutations above must leave most articles readable, or they would test nothing."""
    found = 0
    for seed in range(12):
        rng = random.Random(seed)
        sources = sorted((FIXTURES / "articles").glob("*.txt"))
        text = _mutate(rng.choice(sources).read_text(encoding="utf-8"), rng)
        try:
            found += bool(extract_text(text, published="2025-06-01").events)
        except InputError:
            continue
    assert found >= 6
