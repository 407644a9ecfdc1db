"""``eventwatch spark run``: the pipeline on Apache Spark, files in, Parquet datasets out."""

from __future__ import annotations

import argparse
import sys

from .common import positive_int, settings_from

NAME = "spark"
HELP = ("Run extraction on Apache Spark over WARC/JSONL/HTML files "
        "(pip install 'eventwatch[spark]').")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="spark_command", metavar="SUBCOMMAND", required=True)
    run = sub.add_parser("run", help="read inputs, extract, merge, write Parquet datasets",
                         description=HELP)
    run.add_argument("--input", nargs="+", required=True, metavar="URI",
                     help="files, directories or globs on any Hadoop file system "
                          "(local paths, s3a://, hdfs://)")
    run.add_argument("--output", required=True, metavar="URI",
                     help="directory for articles/, mentions/, events/ and rejects/ (replaced)")
    run.add_argument("--master", metavar="MASTER",
                     help="local[*], local[2], spark://host:7077, yarn; default: what "
                          "spark-submit configured, else local[*]")
    run.add_argument("--partitions", type=positive_int, metavar="N",
                     help="extraction partitions (default: twice the default parallelism)")


def run(args: argparse.Namespace) -> int:
    from ..spark.job import run_job, spark_session

    settings = settings_from(args)
    session = spark_session(args.master)
    try:
        summary = run_job(args.input, args.output, settings, session=session,
                          partitions=args.partitions)
    finally:
        session.stop()
    rejects = ", ".join(f"{n} {reason}" for reason, n in sorted(summary.rejects.items()))
    print(f"wrote {summary.output}: {summary.articles} articles, {summary.mentions} mentions, "
          f"{summary.events} events, {sum(summary.rejects.values())} rejects"
          + (f" ({rejects})" if rejects else ""), file=sys.stderr)
    return 0
