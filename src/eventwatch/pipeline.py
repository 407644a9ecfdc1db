"""The extraction pipeline: a list of pure stages over one document's state.

Each stage declares what it ``requires`` and what it ``assigns``; ``Pipeline`` checks at build
time that every requirement is assigned upstream (as spaCy's ``analyze_pipes`` does), so a
misordered pipeline fails at once, not on the thousandth document. Stages hold no state of their
own: the shared, read-only resources (spaCy model, gazetteer, actor catalogue) load once per
process, so a local process pool and a Spark executor run the very same code.
"""

from __future__ import annotations

import ctypes
import dataclasses
import datetime as dt
import itertools
import os
import signal
import sys
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
from .language import is_english
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
    # Where the article's source is at home (``source_profile.SourceProfile.home``): a weak
    # prior for namesakes the story itself does not place; empty when the source is unknown.
    home: dict[tuple[str, str], float] = field(default_factory=dict)
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
                             exclude=exclude, doubtful=doubtful, surnames=surnames,
                             homes=frozenset(state.home))
    resolved = resolve_toponyms(text, toponyms, res.gazetteer, state.home)
    # Places inside institutions' names and world regions ("the Middle East") are reported by
    # the geoparser but locate no event: "in the Middle East" is no place to map an attack.
    located = [not p.embedded and p.place.feature != "region" for p in resolved]
    state.places = [p for p, ok in zip(resolved, located, strict=True) if ok]
    state.named_places = [p for p, ok in zip(resolved, located, strict=True) if not ok]
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


_PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>
_POOL_MIN = 8
_BATCH = 32


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
    """Events of one article (the Python API behind ``eventwatch extract``).

    Articles detected as not English get no events (the rules and model are English-only).
    """
    settings = settings or load_settings()
    if not is_english(article.language):
        return DocumentResult(article, [])
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


def _die_with_parent() -> None:
    """Pool initializer: on Linux, ask the kernel to end this worker when its parent dies.

    A parent killed with SIGKILL cannot shut its pool down, and its workers, blocked on a queue
    whose other end their siblings still hold, would otherwise live on holding a model each.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)


def worker_count(settings: Settings) -> int:
    """Processes to use: the setting, where 0 means one per CPU core."""
    return settings.workers if settings.workers > 0 else max(1, os.cpu_count() or 1)


def _in_process(items: Iterable[Article | errors.InputError], settings: Settings
                ) -> Iterator[DocumentResult | errors.InputError]:
    for item in items:
        if isinstance(item, errors.InputError):
            yield item
            continue
        try:
            yield extract_article(item, settings)
        except errors.InputError as exc:
            yield exc


def extract_many(items: Iterable[Article | errors.InputError], settings: Settings
                 ) -> Iterator[DocumentResult | errors.InputError]:
    """Results in input order; input errors pass through; ``worker_count`` processes.

    A batch of fewer than ``_POOL_MIN`` articles runs in-process: starting workers (each loads
    the model) costs more than it saves.
    """
    workers = worker_count(settings)
    iterator = iter(items)
    head = list(itertools.islice(iterator, _POOL_MIN))
    if workers <= 1 or len(head) < _POOL_MIN:
        yield from _in_process(itertools.chain(head, iterator), settings)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent) as pool:
        buffered: list[Article | errors.InputError] = []

        def flush() -> Iterator[DocumentResult | errors.InputError]:
            work = [(i, settings) for i in buffered if isinstance(i, Article)]
            results = iter(pool.map(_work, work, chunksize=2))
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
        for item in itertools.chain(head, iterator):
            buffered.append(item)
            if len(buffered) >= _BATCH:
                yield from flush()
        yield from flush()
