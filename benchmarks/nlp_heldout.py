"""Issue #5 figures on the held-out split (documents training never sees).

    .venv/bin/python benchmarks/nlp_heldout.py             # the shipped models
    .venv/bin/python benchmarks/nlp_heldout.py --retrain   # + retrain the classifier into a
                                                           #   temp dir: same scores = reproducible

The held-out documents carry extraction noise at configs/train/default.yaml `noise:` rates.
Prints the passage classifier's accuracy alone and combined with headings, the field accuracy,
the reliability table, ECE, precision at 0.9/0.95/0.99, the share of wrong fields flagged for
review, the review load and the review_threshold trade-off (the same report as
`nianbao train heldout`).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from nianbao.cli.train import print_heldout
from nianbao.runner import Pipeline
from nianbao.settings import load_settings, load_train_settings
from nianbao.training.documents import labelled_docs
from nianbao.training.heldout import heldout_report
from nianbao.training.sections import passages, score_classifier, train_sections


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train-config", help="YAML merged over the training defaults")
    ap.add_argument("--retrain", action="store_true")
    ap.add_argument("--plot", type=Path, help="reliability diagram PNG")
    args = ap.parse_args()
    cfg = load_train_settings(args.train_config)
    pipeline = Pipeline(load_settings())
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        report = heldout_report(cfg, pipeline, Path(tmp), args.plot)
    print_heldout(report)
    print(f"held-out run: {time.perf_counter() - t0:.0f} s")
    if args.retrain:
        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            clf = train_sections(cfg, Path(tmp) / "sections", log=lambda *_: None)
            again = score_classifier(
                clf, passages(list(labelled_docs("heldout", cfg.heldout_seed, cfg.heldout_docs)))
            )
        shipped = report["classifier"]["accuracy"]
        print(
            f"retrained in {time.perf_counter() - t0:.0f} s: held-out classifier accuracy "
            f"{again.accuracy:.4f} (shipped {shipped:.4f}) -> "
            f"{'reproduced' if round(again.accuracy, 4) == shipped else 'DIFFERENT'}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
