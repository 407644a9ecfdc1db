"""End-to-end ingestion throughput: ``python bench/ingest.py [--pages N] [--workers W]``.

Builds a WARC.gz of N generated news pages (``eventwatch.synthetic``: varied layouts with
navigation, cookie banners, captions, related links, comments and footers), then measures in one
process:

1. the baseline: trafilatura alone extracting the main text of every page;
2. the full job, HTML to events in a fresh SQLite database (reading the archive, trafilatura,
   cleaning, language detection, the NLP pipeline in a process pool, storing), as
   ``eventwatch ingest`` runs it;
3. a re-run over the same archive, which must find every page stored already.

Peak memory is sampled from /proc every 0.1 s as the sum of this process and its workers.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import threading
import time
from pathlib import Path

from eventwatch.ingest import ingest_articles
from eventwatch.pipeline import worker_count
from eventwatch.settings import load_settings
from eventwatch.sources import iter_articles
from eventwatch.store.sqlite import SQLiteStore
from eventwatch.synthetic import generate_pages
from eventwatch.warc import iter_warc, response_record, write_warc


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(c) for c in task.read_text().split()]
        except OSError:
            continue
    return found


class PeakMemory:
    """Largest sum of resident memory of this process and its descendants seen while running."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.1):
            pids, todo = [me], [me]
            while todo:
                kids = _children(todo.pop())
                pids += kids
                todo += kids
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(p) for p in pids))

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def trafilatura_only(archive: Path) -> tuple[int, float]:
    import trafilatura

    started = time.perf_counter()
    count = 0
    for page in iter_warc(archive):
        if isinstance(page, Exception):
            continue
        text = trafilatura.extract(page.body.decode("utf-8"), include_comments=False)
        count += bool(text)
    return count, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000, help="pages in the archive")
    parser.add_argument("--workers", type=int, default=0, help="0 = one per core (default)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "news.warc.gz"
        pages = generate_pages(args.pages, seed=2024)
        write_warc(archive, (response_record(p.url, p.html.encode()) for p in pages))
        size_mb = archive.stat().st_size / 1e6
        print(f"archive: {args.pages} pages, {size_mb:.1f} MB gzipped")

        extracted, base_s = trafilatura_only(archive)
        print(f"baseline, trafilatura alone (1 process): {extracted} texts in {base_s:.1f} s "
              f"= {extracted / base_s:.1f} pages/s")

        settings = load_settings({"db": str(Path(tmp) / "bench.db"), "workers": args.workers})
        with PeakMemory() as memory, SQLiteStore(settings.db) as store:
            started = time.perf_counter()
            report = ingest_articles(iter_articles([str(archive)]), store, settings)
            full_s = time.perf_counter() - started
        stored = report.added + report.updated
        print(f"full job, HTML to events in SQLite ({worker_count(settings)} worker(s)): "
              f"{stored} articles, {report.events} events in {full_s:.1f} s "
              f"= {stored / full_s:.1f} articles/s "
              f"({stored / full_s / (extracted / base_s):.2f}x the baseline rate)")
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory, process and workers together: {memory.peak_kb / 1024:.0f} MB "
              f"(this process {own:.0f} MB, largest worker {worker:.0f} MB)")
        print(f"failures: {dict(report.failed) or 'none'}")

        with SQLiteStore(settings.db) as store:
            started = time.perf_counter()
            again = ingest_articles(iter_articles([str(archive)]), store, settings)
            rerun_s = time.perf_counter() - started
        print(f"re-run over the same archive: {again.unchanged} unchanged, {again.added} new, "
              f"in {rerun_s:.1f} s = {again.unchanged / rerun_s:.1f} pages/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
