"""MUC-4 role fillers and incident types from a small spaCy model trained on the MUC-4 train split.

One model file (``data/roles-muc4.bin``, built by ``tools/train_roles.py``) holds a spaCy pipeline
trained from scratch on lower-cased text: an entity recogniser whose labels are the five MUC-4
roles (PERPIND, PERPORG, TARGET, VICTIM, WEAPON) and a multi-label text classifier giving the
probability that the document reports an incident (RELEVANT), that it reports more than one
(SEVERAL) and of each incident type; with it the lexicon of training fillers, the context model
that scores each lexicon match (``roles_context``), the relevance model and the thresholds that
turn all of it into templates (chosen on a held-out part of the train split and on the files
given to ``--tune-also``). They travel in one file, so a retrained model never runs with stale
thresholds.

Text is lower-cased before tagging: the model has only seen lower-cased wire text, and modern
news then looks the same to it.
"""

from __future__ import annotations

import dataclasses
import gzip
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ModelMissing
from .evaluation.muc4 import ROLES, Template, normalise
from .registry import register
from .roles_context import FillerContext, Lexicon, lexicon_matches
from .settings import Settings, load_settings

MODEL_FILE = Path(__file__).parent / "data" / "roles-muc4.bin"
INCIDENT_TYPES = ("attack", "bombing", "kidnapping", "arson", "robbery", "forced work stoppage")
RELEVANT = "RELEVANT"
SEVERAL = "SEVERAL"
ROLE_OF_LABEL = {role.upper(): role for role in ROLES}
_FORMAT = "eventwatch-roles/1"


# How a report's incident types are chosen (``Thresholds.incident_type``): the text classifier's
# most probable type first, or the type most of its sentences name (``TYPE_CUES``), or the type
# its first incident sentence names; the other named types follow, most often named first.
TYPE_BY_CLASSIFIER, TYPE_MOST_NAMED, TYPE_FIRST_NAMED = 0, 1, 2
# Which fillers a report's templates hold when it has several (``Thresholds.fill``): those of the
# sentences naming the template's type; those plus every perpetrator of the report (the same
# group usually commits all of them); or every filler of the report in each template.
FILL_OWN_SENTENCES, FILL_SHARED_PERPETRATORS, FILL_ALL = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Decision rules tuned with the model (``tools/train_roles.py``)."""

    # Relevance (``DocRoles.relevance``) from which a document gets templates at all.
    relevant: float = 0.5
    # Relevance a document needs when none of its sentences names an incident type (> 1: such
    # a document never gets a template).
    unnamed: float = 0.0
    # Lexicon fillers (see ``RoleModel.lexicon``) are kept from this prior on (> 1: never);
    # ``lexicon_by_role`` overrides it per role, in the order of ``ROLES`` (< 0: no override).
    lexicon: float = 1.01
    lexicon_by_role: tuple[float, ...] = (-1.0,) * len(ROLES)
    incident_type: int = TYPE_BY_CLASSIFIER
    # At most this many templates per document, one per incident type named.
    max_templates: int = 1
    fill: int = FILL_ALL
    # P(SEVERAL) from which a report naming a single type gets two templates of it (> 1: never).
    # Paired with a second gold template of that type it gains its type and fillers; unpaired
    # it costs precision.
    several: float = 1.01
    # At most this many fillers per role (0: no limit), the most often tagged first: a template
    # rarely has more than two of a role, and each extra guess costs precision.
    max_fillers: int = 0

    def to_dict(self) -> dict[str, Any]:
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return {name: list(v) if isinstance(v, tuple) else v for name, v in values.items()}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Thresholds:
        """Thresholds as packed; names this version does not know (an older file) are ignored."""
        known = {f.name for f in dataclasses.fields(cls)}
        kept: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v
                                for k, v in values.items() if k in known}
        return cls(**kept)

    def lexicon_floor(self, role: str) -> float:
        own = self.lexicon_by_role[ROLES.index(role)]
        return self.lexicon if own < 0 else own


@dataclass(frozen=True, slots=True)
class RoleSpan:
    """One tagged role filler: its role and its characters in the (original) text."""

    role: str
    start: int
    end: int
    text: str
    # None for the network's spans; for a lexicon match, the probability that it fills this
    # role here (``roles_context``), or without a context model the share of training
    # documents containing the string in which it filled this role.
    prior: float | None = None


@dataclass(slots=True)
class DocRoles:
    """What the model says about one document."""

    # P(the document reports an incident): the relevance model's (``Relevance``) when the
    # model file has one, else the text classifier's (``classified``).
    relevance: float
    types: dict[str, float]
    spans: list[RoleSpan] = field(default_factory=list)
    length: int = 0  # of the text, in characters
    several: float = 0.0
    # (start, end, incident type named or None) of each sentence; see ``sentence_cues``.
    sentences: list[tuple[int, int, str | None]] = field(default_factory=list)
    classified: float = 0.0  # the text classifier's P(RELEVANT)

    def named_types(self) -> Counter[str]:
        """How many sentences name each incident type."""
        return Counter(kind for _, _, kind in self.sentences if kind)

    def ranked_types(self) -> list[str]:
        """Incident types, most probable first (ties: the commoner type in MUC-4 first)."""
        return sorted(INCIDENT_TYPES, key=lambda kind: -self.types.get(kind, 0.0))




@dataclass(frozen=True, slots=True)
class Relevance:
    """P(the document reports an incident) from what the model read in it: a logistic model
    over the text classifier's output and the evidence the other parts found (sentences naming
    an incident, tagged fillers, the lexicon's priors). Fitted on the held-out tenth of train
    (``roles_train.fit_relevance``); the classifier alone ranks reports less well there."""

    weights: tuple[float, ...]
    bias: float

    @staticmethod
    def features(reading: DocRoles) -> list[float]:
        named = [i for i, (_, _, kind) in enumerate(reading.sentences) if kind]
        tagged = sum(1 for span in reading.spans if span.prior is None)
        priors = [span.prior for span in reading.spans if span.prior is not None]
        return [reading.classified, reading.several, max(reading.types.values(), default=0.0),
                len(named) / max(1, len(reading.sentences)),
                min(named[0] if named else 20, 20) / 20,
                math.log1p(tagged), math.log1p(sum(1 for p in priors if p >= 0.5)),
                max(priors, default=0.0), math.log1p(reading.length) / 10]

    def probability(self, reading: DocRoles) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, self.features(reading),
                                                  strict=True))
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def pack_model(nlp: Any, thresholds: Thresholds, path: Path, meta: dict[str, Any],
               lexicon: Lexicon, relevance: Relevance | None = None,
               context: FillerContext | None = None) -> None:
    """Write ``nlp`` (config + weights), its thresholds, lexicon, relevance and context models
    to one gzip'd msgpack file."""
    import srsly

    payload = {"format": _FORMAT, "config": nlp.config.to_str(), "weights": nlp.to_bytes(),
               "thresholds": thresholds.to_dict(), "meta": meta,
               "lexicon": {key: list(value) for key, value in sorted(lexicon.items())},
               "relevance": None if relevance is None else
               {"weights": list(relevance.weights), "bias": relevance.bias},
               "context": None if context is None else dict(sorted(context.weights.items()))}
    # mtime=0: the same model gives the same bytes.
    path.write_bytes(gzip.compress(srsly.msgpack_dumps(payload), mtime=0))


class RoleModel:
    """The loaded pipeline, thresholds and lexicon; ``templates`` is what ``eval muc4`` scores.

    The lexicon holds the gold filler strings of the training documents with their role and
    prior. The network sees a few words either side; the lexicon remembers that "fmln" or
    "dynamite" fill a role in most reports that mention them, wherever they stand; the context
    model (when the file has one) tells where they do.
    """

    def __init__(self, nlp: Any, thresholds: Thresholds, meta: dict[str, Any],
                 lexicon: Lexicon | None = None, relevance: Relevance | None = None,
                 context: FillerContext | None = None) -> None:
        self.nlp, self.thresholds, self.meta = nlp, thresholds, meta
        self.lexicon = lexicon or {}
        self.relevance, self.context = relevance, context
        self._longest = max((key.count(" ") + 1 for key in self.lexicon), default=0)

    def _lexicon_spans(self, doc: Any, original: str,
                       sentences: list[tuple[int, int, str | None]]) -> list[RoleSpan]:
        words = [token.text for token in doc]
        matches = lexicon_matches(words, self.lexicon, self._longest)
        if self.context is not None and matches:
            priors = self.context.score(words, token_sentences(doc, sentences), matches)
        else:
            priors = [match.prior for match in matches]
        spans = []
        for match, prior in zip(matches, priors, strict=True):
            first, last = doc[match.start].idx, doc[match.end - 1].idx + len(doc[match.end - 1])
            spans.append(RoleSpan(match.role, first, last, original[first:last], round(prior, 3)))
        return spans

    def tag(self, texts: Iterable[str], batch_size: int = 16) -> Iterator[DocRoles]:
        """The model's reading of each text (spans carry offsets into the text as given)."""
        # Lower-casing keeps character offsets for the scripts MUC-4 and our news use; where it
        # would not (a few ligatures), the original text is tagged as is.
        originals = list(texts)
        lowered = [t.lower() if len(t.lower()) == len(t) else t for t in originals]
        for index, (original, doc) in enumerate(
                zip(originals, self.nlp.pipe(lowered, batch_size=batch_size), strict=True)):
            cats = doc.cats
            spans = [RoleSpan(ROLE_OF_LABEL[ent.label_], ent.start_char, ent.end_char,
                              original[ent.start_char:ent.end_char])
                     for ent in doc.ents if ent.label_ in ROLE_OF_LABEL]
            sentences = sentence_cues(lowered[index])
            spans += self._lexicon_spans(doc, original, sentences)
            classified = float(cats.get(RELEVANT, 0.0))
            reading = DocRoles(classified,
                               {kind: float(cats.get(kind, 0.0)) for kind in INCIDENT_TYPES},
                               spans, len(original), float(cats.get(SEVERAL, 0.0)), sentences,
                               classified)
            if self.relevance is not None:
                reading.relevance = self.relevance.probability(reading)
            yield reading

    def templates(self, texts: Iterable[str]) -> Iterator[list[Template]]:
        for reading in self.tag(texts):
            yield assemble(reading, self.thresholds)


def _fillers(spans: Iterable[RoleSpan], limit: int) -> dict[str, list[list[str]]]:
    """Each distinct filler once, under the role it was tagged with most often; at most
    ``limit`` per role (0: all), the most often tagged first.

    A filler is its first surface string; strings that normalise alike are one filler. Fillers
    are not grouped into coreferent entities: under the MUC-4 scorer two predictions that match
    one gold entity are both correct, while a group with one wrong string is wholly wrong.
    """
    votes: dict[str, Counter[str]] = {}
    surface: dict[str, str] = {}
    for span in spans:
        key = normalise(span.text)
        if key:
            votes.setdefault(key, Counter())[span.role] += 1
            surface.setdefault(key, span.text)
    roles: dict[str, list[list[str]]] = {role: [] for role in ROLES}
    # sorted() is stable: among fillers tagged equally often, the first seen comes first.
    for key, counter in sorted(votes.items(), key=lambda item: -item[1].total()):
        role = max(counter, key=lambda r: (counter[r], -ROLES.index(r)))
        if not limit or len(roles[role]) < limit:
            roles[role].append([surface[key]])
    return roles


# Words by which a sentence names an incident of a type; the first type that matches wins, so
# "a bomb killed two" is a bombing. Lower-case stems, matched anywhere in a word.
TYPE_CUES = (
    ("kidnapping", re.compile(r"kidnap|abduct|hostage")),
    ("bombing", re.compile(r"bomb|dynamite|explosi|explod|blew up|blown up|grenade|mortar")),
    ("arson", re.compile(r"arson|set fire|burn|torch")),
    ("robbery", re.compile(r"robb|stole|steal|loot")),
    ("attack", re.compile(r"kill|murder|attack|shot|assassinat|massacre|ambush|machinegun|wound")),
)
_SENTENCE_END = re.compile(r"[.!?]\s+|\n\s*\n")


def sentence_cues(text: str) -> list[tuple[int, int, str | None]]:
    """Each sentence of lower-cased ``text`` with the incident type its words name, if any."""
    bounds, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        bounds.append((start, match.end()))
        start = match.end()
    bounds.append((start, len(text)))
    return [(a, b, next((kind for kind, cue in TYPE_CUES if cue.search(text, a, b)), None))
            for a, b in bounds if b > a]


def token_sentences(doc: Any, sentences: list[tuple[int, int, str | None]]
                    ) -> list[tuple[int, str | None]]:
    """For each token of ``doc``: its sentence's number and the incident type it names."""
    out, number = [], 0
    for token in doc:
        while number + 1 < len(sentences) and token.idx >= sentences[number][1]:
            number += 1
        out.append((number, sentences[number][2] if sentences else None))
    return out


def incident_types(reading: DocRoles, how: int) -> list[str]:
    """The incident types a report is about, first the one ``how`` (``TYPE_*``) picks, then the
    other types its sentences name, most often named first (ties: named first)."""
    named = reading.named_types()
    first_seen = {kind: i for i, (_, _, kind) in reversed(list(enumerate(reading.sentences)))
                  if kind}
    by_count = sorted(named, key=lambda kind: (-named[kind], first_seen[kind]))
    if how == TYPE_MOST_NAMED and by_count:
        first = by_count[0]
    elif how == TYPE_FIRST_NAMED and by_count:
        first = min(first_seen, key=first_seen.__getitem__)
    else:
        first = reading.ranked_types()[0]
    return [first, *(kind for kind in by_count if kind != first)]


def assemble(reading: DocRoles, thresholds: Thresholds) -> list[Template]:
    """Templates of one document: none when it does not seem to report an incident; else one
    per incident type it is about (``incident_types``), up to ``max_templates``, holding the
    fillers ``thresholds.fill`` says; a report about one type that seems to report several
    incidents (P(SEVERAL)) gets that type twice."""
    named = reading.named_types()
    if reading.relevance < thresholds.relevant or (
            not named and reading.relevance < thresholds.unnamed):
        return []
    spans = sorted((s for s in reading.spans
                    if s.prior is None or s.prior >= thresholds.lexicon_floor(s.role)),
                   key=_start)
    kinds = incident_types(reading, thresholds.incident_type)[:thresholds.max_templates]
    if len(kinds) == 1 < thresholds.max_templates and reading.several >= thresholds.several:
        kinds *= 2
    every = _fillers(spans, thresholds.max_fillers)
    if len(kinds) == 1 or thresholds.fill == FILL_ALL:
        return [{"incident_type": kind, **every} for kind in kinds]
    templates = []
    for kind in kinds:
        # The fillers of the sentences naming this type (a sentence naming none is not
        # given to any type: which incident it tells of is not known).
        own = _fillers((s for s in spans if any(a <= s.start < b for a, b, named_kind
                                                 in reading.sentences if named_kind == kind)),
                       thresholds.max_fillers)
        if thresholds.fill == FILL_SHARED_PERPETRATORS:
            own["PerpInd"], own["PerpOrg"] = every["PerpInd"], every["PerpOrg"]
        templates.append({"incident_type": kind, **own})
    return templates


def _start(span: RoleSpan) -> int:
    return span.start


@lru_cache(maxsize=2)
def load_role_model(path: str = "") -> RoleModel:
    """The packed model at ``path`` (default: the one shipped in ``eventwatch/data``)."""
    import spacy
    import srsly
    from thinc.api import Config

    model_path = Path(path) if path else MODEL_FILE
    try:
        payload = srsly.msgpack_loads(gzip.decompress(model_path.read_bytes()))
    except OSError as exc:
        raise ModelMissing(f"role model {model_path} cannot be read ({exc}); rebuild it with "
                           "`python tools/train_roles.py`") from exc
    if payload.get("format") != _FORMAT:
        raise ModelMissing(f"{model_path} is not an eventwatch role model ({_FORMAT})")
    nlp = spacy.util.load_model_from_config(Config().from_str(payload["config"]), auto_fill=True)
    nlp.from_bytes(payload["weights"])
    lexicon = {key: (role, prior) for key, (role, prior) in payload.get("lexicon", {}).items()}
    stacked = payload.get("relevance")
    relevance = None if not stacked else Relevance(tuple(stacked["weights"]), stacked["bias"])
    weights = payload.get("context")
    context = FillerContext(dict(weights)) if weights else None
    return RoleModel(nlp, Thresholds.from_dict(payload["thresholds"]), payload["meta"], lexicon,
                     relevance, context)


@register("extractors", "eventwatch.extractor.muc4_roles.v1")
def role_extractor(settings: Settings | None = None) -> RoleModel:
    """The MUC-4 role-filler model (``eval muc4``'s default method)."""
    settings = settings or load_settings()
    return load_role_model(settings.roles_model)
