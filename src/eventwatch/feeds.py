"""RSS and Atom feeds: the items a feed lists, parsed defensively.

feedparser is lenient with broken markup, which is what real feeds need, but a feed is hostile
input: one that declares XML entities is refused before any parser sees it (an entity-expansion
bomb needs declarations; genuine feeds have none). Only http(s) links are kept.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import errors
from .models import content_hash

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)
_DOCTYPE_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[", re.I)


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed; ``key`` identifies it across polls (its guid, else its link)."""

    key: str
    link: str
    title: str | None
    published: dt.date | None


@dataclass(frozen=True, slots=True)
class Feed:
    title: str | None
    items: list[FeedItem]


def _date_of(entry: dict[str, object]) -> dt.date | None:
    for name in ("published_parsed", "updated_parsed"):
        value = entry.get(name)
        if value is not None:
            try:
                return dt.date(value[0], value[1], value[2])  # type: ignore[index]
            except (TypeError, ValueError, IndexError):
                continue
    return None


def _problem(parsed: dict[str, object]) -> str:
    problem = parsed.get("bozo_exception")
    return f" ({problem})" if problem else ""


def parse_feed(data: bytes, source: str) -> Feed:
    """The items of the RSS/Atom document ``data``; raises ``FeedError`` for unusable feeds."""
    import feedparser

    if not data.strip():
        raise errors.FeedError(source, "the feed is empty")
    head = data[:65536]
    if _ENTITY_DECL.search(data) or _DOCTYPE_SUBSET.search(head):
        raise errors.FeedError(source, "the feed declares XML entities (a DOCTYPE internal "
                               "subset); refused to rule out entity-expansion attacks")
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not parsed.get("version") and not entries:
        raise errors.FeedError(source, "not a valid RSS or Atom feed" + _problem(parsed))
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in entries:
        link = str(entry.get("link") or "").strip()
        if not link.lower().startswith(("http://", "https://")):
            continue
        key = str(entry.get("id") or link).strip()
        if len(key) > 2048:
            key = "sha:" + content_hash(key)
        if key in seen:
            continue
        seen.add(key)
        title = entry.get("title")
        items.append(FeedItem(key=key, link=link,
                              title=str(title)[:1000] if title else None,
                              published=_date_of(entry)))
    if not items and parsed.get("bozo"):
        # Broken markup is forgiven when items can still be read, as feed readers do.
        raise errors.FeedError(source, "not a valid RSS or Atom feed" + _problem(parsed))
    feed_title = parsed.get("feed", {}).get("title")
    return Feed(title=str(feed_title) if feed_title else None, items=items)
