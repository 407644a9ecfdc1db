"""Conversion of MUC-4 records into the role model's training documents."""

from __future__ import annotations

import spacy

from eventwatch.roles_train import build_lexicon, held_out, to_doc

TEXT = ("guerrillas of the popular liberation front attacked the power station in la union. the "
        "front later said its guerrillas used dynamite; guerrillasX is no word. the station "
        "guard, juan perez, was kidnapped.")


def mention(text: str) -> list[object]:
    return [text, TEXT.index(text)]


RECORD = {"docid": "TST-0001", "doctext": TEXT, "templates": [
    {"incident_type": "bombing", "PerpInd": [[mention("guerrillas")]],
     "PerpOrg": [[mention("popular liberation front"), mention("front")]],
     "Target": [[mention("power station")]], "Victim": [], "Weapon": [[mention("dynamite")]]},
    {"incident_type": "kidnapping", "PerpInd": [], "PerpOrg": [], "Target": [],
     "Victim": [[mention("juan perez")]], "Weapon": []},
]}


def test_every_whole_word_occurrence_is_an_entity_and_the_longest_wins() -> None:
    doc = to_doc(spacy.blank("en"), RECORD)
    ents = [(e.text, e.label_) for e in doc.ents]
    assert ents.count(("guerrillas", "PERPIND")) == 2  # "guerrillasX" is not an occurrence
    assert ("popular liberation front", "PERPORG") in ents
    assert ents.count(("front", "PERPORG")) == 1  # the one inside the long name is dropped
    assert ("power station", "TARGET") in ents and ("station", "TARGET") not in ents
    assert ("dynamite", "WEAPON") in ents and ("juan perez", "VICTIM") in ents
    assert doc.cats["RELEVANT"] == doc.cats["SEVERAL"] == 1.0
    assert doc.cats["bombing"] == doc.cats["kidnapping"] == 1.0 and doc.cats["attack"] == 0.0


def test_text_is_lower_cased_and_empty_documents_are_negative() -> None:
    record = {"docid": "TST-0002", "doctext": "The Army Reported No Incidents.", "templates": []}
    doc = to_doc(spacy.blank("en"), record)
    assert doc.text == "the army reported no incidents." and not doc.ents
    assert set(doc.cats.values()) == {0.0}


def test_held_out_tenth_is_fixed() -> None:
    ids = [f"TST-MUC3-{n:04d}" for n in range(2000)]
    chosen = [d for d in ids if held_out(d)]
    assert chosen == [d for d in ids if held_out(d)]
    assert 150 < len(chosen) < 250


def test_lexicon_keeps_strings_filling_a_role_in_several_documents_with_their_prior() -> None:
    def record(docid: str, text: str, **roles: list[str]) -> dict[str, object]:
        template = {role: [[[m, text.index(m)]] for m in roles.get(role, [])]
                    for role in ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")}
        return {"docid": docid, "doctext": text,
                "templates": [{"incident_type": "bombing", **template}]}

    records = [
        record("A", "the fmln set off a car bomb near a bus.", PerpOrg=["fmln"],
               Weapon=["car bomb"], Target=["bus"]),
        record("B", "a car bomb went off; the fmln denied it.", PerpOrg=["fmln"],
               Weapon=["car bomb"]),
        record("C", "the fmln said the army burned a bus.", PerpOrg=["army"], Target=["bus"]),
        {"docid": "D", "doctext": "the fmln held a congress in mexico.", "templates": []},
    ]
    lexicon = build_lexicon(spacy.blank("en"), records)
    assert lexicon["fmln"] == ("PerpOrg", 0.667)
    assert lexicon["car bomb"] == ("Weapon", 1.0)
    assert lexicon["bus"] == ("Target", 1.0)
    assert "army" not in lexicon  # a filler in one document only
