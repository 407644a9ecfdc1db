"""The lexicon context model: matches, their features, and a fit that learns from context."""

from __future__ import annotations

import spacy

from eventwatch.roles import RoleModel, Thresholds, sentence_cues, token_sentences
from eventwatch.roles_context import FillerContext, LexiconMatch, lexicon_matches, match_features
from eventwatch.roles_train import fit_filler_context

LEXICON = {"army": ("PerpOrg", 0.3), "car bomb": ("Weapon", 0.8), "car": ("Target", 0.2)}


def test_lexicon_matches_are_whole_tokens_with_overlaps() -> None:
    words = ["the", "army", "found", "a", "car", "bomb", "near", "the", "cars"]
    found = [(m.key, m.role, m.start, m.end) for m in lexicon_matches(words, LEXICON, 2)]
    assert found == [("army", "PerpOrg", 1, 2), ("car", "Target", 4, 5),
                     ("car bomb", "Weapon", 4, 6)]


def test_match_features_see_the_words_around_and_the_sentence() -> None:
    text = "rebels fled. the army attacked the town."
    doc = spacy.blank("en").make_doc(text)
    words = [t.text for t in doc]
    sentence_of = token_sentences(doc, sentence_cues(text))
    assert sentence_of[0] == (0, None) and sentence_of[4] == (1, "attack")
    match = LexiconMatch("army", "PerpOrg", 4, 5, 0.3)
    features = match_features(words, sentence_of, match, 0.3, times=1)
    assert "r=PerpOrg|R1=attacked" in features and "r=PerpOrg|L1=the" in features
    assert "r=PerpOrg|cue=attack" in features and "r=PerpOrg|sent=1" in features
    assert "r=PerpOrg|p=3" in features


# Written for this project: "the army" is the attacker in some reports and only arrives in others.
def record(docid: str, text: str, attacker: bool) -> dict[str, object]:
    perp = [[["the army", text.index("the army")]]] if attacker else []
    return {"docid": docid, "doctext": text, "templates": [
        {"incident_type": "attack", "PerpInd": [], "PerpOrg": perp, "Target": [],
         "Victim": [], "Weapon": []}]}


def test_fitted_context_model_prefers_the_attacking_army() -> None:
    records = []
    for n in range(12):
        records.append(record(f"a{n}", f"the army attacked village {n}. two died.", True))
        records.append(record(f"b{n}", f"rebels burned village {n}. later the army arrived.",
                              False))
    nlp = spacy.blank("en")
    context = fit_filler_context(nlp, records, {"army": ("PerpOrg", 0.5)}, epochs=6)
    model = RoleModel(nlp, Thresholds(), {}, {"army": ("PerpOrg", 0.5)}, context=context)
    attacked, arrived = model.tag(["The army attacked a farm.", "Rebels burned a farm. "
                                   "Later the army arrived."])
    (attacking,), (arriving,) = attacked.spans, arrived.spans
    assert attacking.text == "army" and arriving.text == "army"
    assert attacking.prior is not None and arriving.prior is not None
    assert attacking.prior > 0.5 > arriving.prior
    # Without a context model a match keeps the lexicon's prior.
    (plain,) = RoleModel(nlp, Thresholds(), {}, {"army": ("PerpOrg", 0.5)}).tag(
        ["The army attacked a farm."])
    assert [s.prior for s in plain.spans] == [0.5]


def test_context_probability_is_a_logistic_of_the_summed_weights() -> None:
    context = FillerContext({"bias": 0.0, "L1=by": 2.0})
    assert context.probability(["bias"]) == 0.5
    assert context.probability(["bias", "L1=by", "unknown"]) > 0.85
