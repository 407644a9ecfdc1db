"""``eventwatch eval``: score the extractor on an annotated corpus."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..settings import Settings
from .common import settings_from

NAME = "eval"
HELP = ("Score the extractor on an annotated corpus (muc4: the MUC-4 terrorism templates; "
        "geoparse: LGL-format toponyms; merge: cross-document merging).")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="corpus", metavar="CORPUS", required=True)
    muc4 = sub.add_parser("muc4", help="MUC-4 templates in GTT JSON-lines format",
                          description="Extract from every doctext and score the templates with "
                                      "the GTT/IterX scorer (per role and micro P/R/F1).")
    muc4.add_argument("gold", metavar="GOLD.jsonl", help="GTT-format MUC-4 file")
    muc4.add_argument("--predictions-out", metavar="FILE",
                      help='write {docid: {"pred_templates": [...]}} to FILE')
    muc4.add_argument("--json", action="store_true", help="print the scores as JSON")
    muc4.add_argument("--method", choices=("roles", "events"), default="roles",
                      help="roles: the role-filler model trained on MUC-4 (default); events: the "
                           "news event extractor, each event mapped to a template")
    articles = sub.add_parser(
        "articles", help="plain-text articles annotated with their expected events",
        description="Score events against DIR/expected.json (see tests/fixtures/articles): "
                    "event precision/recall and per-field accuracy over matched events.")
    articles.add_argument("directory", metavar="DIR", help="folder with the articles and "
                                                          "expected.json")
    geoparse = sub.add_parser(
        "geoparse", help="toponyms in the LGL XML format (span P/R/F1, acc@161 km, AUC)",
        description="Geoparse every article of an LGL-format XML file and score toponym spans "
                    "(overlap, one-to-one) and their resolution (haversine error: accuracy "
                    "within 161 km, mean/median km, AUC of the log error curve). See "
                    "docs/geoparsing.md.")
    geoparse.add_argument("corpus_file", metavar="CORPUS.xml", help="LGL-format XML file")
    geoparse.add_argument("--json", action="store_true", help="print the scores as JSON")
    geoparse.add_argument("--no-source-profiles", action="store_true",
                          help="read each article alone; by default articles are read in "
                               "download order and each with what its source's earlier "
                               "articles said about where its stories are")
    from .merge_eval_cmd import add_merge_parser

    add_merge_parser(sub)


def _table(scores: dict[str, object]) -> str:
    lines = [f"{'field':<15}{'P':>8}{'R':>8}{'F1':>8}"]
    for name in ("incident_type", "PerpInd", "PerpOrg", "Target", "Victim", "Weapon", "micro"):
        row = scores[name]
        assert isinstance(row, dict)
        lines.append(f"{name:<15}{row['precision']:>8.2f}{row['recall']:>8.2f}{row['f1']:>8.2f}")
    lines.append(f"{scores['docs']} documents in {scores['seconds']} s; "
                 f"{scores['fallback_docs']} aligned greedily (search space too large)")
    return "\n".join(lines)


def _geo_table(scores: dict[str, Any]) -> str:
    spans, res = scores["spans"], scores["resolution"]
    return "\n".join([
        f"spans       P {spans['precision']:.1f}  R {spans['recall']:.1f}  F1 {spans['f1']:.1f}"
        f"  ({spans['matched']} matched of {spans['gold']} gold, {spans['predicted']} predicted)",
        f"resolution  acc@161 {res['acc161']:.1f}%  mean {res['mean_km']} km  median "
        f"{res['median_km']} km  AUC {res['auc']:.3f}  ({res['resolved']} resolved of "
        f"{res['geo_gold']} gold with coordinates, {res['missed']} missed)",
        f"GeoNames id agreement {res['id_acc']:.1f}% ({res['id_acc_matched']:.1f}% of matched)",
        f"{scores['docs']} documents in {scores['seconds']} s "
        f"({scores['docs_per_second']} documents/s)",
    ])


def _run_geoparse(args: argparse.Namespace, settings: Settings) -> int:
    from ..evaluation.geoparse import run_geoparse_eval

    try:
        scores = run_geoparse_eval(args.corpus_file, settings,
                                   profiles=not args.no_source_profiles).to_dict()
    except (OSError, ValueError) as exc:
        print(f"eventwatch: error: {args.corpus_file}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(scores, indent=2, ensure_ascii=False) if args.json else _geo_table(scores))
    return 0


def run(args: argparse.Namespace) -> int:
    from ..evaluation.muc4_run import run_muc4

    settings = settings_from(args)
    if args.corpus == "geoparse":
        return _run_geoparse(args, settings)
    if args.corpus == "merge":
        from .merge_eval_cmd import run_merge

        return run_merge(args, settings)
    if args.corpus == "articles":
        from ..evaluation.fixtures import score_fixtures

        try:
            fixture_scores = score_fixtures(args.directory, settings=settings).to_dict()
        except (OSError, ValueError, KeyError) as exc:
            print(f"eventwatch: error: {args.directory}: {exc}", file=sys.stderr)
            return 1
        print(json.dumps(fixture_scores, indent=2))
        return 0
    try:
        result = run_muc4(args.gold, settings, args.method)
    except (OSError, ValueError) as exc:
        print(f"eventwatch: error: {args.gold}: {exc}", file=sys.stderr)
        return 1
    if args.predictions_out:
        with open(args.predictions_out, "w", encoding="utf-8") as handle:
            json.dump(result.predictions, handle, ensure_ascii=False, indent=1)
    scores = result.to_dict()
    print(json.dumps(scores, indent=2) if args.json else _table(scores))
    return 0
