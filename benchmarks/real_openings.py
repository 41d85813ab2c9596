"""Figures on ../shared/real-openings (84 real report openings with truth): extract them with
`nianbao extract`, score the records with the set's own score.py, and read its output apart.

    .venv/bin/python benchmarks/real_openings.py [../shared/real-openings] [--json out.json]

Besides score.py's figures (printed as they are), it says which of its wrong fields no record
can hold, so that the accuracy on what the record contract has is known too:
- paths that are no record field: score.py also reads a truth `new_by_applicant` list through
  its generic row loop, as `applications.new_by_applicant.*` (the same values are scored at
  `applications.new.*`, where the record has them);
- group totals (`applications.not_disclosed.*.total` ...) stated only in prose (不予公开1件): the
  record has the group's leaves, not its total, so a figure the text gives for the group alone
  has nowhere to go.
And per meta field (agency, year, publish date): accuracy, and the highest confidence of a
wrong agency (the issue asks for none above 0.9).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from nianbao.datamodel.record import ReportRecord

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "folder", nargs="?", type=Path, default=ROOT.parent / "shared" / "real-openings"
    )
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--out-dir", type=Path, help="keep the records here (default: a temp dir)")
    args = ap.parse_args()
    folder: Path = args.folder
    texts = sorted(folder.glob("[0-9]*.txt"))
    if not texts:
        sys.exit(f"{folder}: no NNN.txt openings")
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out_dir or Path(tmp)
        nianbao = Path(sys.executable).with_name("nianbao")
        t0 = time.perf_counter()
        subprocess.run(
            [str(nianbao), "extract", *map(str, texts), "--out-dir", str(out)],
            check=True,
            stderr=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - t0
        pairs = [(folder / f"{t.stem}.json", out / f"{t.stem}.json") for t in texts]
        scored = subprocess.run(
            [
                sys.executable,
                str(folder / "score.py"),
                "--json",
                *(str(p) for pair in pairs for p in pair),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        report = json.loads(scored.stdout)
        records = {
            t.stem: ReportRecord.model_validate_json(p.read_text("utf-8"))
            for t, (_, p) in zip(texts, pairs, strict=True)
        }
    summary, wrong = report["summary"], report["wrong"]

    def in_record(w: dict) -> bool:
        if "*" in w["path"]:
            return True  # a group total: scored on the leaves
        try:
            records[Path(w["doc"]).stem].get(w["path"])
        except KeyError:
            return False
        return True

    not_fields = [w for w in wrong if not in_record(w)]
    groups = [w for w in wrong if w["group"] == "table3sum"]
    n_all, ok = summary["ALL"]["n"], summary["ALL"]["ok"]
    n_fields = n_all - len(not_fields)
    n_placeable = n_fields - summary["table3sum"]["n"]
    ok_placeable = ok - summary["table3sum"]["ok"]
    truths = [json.loads(t.read_text("utf-8"))["truth"] for t, _ in pairs]
    meta: dict[str, dict[str, float | int | None]] = {}
    for key in ("agency", "year", "publish_date"):
        n = sum(truth.get(key) is not None for truth in truths)
        bad = [w for w in wrong if w["path"] == f"meta.{key}"]
        meta[key] = {
            "n": n,
            "accuracy": round(1 - len(bad) / n, 4) if n else None,
            "wrong_max_confidence": max((w["confidence"] for w in bad), default=None),
        }
    figures = {
        "documents": len(texts),
        "extract_seconds": round(seconds, 1),
        "score_py": summary,
        "wrong_at_no_record_field": len(not_fields),
        "no_record_field_paths": sorted(Counter(w["path"].split(".")[1] for w in not_fields)),
        "accuracy_on_record_fields": round(ok / n_fields, 4),
        "group_totals_wrong": len(groups),
        "accuracy_without_group_totals": round(ok_placeable / n_placeable, 4),
        "meta": meta,
        "remaining_wrong": [
            {k: w[k] for k in ("doc", "path", "truth", "value", "confidence", "flagged")}
            for w in wrong
            if in_record(w) and w["group"] != "table3sum"
        ],
    }
    print(json.dumps({k: v for k, v in figures.items() if k != "remaining_wrong"}, indent=1))
    for w in figures["remaining_wrong"]:
        print(
            "WRONG",
            Path(w["doc"]).name,
            w["path"],
            "truth",
            w["truth"],
            "got",
            w["value"],
            f"conf {w['confidence']:.2f}",
            "flagged" if w["flagged"] else "NOT FLAGGED",
        )
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
