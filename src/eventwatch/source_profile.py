"""Where a news source's stories are: a weak prior for namesakes, learnt from its earlier articles.

A local paper writes "Richmond" or "Alexandria" without a state because its readers know which
one it means; the story alone cannot say, but the source can. A ``SourceProfile`` counts, over
the articles of one source that came *before* the one being read, the first-level divisions
those articles placed surely (see ``sure_units``): a state named outright, a town written with
its state ("Greer, S.C."), a name only one division has a place of ("Rapides Parish"). Only
article text and our own resolutions are used, and each article is learnt after it is read, so
nothing informs itself. ``home`` turns the counts into shares the resolver adds, weakly, to
local namesakes in those divisions, and only for a story that names no division itself
(``geocode.resolve_toponyms``).

Keeping profiles in the store (not implemented): a table ``source_profile(source, articles,
units_json, updated)`` keyed like ``source_key``, read before an article is extracted and
updated in the same transaction that stores its events, in arrival order, so a restarted
ingest continues where it stopped and two workers of one source serialise on the row.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .gazetteer import Gazetteer, normalise
from .models import Article
from .toponyms import Unit

__all__ = ["SourceProfile", "SourceProfiles", "source_key", "sure_units"]

MIN_ARTICLES = 1  # earlier articles with a sure place before a profile says anything
MIN_SHARE = 0.3  # share of them a division needs to count as the source's home
_LOCAL = frozenset({"city", "admin2", "neighbourhood"})
_CONTAINER_GAP = re.compile(r",\s*")


def source_key(article: Article) -> str | None:
    """The source of an article: its URL's host without "www.", else its site name (also when
    the URL cannot be parsed)."""
    for url in (article.url, article.fetched_url):
        if url:
            try:
                host = (urlsplit(url).hostname or "").lower()
            except ValueError:  # "http://[bad": no host to learn under; the text is still read
                continue
            if host:
                return host.removeprefix("www.")
    return article.site_name.strip().lower() if article.site_name else None


def _unit(place: Mapping[str, Any]) -> Unit | None:
    code, admin1 = place.get("country_code"), place.get("admin1")
    return (str(code), str(admin1)) if code and admin1 else None


def sure_units(text: str, places: Sequence[Mapping[str, Any]], gaz: Gazetteer) -> set[Unit]:
    """The first-level divisions an article's resolved places (geoparser output, in text
    order) put it in surely: a division named outright, a local place written with its
    division next to it, or a local place whose name no other division has a place of."""
    units: set[Unit] = set()
    for n, place in enumerate(places):
        unit = _unit(place)
        if unit is None:
            continue
        if place.get("feature") == "admin1":
            units.add(unit)
            continue
        if place.get("feature") not in _LOCAL:
            continue
        after = places[n + 1] if n + 1 < len(places) else None
        if after is not None and after.get("feature") == "admin1" and _unit(after) == unit \
                and _CONTAINER_GAP.fullmatch(text, int(place["end"]), int(after["start"])):
            units.add(unit)  # "Greer, S.C."
            continue
        namesakes = {(gaz.places[i].country_code, gaz.places[i].admin1 or "")
                     for i in gaz.names.get(normalise(str(place["text"])))
                     if gaz.places[i].feature in _LOCAL}
        if namesakes == {unit}:
            units.add(unit)
    return units


@dataclass(slots=True)
class SourceProfile:
    """What one source's earlier articles said about where its stories are."""

    source: str
    articles: int = 0  # articles learnt from that had at least one sure division
    units: Counter[Unit] = field(default_factory=Counter)  # such articles per division

    def learn(self, text: str, places: Sequence[Mapping[str, Any]], gaz: Gazetteer) -> None:
        """Add one article (after it was resolved): each sure division counts once."""
        units = sure_units(text, places, gaz)
        if units:
            self.articles += 1
            self.units.update(units)

    def home(self) -> dict[Unit, float]:
        """The divisions that a good share of the source's articles were surely in, with that
        share; nothing until ``MIN_ARTICLES`` articles have been learnt."""
        if self.articles < MIN_ARTICLES:
            return {}
        return {unit: count / self.articles for unit, count in self.units.items()
                if count / self.articles >= MIN_SHARE}


@dataclass(slots=True)
class SourceProfiles:
    """Profiles by source, built online: read an article with ``for_article``'s profile,
    then ``learn`` from it, in the order the articles arrived."""

    profiles: dict[str, SourceProfile] = field(default_factory=dict)

    def for_article(self, article: Article) -> SourceProfile | None:
        key = source_key(article)
        if key is None:
            return None
        return self.profiles.setdefault(key, SourceProfile(key))

    def learn(self, article: Article, places: Sequence[Mapping[str, Any]],
              gaz: Gazetteer) -> None:
        profile = self.for_article(article)
        if profile is not None:
            profile.learn(article.text, places, gaz)
