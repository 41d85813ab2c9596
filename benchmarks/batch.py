"""Batch figures for issue #6 (figures are noisy on a shared machine: re-run on a quiet one).

    python benchmarks/batch.py            # full run (~15 min on 2 idle cores)
    python benchmarks/batch.py --quick    # fewer documents, no 30-page scan (~3 min)

1. pages/s through `run_batch` with 1 and 2 local workers, and through a local Dask cluster
   (2 workers), on sample_scans' text-layer PDFs plus a few scans (wall time incl. start-up);
2. peak RSS per worker on one 30-page scan and on a batch of 100 text documents;
3. the batch machinery's overhead per document against `Pipeline.run` called directly on the
   same documents in one warm process.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.scan_path import long_scan  # noqa: E402
from pipeline.batch import run_batch  # noqa: E402
from pipeline.db import Store  # noqa: E402
from pipeline.runner import Pipeline  # noqa: E402
from pipeline.settings import load_settings  # noqa: E402
from tests.batch.test_batch import unique_reports  # noqa: E402

SAMPLES = ROOT / "sample_scans"


def throughput_inputs(scans: int) -> list[str]:
    pdfs = sorted((SAMPLES / "pdf").glob("*.pdf"))
    scanned = sorted((SAMPLES / "scans").glob("*.pdf"))[:scans]
    return [str(p) for p in [*pdfs, *scanned]]


def batch_run(inputs: list[str], tmp: Path, name: str, **kw: object) -> dict[str, object]:
    settings = load_settings()
    with Store(str(tmp / f"{name}.db")) as store:
        stats = run_batch(inputs, store, settings, **kw)  # type: ignore[arg-type]
    return {
        "documents": stats.processed,
        "pages": stats.pages,
        "wall_s": round(stats.seconds, 1),
        "pages_per_s": round(stats.pages / stats.seconds, 3),
        "extract_s": round(stats.worker_seconds, 1),
        "worker_peak_rss_mb": [round(m) for m in stats.worker_peaks_mb],
        "failed": stats.failed,
    }


def overhead(tmp: Path, n: int) -> dict[str, object]:
    docs = unique_reports(tmp / "overhead", n)
    pipeline = Pipeline(load_settings())
    pipeline.run(docs[0])  # warm: spaCy, jieba
    t0 = time.perf_counter()
    for doc in docs:
        pipeline.run(doc)
    direct = time.perf_counter() - t0
    result = batch_run([str(tmp / "overhead")], tmp, "overhead", workers=1)
    wall = float(result["wall_s"])  # type: ignore[arg-type]
    inside = float(result["extract_s"])  # type: ignore[arg-type]
    return {
        "documents": n,
        "direct_s": round(direct, 2),
        "batch_wall_s": wall,
        "batch_extract_s": inside,
        # per document, what the batch adds around extraction (hash, pipes, DB transaction)
        "overhead_per_doc_ms": round((wall - inside) / n * 1000, 1),
        "overhead_vs_direct": f"{(wall / direct - 1):.1%}",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    out: dict[str, object] = {"note": "shared machine: figures inflated by other load"}
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        inputs = throughput_inputs(scans=1 if args.quick else 3)
        for workers in (1, 2):
            out[f"local_{workers}_workers"] = batch_run(inputs, tmp, f"w{workers}", workers=workers)
            print(json.dumps({f"local_{workers}_workers": out[f"local_{workers}_workers"]}))
        out["dask_local_2_workers"] = batch_run(inputs, tmp, "dask", workers=2, dask="local")
        print(json.dumps({"dask": out["dask_local_2_workers"]}))
        r1, r2 = out["local_1_workers"], out["local_2_workers"]
        out["ratio_2_vs_1"] = round(r2["pages_per_s"] / r1["pages_per_s"], 2)  # type: ignore[index]
        n_docs = 30 if args.quick else 100
        unique_reports(tmp / "many", n_docs)
        out[f"memory_{n_docs}_docs"] = batch_run([str(tmp / "many")], tmp, "many", workers=2)
        print(json.dumps({"many": out[f"memory_{n_docs}_docs"]}))
        if not args.quick:
            scan = long_scan(30, tmp)
            out["memory_30_page_scan"] = batch_run([str(scan)], tmp, "long", workers=1)
        out["overhead"] = overhead(tmp, 20 if args.quick else 60)
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
