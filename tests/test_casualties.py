from __future__ import annotations

import pytest

from eventwatch.casualties import combine, find_casualties, parse_number


@pytest.mark.parametrize(("text", "kind", "best", "low", "high"), [
    ("an April shooting that killed six Shia", "killed", 6, 6, 6),
    ("the slaughter of 14 civilians", "killed", 14, 14, 14),
    ("at least 5 dead", "killed", 5, 5, None),
    ("the death toll rose to 9 on Friday", "killed", 9, 9, 9),
    ("the death toll has now reached 10", "killed", 10, 10, 10),
    ("between 8 and 11 people were killed", "killed", 8, 8, 11),
    ("up to 30 people died", "killed", 30, None, 30),
    ("wounding twenty-three others", "injured", 23, 23, 23),
    ("1,200 people were killed", "killed", 1200, 1200, 1200),
    ("dozens of people were killed", "killed", 12, 12, 12),
    ("the blast left 4 people dead", "killed", 4, 4, 4),
])
def test_patterns(text: str, kind: str, best: int, low: int | None, high: int | None) -> None:
    (mention,) = find_casualties(text)
    assert mention.kind == kind
    assert (mention.count.best, mention.count.low, mention.count.high) == (best, low, high)
    assert mention.count.span is not None
    assert text[mention.count.span.start:mention.count.span.end] == mention.count.span.text


def test_killed_and_wounded_in_one_phrase() -> None:
    found = find_casualties("at least 5 dead and 15 wounded")
    assert [(m.kind, m.count.best) for m in found] == [("killed", 5), ("injured", 15)]


def test_no_count_no_number() -> None:
    assert find_casualties("gunmen attacked a checkpoint, killing soldiers") == []
    assert find_casualties("the group has five commanders") == []
    assert find_casualties("casualties were reported") == []


def test_combine_keeps_the_rising_toll() -> None:
    found = find_casualties("six people were killed. The death toll rose to 9.")
    count = combine(found, "killed")
    assert (count.best, count.low) == (9, 6)
    assert combine(found, "injured").best is None  # unknown stays None, never 0


@pytest.mark.parametrize(("text", "value"), [("six", 6), ("twenty-one", 21), ("1,204", 1204),
                                             ("a dozen", 12), ("banana", None)])
def test_parse_number(text: str, value: int | None) -> None:
    assert parse_number(text) == value


def test_a_stated_zero_is_zero_and_silence_stays_unknown() -> None:
    (killed,) = find_casualties("Nobody was killed in the blast, police said.")
    assert (killed.kind, killed.count.best) == ("killed", 0)
    (injured,) = find_casualties("No one was hurt.")
    assert (injured.kind, injured.count.best) == ("injured", 0)
    assert find_casualties("There were no immediate reports of casualties.") == []
    mixed = find_casualties("No one was killed at first; later 3 people died.")
    assert combine(mixed, "killed").best == 3


def test_counts_of_different_groups_add_up() -> None:
    found = find_casualties("troops repelled the assault, killing about 20 attackers. Four "
                            "soldiers died in the fighting.")
    assert combine(found, "killed").best == 24
    same = find_casualties("killing 12 people. At least 12 people were killed.")
    assert combine(same, "killed").best == 12


def test_no_casualties_is_zero_killed_and_injured() -> None:
    found = find_casualties("the strike caused a fire but no casualties, officials said")
    assert combine(found, "killed").best == 0 and combine(found, "injured").best == 0
    assert find_casualties("there were no immediate reports of casualties") == []


@pytest.mark.parametrize(("text", "expected"), [
    # (kind, best, group) of each mention, in text order
    ("Five soldiers and three attackers were killed in the assault.",
     [("killed", 5, "soldier"), ("killed", 3, "attacker")]),
    ("The bomber died at the scene.", [("killed", 1, "bomber")]),
    ("A suicide bomber blew himself up inside the mosque, killing 12 people.",
     [("killed", 1, "bomber"), ("killed", 12, None)]),
    ("Two suicide bombers blew themselves up at the gate.", [("killed", 2, "bomber")]),
    ("Two militants were killed.", [("killed", 2, "militant")]),
    ("The police recovered 10 bodies of armed militants.", [("killed", 10, "militant")]),
    ("The gunman was shot dead by police after killing 3 people.",
     [("killed", 1, "gunman"), ("killed", 3, None)]),
    # The attackers' deed, not their death; two sides both attacked: one summed count.
    ("The attackers killed 4 people.", [("killed", 4, None)]),
    ("The blast killed five soldiers and three civilians.", [("killed", 8, None)]),
])
def test_attackers_dead_are_counted_apart(text: str, expected: list[tuple[str, int, str | None]]
                                          ) -> None:
    found = find_casualties(text)
    assert [(m.kind, m.count.best, m.group) for m in found] == expected
    for m in found:
        assert m.count.span is not None
        assert text[m.count.span.start:m.count.span.end] == m.count.span.text


def test_split_keeps_perpetrator_deaths_out_of_the_toll() -> None:
    from eventwatch.casualties import split_perpetrator_deaths

    found = find_casualties("Five soldiers and three attackers were killed and 7 people were "
                            "wounded. The bomber died.")
    others, attackers = split_perpetrator_deaths(found)
    assert combine(others, "killed").best == 5 and combine(others, "injured").best == 7
    assert combine(attackers, "killed").best == 3  # the first figure stands, as for any toll
