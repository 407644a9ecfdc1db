"""Source profiles: where a source's earlier articles were, as a prior for later namesakes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliResult
from eventwatch.evaluation.geoparse import arrival_order, read_lgl, run_geoparse_eval
from eventwatch.gazetteer import Gazetteer, load_gazetteer
from eventwatch.geoparse import geoparse_article
from eventwatch.models import Article
from eventwatch.source_profile import SourceProfile, SourceProfiles, source_key, sure_units

# Articles written for these tests: two local papers, one in Kentucky, one in Virginia.
KENTUCKY = [
    "BEREA, Ky. - The Madison County Fiscal Court approved a new jail budget on Tuesday, "
    "and magistrates said the vote would be the last before the summer recess.",
    "A barn fire near Paint Lick in Garrard County kept volunteer firefighters busy for "
    "most of Sunday night; no one was hurt, the Kentucky State Police said.",
]
VIRGINIA = [
    "Roanoke, Va. - County supervisors approved a new budget for the schools on Monday "
    "night. The Virginia Department of Transportation will repave the road next spring.",
    "A fire destroyed a barn near Harrisonburg, Virginia, early Sunday. No one was hurt, "
    "the Rockingham County sheriff said.",
]
BARE = "{} police arrested two men after a shooting outside a restaurant on Friday night."


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer(None)


def _article(text: str, source: str, n: int = 0) -> Article:
    return Article(doc_id=f"{source}-{n}", text=text, url=f"https://www.{source}/news/{n}")


def _learnt(texts: list[str], source: str, gaz: Gazetteer) -> SourceProfiles:
    profiles = SourceProfiles()
    for n, text in enumerate(texts):
        article = _article(text, source, n)
        profiles.learn(article, geoparse_article(article, profile=profiles.for_article(article)),
                       gaz)
    return profiles


def _admin1(text: str, name: str, profile: SourceProfile | None) -> str | None:
    places = geoparse_article(_article(text, "later.example"), profile=profile)
    found = [p for p in places if p["text"] == name]
    assert found, places
    return found[0]["admin1"]


def test_source_key() -> None:
    assert source_key(Article("a", "x", url="http://[bad", site_name="Valley News")) == \
        "valley news"
    assert source_key(Article("a", "x", url="http://[bad")) is None
    assert source_key(Article("a", "x", url="https://www.Example.com/a?b=1")) == "example.com"
    assert source_key(Article("a", "x", site_name="The Register")) == "the register"
    assert source_key(Article("a", "x")) is None


def test_profile_learns_the_divisions_of_earlier_articles(gaz: Gazetteer) -> None:
    profiles = _learnt(KENTUCKY, "kypaper.example", gaz)
    profile = profiles.for_article(_article("", "kypaper.example"))
    assert profile is not None and profile.articles == 2
    assert profile.home() == {("US", "Kentucky"): 1.0}
    assert SourceProfile("empty.example").home() == {}


def test_sure_units_need_a_container_or_an_unambiguous_name(gaz: Gazetteer) -> None:
    # "Richmond" alone is no evidence (many states have one); "Richmond, Ky." is.
    bare = "Richmond police said the road was closed."
    assert sure_units(bare, geoparse_article(Article("a", bare)), gaz) == set()
    written = "Police in Richmond, Ky., said the road was closed."
    assert sure_units(written, geoparse_article(Article("b", written)), gaz) == {
        ("US", "Kentucky")}


def test_a_kentucky_paper_makes_a_bare_richmond_kentuckys(gaz: Gazetteer) -> None:
    profile = _learnt(KENTUCKY, "kypaper.example", gaz).for_article(
        _article("", "kypaper.example"))
    text = BARE.format("Richmond")
    assert _admin1(text, "Richmond", None) == "Virginia"  # the largest Richmond alone
    assert _admin1(text, "Richmond", profile) == "Kentucky"


def test_a_virginia_paper_makes_a_bare_lexington_virginias(gaz: Gazetteer) -> None:
    profile = _learnt(VIRGINIA, "vapaper.example", gaz).for_article(
        _article("", "vapaper.example"))
    text = BARE.format("Lexington")
    assert _admin1(text, "Lexington", None) == "Kentucky"
    assert _admin1(text, "Lexington", profile) == "Virginia"


def test_a_story_that_names_its_state_is_not_overridden(gaz: Gazetteer) -> None:
    profile = _learnt(KENTUCKY, "kypaper.example", gaz).for_article(
        _article("", "kypaper.example"))
    text = "RICHMOND, Va. - Police arrested two men after a shooting on Friday night."
    assert _admin1(text, "RICHMOND", profile) == "Virginia"
    text = "Lexington police met colleagues from Virginia to plan the festival."
    assert _admin1(text, "Lexington", profile) == _admin1(text, "Lexington", None)


def test_a_state_without_the_namesake_leaves_the_prior_on(gaz: Gazetteer) -> None:
    # Arizona has no Richmond: naming it says nothing about which Richmond this is.
    profile = _learnt(KENTUCKY, "kypaper.example", gaz).for_article(
        _article("", "kypaper.example"))
    text = "Richmond police arrested a man who had driven a stolen truck from Arizona."
    assert _admin1(text, "Richmond", None) == "Virginia"
    assert _admin1(text, "Richmond", profile) == "Kentucky"


def test_no_profile_changes_nothing(gaz: Gazetteer) -> None:
    for text in [BARE.format("Lexington"), BARE.format("Springfield"), *KENTUCKY]:
        plain = geoparse_article(Article("a", text))
        assert geoparse_article(_article(text, "new.example")) == plain
        assert geoparse_article(_article(text, "new.example"),
                                profile=SourceProfile("new.example")) == plain


LGL_TWO = """<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="later">
    <domain>vapaper.example</domain><url>http://vapaper.example/2</url>
    <dltime>2009-03-21 09:00:00.000000-05</dltime>
    <text><![CDATA[{later}]]></text>
    <toponyms><toponym><start>0</start><end>9</end><phrase>Lexington</phrase>
      <gaztag geonameid="4769608"><fcode>PPLA2</fcode><lat>37.78402</lat><lon>-79.44282</lon>
      </gaztag></toponym></toponyms>
  </article>
  <article docid="earlier">
    <domain>vapaper.example</domain><url>http://vapaper.example/1</url>
    <dltime>2009-03-20 23:30:00.000000-08</dltime>
    <text><![CDATA[{earlier}]]></text>
  </article>
</articles>
"""


def test_eval_builds_profiles_online_in_download_order(tmp_path: Path,
                                                       cli: Callable[..., CliResult]) -> None:
    corpus = tmp_path / "two.xml"
    corpus.write_text(LGL_TWO.format(later=BARE.format("Lexington"), earlier=VIRGINIA[0]),
                      encoding="utf-8")
    articles = read_lgl(corpus)
    assert [a.domain for a in articles] == ["vapaper.example"] * 2
    # 23:30 at UTC-8 on the 20th is 07:30 UTC on the 21st, before 09:00 at UTC-5 (14:00 UTC):
    # the file's second article arrived first.
    assert [a.docid for a in arrival_order(articles)] == ["earlier", "later"]
    alone = run_geoparse_eval(corpus, profiles=False).to_dict()["resolution"]
    online = run_geoparse_eval(corpus).to_dict()["resolution"]
    assert alone["acc161"] == 0.0  # Lexington, Ky., is about 400 km away
    assert online["acc161"] == 100.0
    for flags, acc in (((), 100.0), (("--no-source-profiles",), 0.0)):
        result = cli("eval", "geoparse", str(corpus), "--json", *flags)
        assert result.code == 0, result.err
        assert json.loads(result.out)["resolution"]["acc161"] == acc


def test_cli_geoparse_reads_each_document_with_its_sources_profile(
        cli: Callable[..., CliResult], tmp_path: Path) -> None:
    lines = [{"id": f"v{n}", "text": text, "url": f"https://www.valley.example/{n}"}
             for n, text in enumerate([*VIRGINIA, BARE.format("Lexington")])]
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")

    def lexington(*flags: str) -> str:
        result = cli("geoparse", str(path), *flags)
        assert result.code == 0, result.err
        last = json.loads(result.out.splitlines()[-1])
        assert last["doc_id"] == "v2"
        (place,) = [p for p in last["places"] if p["text"] == "Lexington"]
        return str(place["admin1"])

    assert lexington() == "Virginia"
    assert lexington("--no-source-profiles") == "Kentucky"


def test_cli_geoparse_reads_a_document_whose_url_cannot_be_parsed(
        cli: Callable[..., CliResult], tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"id": "bad", "text": VIRGINIA[0], "url": "http://[bad"}) + "\n"
                    + json.dumps({"id": "ok", "text": VIRGINIA[1],
                                  "url": "https://valley.example/2"}) + "\n", encoding="utf-8")
    result = cli("geoparse", str(path))
    assert result.code == 0, result.err
    docs = [json.loads(line) for line in result.out.splitlines()]
    assert [d["doc_id"] for d in docs] == ["bad", "ok"]
    assert any(p["admin1"] == "Virginia" for p in docs[0]["places"])
