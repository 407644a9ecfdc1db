"""The pure merging logic: scores and vetoes, reconciliation, the candidate index, B-cubed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

import merge_records
from eventwatch.evaluation.merge_eval import bcubed
from eventwatch.merging import (
    JOIN_THRESHOLD,
    MemoryMerger,
    Report,
    Source,
    decide,
    reconcile,
    report_from_record,
    score_pair,
)
from eventwatch.merging.scoring import same_incident, told_apart


def _reports() -> list[Report]:
    out = []
    for result in merge_records.guzara_reports():
        record = result.events[0].to_dict()
        out.append(report_from_record(record, key=f"k-{result.article.doc_id}",
                                      article_id=result.article.identity,
                                      published=result.article.published,
                                      title=result.article.title))
    return out


def test_reports_of_one_incident_score_above_the_threshold() -> None:
    a, b, c, _ = _reports()
    for x, y in ((a, b), (a, c), (b, c)):
        pair = score_pair(x, y)
        assert pair.veto is None
        assert pair.total >= JOIN_THRESHOLD, (x.report_id, y.report_id, pair)


def test_vetoes_name_the_difference() -> None:
    a, _, _, later = _reports()
    assert score_pair(a, later).veto == "dates 11 days apart"
    kunduz = dataclasses.replace(a, article_id="other", admin1="kunduz", admin2="kunduz",
                                 place="kunduz", lat=36.73, lon=68.86)
    assert score_pair(a, kunduz).veto == "different provinces"
    protest = dataclasses.replace(a, article_id="other", event_type="Protests")
    assert score_pair(a, protest).veto is not None
    assert "incompatible types" in str(score_pair(a, protest).veto)
    same_article = dataclasses.replace(a, report_id="x")
    assert score_pair(a, same_article).veto == "two reports of one article"
    abroad = dataclasses.replace(a, article_id="other", country="pk")
    assert score_pair(a, abroad).veto == "different countries"


def test_decision_keeps_candidates_and_reason() -> None:
    a, b, _, later = _reports()
    joined = decide(b, [("me_1", [a])])
    assert joined.merged_id == "me_1" and joined.score is not None
    assert "same day" in joined.reason and joined.candidates[0].merged_id == "me_1"
    new = decide(later, [("me_1", [a, b])])
    assert new.merged_id is None
    assert "dates" in new.reason and new.candidates[0].score.veto is not None


def test_reconcile_tolls_date_place_and_attribution() -> None:
    sources = []
    for result in merge_records.guzara_reports()[:3]:
        a = result.article
        sources.append(Source(report_id=result.events[0].id, key=a.doc_id, article_id=a.identity,
                              url=a.url, path=None, title=a.title,
                              published=a.published.isoformat() if a.published else None,
                              record=result.events[0].to_dict()))
    merged = reconcile("me_x", list(reversed(sources)))
    assert merged["id"] == "me_x"
    assert (merged["fatalities"]["low"], merged["fatalities"]["best"],
            merged["fatalities"]["high"]) == (6, 9, 9)
    assert merged["date"]["start"] == "2025-03-14" and merged["date"]["precision"] == "day"
    assert merged["location"]["name"] == "Guzara" and merged["location"]["precision"] == "point"
    (perp,) = merged["perpetrators"]
    assert perp["name"] == "Islamic State" and perp["attribution"] == "claimed"
    assert [s["published"] for s in merged["sources"]] == ["2025-03-14", "2025-03-15",
                                                           "2025-03-16"]
    assert merged["sources"][0]["event"]["fatalities"]["best"] == 6  # each its own values
    assert merged["merge"]["value_sources"]["fatalities"] == sources[2].report_id
    assert set(merged) >= set(sources[0].record)  # the Event.to_dict() shape, and more
    with pytest.raises(ValueError, match="no reports"):
        reconcile("me_empty", [])


def _synthetic(n: int, seed: int) -> list[Report]:
    rng = random.Random(seed)
    base = _reports()[0]
    out = []
    for i in range(n):
        incident = rng.randrange(n // 3)
        day = dt.date(2025, 1, 1) + dt.timedelta(days=incident % 40 + rng.choice((0, 0, 1)))
        out.append(dataclasses.replace(
            base, report_id=f"r{i}", key=f"k{i}", article_id=f"a{i}", start=day, end=day,
            published=day, admin1=f"p{incident % 5}", admin2=f"d{incident % 11}",
            place=f"t{incident}", lat=None, lon=None,
            country=("af", "pk")[incident % 2], fatalities=incident % 7 + rng.randrange(3),
            words=frozenset({f"w{incident}", f"v{incident}", "mosque", f"n{i}"})))
    return out


def test_index_finds_every_candidate_that_could_join() -> None:
    """Merging through the (country, day) index decides exactly as comparing with every event."""
    reports = _synthetic(300, seed=7)
    indexed = MemoryMerger()
    everything: dict[str, list[Report]] = {}
    brute: dict[str, str] = {}
    for r in reports:
        indexed.add(r)
        decision = decide(r, list(everything.items()))
        target = decision.merged_id or f"new-{r.report_id}"
        everything.setdefault(target, []).append(r)
        brute[r.report_id] = target
    by_index: dict[str, set[str]] = {}
    by_brute: dict[str, set[str]] = {}
    for r in reports:
        by_index.setdefault(indexed.assignment[r.report_id], set()).add(r.report_id)
        by_brute.setdefault(brute[r.report_id], set()).add(r.report_id)
    assert sorted(map(sorted, by_index.values())) == sorted(map(sorted, by_brute.values()))
    assert 1 < len(by_index) < len(reports)
    assert indexed.comparisons < len(reports) * len(by_index) / 4


def test_ids_are_stable_across_runs() -> None:
    first, second = MemoryMerger(), MemoryMerger()
    for r in _synthetic(120, seed=3):
        first.add(r)
    for r in _synthetic(120, seed=3):
        second.add(r)
    assert first.assignment == second.assignment


def test_bcubed_by_hand() -> None:
    gold = {"a": "1", "b": "1", "c": "2"}
    precision, recall, f1 = bcubed(gold, {"a": "x", "b": "y", "c": "y"})
    assert precision == pytest.approx(2 / 3) and recall == pytest.approx(2 / 3)
    assert f1 == pytest.approx(2 / 3)
    assert bcubed(gold, {"a": "x", "b": "x", "c": "z"}) == (1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="different items"):
        bcubed(gold, {"a": "x"})


def test_fold_matches_the_store_key() -> None:
    from eventwatch.merging.reports import fold as merging_fold
    from eventwatch.store.base import fold as store_fold

    for name in ("Côte d'Ivoire", "  Herat   Province ", "ISTANBUL", "Ağrı"):
        assert merging_fold(name) == store_fold(name)


def _record(start: int, confidence: float, end_day: str | None = None) -> dict[str, object]:
    return {"evidence": [{"start": start, "end": start + 20, "text": "x" * 20}],
            "confidence": confidence, "date": {"start": end_day, "end": end_day}}


def test_main_report_is_the_one_the_article_leads_with() -> None:
    from eventwatch.merging.reports import lead_end, main_first

    text = ("Blast rips through mosque in the north\n\n"
            "A bomb killed four worshippers in a mosque on Friday, police said.\n"
            "Hours earlier, a suicide blast in another province killed 50 people.\n")
    end = lead_end(text, "Blast rips through mosque in the north")
    assert text[:end].endswith("police said.")
    second_paragraph = text.index("Hours earlier")
    records = [_record(second_paragraph, 0.95), _record(0, 0.7)]
    published = dt.date(2023, 9, 29)
    # The incident of the headline and first paragraph leads, however confident the other is.
    assert main_first(records, published, end) == [1, 0]
    # Without a lead the most confident goes first, as before.
    assert main_first(records, published) == [0, 1]
    # A report of an incident long before publication is background even in the lead.
    old = [_record(0, 0.9, "2023-01-02"), _record(second_paragraph, 0.6)]
    assert main_first(old, published, end) == [1, 0]
    # Two reports in the lead (a headline fragment and the first paragraph): confidence decides.
    both = [_record(0, 0.45), _record(text.index("A bomb"), 0.9)]
    assert main_first(both, published, end) == [1, 0]


def test_lead_is_the_first_sentence_even_when_paragraphs_run_together() -> None:
    from eventwatch.merging.reports import lead_end

    one_line = ("A bomb killed four people in a mosque in Hangu on Friday. Hours earlier, a blast "
                "in Mastung killed 52.")
    assert one_line[:lead_end(one_line, None)].endswith("on Friday.")
    titled = "Blast rips through Hangu mosque\n\n" + one_line
    assert titled[:lead_end(titled, None)].endswith("on Friday.")  # a headline line is skipped
    no_stop = "Gunmen attack village in Zamfara"
    assert lead_end(no_stop, None) == len(no_stop)


def _told_twice() -> tuple[Report, Report]:
    """One article's two reports of one blast: the headline's city and the body's district."""
    guzara = _reports()[0]
    city = dataclasses.replace(guzara, report_id="ev_city", key="k-told-0", place="herat",
                               admin2="herat", lat=34.35, lon=62.2, start=None, end=None,
                               precision="unknown", fatalities=None)
    district = dataclasses.replace(guzara, report_id="ev_district", key="k-told-1")
    return city, district


def test_two_reports_of_one_article_are_one_incident_only_when_nothing_tells_them_apart() -> None:
    city, district = _told_twice()
    assert city.article_id == district.article_id
    assert score_pair(city, district).veto == "two reports of one article"
    why = same_incident(district, city)
    assert why is not None and "km apart" in why
    province = dataclasses.replace(city, place="herat", admin2=None, geo_precision="admin1")
    assert "lies in herat" in str(same_incident(district, province))
    # What tells two incidents apart keeps them apart.
    two_days_on = dataclasses.replace(city, start=dt.date(2025, 3, 16), end=dt.date(2025, 3, 16),
                                      precision="day")
    assert same_incident(district, two_days_on) is None
    assert same_incident(district, dataclasses.replace(city, place="guzara")) is None
    assert same_incident(district, dataclasses.replace(city, fatalities=40)) is None
    assert same_incident(district, dataclasses.replace(city, lat=35.0, lon=63.5)) is None
    assert same_incident(district, dataclasses.replace(city, event_type="Battles",
                                                       sub_event_type="Armed clash")) is None
    assert same_incident(district, dataclasses.replace(city, article_id="another")) is None


def test_an_article_telling_one_incident_twice_feeds_one_event() -> None:
    city, district = _told_twice()
    merger = MemoryMerger()
    first = merger.add(city)
    second = merger.add(district)
    assert first.merged_id is None
    assert second.merged_id == merger.assignment["ev_city"]
    assert "same article" in second.reason
    # Another outlet naming only the district now finds the event through the district's cells.
    other = dataclasses.replace(_reports()[2], report_id="ev_other")
    merger.add(other)
    assert merger.assignment["ev_other"] == merger.assignment["ev_city"]
    # Two incidents of one article (two days apart) stay two events.
    apart = MemoryMerger()
    apart.add(dataclasses.replace(city, start=district.start, end=district.end, precision="day"))
    apart.add(dataclasses.replace(district, start=dt.date(2025, 3, 17),
                                  end=dt.date(2025, 3, 17), fatalities=2))
    assert len(set(apart.assignment.values())) == 2


def test_an_event_another_report_of_the_article_matches_better_is_left_to_it() -> None:
    """An article on Monday's blast that recalls Saturday's in the same town: its Monday report
    must not take Saturday's event, which its Saturday report matches better."""
    guzara = _reports()[0]
    saturday = dataclasses.replace(guzara, report_id="ev_sat", article_id="first", fatalities=3)
    monday = dataclasses.replace(guzara, report_id="ev_mon", article_id="second",
                                 start=dt.date(2025, 3, 16), end=dt.date(2025, 3, 16),
                                 fatalities=15)
    recalled = dataclasses.replace(saturday, report_id="ev_recalled", article_id="second",
                                   fatalities=4)
    alone = MemoryMerger()
    alone.add(saturday)
    assert alone.add(monday).merged_id == alone.assignment["ev_sat"]  # what the rule prevents
    merger = MemoryMerger()
    merger.add(saturday)
    decision = merger.add(monday, [recalled])
    assert decision.merged_id is None and "left to report ev_recalled" in decision.reason
    merger.add(recalled)
    assert merger.assignment["ev_recalled"] == merger.assignment["ev_sat"]
    assert merger.assignment["ev_mon"] != merger.assignment["ev_sat"]


def test_a_report_nothing_tells_apart_claims_no_event() -> None:
    """An article on Saturday's funerals after Friday's blast, dated once to each day with one
    toll: nothing says its reports are two incidents, so its main report keeps the event."""
    guzara = _reports()[0]
    friday = dataclasses.replace(guzara, report_id="ev_fri", article_id="first")
    funerals = dataclasses.replace(guzara, report_id="ev_main", article_id="second",
                                   start=dt.date(2025, 3, 15), end=dt.date(2025, 3, 15),
                                   fatalities=8)
    headline = dataclasses.replace(guzara, report_id="ev_headline", article_id="second",
                                   fatalities=None)
    assert told_apart(funerals, headline) is None
    merger = MemoryMerger()
    merger.add(friday)
    assert merger.add(funerals, [headline]).merged_id == merger.assignment["ev_fri"]
    monday = dataclasses.replace(funerals, start=dt.date(2025, 3, 17), end=dt.date(2025, 3, 17))
    assert told_apart(monday, headline) == "dates more than a day apart"
