"""Spark throughput by cores and input size: ``python bench/spark_scaling.py [--sizes 1000,4000]``.

For each size, generated news pages (``eventwatch.synthetic``) are written as WARC.gz files of
500 pages each; the whole job (read, extract, merge, write Parquet) runs in local mode with one
core and with two, in this process, one after the other. Prints articles per second for each run
and the two-core/one-core ratio for each size. The first Spark session of the process pays the
JVM start; a small warm-up job runs before the timed ones so no run carries it.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from eventwatch.settings import load_settings
from eventwatch.spark.job import run_job, spark_session
from eventwatch.synthetic import generate_pages
from eventwatch.warc import response_record, write_warc

PAGES_PER_FILE = 500


def build_inputs(directory: Path, count: int) -> None:
    directory.mkdir(parents=True)
    pages = list(generate_pages(count, seed=count))
    for start in range(0, count, PAGES_PER_FILE):
        chunk = pages[start:start + PAGES_PER_FILE]
        write_warc(directory / f"part-{start // PAGES_PER_FILE:04d}.warc.gz",
                   (response_record(p.url, p.html.encode()) for p in chunk))


def timed_run(inputs: Path, output: Path, cores: int) -> tuple[float, int]:
    session = spark_session(f"local[{cores}]")
    try:
        started = time.perf_counter()
        summary = run_job([str(inputs)], str(output), load_settings({"workers": 1}),
                          session=session, partitions=cores * 4)
        return time.perf_counter() - started, summary.articles
    finally:
        session.stop()
        shutil.rmtree(output, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,4000,16000",
                        help="comma-separated article counts (default 1000,4000,16000)")
    parser.add_argument("--cores", default="1,2", help="comma-separated core counts")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    cores = [int(c) for c in args.cores.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build_inputs(root / "warmup", 20)
        timed_run(root / "warmup", root / "warmup-out", 1)
        for size in sizes:
            inputs = root / f"in-{size}"
            build_inputs(inputs, size)
            rates: dict[int, float] = {}
            for n in cores:
                seconds, articles = timed_run(inputs, root / f"out-{size}-{n}", n)
                rates[n] = articles / seconds
                print(f"{size:>6} articles, local[{n}]: {seconds:7.1f} s = "
                      f"{rates[n]:5.1f} articles/s", flush=True)
            if 1 in rates and len(rates) > 1:
                best = max(rates)
                print(f"{size:>6} articles: local[{best}] / local[1] = "
                      f"{rates[best] / rates[1]:.2f}x", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
