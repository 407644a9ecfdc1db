"""``eventwatch events show|split|merge``: merged events, why their reports were joined, and
the analyst's corrections (docs/merging.md). ``events_cmd`` hands these actions over here."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .table import events_table

ACTIONS = ("show", "split", "merge")


def add_actions(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action", nargs="?", choices=ACTIONS, metavar="ACTION",
        help="show ID: a merged event (or the one holding report ID), its sources and why they "
             "were joined; split REPORT_ID: move a report out into an event of its own; "
             "merge ID OTHER: move every report of event OTHER into event ID. Decisions are kept "
             "by article and position, so they survive re-ingestion and re-extraction")
    parser.add_argument("ids", nargs="*", metavar="ID", help="event or report ids for ACTION")
    parser.add_argument("--merged", action="store_true",
                        help="list merged events (one per incident) instead of per-article reports")
    parser.add_argument("--note", metavar="TEXT", help="why (stored with a split or merge)")


def _count(c: dict[str, Any]) -> str:
    if c["best"] is None:
        return "?"
    low, high = c["low"], c["high"]
    return f"{c['best']} (low {low}, high {high})" if (low, high) != (c["best"], c["best"]) \
        else str(c["best"])


def _summary(e: dict[str, Any]) -> str:
    loc, date = e["location"], e["date"]
    where = ", ".join(x for x in (loc["name"], loc["admin2"], loc["admin1"], loc["country"]) if x)
    perps = "; ".join(f"{p['name'] or p['text']} ({p.get('attribution') or '?'})"
                      for p in e["perpetrators"]) or "-"
    when = date["start"] or date["partial"] or "?"
    if date["end"] and date["end"] != date["start"]:
        when += f"..{date['end']}"
    attackers = e.get("perpetrator_deaths") or {"best": None}
    apart = f"; attackers killed {_count(attackers)}" if attackers["best"] is not None else ""
    return (f"{e['event_type']} / {e['sub_event_type']}; {when} ({date['precision']}); "
            f"{where or '?'} ({loc['precision']}); perpetrators: {perps}; killed "
            f"{_count(e['fatalities'])}; injured {_count(e['injured'])}{apart}")


def format_merged(record: dict[str, Any]) -> str:
    """The text ``eventwatch events show`` prints: values, sources, links and decisions."""
    merge = record["merge"]
    lines = [f"event {record['id']}: {merge['reports']} report(s)", "  " + _summary(record),
             "", "sources:"]
    for s in record["sources"]:
        lines.append(f"  {s['report_id']}  {s['published'] or '?'}  "
                     f"{s['title'] or s['url'] or s['path'] or s['article_id']}")
        lines.append("    " + _summary(s["event"]))
    lines += ["", "why joined:"]
    for link in merge["links"]:
        score = "" if link["score"] is None else f" score {link['score']:.2f}"
        lines.append(f"  {link['report_id']} [{link['method']}{score}] {link['reason']}")
        for c in link["candidates"]:
            lines.append(f"    candidate {c['event']}: {c['score']:.2f}"
                         + (f" (veto: {c['veto']})" if c["veto"] else ""))
    if merge["decisions"]:
        lines += ["", "analyst decisions:"]
        for d in merge["decisions"]:
            lines.append(f"  #{d['id']} {d['kind']} {d['from_event']} -> {d['to_event']} "
                         f"{d['decided_at']}" + (f": {d['note']}" if d["note"] else ""))
    lines.append("")
    lines.append("value sources: " + ", ".join(f"{k} from {v}"
                                               for k, v in merge["value_sources"].items() if v))
    return "\n".join(lines)


def filters_given(args: argparse.Namespace) -> list[str]:
    """The per-article event filters given on the command line (merged events take none yet)."""
    return [f"--{name.replace('event_type', 'type')}" for name in
            ("country", "admin1", "actor", "event_type", "since", "until")
            if getattr(args, name, None) is not None]


def run_action(args: argparse.Namespace, db: str) -> int:
    from ..store.merged import MergedEvents
    from ..store.sqlite import SQLiteStore

    filters = filters_given(args)
    if filters or args.format == "csv":
        print(f"eventwatch: error: merged events take no {', '.join(filters) or '--format csv'} "
              "yet; filter the per-article reports (eventwatch events without ACTION)",
              file=sys.stderr)
        return 2
    wanted = {"show": 1, "split": 1, "merge": 2, None: 0}[args.action]
    if len(args.ids) != wanted:
        print(f"eventwatch: error: events {args.action or '--merged'} takes {wanted} id(s), "
              f"got {len(args.ids)}", file=sys.stderr)
        return 2
    with SQLiteStore(db) as store:
        merged = MergedEvents(store)
        if args.action is None:
            records = merged.list(limit=args.limit)
            if args.format == "jsonl":
                for r in records:
                    sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
            else:
                print(events_table(records))
            return 0
        try:
            if args.action == "split":
                new = merged.split(args.ids[0], args.note)
                print(f"report {args.ids[0]} split out into event {new}")
                return 0
            if args.action == "merge":
                kept = merged.merge(args.ids[0], args.ids[1], args.note)
                print(f"event {args.ids[1]} merged into {kept}")
                return 0
        except (KeyError, ValueError) as exc:
            print(f"eventwatch: error: {exc.args[0]}", file=sys.stderr)
            return 1
        record = merged.get(args.ids[0])
    if record is None:
        print(f"eventwatch: error: no merged event or report with id {args.ids[0]!r}",
              file=sys.stderr)
        return 1
    if args.format == "jsonl":
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        print(format_merged(record))
    return 0
