"""Extraction throughput and peak memory: ``python bench/extract.py [--docs N] [--workers W]``.

Documents: the MUC-4 development and training texts from ../shared (real news wire, 1989-91), cut
to N, plus the seed article. Prints documents per second for the full pipeline and, as a baseline
measured in the same process on the same documents, for the bare spaCy parse alone, so the ratio
shows what extraction adds on top of the model. Peak memory is the process's maximum RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from eventwatch.models import Article
from eventwatch.pipeline import extract_article, extract_many, rules_pipeline
from eventwatch.settings import load_settings
from eventwatch.sources import article_from_text

SHARED = Path(__file__).resolve().parents[2] / "shared"


def load_documents(limit: int) -> list[Article]:
    articles: list[Article] = []
    for name in ("dev.json", "train.json"):
        path = SHARED / "data" / "muc4" / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                articles.append(article_from_text(record["doctext"], record["docid"]))
                if len(articles) >= limit:
                    return articles
    seed = SHARED / "seed" / "isis-k-afghanistan.txt"
    if seed.exists():
        articles.append(article_from_text(seed.read_text(encoding="utf-8"), "seed"))
    return articles


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300, help="number of documents (default 300)")
    parser.add_argument("--workers", type=int, default=1, help="extraction processes")
    args = parser.parse_args()
    articles = load_documents(args.docs)
    if not articles:
        print("no documents found under ../shared", file=sys.stderr)
        return 1
    chars = sum(len(a.text) for a in articles)
    settings = load_settings({"workers": args.workers})

    started = time.perf_counter()
    pipeline = rules_pipeline(settings)
    extract_article(articles[0], settings)
    load_s = time.perf_counter() - started

    nlp = pipeline.resources.nlp
    started = time.perf_counter()
    for article in articles:
        nlp(article.text)
    spacy_s = time.perf_counter() - started

    started = time.perf_counter()
    events = 0
    for result in extract_many(articles, settings):
        events += len(getattr(result, "events", []))
    full_s = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    n = len(articles)
    print(f"documents            {n} ({chars / n:,.0f} characters on average)")
    print(f"workers              {args.workers}")
    print(f"model+data load      {load_s:.2f} s (once per process)")
    print(f"spaCy parse only     {n / spacy_s:.1f} documents/s (baseline, same process)")
    print(f"full extraction      {n / full_s:.1f} documents/s, {events} events")
    print(f"ratio                {spacy_s / full_s:.2f} of the bare-parse rate")
    print(f"peak memory          {peak_mb:.0f} MB (max RSS of this process)")
    if args.workers > 1:
        print(f"worker peak memory   {worker_mb:.0f} MB (largest max RSS among the workers)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
