"""Cross-document merging at scale: ``python bench/merge.py [--mentions N] [--seed S]``.

Generates N synthetic event mentions (one per synthetic article) with realistic clusters: each
incident is reported by 1 to 30 outlets (skewed: most by one or two), over 0-3 days after it
happened, with tolls that rise, places given as town, province or only the country, dates that
are exact, a day off, month-precise or missing, perpetrators named by some outlets only, and
wording shared within an incident. 120 incidents a day across 48 countries of 16 provinces each
(time advances with the count, as in a feed), so every report meets look-alike candidates (same
province, same week, often the same type) to reject.

The mentions are stored with ``SQLiteStore.add_document`` (merging included) inside
``SQLiteStore.batch()``, as ``eventwatch ingest`` stores them (one savepoint per article, a commit
every 500 articles or second; ``--per-article`` commits each article alone), into a fresh
database in a temporary directory; the script prints the cumulative time and rate at 10k, 30k
and 100k (or the checkpoints below N), then B-cubed against the generated incidents, and the
same for the in-memory merger (``merging.MemoryMerger``, what a batch job would run).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from eventwatch.evaluation.merge_eval import bcubed
from eventwatch.merging import MemoryMerger, report_from_record
from eventwatch.models import (
    Article,
    Count,
    DateInfo,
    DocumentResult,
    Event,
    Location,
    Participant,
    Span,
    content_hash,
)
from eventwatch.store.merged import MergedEvents
from eventwatch.store.sqlite import SQLiteStore

CHECKPOINTS = (10_000, 30_000, 100_000)
TYPES = [("Explosions/Remote violence", "Remote explosive/landmine/IED"),
         ("Explosions/Remote violence", "Air/drone strike"),
         ("Battles", "Armed clash"), ("Violence against civilians", "Attack"),
         ("Violence against civilians", "Abduction/forced disappearance"),
         ("Riots", "Mob violence")]
VOCAB = [f"w{i}" for i in range(5000)]
INCIDENTS_PER_DAY = 120


@dataclasses.dataclass(frozen=True)
class Incident:
    number: int
    country: str
    admin1: str
    admin2: str
    town: str
    lat: float
    lon: float
    day: dt.date
    kind: tuple[str, str]
    killed: int
    actor: str | None
    words: tuple[str, ...]


def _incident(rng: random.Random, number: int) -> Incident:
    country = rng.randrange(48)
    province = rng.randrange(16)
    district = rng.randrange(6)
    town = rng.randrange(4)
    lat = -40.0 + country * 1.6 + (province % 4) * 0.4 + district * 0.06 + town * 0.015
    lon = 10.0 + (province // 4) * 0.4 + district * 0.06
    return Incident(
        number=number, country=f"C{country:02d}", admin1=f"C{country:02d}-P{province}",
        admin2=f"C{country:02d}-P{province}-D{district}",
        town=f"C{country:02d}-P{province}-D{district}-T{town}", lat=lat, lon=lon,
        # A feed: time advances with the incidents, so the store's density per day and
        # province stays the same however many mentions are generated.
        day=dt.date(2024, 1, 1) + dt.timedelta(days=number // INCIDENTS_PER_DAY),
        kind=rng.choice(TYPES), killed=rng.choice((0, 1, 2, 3, 5, 8, 12, 20, 40)),
        actor=rng.choice((None, None, f"Group {rng.randrange(60)}")),
        words=tuple(rng.sample(VOCAB, 8)))


def _cluster_size(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.45:
        return 1
    if roll < 0.65:
        return 2
    if roll < 0.77:
        return 3
    if roll < 0.97:
        return rng.randint(4, 10)
    return rng.randint(11, 30)


def _mention(rng: random.Random, inc: Incident, outlet: int) -> DocumentResult:
    text = " ".join(rng.sample(inc.words, 5) + rng.sample(VOCAB, 4))
    span = Span(0, len(text), text)
    published = inc.day + dt.timedelta(days=rng.choice((0, 1, 1, 2, 3)))
    doc_id = f"inc{inc.number}-out{outlet}"
    article = Article(doc_id=doc_id, text=text, title=None, published=published,
                      url=f"https://outlet{outlet}.example/{doc_id}", raw_hash=doc_id)
    roll = rng.random()
    if roll < 0.7:
        day = inc.day
        date = DateInfo(day, day, "day")
    elif roll < 0.8:
        day = inc.day + dt.timedelta(days=rng.choice((-1, 1)))
        date = DateInfo(day, day, "day")
    elif roll < 0.85:
        first = inc.day.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        date = DateInfo(first, last, "month")
    else:
        date = DateInfo.unknown()
    roll = rng.random()
    if roll < 0.6:
        loc = Location(inc.town, inc.town, inc.country, inc.country, inc.admin1, inc.admin2,
                       inc.lat, inc.lon, None, "point")
    elif roll < 0.9:
        loc = Location(inc.admin1, inc.admin1, inc.country, inc.country, inc.admin1, None,
                       inc.lat, inc.lon, None, "admin1")
    else:
        loc = Location(inc.country, inc.country, inc.country, inc.country, None, None, None,
                       None, None, "country")
    killed = inc.killed + rng.choice((0, 0, 0, 1, 2, 3)) * (outlet > 0)
    perps = ([Participant(span, "organization", inc.actor, rng.choice(("suspected", "claimed")))]
             if inc.actor and rng.random() < 0.6 else [])
    kind = inc.kind if rng.random() < 0.9 else rng.choice(TYPES[:4])
    event = Event(
        id="ev_" + content_hash(f"{article.identity}\n0")[:20], doc_id=doc_id,
        event_type=kind[0], sub_event_type=kind[1],  # type: ignore[arg-type]
        attack_type=None, date=date, location=loc, perpetrators=perps, victims=[], targets=[],
        weapons=[], fatalities=Count(killed, killed, killed) if rng.random() < 0.85 else Count(),
        injured=Count(), evidence=[span], confidence=rng.choice((0.5, 0.7, 0.9)))
    return DocumentResult(article, [event])


def mentions(n: int, seed: int) -> Iterator[tuple[int, DocumentResult]]:
    """(incident number, mention) pairs in publication order within a sliding window: outlets
    report over days, so incidents interleave as they would in a feed."""
    rng = random.Random(seed)
    made = 0
    number = 0
    pending: list[tuple[dt.date, int, int, DocumentResult]] = []
    while made < n:
        batch = []
        for _ in range(200):
            inc = _incident(rng, number)
            for outlet in range(_cluster_size(rng)):
                batch.append((inc.number, _mention(rng, inc, outlet)))
            number += 1
        rng.shuffle(batch)
        pending = [(m.article.published or dt.date.min, i, inc, m)
                   for i, (inc, m) in enumerate(batch)]
        pending.sort(key=lambda p: (p[0], p[1]))
        for _, _, inc_number, mention in pending:
            if made >= n:
                return
            made += 1
            yield inc_number, mention


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentions", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-article", action="store_true",
                        help="commit every article alone (no batch), as before 2026-12-02")
    args = parser.parse_args()
    checkpoints = [c for c in CHECKPOINTS if c < args.mentions] + [args.mentions]
    truth: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="eventwatch-bench-merge-") as tmp:
        store = SQLiteStore(Path(tmp) / "bench.db")
        spent = cpu = 0.0
        print(f"{'mentions':>9} {'seconds':>9} {'per 1k':>8} {'cpu s':>9}  (SQLite store, merging "
              "on ingest; wall-clock seconds, per 1k for the segment since the last line)")
        last = (0, 0.0)
        batch = contextlib.nullcontext() if args.per_article else store.batch()
        batch.__enter__()
        for done, (incident, result) in enumerate(mentions(args.mentions, args.seed), start=1):
            started, started_cpu = time.perf_counter(), time.process_time()
            store.add_document(result)
            if done == args.mentions:
                batch.__exit__(None, None, None)  # the last commit counts too
            spent += time.perf_counter() - started
            cpu += time.process_time() - started_cpu
            truth[result.events[0].id] = f"i{incident}"
            if done in checkpoints:
                segment = (spent - last[1]) / (done - last[0]) * 1000
                print(f"{done:>9} {spent:>9.1f} {segment:>8.2f} {cpu:>9.1f}", flush=True)
                last = (done, spent)
        predicted = MergedEvents(store).assignments()
        store.close()
    precision, recall, f1 = bcubed(truth, predicted)
    print(f"B-cubed vs generated incidents: P {precision:.3f} R {recall:.3f} F1 {f1:.3f}; "
          f"{len(set(truth.values()))} incidents -> {len(set(predicted.values()))} events")
    # The same mentions again (same seed), built after the timed store run so that holding
    # them does not slow it down (a larger heap makes every garbage collection longer).
    reports = [report_from_record(result.events[0].to_dict(), key=result.article.doc_id,
                                  article_id=result.article.identity,
                                  published=result.article.published)
               for _, result in mentions(args.mentions, args.seed)]
    memory = MemoryMerger()
    started = time.perf_counter()
    for report in reports:
        memory.add(report)
    seconds = time.perf_counter() - started
    mp, mr, mf = bcubed(truth, memory.assignment)
    print(f"in-memory merger: {len(reports)} mentions in {seconds:.1f} s; "
          f"P {mp:.3f} R {mr:.3f} F1 {mf:.3f}; {memory.comparisons / len(reports):.1f} "
          "candidate events per mention")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
