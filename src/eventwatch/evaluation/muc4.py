"""The MUC-4 template scorer used by the published GTT / IterX numbers, and the runner around it.

Scoring, per document:

- every string is normalised: lower-cased, ASCII punctuation deleted, the words a/an/the deleted,
  whitespace collapsed;
- a predicted entity (a list of strings) matches a gold entity (a list of coreferent mentions) when
  each of its strings equals one of the gold entity's normalised mentions;
- predicted templates are aligned to gold templates by the injective mapping that gives the best
  document micro F1; a pair counts only when the predicted incident type is a substring of the gold
  type ("attack" matches "bombing / attack");
- in a counted pair the type scores 1 in precision and recall; a predicted entity is correct if it
  matches any gold entity of its role (two predictions matching one gold entity are both correct);
  a gold entity is recalled if any prediction of its role matches it; unpaired templates add their
  type and entities to the denominators.

Counts are summed over documents; P/R/F1 are reported per role, for the type, and micro-averaged
over all six. Exhaustive alignment is exponential, so documents whose search space exceeds
``MAX_ASSIGNMENTS`` are aligned greedily and counted in ``fallback_docs``.
"""

from __future__ import annotations

import itertools
import json
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from math import comb, perm
from pathlib import Path
from typing import Any

ROLES = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
FIELDS = ("incident_type", *ROLES)
MAX_ASSIGNMENTS = 50_000
_PUNCT = str.maketrans("", "", string.punctuation)
_ARTICLES = {"a", "an", "the"}

Template = dict[str, Any]


def normalise(text: str) -> str:
    words = text.lower().translate(_PUNCT).split()
    return " ".join(w for w in words if w not in _ARTICLES)


@dataclass(slots=True)
class Counts:
    """Numerators and denominators of precision and recall for one field."""

    p_num: int = 0
    p_den: int = 0
    r_num: int = 0
    r_den: int = 0

    def add(self, other: Counts) -> None:
        self.p_num += other.p_num
        self.p_den += other.p_den
        self.r_num += other.r_num
        self.r_den += other.r_den

    def prf(self) -> tuple[float, float, float]:
        p = self.p_num / self.p_den if self.p_den else 0.0
        r = self.r_num / self.r_den if self.r_den else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


@dataclass(slots=True)
class Score:
    fields: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in FIELDS})
    docs: int = 0
    fallback_docs: int = 0

    def add(self, counts: dict[str, Counts]) -> None:
        for name, value in counts.items():
            self.fields[name].add(value)

    @property
    def micro(self) -> Counts:
        total = Counts()
        for value in self.fields.values():
            total.add(value)
        return total

    def to_dict(self) -> dict[str, Any]:
        def row(c: Counts) -> dict[str, float]:
            p, r, f = c.prf()
            return {"precision": round(100 * p, 2), "recall": round(100 * r, 2),
                    "f1": round(100 * f, 2)}
        return {"docs": self.docs, "fallback_docs": self.fallback_docs,
                "micro": row(self.micro), **{name: row(c) for name, c in self.fields.items()}}


def _gold_entities(template: Template, role: str) -> list[set[str]]:
    return [{normalise(m[0]) for m in entity} for entity in template.get(role, [])]


def _pred_entities(template: Template, role: str) -> list[list[str]]:
    out = []
    for entity in template.get(role, []):
        strings = [entity] if isinstance(entity, str) else [
            m[0] if isinstance(m, list) else m for m in entity]
        out.append([normalise(s) for s in strings])
    return out


def _matches(pred: list[str], gold: set[str]) -> bool:
    return bool(pred) and all(s in gold for s in pred)


def _pair_counts(pred: Template | None, gold: Template | None) -> dict[str, Counts]:
    """Counts for one aligned pair; ``None`` on either side means an unpaired template."""
    counts = {name: Counts() for name in FIELDS}
    if pred is not None:
        counts["incident_type"].p_den = 1
    if gold is not None:
        counts["incident_type"].r_den = 1
    if pred is not None and gold is not None:
        counts["incident_type"].p_num = counts["incident_type"].r_num = 1
    for role in ROLES:
        preds = _pred_entities(pred, role) if pred is not None else []
        golds = _gold_entities(gold, role) if gold is not None else []
        c = counts[role]
        c.p_den, c.r_den = len(preds), len(golds)
        c.p_num = sum(1 for p in preds if any(_matches(p, g) for g in golds))
        c.r_num = sum(1 for g in golds if any(_matches(p, g) for p in preds))
    return counts


def _compatible(pred: Template, gold: Template) -> bool:
    return str(pred.get("incident_type", "")).strip() in str(gold.get("incident_type", ""))


def _total(parts: Iterable[dict[str, Counts]]) -> dict[str, Counts]:
    total = {name: Counts() for name in FIELDS}
    for part in parts:
        for name, value in part.items():
            total[name].add(value)
    return total


def _f1(counts: dict[str, Counts]) -> float:
    micro = Counts()
    for value in counts.values():
        micro.add(value)
    return micro.prf()[2]


def _assignments(n_pred: int, n_gold: int) -> int:
    return sum(comb(n_pred, k) * perm(n_gold, k) for k in range(min(n_pred, n_gold) + 1))


class _Pairs:
    """Counts of every (prediction, gold) pair and of every template left alone, computed once."""

    def __init__(self, preds: list[Template], golds: list[Template]) -> None:
        self.preds, self.golds = preds, golds
        self.pair = {(i, j): _pair_counts(p, g) for i, p in enumerate(preds)
                     for j, g in enumerate(golds) if _compatible(p, g)}
        self.pred_alone = [_pair_counts(p, None) for p in preds]
        self.gold_alone = [_pair_counts(None, g) for g in golds]

    def evaluate(self, mapping: dict[int, int]) -> dict[str, Counts]:
        parts = [self.pair[(i, mapping[i])] if i in mapping else self.pred_alone[i]
                 for i in range(len(self.preds))]
        paired = set(mapping.values())
        parts += [self.gold_alone[j] for j in range(len(self.golds)) if j not in paired]
        return _total(parts)


def _mappings(preds: list[Template], golds: list[Template]) -> Iterator[dict[int, int]]:
    """Every injective mapping of predictions to compatible gold templates (or to none)."""
    options = [[None] + [j for j, g in enumerate(golds) if _compatible(p, g)] for p in preds]
    for choice in itertools.product(*options):
        used = [j for j in choice if j is not None]
        if len(used) == len(set(used)):
            yield {i: j for i, j in enumerate(choice) if j is not None}


def _greedy(pairs_cache: _Pairs) -> dict[int, int]:
    pairs = [(_f1(counts), i, j) for (i, j), counts in pairs_cache.pair.items()]
    mapping: dict[int, int] = {}
    for _, i, j in sorted(pairs, key=lambda t: (-t[0], t[1], t[2])):
        if i not in mapping and j not in mapping.values():
            mapping[i] = j
    return mapping


def score_document(preds: list[Template], golds: list[Template]) -> tuple[dict[str, Counts], bool]:
    """Best-alignment counts for one document, and whether the greedy fallback was used."""
    pairs = _Pairs(preds, golds)
    if _assignments(len(preds), len(golds)) > MAX_ASSIGNMENTS:
        return pairs.evaluate(_greedy(pairs)), True
    best: dict[str, Counts] | None = None
    best_f1 = -1.0
    for mapping in _mappings(preds, golds):
        counts = pairs.evaluate(mapping)
        f1 = _f1(counts)
        if f1 > best_f1:
            best, best_f1 = counts, f1
    assert best is not None  # the empty mapping always exists
    return best, False


def score(predictions: dict[str, list[Template]], gold: dict[str, list[Template]]) -> Score:
    """Corpus score; a document with no prediction counts as predicting nothing."""
    total = Score()
    for docid, gold_templates in gold.items():
        counts, fallback = score_document(predictions.get(docid, []), gold_templates)
        total.add(counts)
        total.docs += 1
        total.fallback_docs += fallback
    return total


def read_gold(path: str | Path) -> dict[str, dict[str, Any]]:
    """docid -> record of a GTT-format JSON-lines file."""
    records: dict[str, dict[str, Any]] = {}
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                records[str(record["docid"])] = record
            except (ValueError, KeyError) as exc:
                raise ValueError(f"{path}:{number}: not a MUC-4 GTT record ({exc})") from exc
    return records
