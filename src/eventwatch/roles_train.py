"""Training the MUC-4 role-filler model of ``eventwatch.roles`` (run by ``tools/train_roles.py``).

The network, lexicon and context model learn from the MUC-4 *train* split only. A fixed tenth
of it (chosen by a hash of the docid) is held out: spaCy picks the best checkpoint on it, the
relevance model is fitted on it, and the decision thresholds of ``eventwatch.roles.Thresholds``
are chosen on it, with the MUC-4 scorer, together with any annotated files the caller adds
(``tools/train_roles.py --tune-also``; the shipped model adds dev, so its dev score is
optimistic and ``halves_estimate`` gives the unbiased one).

Training data: the text of each document, lower-cased as given; every occurrence (whole words) of
every gold mention string of every role filler becomes an entity with the role as label (the
longest wins where two overlap), and the document gets the text-classification labels RELEVANT
(it has a template), SEVERAL (it has more than one) and its incident types.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

from .evaluation.muc4 import ROLES, normalise, score
from .roles import (
    FILL_ALL,
    FILL_OWN_SENTENCES,
    FILL_SHARED_PERPETRATORS,
    INCIDENT_TYPES,
    RELEVANT,
    SEVERAL,
    TYPE_BY_CLASSIFIER,
    TYPE_FIRST_NAMED,
    TYPE_MOST_NAMED,
    DocRoles,
    Relevance,
    Thresholds,
    assemble,
    sentence_cues,
    token_sentences,
)
from .roles_context import (
    FillerContext,
    Lexicon,
    LexiconMatch,
    lexicon_matches,
    match_features,
    ngrams,
)

# The network is kept small on purpose: the file ships in the repository and has to tag the 200
# dev documents in seconds. Hash embeddings over NORM/PREFIX/SUFFIX/SHAPE need no word vectors.
CONFIG = """
[paths]
train = null
dev = null

[system]
seed = 0
gpu_allocator = null

[nlp]
lang = "en"
pipeline = ["tok2vec", "ner", "textcat_multilabel"]
batch_size = 32

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = ${components.tok2vec.model.encode.width}
attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
rows = [5000, 1500, 2500, 500]
include_static_vectors = false

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 96
depth = 4
window_size = 1
maxout_pieces = 3

[components.ner]
factory = "ner"
moves = null
update_with_oracle_cut_size = 100

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = ${components.tok2vec.model.encode.width}
upstream = "*"

[components.textcat_multilabel]
factory = "textcat_multilabel"
threshold = 0.5

[components.textcat_multilabel.model]
@architectures = "spacy.TextCatBOW.v3"
exclusive_classes = false
ngram_size = 2
no_output_layer = false
length = 65536
nO = null

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${paths.train}
max_length = 0

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${paths.dev}
max_length = 0

[training]
seed = ${system.seed}
gpu_allocator = ${system.gpu_allocator}
dropout = 0.1
accumulate_gradient = 1
patience = 2000
max_epochs = 0
max_steps = 6000
eval_frequency = 250
frozen_components = []
annotating_components = []
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
before_to_disk = null

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2
get_length = null

[training.batcher.size]
@schedules = "compounding.v1"
start = 200
stop = 1500
compound = 1.001
t = 0.0

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = true
eps = 0.00000001
learn_rate = 0.001

[training.score_weights]
ents_f = 0.6
ents_p = 0.0
ents_r = 0.0
ents_per_type = null
cats_macro_auc = 0.4
cats_score = 0.0

[pretraining]

[initialize]
vectors = null
init_tok2vec = null
vocab_data = null
lookups = null
before_init = null
after_init = null

[initialize.components]

[initialize.tokenizer]
"""


def read_records(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def held_out(docid: str) -> bool:
    """The fixed tenth of the train split used for checkpoint and threshold choice."""
    return int(hashlib.sha256(docid.encode()).hexdigest(), 16) % 10 == 0


def to_doc(nlp: Any, record: dict[str, Any]) -> Any:
    """The annotated spaCy Doc of one GTT record (see the module docstring)."""
    from spacy.util import filter_spans

    text = record["doctext"].lower()
    doc = nlp.make_doc(text)
    spans = []
    for template in record["templates"]:
        for role in ROLES:
            for entity in template[role]:
                for mention, _ in entity:
                    pattern = r"(?<!\w)" + re.escape(mention.lower()) + r"(?!\w)"
                    for match in re.finditer(pattern, text):
                        span = doc.char_span(match.start(), match.end(), label=role.upper())
                        if span is not None:
                            spans.append(span)
    doc.ents = filter_spans(spans)
    kinds = {t["incident_type"] for t in record["templates"]}
    doc.cats = {RELEVANT: float(bool(record["templates"])),
                SEVERAL: float(len(record["templates"]) > 1),
                **{kind: float(any(kind in k for k in kinds)) for kind in INCIDENT_TYPES}}
    return doc


def write_corpora(records: list[dict[str, Any]], workdir: Path) -> tuple[Path, Path]:
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    fit, tune = DocBin(store_user_data=False), DocBin(store_user_data=False)
    for record in records:
        (tune if held_out(record["docid"]) else fit).add(to_doc(nlp, record))
    paths = workdir / "fit.spacy", workdir / "tune.spacy"
    fit.to_disk(paths[0])
    tune.to_disk(paths[1])
    print(f"{len(fit)} training documents, {len(tune)} held out", flush=True)
    return paths


def build_lexicon(nlp: Any, records: list[dict[str, Any]], min_docs: int = 2,
                  longest: int = 8) -> Lexicon:
    """Every gold filler string of ``records`` that filled a role in at least ``min_docs``
    documents, with that role and its prior: in how many of the incident reports containing the
    string (as whole tokens) it filled that role."""
    docs = [nlp.make_doc(r["doctext"].lower()) for r in records]
    gold: list[dict[str, Counter[str]]] = []
    for record in records:
        roles: dict[str, Counter[str]] = {}
        for template in record["templates"]:
            for role in ROLES:
                for entity in template[role]:
                    for mention, _ in entity:
                        key = " ".join(t.text for t in nlp.make_doc(mention.lower()))
                        if key.count(" ") < longest:
                            roles.setdefault(key, Counter())[role] += 1
        gold.append(roles)
    candidates = {key for roles in gold for key in roles}
    seen: Counter[str] = Counter()
    filled: dict[str, Counter[str]] = {}
    for doc, roles, record in zip(docs, gold, records, strict=True):
        # Only reports of incidents count: the lexicon is used in documents already judged
        # relevant, and "fmln" is named in many reports of no incident.
        if not record["templates"]:
            continue
        present = {key for _, _, key in ngrams([t.text for t in doc], longest)
                   if key in candidates}
        for key in present:
            seen[key] += 1
            if key in roles:
                role = max(roles[key], key=lambda r: (roles[key][r], -ROLES.index(r)))
                filled.setdefault(key, Counter())[role] += 1
    lexicon: Lexicon = {}
    for key, counter in filled.items():
        role, count = max(counter.items(), key=lambda item: (item[1], -ROLES.index(item[0])))
        if count >= min_docs:
            lexicon[key] = (role, round(count / seen[key], 3))
    return lexicon


# Values tried for each threshold, the first being "no intervention".
GRID: dict[str, tuple[Any, ...]] = {
    "relevant": tuple(x / 20 for x in range(1, 19)),
    "unnamed": (0.0, 0.3, 0.5, 0.7, 0.9, 1.01),
    "lexicon": (1.01, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2),
    "incident_type": (TYPE_BY_CLASSIFIER, TYPE_MOST_NAMED, TYPE_FIRST_NAMED),
    "max_templates": (1, 2, 3, 4),
    "fill": (FILL_ALL, FILL_OWN_SENTENCES, FILL_SHARED_PERPETRATORS),
    "several": (1.01, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3),
    "max_fillers": (0, 1, 2, 3),
}
# Per role, tried after the shared lexicon floor (-1: the shared floor).
ROLE_LEXICON = (-1.0, 1.01, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2)


def choose_thresholds(readings: list[DocRoles], records: list[dict[str, Any]],
                      start: Thresholds | None = None) -> tuple[Thresholds, float]:
    """The thresholds giving the best micro F1 on ``records`` (read as ``readings``): each
    threshold in turn is set to its best value given the others, then each role's lexicon floor
    (two rounds; ties keep the earlier value)."""
    gold = {r["docid"]: r["templates"] for r in records}

    def f1(thresholds: Thresholds) -> float:
        preds = {r["docid"]: assemble(reading, thresholds)
                 for r, reading in zip(records, readings, strict=True)}
        return score(preds, gold).micro.prf()[2]

    candidates: list[dict[str, Any]] = [{name: value} for name, values in GRID.items()
                                        for value in values]
    for index in range(len(ROLES)):
        for value in ROLE_LEXICON:
            candidates.append({"lexicon_by_role": (index, value)})
    best = start or Thresholds()
    best_f1 = f1(best)
    for _ in range(2):
        for change in candidates:
            if "lexicon_by_role" in change:
                index, value = change["lexicon_by_role"]
                floors = list(best.lexicon_by_role)
                floors[index] = value
                change = {"lexicon_by_role": tuple(floors)}
            candidate = dataclasses.replace(best, **change)
            value_f1 = f1(candidate)
            if value_f1 > best_f1 + 1e-9:
                best, best_f1 = candidate, value_f1
    return best, best_f1


def fit_relevance(readings: list[DocRoles], relevant: list[bool],
                  l2: float = 1.0, rounds: int = 50) -> Relevance:
    """Logistic regression of ``relevant`` on ``Relevance.features`` (weights penalised by
    ``l2 / 2 * |w|^2``, the bias not), fitted by Newton's method: deterministic, no new
    dependency, and a few dozen documents' features converge in milliseconds."""
    import numpy as np

    x = np.array([[*Relevance.features(r), 1.0] for r in readings])
    y = np.array(relevant, dtype=float)
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(rounds):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return Relevance(tuple(round(float(v), 6) for v in w[:-1]), round(float(w[-1]), 6))


def halves_estimate(held: list[tuple[dict[str, Any], DocRoles]],
                    extra: list[tuple[dict[str, Any], DocRoles]],
                    halving: int = 0) -> dict[str, float]:
    """An unbiased score of choosing thresholds on the held-out tenth plus ``extra``: the
    thresholds chosen with one half of ``extra`` (by a hash of the docid) score the other half,
    both ways, and the two halves' predictions are scored together. ``halving`` numbers the
    ways of cutting ``extra`` in two (each a different hash of the docids)."""
    predictions: dict[str, list[Any]] = {}
    for half in (0, 1):
        tune = held + [pair for pair in extra if _half(pair[0]["docid"], halving) != half]
        thresholds, _ = choose_thresholds([reading for _, reading in tune],
                                          [record for record, _ in tune])
        predictions.update({record["docid"]: assemble(reading, thresholds)
                            for record, reading in extra
                            if _half(record["docid"], halving) == half})
    gold = {record["docid"]: record["templates"] for record, _ in extra}
    micro: dict[str, float] = score(predictions, gold).to_dict()["micro"]
    return micro


def _half(docid: str, halving: int) -> int:
    return int(hashlib.sha1(f"{halving}:{docid}".encode()).hexdigest(), 16) % 2


def _gold_roles(record: dict[str, Any]) -> dict[str, set[str]]:
    """Gold mention string, normalised as the scorer does -> the roles it fills in ``record``."""
    roles: dict[str, set[str]] = {}
    for template in record["templates"]:
        for role in ROLES:
            for entity in template[role]:
                for mention, _ in entity:
                    roles.setdefault(normalise(mention), set()).add(role)
    return roles


def fit_filler_context(nlp: Any, records: list[dict[str, Any]], lexicon: Lexicon,
                       epochs: int = 8, seed: int = 0) -> FillerContext:
    """The context model of ``roles_context``, fitted on every lexicon match in the incident
    reports of ``records`` (the documents the lexicon was built from); a match is positive when
    its string fills its role in that report (as the scorer compares strings). The lexicon's
    prior counts the report itself, so each match is given its prior without it (leave one
    out), as an unseen report would be.
    Plain stochastic gradient descent with a fixed seed: no new dependency, same weights."""
    longest = max((key.count(" ") + 1 for key in lexicon), default=0)
    reports = []
    seen: Counter[str] = Counter()
    filled: Counter[str] = Counter()
    for record in records:
        if not record["templates"]:
            continue
        text = record["doctext"].lower()
        doc = nlp.make_doc(text)
        words = [t.text for t in doc]
        matches = lexicon_matches(words, lexicon, longest)
        gold = _gold_roles(record)
        for key in {m.key for m in matches}:
            seen[key] += 1
            filled[key] += lexicon[key][0] in gold.get(normalise(key), ())
        reports.append((words, token_sentences(doc, sentence_cues(text)), matches, gold))
    examples: list[tuple[list[str], bool]] = []
    for words, sentence_of, matches, gold in reports:
        times = Counter(m.key for m in matches)
        for match in matches:
            positive = match.role in gold.get(normalise(match.key), ())
            prior = _prior_without(match, seen, filled, positive)
            examples.append((match_features(words, sentence_of, match, prior,
                                            times[match.key]), positive))
    return FillerContext(_sgd(examples, epochs, seed))


def _prior_without(match: LexiconMatch, seen: Counter[str], filled: Counter[str],
                   positive: bool) -> float:
    if seen[match.key] < 2:
        return match.prior
    return (filled[match.key] - positive) / (seen[match.key] - 1)


def _sgd(examples: list[tuple[list[str], bool]], epochs: int, seed: int,
         rate: float = 0.1, decay: float = 0.7, l2: float = 1e-4) -> dict[str, float]:
    import random

    weights: dict[str, float] = {}
    order = list(range(len(examples)))
    shuffle = random.Random(seed).shuffle
    for _ in range(epochs):
        shuffle(order)
        for index in order:
            features, positive = examples[index]
            z = sum(weights.get(name, 0.0) for name in features)
            gradient = 1 / (1 + math.exp(-max(-30.0, min(30.0, z)))) - positive
            for name in features:
                weight = weights.get(name, 0.0)
                weights[name] = weight - rate * (gradient + l2 * weight)
        rate *= decay
    # Weights that round to nothing are dropped: the file stays small.
    return {name: round(w, 4) for name, w in weights.items() if abs(w) >= 1e-4}
