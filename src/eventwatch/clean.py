"""Cleaning of scraped article text: the first stage after reading.

Scrapers keep page furniture that would otherwise become false events or duplicate ones: a photo
caption printed twice, reader polls, share prompts, comment widgets and their "Reply" buttons.
This stage removes verbatim repeats, cuts the comment section, drops furniture lines, and marks
captions (kept once) so that extraction skips them. Everything downstream refers to the cleaned
text's character offsets.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .models import Span

# A line that opens a comment section: everything after it is readers' words, not the article.
_COMMENTS_START = re.compile(
    r"^(\d+\s+comments?|comments?\s*(\(\d+\))?|comment policy\b.*|leave a (reply|comment)\b.*|"
    r"post a comment\b.*|add a comment\b.*|join the (conversation|discussion)\b.*|"
    r"comments are closed\.?|show comments?|view comments?)$",
    re.IGNORECASE,
)
# Single furniture lines dropped wherever they stand.
_FURNITURE_LINE = re.compile(
    r"^(do you like this article\??|was this (article|story) (helpful|useful)\??|"
    r"did you (like|enjoy) this (article|story)\??|rate this (article|story)|yes|no|reply|"
    r"share( this( article| story)?)?|share on (facebook|twitter|x|whatsapp|linkedin)|"
    r"tweet|print|e-?mail|advertisement|sponsored|read more|related( articles| stories)?:?|"
    r"subscribe( to our newsletter)?|sign up for our newsletter\.?|skip to (main )?content|"
    r"click here to subscribe\.?|copyright\b.*|©.*|all rights reserved\.?)$",
    re.IGNORECASE,
)
# Photo captions: "A photograph taken ... shows ...", "Photo: ...", or a trailing "[Credit/Agency]".
_CAPTION = re.compile(
    r"^(an? (photo(graph)?|picture|image|file photo) (taken|shows|dated|from)\b|"
    r"(photo|picture|image|file photo)\s*[:|-]|.*\[[^\]]{2,60}/(afp|ap|reuters|getty|epa|"
    r"anadolu|xinhua|[A-Za-z ]{2,30})\]$|.*\((photo|picture|image)[^)]*\)$)",
    re.IGNORECASE,
)


@dataclass(slots=True)
class CleanText:
    text: str
    captions: list[Span] = field(default_factory=list)
    removed: Counter[str] = field(default_factory=Counter)


def _paragraphs(raw: str) -> list[str]:
    """Paragraphs of ``raw``: blank-line separated blocks, else lines when there are none."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    blocks = re.split(r"\n\s*\n", raw) if re.search(r"\n\s*\n", raw) else raw.split("\n")
    out = []
    for block in blocks:
        # Lines inside a block are wrapped prose unless they look like separate furniture lines.
        lines = [" ".join(line.split()) for line in block.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        if any(_FURNITURE_LINE.match(line) or _COMMENTS_START.match(line) for line in lines):
            out.extend(lines)
        else:
            out.append(" ".join(lines))
    return out


def clean_text(raw: str, known_captions: list[str] | None = None) -> CleanText:
    """Cleaned text of ``raw`` with caption spans and counts of what was removed, by reason."""
    removed: Counter[str] = Counter()
    kept: list[str] = []
    caption_flags: list[bool] = []
    seen: set[str] = set()
    known = {" ".join(c.split()) for c in known_captions or []}
    for para in _paragraphs(raw):
        if _COMMENTS_START.match(para):
            removed["comment-section"] += 1
            break
        if _FURNITURE_LINE.match(para):
            removed["furniture-line"] += 1
            continue
        if para in seen:
            removed["repeated-paragraph"] += 1
            continue
        seen.add(para)
        kept.append(para)
        caption_flags.append(para in known or bool(_CAPTION.match(para)))

    text_parts: list[str] = []
    captions: list[Span] = []
    offset = 0
    for para, is_caption in zip(kept, caption_flags, strict=True):
        if text_parts:
            offset += 2
        if is_caption:
            captions.append(Span(offset, offset + len(para), para))
        text_parts.append(para)
        offset += len(para)
    return CleanText(text="\n\n".join(text_parts), captions=captions, removed=removed)
