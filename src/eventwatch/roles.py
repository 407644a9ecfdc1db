"""MUC-4 role fillers and incident types from a small spaCy model trained on the MUC-4 train split.

One model file (``data/roles-muc4.bin``, built by ``tools/train_roles.py``) holds a spaCy pipeline
trained from scratch on lower-cased text: an entity recogniser whose labels are the five MUC-4
roles (PERPIND, PERPORG, TARGET, VICTIM, WEAPON) and a multi-label text classifier giving the
probability that the document reports an incident (RELEVANT), that it reports more than one
(SEVERAL) and of each incident type. The
thresholds that turn those probabilities into templates were chosen on a held-out part of the
train split and travel in the same file, so a retrained model never runs with stale thresholds.

Text is lower-cased before tagging: the model has only seen lower-cased wire text, and modern
news then looks the same to it.
"""

from __future__ import annotations

import gzip
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
from .settings import Settings, load_settings

MODEL_FILE = Path(__file__).parent / "data" / "roles-muc4.bin"
INCIDENT_TYPES = ("attack", "bombing", "kidnapping", "arson", "robbery", "forced work stoppage")
RELEVANT = "RELEVANT"
SEVERAL = "SEVERAL"
ROLE_OF_LABEL = {role.upper(): role for role in ROLES}
_FORMAT = "eventwatch-roles/1"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Decision rules tuned with the model (``tools/train_roles.py``)."""

    # P(RELEVANT) from which a document gets a template at all.
    relevant: float = 0.5
    # A second incident type gets its own template when its probability reaches this (> 1: never).
    # That template holds no fillers: which fillers belong to which incident is not known, and
    # under the scorer a bare type costs one point of precision at most.
    second_type: float = 1.01
    # Fillers first seen after this fraction of the text are dropped: reports put the incident
    # first and background later.
    max_position: float = 1.0
    # At most this many fillers per role (0: no limit), the most often tagged first: a template
    # rarely has more than two of a role, and each extra guess costs precision.
    max_fillers: int = 0
    # P(SEVERAL) from which a document gets a bare second template of its first type, when no
    # second type qualified (> 1: never). A bare template paired with a second gold template of
    # that type gains a point of precision and of recall; unpaired it costs a point of precision.
    several: float = 1.01
    # Lexicon fillers (see ``RoleModel.lexicon``) are kept from this prior on (> 1: never).
    lexicon: float = 1.01
    # How a report is split into several incidents (see ``incident_segments``): 0 never,
    # SPLIT_BY_TYPE where the incident type its sentences name changes, SPLIT_BY_SENTENCE at
    # every sentence naming an incident; at most ``max_templates`` incidents per report.
    split: int = 0
    max_templates: int = 8

    def to_dict(self) -> dict[str, float]:
        return {"relevant": self.relevant, "second_type": self.second_type,
                "max_position": self.max_position, "max_fillers": self.max_fillers,
                "several": self.several, "lexicon": self.lexicon, "split": self.split,
                "max_templates": self.max_templates}


@dataclass(frozen=True, slots=True)
class RoleSpan:
    """One tagged role filler: its role and its characters in the (original) text."""

    role: str
    start: int
    end: int
    text: str
    # None for the network's spans; for a lexicon match, the share of training documents
    # containing the string in which it filled this role.
    prior: float | None = None


@dataclass(slots=True)
class DocRoles:
    """What the model says about one document."""

    relevance: float
    types: dict[str, float]
    spans: list[RoleSpan] = field(default_factory=list)
    length: int = 0  # of the text, in characters
    several: float = 0.0
    # (start, end, incident type named or None) of each sentence; see ``sentence_cues``.
    sentences: list[tuple[int, int, str | None]] = field(default_factory=list)

    def ranked_types(self) -> list[str]:
        """Incident types, most probable first (ties: the commoner type in MUC-4 first)."""
        return sorted(INCIDENT_TYPES, key=lambda kind: -self.types.get(kind, 0.0))


# Token-joined lower-cased string -> (role, prior); see ``RoleModel``.
Lexicon = dict[str, tuple[str, float]]


def pack_model(nlp: Any, thresholds: Thresholds, path: Path, meta: dict[str, Any],
               lexicon: Lexicon) -> None:
    """Write ``nlp`` (config + weights), its thresholds and lexicon to one gzip'd msgpack file."""
    import srsly

    payload = {"format": _FORMAT, "config": nlp.config.to_str(), "weights": nlp.to_bytes(),
               "thresholds": thresholds.to_dict(), "meta": meta,
               "lexicon": {key: list(value) for key, value in sorted(lexicon.items())}}
    # mtime=0: the same model gives the same bytes.
    path.write_bytes(gzip.compress(srsly.msgpack_dumps(payload), mtime=0))


class RoleModel:
    """The loaded pipeline, thresholds and lexicon; ``templates`` is what ``eval muc4`` scores.

    The lexicon holds the gold filler strings of the training documents with their role and
    prior. The network sees a few words either side; the lexicon remembers that "fmln" or
    "dynamite" fill a role in most reports that mention them, wherever they stand.
    """

    def __init__(self, nlp: Any, thresholds: Thresholds, meta: dict[str, Any],
                 lexicon: Lexicon | None = None) -> None:
        self.nlp, self.thresholds, self.meta = nlp, thresholds, meta
        self.lexicon = lexicon or {}
        self._longest = max((key.count(" ") + 1 for key in self.lexicon), default=0)

    def _lexicon_spans(self, doc: Any, original: str) -> list[RoleSpan]:
        spans = []
        words = [token.text for token in doc]
        for start in range(len(words)):
            for end in range(start + 1, min(start + self._longest, len(words)) + 1):
                found = self.lexicon.get(" ".join(words[start:end]))
                if found is not None:
                    first, last = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
                    spans.append(RoleSpan(found[0], first, last, original[first:last], found[1]))
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
            spans += self._lexicon_spans(doc, original)
            yield DocRoles(float(cats.get(RELEVANT, 0.0)),
                           {kind: float(cats.get(kind, 0.0)) for kind in INCIDENT_TYPES}, spans,
                           len(original), float(cats.get(SEVERAL, 0.0)),
                           sentence_cues(lowered[index]))

    def templates(self, texts: Iterable[str]) -> Iterator[list[Template]]:
        for reading in self.tag(texts):
            yield assemble(reading, self.thresholds)


def _fillers(spans: Iterable[RoleSpan], until: float, limit: int) -> dict[str, list[list[str]]]:
    """Each distinct filler first seen before character ``until`` once, under the role it was
    tagged with most often; at most ``limit`` per role (0: all), the most often tagged first.

    A filler is its first surface string; strings that normalise alike are one filler. Fillers
    are not grouped into coreferent entities: under the MUC-4 scorer two predictions that match
    one gold entity are both correct, while a group with one wrong string is wholly wrong.
    """
    votes: dict[str, Counter[str]] = {}
    surface: dict[str, str] = {}
    for span in spans:
        key = normalise(span.text)
        if not key or (key not in votes and span.start > until):
            continue
        votes.setdefault(key, Counter())[span.role] += 1
        surface.setdefault(key, span.text)
    roles: dict[str, list[list[str]]] = {role: [] for role in ROLES}
    # sorted() is stable: among fillers tagged equally often, the first seen comes first.
    for key, counter in sorted(votes.items(), key=lambda item: -item[1].total()):
        role = max(counter, key=lambda r: (counter[r], -ROLES.index(r)))
        if not limit or len(roles[role]) < limit:
            roles[role].append([surface[key]])
    return roles


SPLIT_BY_TYPE, SPLIT_BY_SENTENCE = 1, 2
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


def incident_segments(reading: DocRoles, spans: list[RoleSpan],
                      how: int) -> list[tuple[str | None, list[RoleSpan]]]:
    """The report cut into incidents: a new one starts at a sentence naming an incident (of
    another type than the current one, for SPLIT_BY_TYPE); a sentence naming none belongs to
    the incident before it. Incidents without fillers are dropped."""
    segments: list[tuple[str | None, list[RoleSpan]]] = []
    for start, end, kind in reading.sentences:
        inside = [s for s in spans if start <= s.start < end]
        if kind is None or (segments and how == SPLIT_BY_TYPE and segments[-1][0] == kind):
            if segments:
                segments[-1][1].extend(inside)
        elif segments and not segments[-1][1]:
            segments[-1] = (kind, inside)  # the previous incident got no filler: replaced
        else:
            segments.append((kind, inside))
    return [segment for segment in segments if segment[1]]


def assemble(reading: DocRoles, thresholds: Thresholds) -> list[Template]:
    """Templates of one document: none when it is not about an incident; else, where the
    thresholds say to split and the report names several incidents with fillers, one per
    incident (its type named by its sentences); else one holding every filler under the most
    probable incident type, and maybe a bare one of the second type (or of the first when the
    document seems to report several incidents)."""
    if reading.relevance < thresholds.relevant:
        return []
    first, second = reading.ranked_types()[:2]
    until = thresholds.max_position * reading.length
    spans = sorted((s for s in reading.spans if s.prior is None or s.prior >= thresholds.lexicon),
                   key=_start)
    if thresholds.split:
        segments = incident_segments(reading, spans, thresholds.split)
        if len(segments) > 1:
            return [{"incident_type": kind or first,
                     **_fillers(found, until, thresholds.max_fillers)}
                    for kind, found in segments[:thresholds.max_templates]]
    templates = [{"incident_type": first, **_fillers(spans, until, thresholds.max_fillers)}]
    if reading.types.get(second, 0.0) >= thresholds.second_type:
        templates.append({"incident_type": second, **{role: [] for role in ROLES}})
    elif reading.several >= thresholds.several:
        templates.append({"incident_type": first, **{role: [] for role in ROLES}})
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
    return RoleModel(nlp, Thresholds(**payload["thresholds"]), payload["meta"], lexicon)


@register("extractors", "eventwatch.extractor.muc4_roles.v1")
def role_extractor(settings: Settings | None = None) -> RoleModel:
    """The MUC-4 role-filler model (``eval muc4``'s default method)."""
    settings = settings or load_settings()
    return load_role_model(settings.roles_model)
