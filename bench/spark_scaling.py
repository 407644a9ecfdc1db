"""Spark throughput by cores and input size: ``python bench/spark_scaling.py [--sizes 1000,4000]``.

For each size, generated news pages (``eventwatch.synthetic``) are written as WARC.gz files of
500 pages each; the whole job (read, extract, merge, write Parquet) runs in local mode with one
core and with two, one after the other. Prints articles per second for each run and the
two-core/one-core ratio for each size.

Each run is a child process whose CPU affinity is set to as many processors as the run has
cores, so the JVM, the driver and the Python workers it starts are confined to them, as an
executor with that many cores is on a cluster. Without it a ``local[1]`` run still spreads the
JVM's side of the work (feeding the Python worker, writing Parquet, garbage collection) over the
other core, and is not a one-core run (``--no-pin`` measures that way, for comparison). Each
child starts its Spark session and runs a small warm-up job before the timed one, so no run
carries the JVM start.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
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


def _run(warmup: Path, inputs: Path, output: Path, cores: int, pin: bool,
         results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    if pin:
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:cores])
    settings = load_settings({"workers": 1})
    session = spark_session(f"local[{cores}]")
    try:
        run_job([str(warmup)], str(output) + "-warmup", settings, session=session,
                partitions=cores * 4)
        started = time.perf_counter()
        summary = run_job([str(inputs)], str(output), settings, session=session,
                          partitions=cores * 4)
        results.put((time.perf_counter() - started, summary.articles))
    finally:
        session.stop()
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(str(output) + "-warmup", ignore_errors=True)


def timed_run(warmup: Path, inputs: Path, output: Path, cores: int,
              pin: bool = True) -> tuple[float, int]:
    """Seconds and articles of one job in a fresh process (and JVM) with ``cores`` cores."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(target=_run, args=(warmup, inputs, output, cores, pin, results))
    child.start()
    seconds, articles = results.get()
    child.join()
    return seconds, articles


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,4000,16000",
                        help="comma-separated article counts (default 1000,4000,16000)")
    parser.add_argument("--cores", default="1,2", help="comma-separated core counts")
    parser.add_argument("--no-pin", action="store_true",
                        help="do not confine each run to its number of processors")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    cores = [int(c) for c in args.cores.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build_inputs(root / "warmup", 20)
        for size in sizes:
            inputs = root / f"in-{size}"
            build_inputs(inputs, size)
            rates: dict[int, float] = {}
            for n in cores:
                seconds, articles = timed_run(root / "warmup", inputs,
                                              root / f"out-{size}-{n}", n, not args.no_pin)
                rates[n] = articles / seconds
                print(f"{size:>6} articles, local[{n}]{'' if args.no_pin else ' pinned'}: "
                      f"{seconds:7.1f} s = "
                      f"{rates[n]:5.1f} articles/s", flush=True)
            if 1 in rates and len(rates) > 1:
                best = max(rates)
                print(f"{size:>6} articles: local[{best}] / local[1] = "
                      f"{rates[best] / rates[1]:.2f}x", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
