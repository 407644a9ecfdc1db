from __future__ import annotations

from eventwatch.clean import clean_text

PAGE = """World

Gunmen attack a bus depot

A picture taken May 2 shows the depot gates. [Jo Roe/Agency]

A picture taken May 2 shows the depot gates. [Jo Roe/Agency]

CITY -- Gunmen attacked a bus depot on Tuesday, police said.

Share this article

Was this article helpful?

3 Comments

Great piece

Reply
"""


def test_repeated_caption_kept_once_and_marked() -> None:
    cleaned = clean_text(PAGE)
    assert cleaned.text.count("A picture taken May 2") == 1
    (caption,) = cleaned.captions
    assert cleaned.text[caption.start:caption.end] == caption.text
    assert caption.text.startswith("A picture taken May 2")
    assert cleaned.removed["repeated-paragraph"] == 1


def test_comment_section_and_furniture_removed() -> None:
    cleaned = clean_text(PAGE)
    for gone in ("Share this article", "helpful", "Comments", "Great piece", "Reply"):
        assert gone not in cleaned.text
    assert cleaned.text.endswith("police said.")
    assert cleaned.removed["comment-section"] == 1


def test_wrapped_prose_is_joined_not_split() -> None:
    cleaned = clean_text("The attack happened\nnear the market on Monday.\n\nSecond paragraph.")
    assert cleaned.text == "The attack happened near the market on Monday.\n\nSecond paragraph."
