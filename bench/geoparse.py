"""Geoparsing speed, memory and accuracy on LGL: ``python bench/geoparse.py [--corpus FILE]``.

Runs ``geoparse_article`` over every article of the LGL corpus in ../shared/data/geo/lgl.xml (588
US/world local news articles; GPL data, read from there, never copied) in this process. Seconds
include loading the spaCy model, the gazetteer (from its user-cache index when present; also
timed alone, in wall and CPU seconds) and the actor catalogue; documents/s is over that whole
time, and separately over the documents alone.
Peak memory is the process's maximum RSS. Accuracy figures are those of ``eventwatch eval
geoparse`` (see docs/geoparsing.md for their definitions): articles in download order, each
read with its source's profile (``--no-source-profiles``: each alone).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from eventwatch.evaluation.geoparse import (
    arrival_order,
    online_geoparser,
    read_lgl,
    score_documents,
)
from eventwatch.gazetteer import load_gazetteer
from eventwatch.geoparse import geoparse_article
from eventwatch.models import Article
from eventwatch.settings import load_settings

LGL = Path(__file__).resolve().parents[2] / "shared" / "data" / "geo" / "lgl.xml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(LGL), help="LGL-format XML (default: %(default)s)")
    parser.add_argument("--json", action="store_true", help="also print the full scores as JSON")
    parser.add_argument("--no-source-profiles", action="store_true",
                        help="read each article alone, without its source's earlier articles")
    args = parser.parse_args()
    if not Path(args.corpus).exists():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 1
    articles = read_lgl(args.corpus)
    settings = load_settings()

    started = time.perf_counter()
    cpu = time.process_time()
    load_gazetteer(settings.places_file)  # cached: the pipeline gets this one
    gaz_s, gaz_cpu = time.perf_counter() - started, time.process_time() - cpu
    geoparse_article(Article(doc_id="warm-up", text="Kabul"), settings)  # loads model + data
    load_s = time.perf_counter() - started
    load_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.no_source_profiles:
        score = score_documents(articles, lambda a: geoparse_article(a, settings))
    else:  # as `eventwatch eval geoparse`: in arrival order, each source's profile online
        score = score_documents(arrival_order(articles), online_geoparser(settings))
    total_s = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    scores = score.to_dict()
    spans, res = scores["spans"], scores["resolution"]
    n = len(articles)
    chars = sum(len(a.text) for a in articles)
    print(f"documents            {n} ({chars / n:,.0f} characters on average)")
    print(f"gazetteer load       {gaz_s:.2f} s ({gaz_cpu:.2f} s CPU; from the user cache when "
          "present)")
    print(f"model+data load      {load_s:.2f} s (gazetteer included)")
    print(f"total                {total_s:.2f} s (load included), {n / total_s:.1f} documents/s")
    print(f"geoparsing only      {score.seconds:.2f} s, {n / score.seconds:.1f} documents/s")
    print(f"peak memory          {peak_mb:.0f} MB (max RSS of this process; {load_mb:.0f} MB "
          "after loading)")
    print(f"spans                P {spans['precision']:.1f}  R {spans['recall']:.1f}  "
          f"F1 {spans['f1']:.1f}")
    print(f"acc@161 km           {res['acc161']:.1f}% of {res['geo_gold']} gold with coordinates "
          f"({res['acc161_matched']:.1f}% of the {res['resolved']} matched)")
    print(f"error km             mean {res['mean_km']}  median {res['median_km']} (matched)")
    print(f"AUC                  {res['auc']:.3f} (misses at 20039 km), "
          f"{res['auc_matched']:.3f} (matched only)")
    print(f"GeoNames id          {res['id_acc']:.1f}% ({res['id_acc_matched']:.1f}% of matched)")
    if args.json:
        print(json.dumps(scores, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
