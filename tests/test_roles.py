"""The MUC-4 role-filler component: the shipped model loads offline and tags text sanely, and
templates are assembled from its reading as documented."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliResult
from eventwatch import registry
from eventwatch.errors import ModelMissing
from eventwatch.evaluation.muc4 import ROLES, read_gold, score
from eventwatch.roles import (
    FILL_ALL,
    FILL_OWN_SENTENCES,
    FILL_SHARED_PERPETRATORS,
    INCIDENT_TYPES,
    MODEL_FILE,
    TYPE_BY_CLASSIFIER,
    TYPE_FIRST_NAMED,
    TYPE_MOST_NAMED,
    DocRoles,
    Relevance,
    RoleModel,
    RoleSpan,
    Thresholds,
    assemble,
    incident_types,
    load_role_model,
    role_extractor,
    sentence_cues,
)
from eventwatch.roles_train import fit_relevance

# Written for this project: an invented incident in the style of the 1989-91 wire reports.
REPORT = ("san miguel, 14 mar 90 -- a group of urban guerrillas of the people's revolutionary "
          "army today set fire to two buses and a police post in the town of el transito. "
          "according to police, the terrorists also kidnapped the town's mayor, jose antonio "
          "villalta, and threw a grenade at the house of a judge. a police officer was wounded "
          "by gunfire during the attack, which lasted half an hour.")
QUIET = "the coffee harvest in the western departments ended this week with good prices."


def test_shipped_model_loads_offline_and_tags_well_formed_spans() -> None:
    assert MODEL_FILE.exists() and MODEL_FILE.stat().st_size < 20_000_000
    model = load_role_model()
    (reading,) = model.tag([REPORT])
    assert 0.0 <= reading.relevance <= 1.0
    assert set(reading.types) == set(INCIDENT_TYPES)
    assert all(0.0 <= p <= 1.0 for p in reading.types.values())
    assert reading.spans, "the report names attackers, targets and weapons; nothing was tagged"
    for span in reading.spans:
        assert span.role in ROLES and (span.prior is None or 0.0 < span.prior <= 1.0)
        assert 0 <= span.start < span.end <= len(REPORT)
        assert REPORT[span.start:span.end] == span.text == span.text.strip()
    previous_end = 0
    for span in (s for s in reading.spans if s.prior is None):  # the network's: no overlaps
        assert previous_end <= span.start
        previous_end = span.end


def test_tagging_ignores_case_and_keeps_the_callers_offsets() -> None:
    model = load_role_model()
    capitalised = REPORT.title()
    lower, upper = model.tag([REPORT, capitalised])
    assert [(s.role, s.start, s.end) for s in lower.spans] == \
        [(s.role, s.start, s.end) for s in upper.spans]
    assert all(capitalised[s.start:s.end] == s.text for s in upper.spans)
    assert lower.relevance == pytest.approx(upper.relevance)


def test_a_report_reads_as_more_relevant_than_a_harvest_note() -> None:
    report, quiet = load_role_model().tag([REPORT, QUIET])
    assert report.relevance > quiet.relevance
    assert not quiet.spans or len(quiet.spans) < len(report.spans)


def test_registered_as_an_extractor() -> None:
    assert registry.get("extractors", "muc4_roles") is role_extractor
    assert "eventwatch.extractor.muc4_roles.v1" in registry.names("extractors")


def reading(relevance: float, spans: list[tuple[str, int, str]], **types: float) -> DocRoles:
    return DocRoles(relevance, {k: types.get(k.replace(" ", "_"), 0.0) for k in INCIDENT_TYPES},
                    [RoleSpan(role, start, start + len(text), text) for role, start, text in spans],
                    length=1000)


def test_assemble_one_template_with_each_filler_once_under_its_majority_role() -> None:
    doc = reading(0.9, [("PerpOrg", 10, "the FMLN"), ("PerpOrg", 400, "fmln"),
                        ("PerpInd", 20, "guerrillas"), ("Victim", 30, "guerrillas"),
                        ("Victim", 90, "guerrillas"), ("Weapon", 50, "rifles")],
                  bombing=0.7, attack=0.4)
    (template,) = assemble(doc, Thresholds(relevant=0.5))
    assert template["incident_type"] == "bombing"
    assert template["PerpOrg"] == [["the FMLN"]]
    assert template["Victim"] == [["guerrillas"]] and template["PerpInd"] == []
    assert template["Weapon"] == [["rifles"]] and template["Target"] == []


def test_assemble_relevance_thresholds() -> None:
    doc = reading(0.4, [("Target", 700, "bus"), ("Weapon", 100, "dynamite")],
                  kidnapping=0.8, arson=0.65)
    assert assemble(doc, Thresholds(relevant=0.5)) == []
    (only,) = assemble(doc, Thresholds(relevant=0.3))
    assert only["incident_type"] == "kidnapping"
    assert only["Target"] == [["bus"]] and only["Weapon"] == [["dynamite"]]
    # A report none of whose sentences names an incident needs more relevance.
    assert assemble(doc, Thresholds(relevant=0.3, unnamed=0.5)) == []
    doc.sentences = sentence_cues("the bus was burned.")
    assert len(assemble(doc, Thresholds(relevant=0.3, unnamed=0.5))) == 1


# Written for this project: two incidents in one report, and a closing sentence naming none.
TWO_INCIDENTS = ("terrorists exploded a car bomb outside the ministry of defense, injuring a "
                 "guard. in a separate incident, armed men kidnapped the mayor of la union. "
                 "police are searching the area.")


def two_incident_reading() -> DocRoles:
    text = TWO_INCIDENTS
    spans = [(role, text.index(found), found) for role, found in (
        ("PerpInd", "terrorists"), ("Weapon", "car bomb"), ("Target", "ministry of defense"),
        ("Victim", "guard"), ("PerpInd", "armed men"), ("Victim", "mayor of la union"),
        ("PerpInd", "police"))]
    doc = reading(0.9, spans, attack=0.8, kidnapping=0.5)
    doc.length, doc.sentences = len(text), sentence_cues(text)
    return doc


def test_sentence_cues_name_the_incident_type_of_each_sentence() -> None:
    cues = sentence_cues(TWO_INCIDENTS)
    assert [kind for _, _, kind in cues] == ["bombing", "kidnapping", None]
    assert cues[0][0] == 0 and cues[-1][1] == len(TWO_INCIDENTS)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(cues))
    # The first type whose words appear wins: a bomb that kills is a bombing.
    assert sentence_cues("a bomb killed two soldiers.")[0][2] == "bombing"


def test_incident_types_by_classifier_or_by_the_sentences() -> None:
    doc = two_incident_reading()
    doc.sentences = sentence_cues(TWO_INCIDENTS + " the hostages were freed. a kidnapper fled.")
    # Named: bombing once, then kidnapping twice; the classifier prefers "attack".
    assert incident_types(doc, TYPE_BY_CLASSIFIER) == ["attack", "kidnapping", "bombing"]
    assert incident_types(doc, TYPE_MOST_NAMED) == ["kidnapping", "bombing"]
    assert incident_types(doc, TYPE_FIRST_NAMED) == ["bombing", "kidnapping"]
    doc.sentences = sentence_cues("the harvest ended. prices rose.")
    assert incident_types(doc, TYPE_MOST_NAMED) == ["attack"]


def test_assemble_one_template_per_incident_type_named() -> None:
    doc = two_incident_reading()
    # One template: every filler under the chosen type.
    (single,) = assemble(doc, Thresholds(relevant=0.5, incident_type=TYPE_FIRST_NAMED))
    assert single["incident_type"] == "bombing" and len(single["Victim"]) == 2
    bombing, kidnapping = assemble(doc, Thresholds(
        relevant=0.5, incident_type=TYPE_FIRST_NAMED, max_templates=2, fill=FILL_OWN_SENTENCES))
    assert bombing["incident_type"] == "bombing" and kidnapping["incident_type"] == "kidnapping"
    assert bombing["Weapon"] == [["car bomb"]] and bombing["Victim"] == [["guard"]]
    assert kidnapping["Victim"] == [["mayor of la union"]] and kidnapping["Weapon"] == []
    # The closing sentence names no incident: its filler goes to neither.
    assert kidnapping["PerpInd"] == [["armed men"]] and bombing["PerpInd"] == [["terrorists"]]
    shared = assemble(doc, Thresholds(relevant=0.5, incident_type=TYPE_FIRST_NAMED,
                                      max_templates=2, fill=FILL_SHARED_PERPETRATORS))
    assert all(t["PerpInd"] == [["terrorists"], ["armed men"], ["police"]] for t in shared)
    assert shared[1]["Victim"] == [["mayor of la union"]]
    both = assemble(doc, Thresholds(relevant=0.5, incident_type=TYPE_FIRST_NAMED,
                                    max_templates=2, fill=FILL_ALL))
    assert both[0]["Victim"] == both[1]["Victim"] == [["guard"], ["mayor of la union"]]


def test_unreadable_model_file_is_reported(tmp_path: Path) -> None:
    bogus = tmp_path / "model.bin"
    bogus.write_bytes(b"not a model")
    with pytest.raises(ModelMissing):
        load_role_model(str(bogus))
    with pytest.raises(ModelMissing):
        load_role_model(str(tmp_path / "absent.bin"))


def test_predictions_out_round_trips_into_the_scorer(cli: Callable[..., CliResult],
                                                     tmp_path: Path) -> None:
    def entity(mention: str) -> list[list[object]]:
        return [[mention, REPORT.index(mention)]]

    records = [
        {"docid": "TST-1", "doctext": REPORT, "templates": [{
            "incident_type": "arson", "PerpInd": [entity("urban guerrillas")],
            "PerpOrg": [entity("people's revolutionary army")],
            "Target": [entity("two buses"), entity("police post")],
            "Victim": [entity("police officer")], "Weapon": [entity("grenade")]}]},
        {"docid": "TST-2", "doctext": QUIET, "templates": []},
    ]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "preds.json"
    result = cli("eval", "muc4", str(gold), "--predictions-out", str(out), "--json")
    assert result.code == 0, result.err
    printed = json.loads(result.out)
    predictions = json.loads(out.read_text(encoding="utf-8"))
    assert set(predictions) == {"TST-1", "TST-2"}
    for entry in predictions.values():
        for template in entry["pred_templates"]:
            assert template["incident_type"] in INCIDENT_TYPES
            assert all(isinstance(e, list) and all(isinstance(s, str) for s in e)
                       for role in ROLES for e in template[role])
    rescored = score({d: p["pred_templates"] for d, p in predictions.items()},
                     {d: r["templates"] for d, r in read_gold(gold).items()}).to_dict()
    for name in ("micro", "incident_type", *ROLES):
        assert rescored[name] == printed[name]


def test_assemble_keeps_the_most_often_tagged_fillers_up_to_the_limit() -> None:
    doc = reading(0.9, [("Victim", 10, "mayor"), ("Victim", 40, "peasants"),
                        ("Victim", 60, "priest"), ("Victim", 80, "peasants"),
                        ("Victim", 95, "priest"), ("Victim", 120, "peasants"),
                        ("Weapon", 130, "rifles")], attack=0.9)
    (capped,) = assemble(doc, Thresholds(max_fillers=2))
    assert capped["Victim"] == [["peasants"], ["priest"]] and capped["Weapon"] == [["rifles"]]
    (full,) = assemble(doc, Thresholds())
    assert sorted(full["Victim"]) == [["mayor"], ["peasants"], ["priest"]]


def test_assemble_repeats_a_single_type_when_several_incidents_are_likely() -> None:
    doc = reading(0.9, [("Target", 10, "bridge")], attack=0.9, bombing=0.3)
    doc.several = 0.8
    first, second = assemble(doc, Thresholds(several=0.7, max_templates=2))
    assert first["incident_type"] == second["incident_type"] == "attack"
    assert first["Target"] == second["Target"] == [["bridge"]]
    assert len(assemble(doc, Thresholds(several=0.85, max_templates=2))) == 1
    assert len(assemble(doc, Thresholds(several=0.7, max_templates=1))) == 1


def test_lexicon_matches_whole_tokens_whatever_the_case() -> None:
    import spacy

    model = RoleModel(spacy.blank("en"), Thresholds(), {}, {"car bomb": ("Weapon", 0.9)})
    text = "A Car Bomb went off near the car; another car bomb failed. A car-bombing? No."
    (reading,) = model.tag([text])
    assert [(s.role, s.text, s.prior) for s in reading.spans] == [
        ("Weapon", "Car Bomb", 0.9), ("Weapon", "car bomb", 0.9)]
    assert all(text[s.start:s.end] == s.text for s in reading.spans)
    reading.relevance = 1.0
    (kept,) = assemble(reading, Thresholds(lexicon=0.8))
    assert kept["Weapon"] == [["Car Bomb"]]
    (dropped,) = assemble(reading, Thresholds(lexicon=0.95))
    assert dropped["Weapon"] == []
    # A role's own floor overrides the shared one.
    weapon_floor = tuple(0.95 if role == "Weapon" else -1.0 for role in ROLES)
    (own,) = assemble(reading, Thresholds(lexicon=0.8, lexicon_by_role=weapon_floor))
    assert own["Weapon"] == []


def test_thresholds_round_trip_and_ignore_unknown_names() -> None:
    thresholds = Thresholds(relevant=0.3, lexicon_by_role=(0.5, -1.0, 0.3, -1.0, 0.5),
                            incident_type=TYPE_MOST_NAMED, max_templates=3)
    packed = json.loads(json.dumps(thresholds.to_dict()))
    assert Thresholds.from_dict(packed) == thresholds
    assert Thresholds.from_dict({**packed, "split": 1}) == thresholds


def test_relevance_model_is_fitted_to_rank_reports_above_other_news() -> None:
    # Reports name incidents in most sentences and have tagged fillers; other news neither.
    def doc(named: int, tagged: int, classified: float) -> DocRoles:
        spans = [RoleSpan("Victim", 10 * i, 10 * i + 5, "mayor") for i in range(tagged)]
        sentences = [(20 * i, 20 * i + 20, "attack" if i < named else None) for i in range(5)]
        return DocRoles(classified, {"attack": classified}, spans, 100, 0.1, sentences,
                        classified)
    reports = [doc(n, t, c) for n, t, c in ((3, 2, 0.4), (4, 3, 0.6), (2, 1, 0.5), (5, 2, 0.3))]
    others = [doc(n, t, c) for n, t, c in ((0, 0, 0.5), (1, 0, 0.2), (0, 1, 0.6), (0, 0, 0.3))]
    model = fit_relevance(reports + others, [True] * 4 + [False] * 4)
    assert len(model.weights) == len(Relevance.features(reports[0]))
    assert min(map(model.probability, reports)) > max(map(model.probability, others))
    assert all(0.0 < model.probability(d) < 1.0 for d in reports + others)


def test_halves_estimate_scores_every_document_once_with_thresholds_from_the_other_half() -> None:
    from eventwatch.roles_train import halves_estimate

    pairs = []
    for n in range(8):
        # Written for this test: reports whose fillers the reading finds, and quiet notes.
        relevant = n % 2 == 0
        text = f"guerrillas attacked post {n}." if relevant else f"the market {n} opened."
        spans = [("PerpInd", 0, "guerrillas")] if relevant else []
        doc = reading(0.9 if relevant else 0.1, spans, attack=0.8)
        doc.sentences = sentence_cues(text)
        template = {"incident_type": "attack", "PerpInd": [[["guerrillas", 0]]], "PerpOrg": [],
                    "Target": [], "Victim": [], "Weapon": []}
        pairs.append(({"docid": f"d{n}", "doctext": text,
                       "templates": [template] if relevant else []}, doc))
    for halving in range(3):
        micro = halves_estimate([], pairs, halving=halving)
        assert micro == {"precision": 100.0, "recall": 100.0, "f1": 100.0}
    # A reading that misses the filler of one report costs recall, whichever half it falls in.
    pairs[0][1].spans = []
    assert halves_estimate([], pairs)["recall"] < 100.0
