"""``eventwatch eval``: score the extractor on an annotated corpus."""

from __future__ import annotations

import argparse
import json
import sys

from .common import settings_from

NAME = "eval"
HELP = "Score the extractor on an annotated corpus (muc4: the MUC-4 terrorism templates)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="corpus", metavar="CORPUS", required=True)
    muc4 = sub.add_parser("muc4", help="MUC-4 templates in GTT JSON-lines format",
                          description="Extract from every doctext and score the templates with "
                                      "the GTT/IterX scorer (per role and micro P/R/F1).")
    muc4.add_argument("gold", metavar="GOLD.jsonl", help="GTT-format MUC-4 file")
    muc4.add_argument("--predictions-out", metavar="FILE",
                      help='write {docid: {"pred_templates": [...]}} to FILE')
    muc4.add_argument("--json", action="store_true", help="print the scores as JSON")
    articles = sub.add_parser(
        "articles", help="plain-text articles annotated with their expected events",
        description="Score events against DIR/expected.json (see tests/fixtures/articles): "
                    "event precision/recall and per-field accuracy over matched events.")
    articles.add_argument("directory", metavar="DIR", help="folder with the articles and "
                                                          "expected.json")


def _table(scores: dict[str, object]) -> str:
    lines = [f"{'field':<15}{'P':>8}{'R':>8}{'F1':>8}"]
    for name in ("incident_type", "PerpInd", "PerpOrg", "Target", "Victim", "Weapon", "micro"):
        row = scores[name]
        assert isinstance(row, dict)
        lines.append(f"{name:<15}{row['precision']:>8.2f}{row['recall']:>8.2f}{row['f1']:>8.2f}")
    lines.append(f"{scores['docs']} documents in {scores['seconds']} s; "
                 f"{scores['fallback_docs']} aligned greedily (search space too large)")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from ..evaluation.muc4_run import run_muc4

    settings = settings_from(args)
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
        result = run_muc4(args.gold, settings)
    except (OSError, ValueError) as exc:
        print(f"eventwatch: error: {args.gold}: {exc}", file=sys.stderr)
        return 1
    if args.predictions_out:
        with open(args.predictions_out, "w", encoding="utf-8") as handle:
            json.dump(result.predictions, handle, ensure_ascii=False, indent=1)
    scores = result.to_dict()
    print(json.dumps(scores, indent=2) if args.json else _table(scores))
    return 0
