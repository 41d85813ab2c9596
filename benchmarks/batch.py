"""Batch figures for issue #6. Timings are only meaningful on a quiet machine.

    python benchmarks/batch.py                      # everything (about 20 min on 2 idle cores)
    python benchmarks/batch.py --quick              # a short sanity run (fewer, smaller inputs)
    python benchmarks/batch.py --parts memory       # some of: throughput, dask, memory, overhead
    python benchmarks/batch.py --json out.json      # figures file (default batch-bench.json)

throughput  pages/s through `run_batch` with 1 and 2 local workers on scans that split evenly
            (sample_scans/scans + sample_scans/real: 13 scans, 64 pages), wall time; worker
            start-up (processes, imports, pipeline) is reported separately and also taken out.
dask        the same inputs through `--dask local` with 2 workers.
memory      peak RSS per worker: one 30-page scan (built at run time from the sample scans'
            pages), and batches of 10 and 100 documents (every 5th a one-page scan, the rest
            text) with 2 workers: flat means the 100-document peak is the 10-document peak.
            A one-page scan cut from a report's last page is correctly `not_a_report`, so
            these batches list a few failures.
overhead    per document, the batch (1 worker: hashing, pipes, a database transaction) against
            `Pipeline.run` called directly in this process, warm: the difference between batches
            of n and 2n text documents, so fixed costs (worker start-up, shutdown) drop out;
            they are reported on their own.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nianbao.batch import run_batch  # noqa: E402
from nianbao.db import Store  # noqa: E402
from nianbao.runner import Pipeline  # noqa: E402
from nianbao.settings import load_settings  # noqa: E402

from benchmarks.scan_path import long_scan  # noqa: E402
from tests.batch.test_batch import unique_reports  # noqa: E402

SAMPLES = ROOT / "sample_scans"
PARTS = ("throughput", "dask", "memory", "overhead")
SCAN_EVERY = 5  # memory batches: every 5th document is a one-page scan


def scan_inputs(limit: int | None) -> list[Path]:
    scans = [*sorted((SAMPLES / "scans").glob("*.pdf")), *sorted((SAMPLES / "real").glob("*.pdf"))]
    return scans[:limit] if limit else scans


def batch_run(inputs: list[Path], tmp: Path, name: str, **kw: Any) -> dict[str, Any]:
    with Store(str(tmp / f"{name}.db")) as store:
        stats = run_batch([str(p) for p in inputs], store, load_settings(), **kw)
    startup = stats.startup_s
    after = stats.seconds - startup if startup is not None else None
    return {
        "documents": stats.processed,
        "pages": stats.pages,
        "failed": stats.failed,
        "wall_s": round(stats.seconds, 1),
        "startup_s": None if startup is None else round(startup, 1),
        "pages_per_s": round(stats.pages / stats.seconds, 3),
        "pages_per_s_after_startup": None if after is None else round(stats.pages / after, 3),
        "extract_s": round(stats.worker_seconds, 1),
        "worker_peak_rss_mb": sorted(round(m) for m in stats.worker_peaks_mb),
        "failures": [f"{label}: {code}" for label, code, _ in stats.failures],
    }


def one_page_scans(folder: Path, n: int) -> list[Path]:
    """n distinct one-page scan PDFs, taken page by page from the sample scans."""
    import pypdfium2 as pdfium

    folder.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    for src_path in scan_inputs(None):
        src = pdfium.PdfDocument(src_path)
        for index in range(len(src)):
            if len(out) == n:
                return out
            page = pdfium.PdfDocument.new()
            page.import_pages(src, [index])
            path = folder / f"page-{len(out):03d}.pdf"
            page.save(str(path))
            out.append(path)
    raise SystemExit(f"the sample scans have fewer than {n} pages")


def mixed_batch(folder: Path, n: int) -> Path:
    """n documents, every SCAN_EVERY-th a one-page scan, in that order in the folder."""
    texts = unique_reports(folder, n)
    slots = list(range(SCAN_EVERY - 1, n, SCAN_EVERY))
    pages = one_page_scans(folder / "_pages", len(slots))
    for slot, page in zip(slots, pages, strict=True):
        texts[slot].unlink()
        page.rename(texts[slot].with_suffix(".pdf"))
    (folder / "_pages").rmdir()
    return folder


def throughput(tmp: Path, scans: list[Path]) -> dict[str, Any]:
    out = {f"local_{w}": batch_run(scans, tmp, f"w{w}", workers=w) for w in (1, 2)}
    one, two = out["local_1"], out["local_2"]
    out["ratio_2_vs_1"] = round(two["pages_per_s"] / one["pages_per_s"], 2)
    out["ratio_2_vs_1_after_startup"] = round(
        two["pages_per_s_after_startup"] / one["pages_per_s_after_startup"], 2
    )
    return out


def memory(tmp: Path, long_pages: int, sizes: tuple[int, int]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    scan = long_scan(long_pages, tmp)
    out[f"scan_{long_pages}_pages_1_worker"] = batch_run([scan], tmp, "long", workers=1)
    for n in sizes:
        folder = mixed_batch(tmp / f"mixed{n}", n)
        out[f"batch_{n}_docs_2_workers"] = batch_run([folder], tmp, f"mixed{n}", workers=2)
    small, large = (max(out[f"batch_{n}_docs_2_workers"]["worker_peak_rss_mb"]) for n in sizes)
    out["peak_growth_mb"] = large - small
    return out


def overhead(tmp: Path, n: int) -> dict[str, Any]:
    """Per document: batches of n and 2n text documents differ by n documents' worth of work,
    so their difference is free of the fixed costs (worker start-up and shutdown, planning)."""
    docs = unique_reports(tmp / "overhead2n", 2 * n)
    unique_reports(tmp / "overheadn", n)
    pipeline = Pipeline(load_settings())
    pipeline.run(docs[0])  # warm
    t0 = time.perf_counter()
    for doc in docs:
        pipeline.run(doc)
    per_doc_direct = (time.perf_counter() - t0) / len(docs)
    small = batch_run([tmp / "overheadn"], tmp, "overheadn", workers=1)
    large = batch_run([tmp / "overhead2n"], tmp, "overhead2n", workers=1)
    per_doc_batch = (large["wall_s"] - small["wall_s"]) / n
    return {
        "documents": [n, 2 * n],
        "direct_ms_per_doc": round(per_doc_direct * 1000, 1),
        "batch_ms_per_doc": round(per_doc_batch * 1000, 1),
        "overhead_per_doc": f"{per_doc_batch / per_doc_direct - 1:.1%}",
        "fixed_s": round(small["wall_s"] - n * per_doc_batch, 1),
        "startup_s": small["startup_s"],
        "batches": [small, large],
    }


def table(out: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    if t := out.get("throughput"):
        for w in (1, 2):
            r = t[f"local_{w}"]
            rows.append(
                (
                    f"{w} worker(s): pages/s (after start-up)",
                    f"{r['pages_per_s']} ({r['pages_per_s_after_startup']}); "
                    f"{r['pages']} pages, start-up {r['startup_s']} s",
                    "",
                )
            )
        rows.append(
            (
                "2 vs 1 workers",
                f"{t['ratio_2_vs_1']} ({t['ratio_2_vs_1_after_startup']} after start-up)",
                ">= 1.8",
            )
        )
    if d := out.get("dask"):
        rows.append(("Dask local, 2 workers: pages/s", str(d["pages_per_s"]), ""))
    if m := out.get("memory"):
        for key, r in m.items():
            if isinstance(r, dict):
                rows.append((f"{key}: worker peak RSS MB", str(r["worker_peak_rss_mb"]), "<= 1536"))
        rows.append(("peak growth, 100 vs 10 documents (MB)", str(m["peak_growth_mb"]), "~0"))
    if o := out.get("overhead"):
        rows.append(
            (
                "per-document overhead vs direct (warm)",
                f"{o['overhead_per_doc']} ({o['batch_ms_per_doc']} vs {o['direct_ms_per_doc']} ms)",
                "<= 5%",
            )
        )
        rows.append(
            (
                "fixed cost per batch (of which worker start-up)",
                f"{o['fixed_s']} s ({o['startup_s']} s)",
                "",
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs: a sanity run")
    parser.add_argument("--parts", default=",".join(PARTS), help=f"comma list of {PARTS}")
    parser.add_argument("--json", default="batch-bench.json", help="write the figures here")
    args = parser.parse_args()
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s) {sorted(unknown)}; choose from {PARTS}")
    out: dict[str, Any] = {"quick": args.quick}
    scans = scan_inputs(4 if args.quick else None)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if "throughput" in parts:
            out["throughput"] = throughput(tmp, scans)
        if "dask" in parts:
            out["dask"] = batch_run(scans, tmp, "dask", workers=2, dask="local")
        if "memory" in parts:
            out["memory"] = memory(tmp, 8 if args.quick else 30, (10, 30 if args.quick else 100))
        if "overhead" in parts:
            out["overhead"] = overhead(tmp, 20 if args.quick else 60)
    Path(args.json).write_text(json.dumps(out, indent=2, ensure_ascii=False), encoding="utf-8")
    width = max(len(r[0]) for r in table(out)) if table(out) else 0
    for name, value, target in table(out):
        print(f"{name:<{width}}  {value}" + (f"   (target {target})" if target else ""))
    print(f"figures: {args.json}")


if __name__ == "__main__":
    main()
