"""Scan path figures (issue #3): per OCR engine, CER and seconds per page and peak memory on
sample_scans; end-to-end time against the bare OCR call; peak memory on a 10- and a 30-page scan.

    .venv/bin/python benchmarks/scan_path.py                 # everything (about 10 minutes)
    .venv/bin/python benchmarks/scan_path.py --engines rapid --skip-memory

Each engine runs in its own process (peak RSS is per process). "clean" = the real PDFs
rasterized at 200 dpi with no noise; "noisy" = every scan with noise, skew or JPEG damage.
CER is reported in reading order and order-free (recognition errors only).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANS = ROOT / "sample_scans"


def corpus() -> dict[str, list[Path]]:
    manifest = json.loads((SCANS / "manifest.json").read_text(encoding="utf-8"))
    clean, noisy = [], []
    for doc in manifest["documents"]:
        variant = doc.get("variant")
        if not variant:
            continue
        damaged = variant["noise"] or variant["rotation_deg"] or variant.get("bilevel")
        (noisy if damaged else clean).append(SCANS / doc["file"])
    return {"clean": clean, "noisy": noisy}


def run_engine(engine: str) -> dict[str, object]:
    """In this process: the pipeline with `engine` over the corpus."""
    from nianbao.evaluate import load_truth, page_bag_cer, page_cer
    from nianbao.runner import Pipeline
    from nianbao.settings import load_settings

    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as fh:
        fh.write(f"ocr:\n  kind: {engine}\n")
    pipeline = Pipeline(load_settings(fh.name))
    out: dict[str, object] = {"engine": engine}
    for group, docs in corpus().items():
        pages = chars = errors = 0
        bag_weighted = wall = ocr = prepare = 0.0
        for path in docs:
            truth = load_truth(path.with_name(path.stem + ".truth.json"))
            t0 = time.perf_counter()
            doc, _ = pipeline.run_doc(path)
            wall += time.perf_counter() - t0
            ocr += doc.timings_ms.get("ocr_ms", 0.0) / 1000
            prepare += doc.timings_ms.get("prepare_ms", 0.0) / 1000
            cer, n = page_cer(doc, truth["pages"])
            errors += round(cer * n)
            chars += n
            bag_weighted += page_bag_cer(doc, truth["pages"]) * n
            pages += len(doc.pages)
        out[group] = {
            "documents": len(docs),
            "pages": pages,
            "cer_reading_order": round(errors / chars, 4),
            "cer_order_free": round(bag_weighted / chars, 4),
            "s_per_page_end_to_end": round(wall / pages, 2),
            "s_per_page_ocr_calls": round(ocr / pages, 2),
            "s_per_page_prepare": round(prepare / pages, 2),
            "overhead_vs_ocr": round((wall - ocr) / ocr, 3),
            "overhead_vs_ocr_excluding_prepare": round((wall - ocr - prepare) / ocr, 3),
        }
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def long_scan(pages: int, folder: Path) -> Path:
    """A `pages`-page scan PDF made of the sample scans' pages, repeated."""
    import pypdfium2 as pdfium

    target = pdfium.PdfDocument.new()
    sources = [pdfium.PdfDocument(p) for p in sorted((SCANS / "real").glob("*-scan200.pdf"))]
    while len(target) < pages:
        for src in sources:
            take = min(len(src), pages - len(target))
            target.import_pages(src, list(range(take)))
            if len(target) >= pages:
                break
    path = folder / f"long-{pages}.pdf"
    target.save(str(path))
    return path


def memory_run(path: Path) -> dict[str, object]:
    code = (
        "import resource, sys, time; from pipeline import extract; t=time.perf_counter(); "
        "r = extract(sys.argv[1]); "
        "print(r.source.pages, round(time.perf_counter()-t, 1), "
        "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)"
    )
    res = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    pages, seconds, rss = res.stdout.split()[-3:]
    return {"pages": int(pages), "seconds": float(seconds), "peak_rss_mb": int(rss)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engines", nargs="*", default=["paddle", "rapid", "tesseract"])
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_engine(args.child), ensure_ascii=False))
        return
    results = []
    for engine in args.engines:
        res = subprocess.run(
            [sys.executable, __file__, "--child", engine], capture_output=True, text=True
        )
        lines = [ln for ln in res.stdout.splitlines() if ln.startswith("{")]
        results.append(
            json.loads(lines[-1]) if lines else {"engine": engine, "error": res.stderr[-500:]}
        )
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    if not args.skip_memory:
        with tempfile.TemporaryDirectory() as tmp:
            for n in (10, 30):
                mem = memory_run(long_scan(n, Path(tmp)))
                print(json.dumps({"memory": mem}), flush=True)


if __name__ == "__main__":
    main()
