"""Geoparsing on its own: every place an article names, resolved against the gazetteer.

This is the ``parse`` → ``actors`` → ``places`` prefix of the extraction pipeline (see
``pipeline.DEFAULT_STAGES``), run with the same shared resources, so the places reported here are
those the event stages see, plus adjectives of nationality ("Iraqi officials") and places inside
institutions' names ("Gainesville Police Department"), which name a place but do not locate an
event. The parse stage runs spaCy's entity recogniser only (see ``_parse_entities``).
"""

from __future__ import annotations

from typing import Any

from .events import Resources
from .geocode import find_demonyms, to_location
from .models import Article
from .nlp import is_uncased
from .pipeline import DocState, Pipeline, Stage, rules_pipeline, truncate_article
from .settings import Settings, load_settings
from .source_profile import SourceProfile

__all__ = ["PLACE_FIELDS", "STAGES", "geoparse_article"]

STAGES = ("parse", "actors", "places")
PLACE_FIELDS = ("text", "start", "end", "name", "geonames_id", "lat", "lon", "country_code",
                "admin1", "admin2", "feature", "precision")


def _parse_entities(state: DocState, res: Resources) -> None:
    """The ``parse`` stage with only spaCy's entity recogniser.

    The places stage reads nothing but ``doc.ents``, and ``en_core_web_sm``'s NER has its own
    token-to-vector layer, so the tagger, parser and lemmatizer (over half the time) can be
    skipped; entities agree with the full parse except where a sentence boundary moves one.
    """
    state.uncased = is_uncased(state.article.text)
    nlp = res.nlp
    state.doc = nlp(state.article.text, disable=[p for p in nlp.pipe_names if p != "ner"])


def _geoparser(settings: Settings) -> Pipeline:
    """The extraction pipeline cut after its ``places`` stage (resources are shared, cached)."""
    full = rules_pipeline(settings)
    stages = [stage for stage in full.stages if stage.name in STAGES]
    if [stage.name for stage in stages] != list(STAGES):
        raise RuntimeError(f"the extraction pipeline no longer has the stages {STAGES}")
    parse = stages[0]
    stages[0] = Stage(parse.name, _parse_entities, parse.requires, parse.assigns)
    return Pipeline(full.resources, stages)


def geoparse_article(article: Article, settings: Settings | None = None,
                     profile: SourceProfile | None = None) -> list[dict[str, Any]]:
    """Resolved places of ``article`` in text order, one dict per toponym (``PLACE_FIELDS``).

    ``start``/``end`` are character offsets into ``article.text``; ``precision`` is point, admin2,
    admin1 or country. Text beyond ``max_text_chars`` is not read (as in ``extract``), but the
    caller's article is never modified, so every span stays a substring of its text.
    ``profile``: what the article's source's earlier articles said about where its stories
    are, a weak prior for namesakes (see ``source_profile``); the caller learns from the
    result afterwards, if it wants to.
    """
    settings = settings or load_settings()
    article = truncate_article(article, settings.max_text_chars)
    pipeline = _geoparser(settings)
    state = DocState(article, home=profile.home() if profile is not None else {})
    for stage in pipeline.stages:
        stage.func(state, pipeline.resources)
    gazetteer = pipeline.resources.gazetteer
    found = state.places + state.named_places
    taken = [(p.span.start, p.span.end) for p in found]
    taken += [(a.span.start, a.span.end) for a in state.actors]
    # "Prime Minister Gilani" is a man, whatever province "Gilan" says.
    taken += [(e.start_char, e.end_char) for e in state.doc.ents if e.label_ == "PERSON"]
    if not state.uncased:
        found += find_demonyms(article.text, gazetteer, taken)
    places: list[dict[str, Any]] = []
    for resolved in sorted(found, key=lambda r: r.span.start):
        location = to_location(resolved, gazetteer)
        place = resolved.place
        places.append({
            "text": resolved.span.text,
            "start": resolved.span.start,
            "end": resolved.span.end,
            "name": place.name,
            "geonames_id": place.geonames_id,
            "lat": place.lat,
            "lon": place.lon,
            "country_code": place.country_code or None,  # regions across borders have none
            "admin1": location.admin1,
            "admin2": place.admin2,
            "feature": place.feature,
            "precision": "region" if place.feature == "region" else location.precision,
        })
    return places
