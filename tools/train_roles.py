"""Train the MUC-4 role-filler model shipped as ``src/eventwatch/data/roles-muc4.bin``.

Usage (CPU only; see docs/quality.md for the time it takes)::

    python tools/train_roles.py [--train ../shared/data/muc4/train.json] [--seed 0]
                                [--max-steps 6000] [--out src/eventwatch/data/roles-muc4.bin]

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

from eventwatch.roles import MODEL_FILE, Thresholds, load_role_model, pack_model  # noqa: E402
from eventwatch.roles_train import (  # noqa: E402
    CONFIG,
    build_lexicon,
    choose_thresholds,
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
    args = parser.parse_args(argv)
    if args.retune:
        return retune(args)
    if args.pack_only and args.workdir is None:
        parser.error("--pack-only needs --workdir")

    import spacy
    from spacy.cli.train import train

    records = read_records(args.train)
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
        tune_records = [r for r in records if held_out(r["docid"])]
        lexicon = build_lexicon(nlp, [r for r in records if not held_out(r["docid"])])
        pack_model(nlp, Thresholds(), args.out, meta, lexicon)
        load_role_model.cache_clear()
        thresholds, f1 = choose_thresholds(load_role_model(str(args.out)), tune_records)
        meta["held_out_micro_f1"] = round(100 * f1, 2)
        pack_model(nlp, thresholds, args.out, meta, lexicon)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB): thresholds "
          f"{thresholds.to_dict()}, held-out micro F1 {100 * f1:.2f}, {minutes:.1f} min training")
    return 0


def retune(args: argparse.Namespace) -> int:
    model = load_role_model(str(args.out))
    tune_records = [r for r in read_records(args.train) if held_out(r["docid"])]
    thresholds, f1 = choose_thresholds(model, tune_records)
    meta = {**model.meta, "held_out_micro_f1": round(100 * f1, 2)}
    pack_model(model.nlp, thresholds, args.out, meta, model.lexicon)
    print(f"repacked {args.out}: thresholds {thresholds.to_dict()}, held-out micro F1 "
          f"{100 * f1:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
