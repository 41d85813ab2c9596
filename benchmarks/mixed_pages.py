"""Mixed pages (issue #18): tables pasted as images into text-layer PDFs, stamps, scanned pages.

    .venv/bin/python benchmarks/mixed_pages.py [--rounds 2] [--skip-fixtures] [--skip-cost]

Three figures, written to benchmarks/results/mixed_pages.json:

1. On the mixed fixtures (`python -m nianbao.synth.mixed DIR --all`, generated into a
   temporary folder unless `--fixtures` names one): table cells
   (the fields of tables 二, 三, 四) exactly right, and every wrong cell flagged (its
   confidence under the review threshold: `review.needed`), per document and overall; how many
   images were read and how many skipped without OCR.
2. The cost on text-layer PDFs without a text-bearing image (sample_scans/pdf and
   ../shared/real-pdfs): each document run with `images.enabled` off (the old path) and on,
   interleaved in one process, `--rounds` times; the pages stage's time and the whole record's
   (per document its fastest run, and the sums), and the added work alone: listing the image
   objects of every page, timed by itself.
3. Those records do not change: values, confidences, review flags and status compared
   between the two paths.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from nianbao.datamodel.document import TABLE_BLOCKS
from nianbao.evaluate import compare, load_truth, truth_files
from nianbao.runner import Pipeline
from nianbao.settings import Settings
from nianbao.synth.mixed import write_set

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "mixed_pages.json"


def _fixtures(folder: Path) -> dict[str, Any]:
    pipe = Pipeline(Settings())
    docs = []
    cells = right = wrong_flagged = 0
    read = skipped = 0
    for path, truth_path in truth_files(folder):
        t0 = time.perf_counter()
        doc, record = pipe.run_doc(path)
        seconds = time.perf_counter() - t0
        truth = load_truth(truth_path)
        fields = [f for f in compare(record, truth) if f.path.split(".")[0] in TABLE_BLOCKS]
        ok = [f for f in fields if f.correct]
        bad = [f for f in fields if not f.correct]
        images = [r for p in doc.pages for r in p.images]
        docs.append(
            {
                "doc": path.name,
                "status": record.status.value,
                "errors": [e.code.value for e in record.errors],
                "cells": len(fields),
                "exact": round(len(ok) / max(len(fields), 1), 4),
                "wrong": [
                    {"path": f.path, "truth": f.truth, "value": f.value, "flagged": f.flagged}
                    for f in bad
                ],
                "images_read": sum(r.read for r in images),
                "images_skipped": sum(not r.read for r in images),
                "ocr_pages": sum(p.source == "ocr" for p in doc.pages),
                "tables": [f"{t.kind}:{t.source}" for t in doc.tables if t.kind != "unknown"],
                "seconds": round(seconds, 1),
            }
        )
        cells += len(fields)
        right += len(ok)
        wrong_flagged += sum(f.flagged for f in bad)
        read += docs[-1]["images_read"]
        skipped += docs[-1]["images_skipped"]
        print(
            f"{path.name}: {len(ok)}/{len(fields)} cells exact, "
            f"{sum(f.flagged for f in bad)}/{len(bad)} wrong flagged, "
            f"images read {docs[-1]['images_read']} skipped {docs[-1]['images_skipped']}, "
            f"{seconds:.0f} s",
            flush=True,
        )
    wrong = cells - right
    return {
        "documents": len(docs),
        "table_cells": cells,
        "exact": round(right / max(cells, 1), 4),
        "wrong": wrong,
        "wrong_flagged": round(wrong_flagged / wrong, 4) if wrong else 1.0,
        "images_read": read,
        "images_skipped": skipped,
        "per_document": docs,
    }


def _view(record: Any) -> dict[str, Any]:
    fields = {
        p: (f.value, round(f.confidence, 6), f.review.needed) for p, f in record.iter_fields()
    }
    return {"status": record.status.value, "fields": fields}


def _listing_ms(paths: list[Path]) -> float:
    """The work the new path adds on a page without a text-bearing image: listing the page's
    image objects (engines/render.py `_image_objects`), timed alone on every page."""
    import pypdfium2 as pdfium
    from nianbao.engines.render import _image_objects

    total = 0.0
    for path in paths:
        pdf = pdfium.PdfDocument(str(path))
        for i in range(len(pdf)):
            page = pdf[i]
            w, h = page.get_size()
            t0 = time.perf_counter()
            _image_objects(page, w, h, 200 / 72)
            total += (time.perf_counter() - t0) * 1000
            page.close()
        pdf.close()
    return total


def _cost(paths: list[Path], rounds: int) -> dict[str, Any]:
    """Each document through both paths, interleaved (old/new, then new/old), `rounds` times;
    per document the fastest of its runs (the least disturbed by the other work on the
    machine) is compared, and the plain sums too."""
    pipes = {
        "old": Pipeline(Settings.model_validate({"images": {"enabled": False}})),
        "new": Pipeline(Settings()),
    }
    times: dict[str, dict[str, dict[str, list[float]]]] = {
        k: {"pages": {}, "total": {}} for k in pipes
    }
    views: dict[str, dict[str, Any]] = {k: {} for k in pipes}
    for path in paths:  # warm both (models, fonts) before anything is timed
        for pipe in pipes.values():
            pipe.run_doc(path)
    for r in range(rounds):
        order = ["old", "new"] if r % 2 == 0 else ["new", "old"]
        for path in paths:
            for key in order:
                t0 = time.perf_counter()
                doc, record = pipes[key].run_doc(path)
                ms = (time.perf_counter() - t0) * 1000
                times[key]["total"].setdefault(path.name, []).append(ms)
                times[key]["pages"].setdefault(path.name, []).append(doc.timings_ms["pages"])
                views[key][path.name] = _view(record)
    changed = [name for name in views["old"] if views["old"][name] != views["new"][name]]
    out: dict[str, Any] = {"documents": [p.name for p in paths], "rounds": rounds}
    for part in ("pages", "total"):
        old, new = times["old"][part], times["new"][part]
        fast_old = sum(min(v) for v in old.values())
        fast_new = sum(min(v) for v in new.values())
        all_old = sum(sum(v) for v in old.values())
        all_new = sum(sum(v) for v in new.values())
        out[f"{part}_ms_fastest_old"] = round(fast_old, 1)
        out[f"{part}_ms_fastest_new"] = round(fast_new, 1)
        out[f"{part}_overhead_fastest"] = round(fast_new / fast_old - 1, 4)
        out[f"{part}_overhead_sum"] = round(all_new / all_old - 1, 4)
    listing = _listing_ms(paths)
    out["listing_ms"] = round(listing, 2)
    out["listing_share_of_pages"] = round(listing / out["pages_ms_fastest_old"], 5)
    out["records_changed"] = changed
    out["statuses"] = {name: v["status"] for name, v in views["new"].items()}
    return out


def _stage_cost(paths: list[Path], rounds: int) -> dict[str, Any]:
    """The pages stage alone (where the new path works), old / new / old again interleaved
    (the order reversed every round): the old-again run says how far two runs of the same
    code differ on this machine under its load, so the new path's difference can be judged."""
    from nianbao.datamodel.document import ReportDoc
    from nianbao.datamodel.record import Source
    from nianbao.stages.pages import ReadPages

    def no_ocr() -> Any:
        raise AssertionError("text-layer pages without pictures need no OCR")

    off = Settings.model_validate({"images": {"enabled": False}})
    stages = {
        "old": ReadPages(ReadPages.options_from(off), no_ocr),
        "new": ReadPages(ReadPages.options_from(Settings()), no_ocr),
        "old_again": ReadPages(ReadPages.options_from(off), no_ocr),
    }
    seconds = dict.fromkeys(stages, 0.0)
    for r in range(rounds):
        keys = list(stages) if r % 2 == 0 else list(reversed(stages))
        for path in paths:
            for key in keys:
                doc = ReportDoc(source=Source(path=str(path), input_kind="scan"))
                t0 = time.perf_counter()
                stages[key](doc)
                seconds[key] += time.perf_counter() - t0
    return {
        "documents": [p.name for p in paths],
        "rounds": rounds,
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
        "new_over_old": round(seconds["new"] / seconds["old"], 4),
        "old_again_over_old": round(seconds["old_again"] / seconds["old"], 4),
        "new_over_both_old": round(2 * seconds["new"] / (seconds["old"] + seconds["old_again"]), 4),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--fixtures", type=Path, help="a folder of mixed documents with truth")
    ap.add_argument("--real-pdfs", type=Path, default=ROOT.parent / "shared" / "real-pdfs")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--skip-fixtures", action="store_true")
    ap.add_argument("--skip-cost", action="store_true")
    ap.add_argument("--stage-cost", action="store_true", help="also the pages stage alone, A/B/A")
    ap.add_argument("--json", type=Path, default=RESULTS)
    args = ap.parse_args()
    result: dict[str, Any] = {}
    if not args.skip_cost:
        paths = sorted((ROOT / "sample_scans" / "pdf").glob("*.pdf"))
        paths += sorted(args.real_pdfs.glob("*.pdf"))
        result["cost"] = _cost(paths, args.rounds)
        print(json.dumps({k: v for k, v in result["cost"].items() if k != "statuses"}), flush=True)
    if args.stage_cost:
        paths = sorted((ROOT / "sample_scans" / "pdf").glob("*.pdf"))
        paths += sorted(args.real_pdfs.glob("*.pdf"))
        result["cost_pages_stage"] = _stage_cost(paths, max(args.rounds, 2))
        print(json.dumps(result["cost_pages_stage"]), flush=True)
    if not args.skip_fixtures:
        with tempfile.TemporaryDirectory() as tmp:
            folder = args.fixtures
            if folder is None:
                folder = Path(tmp) / "mixed"
                write_set(folder)
            result["fixtures"] = _fixtures(folder)
        print(json.dumps({k: v for k, v in result["fixtures"].items() if k != "per_document"}))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    if args.json.exists():  # read last: a cost run and a fixtures run may go side by side
        result = {**json.loads(args.json.read_text(encoding="utf-8")), **result}
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
