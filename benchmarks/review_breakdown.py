"""Which fields go to review, and why (issue #5: wrong fields flagged / review load).

    .venv/bin/python benchmarks/review_breakdown.py             # held-out split
    .venv/bin/python benchmarks/review_breakdown.py --split calibration

Runs the labelled documents (with extraction noise, configs/train/default.yaml) through the
pipeline as shipped and groups the flagged fields, right and wrong, by their set of review
reasons (check_failed:<rule> by rule) and by table, then lists the wrong fields not flagged with
the evidence they carried. The review-load figures in benchmarks/results/nlp-heldout.json come
from `nianbao train heldout`; this script says where that load comes from.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from pathlib import Path

from nianbao.evaluate import compare
from nianbao.runner import Pipeline
from nianbao.settings import load_settings, load_train_settings
from nianbao.training.documents import labelled_docs, run_labelled


def reason_set(reasons: list[str]) -> str:
    keys = {r.split("[")[0] if r.startswith("check_failed:") else r.split(":")[0] for r in reasons}
    return ", ".join(sorted(keys))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=["heldout", "calibration"], default="heldout")
    ap.add_argument("--train-config", help="YAML merged over the training defaults")
    args = ap.parse_args()
    cfg = load_train_settings(args.train_config)
    if args.split == "heldout":
        docs = labelled_docs("heldout", cfg.heldout_seed, cfg.heldout_docs, noise=cfg.noise)
    else:
        docs = labelled_docs(
            "train", cfg.seed, cfg.calibration_docs, start=cfg.train_docs, noise=cfg.noise
        )
    pipeline = Pipeline(load_settings())
    right_by, wrong_by, table_by = Counter(), Counter(), Counter()
    n = wrong = flagged = 0
    missed = []
    with tempfile.TemporaryDirectory() as tmp:
        for d, _, record in run_labelled(pipeline, list(docs), Path(tmp)):
            for f in compare(record, d.truth, pipeline.settings.confidence):
                field = record.get(f.path)
                n += 1
                wrong += not f.correct
                if not f.flagged:
                    if not f.correct:
                        feats = {k: v for k, v in field.features.items() if v}
                        missed.append((d.name, f.path, f.value, f.truth, f.confidence, feats))
                    continue
                flagged += 1
                key = reason_set(field.review.reasons)
                (right_by if f.correct else wrong_by)[key] += 1
                table_by[(f.group, f.correct)] += 1
    print(f"{args.split}: {n} fields, {wrong} wrong, {flagged} flagged ({flagged / n:.2%})")
    print("flagged by reasons: right  wrong  reasons")
    for key in sorted(set(right_by) | set(wrong_by), key=lambda k: -right_by[k] - wrong_by[k]):
        print(f"  {right_by[key]:6d} {wrong_by[key]:6d}  {key}")
    print("flagged by table: right  wrong  table")
    for group in sorted({g for g, _ in table_by}):
        print(f"  {table_by[(group, True)]:6d} {table_by[(group, False)]:6d}  {group}")
    print(f"wrong and not flagged: {len(missed)}")
    for doc, path, value, truth, conf, feats in missed:
        print(f"  {doc} {path}: read {value!r}, truth {truth!r}, confidence {conf}, {feats}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
