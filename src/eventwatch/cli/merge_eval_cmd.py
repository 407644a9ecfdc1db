"""``eventwatch eval merge GOLD.jsonl``: B-cubed scores of cross-document merging."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..settings import Settings


def add_merge_parser(sub: Any) -> None:
    merge = sub.add_parser(
        "merge", help="cross-document merging: B-cubed P/R/F1 and events per gold incident",
        description='Ingest every {"id", "text", "published", "cluster"} line of GOLD.jsonl into '
                    "a fresh temporary database and score the merged events against the gold "
                    "incidents (cluster null: the article reports none). See docs/merging.md.")
    merge.add_argument("gold", metavar="GOLD.jsonl", help="articles with their gold incident")
    merge.add_argument("--json", action="store_true", help="print the scores as JSON")


def _table(scores: dict[str, Any]) -> str:
    b = scores["bcubed"]
    lines = [
        f"B-cubed  P {b['precision']:.3f}  R {b['recall']:.3f}  F1 {b['f1']:.3f}",
        f"{scores['incidents']} incidents, {scores['articles']} articles; events per incident "
        f"{scores['events_per_incident']:.2f} (max {scores['max_events_per_incident']})",
    ]
    split = {k: v for k, v in scores["per_incident"].items() if v > 1}
    if split:
        lines.append("split incidents: " + ", ".join(f"{k} ({v})" for k, v in split.items()))
    if scores["failed"]:
        lines.append(f"{len(scores['failed'])} article(s) failed: " + "; ".join(scores["failed"]))
    lines.append(f"{scores['seconds']} s")
    return "\n".join(lines)


def run_merge(args: argparse.Namespace, settings: Settings) -> int:
    from ..evaluation.merge_eval import run_merge_eval

    try:
        scores = run_merge_eval(args.gold, settings).to_dict()
    except (OSError, ValueError) as exc:
        print(f"eventwatch: error: {args.gold}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(scores, indent=2) if args.json else _table(scores))
    return 0
