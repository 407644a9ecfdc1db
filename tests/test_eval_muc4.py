"""The MUC-4 scorer on hand-made cases, and the eval command end to end on a small file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliResult
from eventwatch.evaluation.muc4 import normalise, score, score_document


def gold(kind: str, **roles: list[list[str]]) -> dict[str, object]:
    template: dict[str, object] = {"incident_type": kind}
    for role in ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon"):
        template[role] = [[[m, 0] for m in entity] for entity in roles.get(role, [])]
    return template


def pred(kind: str, **roles: list[list[str]]) -> dict[str, object]:
    template: dict[str, object] = {"incident_type": kind}
    for role in ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon"):
        template[role] = roles.get(role, [])
    return template


def test_normalise() -> None:
    assert normalise('The  "Santo Tomas" farm, a place.') == "santo tomas farm place"
    assert normalise("an FMLN-led attack") == "fmlnled attack"


def test_perfect_prediction() -> None:
    g = gold("attack", PerpInd=[["guerrillas", "guerrilla column"]], Victim=[["cerezo"]])
    p = pred("attack", PerpInd=[["guerrilla column"]], Victim=[["Cerezo"]])
    result = score({"d": [p]}, {"d": [g]})
    assert result.micro.prf() == (1.0, 1.0, 1.0)


def test_no_partial_credit() -> None:
    g = gold("attack", PerpInd=[["guerrillas"]])
    p = pred("attack", PerpInd=[["guerrilla"]])
    counts, _ = score_document([p], [g])
    assert (counts["PerpInd"].p_num, counts["PerpInd"].r_num) == (0, 0)
    assert (counts["incident_type"].p_num, counts["incident_type"].r_num) == (1, 1)


def test_type_substring_rule() -> None:
    g = gold("bombing / attack", Target=[["bus"]])
    counts, _ = score_document([pred("attack", Target=[["bus"]])], [g])
    assert counts["Target"].p_num == 1 and counts["incident_type"].p_num == 1
    counts, _ = score_document([pred("kidnapping", Target=[["bus"]])], [g])
    # Not a pair: both templates stand alone and add to the denominators only.
    assert counts["Target"].p_num == 0 and counts["Target"].p_den == 1
    assert counts["Target"].r_den == 1 and counts["incident_type"].p_den == 1


def test_duplicate_matches_are_all_correct_but_recall_once() -> None:
    g = gold("attack", PerpOrg=[["fmln", "farabundo marti national liberation front"]])
    p = pred("attack", PerpOrg=[["FMLN"], ["Farabundo Marti National Liberation Front"]])
    counts, _ = score_document([p], [g])
    assert (counts["PerpOrg"].p_num, counts["PerpOrg"].p_den) == (2, 2)
    assert (counts["PerpOrg"].r_num, counts["PerpOrg"].r_den) == (1, 1)


def test_entity_of_several_strings_needs_all_to_match() -> None:
    g = gold("attack", Target=[["embassy", "us embassy"]])
    counts, _ = score_document([pred("attack", Target=[["embassy", "consulate"]])], [g])
    assert counts["Target"].p_num == 0


def test_best_alignment_is_chosen() -> None:
    g1 = gold("attack", Victim=[["peasant"]])
    g2 = gold("attack", Victim=[["mayor"]])
    p = pred("attack", Victim=[["mayor"]])
    counts, fallback = score_document([p], [g1, g2])
    assert counts["Victim"].p_num == 1 and not fallback
    assert counts["incident_type"].r_den == 2  # the unpaired gold template still counts


def test_unmatched_documents_and_empty_predictions() -> None:
    g = gold("arson", Target=[["bus"]])
    result = score({}, {"d": [g], "e": []})
    assert result.micro.prf() == (0.0, 0.0, 0.0)
    assert result.fields["Target"].r_den == 1 and result.docs == 2


def test_large_documents_fall_back_to_greedy() -> None:
    golds = [gold("attack", Victim=[[f"v{i}"]]) for i in range(9)]
    preds = [pred("attack", Victim=[[f"v{i}"]]) for i in range(9)]
    counts, fallback = score_document(preds, golds)
    assert fallback and counts["Victim"].p_num == 9


def test_eval_command_events_method_on_a_small_corpus(cli: Callable[..., CliResult],
                                                      tmp_path: Path) -> None:
    text = ("san salvador, 3 jan 90 -- urban guerrillas of the farabundo marti national "
            "liberation front (fmln) today bombed a bus in san salvador, killing four passengers, "
            "police said.")
    record = {"docid": "DEV-1", "doctext": text, "templates": [gold(
        "bombing", PerpInd=[["urban guerrillas"]],
        PerpOrg=[["farabundo marti national liberation front", "fmln"]],
        Target=[["bus"]], Victim=[["four passengers"]])]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    out = tmp_path / "preds.json"
    result = cli("eval", "muc4", str(path), "--predictions-out", str(out), "--json",
                 "--method", "events")
    assert result.code == 0, result.err
    scores = json.loads(result.out)
    assert scores["docs"] == 1 and scores["incident_type"]["f1"] == 100.0
    predictions = json.loads(out.read_text(encoding="utf-8"))
    (template,) = predictions["DEV-1"]["pred_templates"]
    assert template["incident_type"] == "bombing"
    assert ["fmln"] in template["PerpOrg"] or [
        "farabundo marti national liberation front"] in template["PerpOrg"]


def test_eval_command_reports_bad_gold_file(cli: Callable[..., CliResult],
                                            tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("{not json\n", encoding="utf-8")
    result = cli("eval", "muc4", str(path))
    assert result.code == 1 and "bad.jsonl" in result.err


@pytest.mark.parametrize("missing", ["nope.jsonl"])
def test_eval_command_missing_file(cli: Callable[..., CliResult], tmp_path: Path,
                                   missing: str) -> None:
    assert cli("eval", "muc4", str(tmp_path / missing)).code == 1
