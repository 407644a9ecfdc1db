"""Train the MUC-4 role-filler model shipped as ``src/eventwatch/data/roles-muc4.bin``.

Usage (CPU only; see docs/quality.md for the time it takes)::

    python tools/train_roles.py [--train ../shared/data/muc4/train.json] [--seed 0]
                                [--max-steps 6000] [--out src/eventwatch/data/roles-muc4.bin]
                                [--tune-also ../shared/data/muc4/dev.json]

What is trained on and how thresholds are chosen: ``eventwatch.roles_train``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from eventwatch.roles import (  # noqa: E402
    MODEL_FILE,
    Thresholds,
    load_role_model,
    pack_model,
)
from eventwatch.roles_context import Lexicon  # noqa: E402
from eventwatch.roles_train import (  # noqa: E402
    CONFIG,
    build_lexicon,
    choose_thresholds,
    fit_filler_context,
    fit_relevance,
    halves_estimate,
    held_out,
    read_records,
    write_corpora,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=Path, default=ROOT.parent / "shared/data/muc4/train.json")
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-steps", type=int, default=6000)
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep the corpora and checkpoints here (default: a temporary dir)")
    parser.add_argument("--pack-only", action="store_true",
                        help="skip training: pack WORKDIR/model/model-best (e.g. after stopping a "
                             "run early) and choose its thresholds")
    parser.add_argument("--retune", action="store_true",
                        help="skip training: choose the thresholds of the model at --out again "
                             "(after a change to how templates are assembled) and repack it")
    parser.add_argument("--tune-also", type=Path, action="append", default=[],
                        help="choose the thresholds on these annotated files too, besides the "
                             "held-out tenth of --train (e.g. the dev split; its score is then "
                             "no longer an unbiased estimate)")
    parser.add_argument("--estimate", action="store_true",
                        help="print an unbiased score of tuning with --tune-also: thresholds "
                             "chosen with one half of those files score the other half (the "
                             "model at --out is not changed)")
    parser.add_argument("--halvings", type=int, default=6,
                        help="with --estimate: how many ways of halving to average (default 6)")
    args = parser.parse_args(argv)
    # Every annotated file is read before anything runs: a bad one must not surface after a
    # half-hour training.
    try:
        args.records = _annotated(args.train)
        args.extra = [r for path in args.tune_also for r in _annotated(path)]
    except ValueError as exc:
        parser.error(str(exc))
    if args.halvings < 1:
        parser.error("--halvings must be at least 1")
    if args.estimate:
        return estimate(args)
    if args.retune:
        return retune(args)
    if args.pack_only and args.workdir is None:
        parser.error("--pack-only needs --workdir")

    import spacy
    from spacy.cli.train import train

    records = args.records
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        if not args.pack_only:
            fit_path, tune_path = write_corpora(records, workdir)
            config_path = workdir / "config.cfg"
            config_path.write_text(CONFIG, encoding="utf-8")
            train(config_path, workdir / "model", use_gpu=-1,
                  overrides={"paths.train": str(fit_path), "paths.dev": str(tune_path),
                             "system.seed": args.seed, "training.max_steps": args.max_steps})
        minutes = (time.perf_counter() - started) / 60
        nlp = spacy.load(workdir / "model" / "model-best")
        meta: dict[str, object] = {"trained_on": args.train.name, "seed": args.seed,
                                   "max_steps": args.max_steps}
        if not args.pack_only:
            meta["train_minutes"] = round(minutes, 1)
        lexicon = build_lexicon(nlp, [r for r in records if not held_out(r["docid"])])
        thresholds = finish(nlp, meta, lexicon, records, args)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB): thresholds "
          f"{thresholds.to_dict()}, {meta}")
    return 0


def finish(nlp: object, meta: dict[str, object], lexicon: Lexicon,
           records: list[dict[str, object]], args: argparse.Namespace) -> Thresholds:
    """Fit the context model on the rest of the train split, the relevance model on the
    held-out tenth, choose the thresholds there (and on ``--tune-also``), and pack everything
    into ``args.out``."""
    context = fit_filler_context(nlp, [r for r in records if not held_out(str(r["docid"]))],
                                 lexicon)
    pack_model(nlp, Thresholds(), args.out, meta, lexicon, context=context)
    load_role_model.cache_clear()
    model = load_role_model(str(args.out))
    held = [r for r in records if held_out(str(r["docid"]))]
    held_readings = list(model.tag(str(r["doctext"]) for r in held))
    relevance = fit_relevance(held_readings, [bool(r["templates"]) for r in held])
    extra = args.extra
    tune = held + extra
    readings = held_readings + list(model.tag(str(r["doctext"]) for r in extra))
    for reading in readings:
        reading.relevance = relevance.probability(reading)
    thresholds, f1 = choose_thresholds(readings, tune)
    meta["tuned_on"] = ["held-out tenth of " + args.train.name,
                        *(path.name for path in args.tune_also)]
    meta["tuning_micro_f1"] = round(100 * f1, 2)
    pack_model(nlp, thresholds, args.out, meta, lexicon, relevance, context)
    load_role_model.cache_clear()
    return thresholds


def _annotated(path: Path) -> list[dict[str, object]]:
    """The records of a MUC-4 JSON-lines file; ``ValueError`` naming the file and the reason."""
    try:
        records = read_records(path)
    except OSError as exc:
        raise ValueError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except ValueError as exc:
        raise ValueError(f"{path}: not MUC-4 JSON lines ({exc})") from exc
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict) or not {"docid", "doctext", "templates"} <= record.keys():
            raise ValueError(f"{path}: record {number} lacks docid, doctext or templates")
    if not records:
        raise ValueError(f"{path}: no records")
    return records


def estimate(args: argparse.Namespace) -> int:
    model = load_role_model(str(args.out))
    held = [r for r in args.records if held_out(r["docid"])]
    extra = args.extra
    if not extra:
        raise SystemExit("--estimate needs --tune-also FILE (the files whose halves are scored)")
    readings = list(model.tag(r["doctext"] for r in held + extra))
    pairs = (list(zip(held, readings[:len(held)], strict=True)),
             list(zip(extra, readings[len(held):], strict=True)))
    print(f"{', '.join(p.name for p in args.tune_also)}: each half scored with thresholds "
          "chosen on the held-out tenth and the other half")
    scores = []
    for halving in range(args.halvings):
        micro = halves_estimate(*pairs, halving=halving)
        scores.append(micro["f1"])
        print(f"  halving {halving}: micro P {micro['precision']:.2f} R {micro['recall']:.2f} "
              f"F1 {micro['f1']:.2f}")
    print(f"mean micro F1 over {len(scores)} halvings: {sum(scores) / len(scores):.2f}")
    return 0


def retune(args: argparse.Namespace) -> int:
    model = load_role_model(str(args.out))
    meta = {key: value for key, value in model.meta.items() if key != "held_out_micro_f1"}
    thresholds = finish(model.nlp, meta, model.lexicon, args.records, args)
    print(f"repacked {args.out}: thresholds {thresholds.to_dict()}, {meta}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
