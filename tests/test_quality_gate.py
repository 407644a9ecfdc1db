"""Quality gate: extraction scores on the development data must not fall below their floors.

The floors and the corpus hash live in tests/quality/baseline.json; raising a floor is a
deliberate commit. Reproduce the figures with ``eventwatch eval muc4 ../shared/data/muc4/dev.json
[--method events]``
and ``eventwatch eval geoparse ../shared/data/geo/lgl.xml``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from eventwatch.evaluation.muc4_run import run_muc4

BASELINE = Path(__file__).parent / "quality" / "baseline.json"
ROOT = Path(__file__).resolve().parent.parent


def muc4_floor(key: str) -> dict[str, object]:
    floor = json.loads(BASELINE.read_text(encoding="utf-8"))[key]
    corpus = (ROOT / str(floor["corpus"])).resolve()
    if not corpus.exists():
        pytest.fail(f"the development corpus is missing at {corpus}")
    digest = hashlib.sha256(corpus.read_bytes()).hexdigest()
    assert digest == floor["corpus_sha256"], (
        f"{corpus} changed (sha256 {digest}); re-measure and record new floors deliberately")
    return {**floor, "path": str(corpus)}


# muc4_dev: the news event extractor mapped to templates (--method events); muc4_dev_roles: the
# role model trained on MUC-4, the default of `eval muc4`. Each method keeps its own floors.
@pytest.mark.parametrize("key", ["muc4_dev", "muc4_dev_roles"])
def test_muc4_dev_scores_hold(key: str) -> None:
    floor = muc4_floor(key)
    result = run_muc4(str(floor["path"]), method=str(floor["method"]))
    scores = result.to_dict()
    print(f"MUC-4 dev ({floor['method']}) micro F1 {scores['micro']['f1']} (floor "
          f"{floor['micro_f1']}), type F1 {scores['incident_type']['f1']}, {scores['seconds']} s")
    assert scores["micro"]["f1"] >= floor["micro_f1"]
    assert scores["incident_type"]["f1"] >= floor["incident_type_f1"]


def test_fixture_articles_hold() -> None:
    """The project's own annotated articles (tests/fixtures/articles/expected.json)."""
    from eventwatch.evaluation.fixtures import score_fixtures

    floor = json.loads(BASELINE.read_text(encoding="utf-8"))["fixture_articles"]
    scores = score_fixtures(ROOT / floor["corpus"]).to_dict()
    print(scores)
    assert scores["events"]["f1"] >= floor["event_f1"], scores["misses"]
    for name, accuracy in scores["field_accuracy"].items():
        assert accuracy >= floor["min_field_accuracy"], (name, scores["misses"])


def test_lgl_geoparsing_holds() -> None:
    """Toponym span F1 and accuracy within 161 km on LGL (docs/geoparsing.md; about 45 s)."""
    from eventwatch.evaluation.geoparse import run_geoparse_eval

    floor = json.loads(BASELINE.read_text(encoding="utf-8"))["lgl_geoparse"]
    corpus = (ROOT / floor["corpus"]).resolve()
    if not corpus.exists():
        pytest.fail(f"the LGL corpus is missing at {corpus}")
    digest = hashlib.sha256(corpus.read_bytes()).hexdigest()
    assert digest == floor["corpus_sha256"], (
        f"{corpus} changed (sha256 {digest}); re-measure and record new floors deliberately")
    scores = run_geoparse_eval(corpus).to_dict()
    spans, resolution = scores["spans"], scores["resolution"]
    print(f"LGL span F1 {spans['f1']} (floor {floor['span_f1']}), acc@161 "
          f"{resolution['acc161']} (floor {floor['acc161']}), {scores['seconds']} s")
    assert spans["f1"] >= floor["span_f1"], scores["top_spurious"]
    assert resolution["acc161"] >= floor["acc161"], scores["top_wrong"]
