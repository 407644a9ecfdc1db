"""The extraction pipeline: a list of pure stages over one document's state.

Each stage declares what it ``requires`` and what it ``assigns``; ``Pipeline`` checks at build
time that every requirement is assigned upstream (as spaCy's ``analyze_pipes`` does), so a
misordered pipeline fails at once, not on the thousandth document. Stages hold no state of their
own: the shared, read-only resources (spaCy model, gazetteer, actor catalogue) load once per
process, so a local process pool and a Spark executor run the very same code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from . import errors
from .actors import ActorMention, load_catalogue
from .events import Mention, Resources, build_mentions, merge_mentions, to_events
from .gazetteer import load_gazetteer
from .geocode import (
    ResolvedPlace,
    dominant_country,
    find_toponyms,
    person_spans,
    resolve_toponyms,
)
from .models import Article, DocumentResult, Event
from .nlp import is_uncased, load_nlp
from .registry import register
from .settings import Settings, load_settings
from .sources import article_from_text

_PLACE_LABELS = {"GPE", "LOC", "FAC"}


@dataclass(slots=True)
class DocState:
    """What the stages know about one document; each field is assigned by one stage."""

    article: Article
    doc: Any = None
    uncased: bool = False
    actors: list[ActorMention] = field(default_factory=list)
    places: list[ResolvedPlace] = field(default_factory=list)
    # Places inside organisations' names ("Texas Department of Public Safety"): the geoparser
    # reports them, the event stages do not locate anything with them.
    named_places: list[ResolvedPlace] = field(default_factory=list)
    country: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    func: Callable[[DocState, Resources], None]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


def _parse(state: DocState, res: Resources) -> None:
    state.uncased = is_uncased(state.article.text)
    state.doc = res.nlp(state.article.text)


def _actors(state: DocState, res: Resources) -> None:
    state.actors = res.actors.find(state.article.text, uncased=state.uncased)


def _places(state: DocState, res: Resources) -> None:
    text = state.article.text
    entity_spans = [(e.start_char, e.end_char) for e in state.doc.ents if e.label_ in _PLACE_LABELS]
    # Place names inside group names ("... of Iraq and Syria Khorasan branch") and people's
    # names ("Sayed Hossein Safi") are not places.
    exclude = [(a.span.start, a.span.end) for a in state.actors]
    doubtful: list[tuple[int, int]] = []
    surnames: set[str] = set()
    if not state.uncased:  # without capitals spaCy's person entities are guesses
        names, doubtful = person_spans([(e.start_char, e.end_char, e.text)
                                        for e in state.doc.ents if e.label_ == "PERSON"])
        exclude += names
        # "Jason Terrell Jones" ... "Jones' girlfriend": later mentions of a person's surname.
        surnames = {text[s:e].split()[-1] for s, e in names}
    toponyms = find_toponyms(text, res.gazetteer, entity_spans, uncased=state.uncased,
                             exclude=exclude, doubtful=doubtful, surnames=surnames)
    resolved = resolve_toponyms(text, toponyms, res.gazetteer)
    state.places = [p for p in resolved if not p.embedded]
    state.named_places = [p for p in resolved if p.embedded]
    state.country = dominant_country(text, toponyms, res.gazetteer)


def _mentions(state: DocState, res: Resources) -> None:
    state.actors = res.actors.for_country(state.actors, state.country)
    state.mentions = build_mentions(state.article, state.doc, res, uncased=state.uncased,
                                    places=state.places, named=state.actors)


def _events(state: DocState, res: Resources) -> None:
    incidents = merge_mentions(state.mentions)
    state.events = to_events(state.article, incidents, res, state.country)


DEFAULT_STAGES = (
    Stage("parse", _parse, ("article",), ("doc", "uncased")),
    Stage("actors", _actors, ("article", "uncased"), ("actors",)),
    Stage("places", _places, ("doc", "actors"), ("places", "named_places", "country")),
    Stage("mentions", _mentions, ("doc", "places", "actors", "country"), ("mentions",)),
    Stage("events", _events, ("mentions", "country"), ("events",)),
)


class Pipeline:
    """Runs the stages in order over each article."""

    def __init__(self, resources: Resources, stages: Iterable[Stage] = DEFAULT_STAGES) -> None:
        self.resources = resources
        self.stages = tuple(stages)
        assigned = {"article"}
        for stage in self.stages:
            missing = set(stage.requires) - assigned
            if missing:
                raise ValueError(f"stage {stage.name!r} requires {sorted(missing)}, which no "
                                 f"earlier stage assigns")
            assigned |= set(stage.assigns)

    def __call__(self, article: Article) -> DocumentResult:
        state = DocState(article)
        for stage in self.stages:
            stage.func(state, self.resources)
        return DocumentResult(article, state.events)


@lru_cache(maxsize=2)
def _resources(model: str, actors_file: str | None, places_file: str | None) -> Resources:
    return Resources(nlp=load_nlp(model), gazetteer=load_gazetteer(places_file),
                     actors=load_catalogue(actors_file))


@register("extractors", "eventwatch.extractor.rules.v1")
def rules_pipeline(settings: Settings | None = None) -> Pipeline:
    """The rule-based extractor over spaCy, the gazetteer and the actor catalogue."""
    settings = settings or load_settings()
    return Pipeline(_resources(settings.spacy_model, settings.actors_file or None,
                               settings.places_file or None))


def truncate_article(article: Article, limit: int) -> Article:
    """``article`` cut to ``limit`` characters at a paragraph break where one is near; a copy, so
    the caller's article (and any span computed on it) is never changed."""
    if len(article.text) <= limit:
        return article
    cut = article.text.rfind("\n\n", 0, limit)
    return dataclasses.replace(article, text=article.text[: cut if cut > limit // 2 else limit])


def extract_article(article: Article, settings: Settings | None = None) -> DocumentResult:
    """Events of one article (the Python API behind ``eventwatch extract``)."""
    settings = settings or load_settings()
    return rules_pipeline(settings)(truncate_article(article, settings.max_text_chars))


def extract_text(text: str, *, published: dt.date | str | None = None, doc_id: str = "<text>",
                 title: str | None = None, settings: Settings | None = None) -> DocumentResult:
    """Clean ``text`` and extract its events: ``extract_text(open(p).read(), published=...)``."""
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    article = article_from_text(text, doc_id, title=title, published=published)
    return extract_article(article, settings)


def _work(args: tuple[Article, Settings]) -> DocumentResult | errors.EventwatchError:
    article, settings = args
    try:
        return extract_article(article, settings)
    except errors.EventwatchError as exc:
        return exc


def extract_many(items: Iterable[Article | errors.InputError], settings: Settings
                 ) -> Iterator[DocumentResult | errors.InputError]:
    """Results in input order; input errors pass through; ``settings.workers`` processes."""
    if settings.workers <= 1:
        for item in items:
            if isinstance(item, errors.InputError):
                yield item
                continue
            try:
                yield extract_article(item, settings)
            except errors.InputError as exc:
                yield exc
        return
    with ProcessPoolExecutor(max_workers=settings.workers) as pool:
        buffered: list[Article | errors.InputError] = []

        def flush() -> Iterator[DocumentResult | errors.InputError]:
            work = [(i, settings) for i in buffered if isinstance(i, Article)]
            results = iter(pool.map(_work, work, chunksize=4))
            for item in buffered:
                if isinstance(item, errors.InputError):
                    yield item
                    continue
                result = next(results)
                if isinstance(result, errors.EventwatchError):
                    yield errors.InputError(item.doc_id, result.message)
                else:
                    yield result
            buffered.clear()

        # Bounded batches keep memory flat however long the input is.
        for item in items:
            buffered.append(item)
            if len(buffered) >= 64:
                yield from flush()
        yield from flush()
