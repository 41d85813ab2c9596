"""Table figures (issue #4): cell accuracy of the three statutory tables per table and per
input variant, share of tables whose structure is exactly right, share of wrong cells that
carry review.needed, seconds per table.

    .venv/bin/python benchmarks/tables.py                    # everything (OCR: ~10 minutes)
    .venv/bin/python benchmarks/tables.py --variants text_pdf real_text_pdf   # seconds
    .venv/bin/python benchmarks/tables.py --json out.json    # also write the full result

Variants: text_pdf (the synthetic text-layer PDFs), real_text_pdf (/work/shared/real-pdfs,
the published text-layer PDFs the real scans were rasterized from, same truth), noisy_scan
(synthetic scans: noise, skew, JPEG), clean_image (a PNG page), fax (bilevel TIFF), photo,
real_clean (real reports rasterized at 200 dpi, no noise), real_noisy (150 dpi, noise, skew),
borderless_pdf (the synthetic reports typeset with no rules, made at run time: the text-layer
path without a grid, where camelot lattice finds nothing).

A cell is a truth value of a table path (active_disclosure / applications /
review_litigation); right when the record's value equals it. A table's structure is exact when
its format is the truth's, no template row was missed and no cell's column was inferred
(`position_uncertain`). Right cells flagged: right values that still carry review.needed (the
review cost of the flags). Seconds per table: the table work (grid detection, cell re-reads,
the tables and table_fields stages) over the tables found; end-to-end seconds per document are
reported beside it (OCR dominates them).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCANS = ROOT / "sample_scans"
REAL_PDFS = Path("/work/shared/real-pdfs")
TABLES = {"active_disclosure": "二", "applications": "三", "review_litigation": "四"}
TABLE_TIMINGS = ("grid_ms", "reread_ms", "tables", "table_fields")


def variant_of(doc: dict[str, Any]) -> str:
    v = doc.get("variant")
    if not v:
        return "text_pdf"
    if doc["origin"] == "real":
        return "real_noisy" if v["noise"] or v["rotation_deg"] else "real_clean"
    if v.get("bilevel"):
        return "fax"
    if v.get("lighting"):
        return "photo"
    if not v["noise"]:
        return "clean_image"
    return "noisy_scan"


def borderless(folder: Path) -> list[tuple[str, Path, Path]]:
    """The synthetic reports typeset again with no rules at all (as web pages printed to PDF
    come out): written into `folder` with their truth; camelot lattice finds no grid in them."""
    from dataclasses import replace

    from nianbao.synth.report import build_report
    from nianbao.synth.specs import SPECS, STYLES
    from nianbao.synth.truth import synthetic_truth
    from nianbao.synth.typeset import render_pdf
    from nianbao.template import load_template

    t = load_template()
    out = []
    for spec in SPECS:
        rep = build_report(spec, t)
        pdf = folder / f"{spec.name}-borderless.pdf"
        comp = render_pdf(rep, pdf, replace(STYLES[spec.style], border=0))
        truth = folder / f"{spec.name}-borderless.truth.json"
        truth.write_text(json.dumps(synthetic_truth(t, rep, comp), ensure_ascii=False))
        out.append(("borderless_pdf", pdf, truth))
    return out


def corpus(tmp: Path, variants: set[str] | None) -> list[tuple[str, Path, Path]]:
    manifest = json.loads((SCANS / "manifest.json").read_text(encoding="utf-8"))
    out = [(variant_of(d), SCANS / d["file"], SCANS / d["truth"]) for d in manifest["documents"]]
    if not variants or "borderless_pdf" in variants:
        out += borderless(tmp)
    for pdf in sorted(REAL_PDFS.glob("*.pdf")):
        truth = SCANS / "real" / f"{pdf.stem}-scan200.truth.json"
        if truth.exists():
            out.append(("real_text_pdf", pdf, truth))
    return out


def run(variants: set[str] | None) -> dict[str, Any]:
    from nianbao.evaluate import compare, load_truth
    from nianbao.runner import Pipeline

    pipeline = Pipeline()
    cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])  # right, total
    tables_exact: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    wrong: list[dict[str, Any]] = []
    right_flagged: dict[str, int] = defaultdict(int)  # right cells sent to review, per variant
    table_seconds = wall = 0.0
    n_tables = n_docs = 0
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-tables-"))
    for variant, path, truth_path in corpus(tmp, variants):
        if variants and variant not in variants:
            continue
        truth = load_truth(truth_path)
        t0 = time.perf_counter()
        doc, record = pipeline.run_doc(path)
        wall += time.perf_counter() - t0
        n_docs += 1
        table_seconds += sum(doc.timings_ms.get(k, 0.0) for k in TABLE_TIMINGS) / 1000
        results = [f for f in compare(record, truth) if f.path.split(".")[0] in TABLES]
        by_table: dict[str, list[Any]] = defaultdict(list)
        for f in results:
            by_table[f.path.split(".")[0]].append(f)
        for kind, fs in by_table.items():
            found = [t for t in doc.table_readings if t.kind == kind]  # format: the reading
            n_tables += bool(found)
            for f in fs:
                cells[(variant, kind)][0] += f.correct
                cells[(variant, kind)][1] += 1
                right_flagged[variant] += bool(f.correct and f.flagged)
                if not f.correct:
                    wrong.append(
                        {
                            "doc": path.name,
                            "variant": variant,
                            "path": f.path,
                            "truth": f.truth,
                            "value": f.value,
                            "flagged": f.flagged,
                        }
                    )
            fields = [record.get(f.path) for f in fs]
            fmt_ok = kind != "active_disclosure" or (
                bool(found) and found[0].format == truth.get("template_version", found[0].format)
            )
            exact = (
                bool(found)
                and fmt_ok
                and not any(
                    x.features.get(k)
                    for x in fields
                    for k in ("row_not_found", "table_not_found", "position_uncertain")
                )
            )
            tables_exact[variant][0] += exact
            tables_exact[variant][1] += 1
        print(f"  {variant:14s} {path.name}: {time.perf_counter() - t0:.1f}s", file=sys.stderr)

    shutil.rmtree(tmp, ignore_errors=True)

    def share(right: int, total: int) -> float | None:
        return round(right / total, 4) if total else None

    per_variant: dict[str, Any] = {}
    for (variant, kind), (r, n) in sorted(cells.items()):
        entry = per_variant.setdefault(variant, {"cells": 0, "right": 0, "by_table": {}})
        entry["cells"] += n
        entry["right"] += r
        entry["by_table"][TABLES[kind]] = {"cells": n, "accuracy": share(r, n)}
    for variant, entry in per_variant.items():
        entry["accuracy"] = share(entry["right"], entry["cells"])
        entry["structure_exact"] = share(*tables_exact[variant])
        entry["right_cells_flagged"] = right_flagged[variant]
    per_table: dict[str, Any] = {}
    for kind, name in TABLES.items():
        r = sum(v[0] for (_, k), v in cells.items() if k == kind)
        n = sum(v[1] for (_, k), v in cells.items() if k == kind)
        per_table[name] = {"cells": n, "accuracy": share(r, n)}
    total_r = sum(v[0] for v in cells.values())
    total_n = sum(v[1] for v in cells.values())
    return {
        "documents": n_docs,
        "cells": total_n,
        "accuracy": share(total_r, total_n),
        "per_table": per_table,
        "per_variant": per_variant,
        "structure_exact": share(
            sum(v[0] for v in tables_exact.values()), sum(v[1] for v in tables_exact.values())
        ),
        "wrong_cells": len(wrong),
        "wrong_cells_flagged": share(sum(w["flagged"] for w in wrong), len(wrong)),
        "right_cells_flagged": sum(right_flagged.values()),
        "seconds_per_table": round(table_seconds / n_tables, 3) if n_tables else None,
        "seconds_per_document_end_to_end": round(wall / n_docs, 2) if n_docs else None,
        "wrong": wrong,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variants", nargs="*", help="only these variants")
    parser.add_argument("--json", type=Path, help="write the full result here")
    parser.add_argument("--show-wrong", type=int, default=40, help="list this many wrong cells")
    args = parser.parse_args()
    result = run(set(args.variants) if args.variants else None)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    shown = {k: v for k, v in result.items() if k != "wrong"}
    print(json.dumps(shown, ensure_ascii=False, indent=2))
    for w in result["wrong"][: args.show_wrong]:
        print(
            f"{w['variant']:14s} {w['doc']:40s} {w['path']:55s} "
            f"truth={w['truth']!r} got={w['value']!r} flagged={w['flagged']}"
        )


if __name__ == "__main__":
    main()
