"""Scoring the geoparser on a corpus in the LGL XML format (Lieberman et al. 2010).

Format: ``<articles><article docid=…><text>…</text><toponyms><toponym><start/><end/><phrase/>
[<gaztag geonameid=…><lat/><lon/><fcode/><country/>…</gaztag>]</toponym>…`` with character offsets
into ``text``. Each article's text is geoparsed as it stands (no cleaning, so offsets agree).

Metrics, summed over documents:

- **Spans.** A predicted span matches a gold span when the two overlap. Matching is one-to-one:
  gold toponyms are taken in text order and each takes the still unmatched overlapping prediction
  with the largest overlap. Precision = matches / predictions, recall = matches / gold toponyms.
- **Resolution**, over the gold toponyms that have coordinates (``geo_gold``). The error of one is
  the haversine distance (mean Earth radius 6371.0088 km) between its gold point and the point of
  the prediction matched to it. A gold toponym without a matched prediction (or matched to a place
  without coordinates) is a *miss*.
  - ``acc161``: share of ``geo_gold`` whose error is under 161 km (100 miles); misses fail.
  - ``id_acc``: share of the gold toponyms with a GeoNames id whose matched prediction has the
    same id (misses fail); ``id_acc_matched`` over matched ones. Separates a wrong place from the
    right place given another point (our gazetteer's country and state points are not GeoNames').
  - ``mean_km`` / ``median_km``: over the matched ones only (misses have no distance).
  - ``auc``: the area under the curve of sorted log errors as computed by Gritta et al. ("What's
    missing in geographical parsing?", 2018, ``methods.py``):
    ``trapz(sort(ln(1 + e_i)), dx=1) / (ln(20039) * (n - 1))`` over all ``geo_gold``, where a
    miss gets the maximum error ``MAX_ERROR_KM`` = 20039 km (half the equator). 0 is perfect, about
    1 is worst; lower is better. ``auc_matched`` is the same over the matched ones only, the figure
    papers report when they score only recognised toponyms.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..gazetteer import haversine_km
from ..geoparse import geoparse_article
from ..models import Article
from ..settings import Settings, load_settings
from ..source_profile import SourceProfiles

__all__ = ["MAX_ERROR_KM", "GeoScore", "GoldArticle", "GoldToponym", "arrival_order",
           "auc_of_errors", "haversine_km", "match_spans", "online_geoparser", "read_lgl",
           "run_geoparse_eval", "score_documents"]

MAX_ERROR_KM = 20039.0
ACC_KM = 161.0


@dataclass(frozen=True, slots=True)
class GoldToponym:
    start: int
    end: int
    phrase: str
    geonames_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    fcode: str | None = None
    country: str | None = None


@dataclass(slots=True)
class GoldArticle:
    docid: str
    text: str
    toponyms: list[GoldToponym]
    # The feed metadata LGL carries: the source's domain, the article's URL and when it was
    # downloaded (the order a feed reader would have seen the articles in).
    domain: str | None = None
    url: str | None = None
    dltime: dt.datetime | None = None

    def article(self) -> Article:
        """The article as the geoparser reads it: the text, and its source (for profiles)."""
        return Article(doc_id=self.docid, text=self.text, url=self.url, site_name=self.domain)


def auc_of_errors(errors_km: list[float]) -> float:
    """Gritta et al.'s AUC of the sorted ``ln(1 + error)`` curve, normalised by ``ln(20039)``."""
    if not errors_km:
        return 0.0
    logs = sorted(math.log1p(e) for e in errors_km)
    if len(logs) == 1:
        return logs[0] / math.log(MAX_ERROR_KM)
    area = sum((a + b) / 2 for a, b in itertools.pairwise(logs))
    return area / (math.log(MAX_ERROR_KM) * (len(logs) - 1))


def _text(element: Any, tag: str, where: str) -> str:
    value = element.findtext(tag)
    if value is None:
        raise ValueError(f"{where}: missing <{tag}>")
    return str(value)


def _float(value: str | None) -> float | None:
    if value is None or not value.strip():
        return None
    return float(value)


def _time(value: str | None) -> dt.datetime | None:
    if not value or not value.strip():
        return None
    try:
        return dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None  # an unreadable time orders nothing; the article is still scored


def read_lgl(path: str | Path) -> list[GoldArticle]:
    """Articles of an LGL-format XML file. ``ValueError`` for a file that is not one.

    Parsed with entity resolution and network access off, so a hostile file can neither read
    local files nor fetch anything.
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not well-formed XML: {exc}") from exc
    if root.tag != "articles":
        raise ValueError(f"the root element is <{root.tag}>, not <articles> (LGL format)")
    articles: list[GoldArticle] = []
    for number, node in enumerate(root.iterfind("article"), start=1):
        docid = node.get("docid") or f"article-{number}"
        text = _text(node, "text", f"article {docid}")
        toponyms: list[GoldToponym] = []
        for top in node.iterfind("toponyms/toponym"):
            where = f"article {docid}, toponym {len(toponyms) + 1}"
            try:
                start, end = int(_text(top, "start", where)), int(_text(top, "end", where))
                gaz = top.find("gaztag")
                gid = gaz.get("geonameid") if gaz is not None else None
                toponyms.append(GoldToponym(
                    start=start, end=end,
                    phrase=top.findtext("phrase") or text[start:end],
                    geonames_id=int(gid) if gid else None,
                    lat=_float(gaz.findtext("lat")) if gaz is not None else None,
                    lon=_float(gaz.findtext("lon")) if gaz is not None else None,
                    fcode=gaz.findtext("fcode") if gaz is not None else None,
                    country=gaz.findtext("country") if gaz is not None else None,
                ))
            except ValueError as exc:
                raise ValueError(f"{where}: {exc}") from exc
            if not 0 <= start < end <= len(text):
                raise ValueError(f"{where}: span {start}-{end} is outside the text")
        articles.append(GoldArticle(docid, text, toponyms, node.findtext("domain") or None,
                                    node.findtext("url") or None, _time(node.findtext("dltime"))))
    if not articles:
        raise ValueError("no <article> elements (LGL format)")
    return articles


def match_spans(gold: list[GoldToponym], predicted: list[dict[str, Any]]
                ) -> list[int | None]:
    """For each gold toponym, the index of its matched prediction (one-to-one), else None."""
    used: set[int] = set()
    out: list[int | None] = []
    for top in gold:
        best, best_overlap = None, 0
        for index, pred in enumerate(predicted):
            overlap = min(top.end, int(pred["end"])) - max(top.start, int(pred["start"]))
            if overlap > best_overlap and index not in used:
                best, best_overlap = index, overlap
        if best is not None:
            used.add(best)
        out.append(best)
    return out


@dataclass(slots=True)
class _Group:
    """Counts for one slice of the gold toponyms (a feature code, a country)."""

    gold: int = 0
    found: int = 0
    geo: int = 0
    within: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"gold": self.gold, "span_recall": _pct(self.found, self.gold), "geo": self.geo,
                "acc161": _pct(self.within, self.geo)}


def _pct(num: int, den: int) -> float:
    return round(100 * num / den, 1) if den else 0.0


@dataclass(slots=True)
class GeoScore:
    docs: int = 0
    predicted: int = 0
    gold: int = 0
    matched: int = 0
    geo_gold: int = 0
    errors_km: list[float] = field(default_factory=list)  # matched, with coordinates
    id_gold: int = 0  # gold toponyms with a GeoNames id
    id_matched: int = 0  # ... of which a prediction matched the span
    id_correct: int = 0  # ... of which the prediction has the same GeoNames id
    seconds: float = 0.0
    by_fcode: dict[str, _Group] = field(default_factory=lambda: defaultdict(_Group))
    by_country: dict[str, _Group] = field(default_factory=lambda: defaultdict(_Group))
    missed: Counter[str] = field(default_factory=Counter)  # gold phrases with no span
    wrong: Counter[str] = field(default_factory=Counter)  # "phrase -> predicted name" > 161 km
    spurious: Counter[str] = field(default_factory=Counter)  # predicted text matching no gold

    def add(self, gold: list[GoldToponym], predicted: list[dict[str, Any]]) -> None:
        self.docs += 1
        self.gold += len(gold)
        self.predicted += len(predicted)
        matches = match_spans(gold, predicted)
        for top, index in zip(gold, matches, strict=True):
            has_geo = top.lat is not None and top.lon is not None
            groups = [self.by_fcode[top.fcode or "(none)"],
                      self.by_country[top.country or "(none)"]]
            for group in groups:
                group.gold += 1
                group.found += index is not None
                group.geo += has_geo
            if index is None:
                self.missed[top.phrase] += 1
            else:
                self.matched += 1
            pred = predicted[index] if index is not None else None
            if top.geonames_id is not None:
                self.id_gold += 1
                self.id_matched += pred is not None
                self.id_correct += pred is not None and pred["geonames_id"] == top.geonames_id
            if not has_geo:
                continue
            self.geo_gold += 1
            if pred is None or pred["lat"] is None or pred["lon"] is None:
                continue
            assert top.lat is not None and top.lon is not None
            error = haversine_km(top.lat, top.lon, float(pred["lat"]), float(pred["lon"]))
            self.errors_km.append(error)
            if error < ACC_KM:
                for group in groups:
                    group.within += 1
            else:
                self.wrong[f"{top.phrase} -> {pred['name']} ({pred['country_code']})"] += 1
        matched = {i for i in matches if i is not None}
        for index, pred in enumerate(predicted):
            if index not in matched:
                self.spurious[str(pred["text"])] += 1

    def to_dict(self, top: int = 15) -> dict[str, Any]:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        within = sum(1 for e in self.errors_km if e < ACC_KM)
        misses = self.geo_gold - len(self.errors_km)
        errors = self.errors_km
        return {
            "docs": self.docs,
            "seconds": round(self.seconds, 2),
            "docs_per_second": round(self.docs / self.seconds, 2) if self.seconds else None,
            "spans": {"predicted": self.predicted, "gold": self.gold, "matched": self.matched,
                      "precision": round(100 * p, 1), "recall": round(100 * r, 1),
                      "f1": round(100 * f, 1)},
            "resolution": {
                "geo_gold": self.geo_gold,
                "resolved": len(errors),
                "missed": misses,
                "acc161": _pct(within, self.geo_gold),
                "acc161_matched": _pct(within, len(errors)),
                "mean_km": round(statistics.fmean(errors), 1) if errors else None,
                "median_km": round(statistics.median(errors), 1) if errors else None,
                "auc": round(auc_of_errors(errors + [MAX_ERROR_KM] * misses), 3),
                "auc_matched": round(auc_of_errors(errors), 3),
                "id_gold": self.id_gold,
                "id_acc": _pct(self.id_correct, self.id_gold),
                "id_acc_matched": _pct(self.id_correct, self.id_matched),
            },
            "by_fcode": {k: g.to_dict() for k, g in
                         sorted(self.by_fcode.items(), key=lambda kv: -kv[1].gold)},
            "by_country": {k: g.to_dict() for k, g in
                           sorted(self.by_country.items(), key=lambda kv: -kv[1].gold)[:top]},
            "top_missed": [[k, n] for k, n in self.missed.most_common(top)],
            "top_wrong": [[k, n] for k, n in self.wrong.most_common(top)],
            "top_spurious": [[k, n] for k, n in self.spurious.most_common(top)],
        }


Geoparser = Callable[[Article], list[dict[str, Any]]]


def score_documents(articles: list[GoldArticle], geoparse: Geoparser) -> GeoScore:
    """Score ``geoparse`` (an Article -> places function) on gold articles; timed."""
    score = GeoScore()
    started = time.perf_counter()
    for gold in articles:
        predicted = geoparse(gold.article())
        score.add(gold.toponyms, predicted)
    score.seconds = time.perf_counter() - started
    return score


def arrival_order(articles: list[GoldArticle]) -> list[GoldArticle]:
    """The articles in the order a feed reader would have got them: by download time (as UTC),
    those without one after the rest, in file order."""
    timed = [a for a in articles if a.dltime is not None]
    untimed = [a for a in articles if a.dltime is None]
    return sorted(timed, key=_utc) + untimed


def _utc(article: GoldArticle) -> dt.datetime:
    assert article.dltime is not None
    when = article.dltime
    return when.astimezone(dt.UTC) if when.tzinfo else when.replace(tzinfo=dt.UTC)


def online_geoparser(settings: Settings) -> Geoparser:
    """A geoparser that builds source profiles online: each article is read with what its
    source's earlier articles taught (``source_profile``), then taught to the profile. Feed
    it the articles in arrival order."""
    from ..gazetteer import load_gazetteer

    profiles = SourceProfiles()
    gazetteer = load_gazetteer(settings.places_file or None)

    def parse(article: Article) -> list[dict[str, Any]]:
        places = geoparse_article(article, settings, profiles.for_article(article))
        profiles.learn(article, places, gazetteer)
        return places

    return parse


def run_geoparse_eval(path: str | Path, settings: Settings | None = None, *,
                      profiles: bool = True) -> GeoScore:
    """Geoparse every article of an LGL-format file and score it (model loading is timed).

    With ``profiles`` (the default) the articles are read in arrival order and each source's
    profile is built online from its earlier articles; without, each article alone."""
    settings = settings or load_settings()
    articles = read_lgl(path)
    if not profiles:
        return score_documents(articles, lambda a: geoparse_article(a, settings))
    return score_documents(arrival_order(articles), online_geoparser(settings))
