"""What agreement across years is worth (issue #16): the likelihood ratio the archive checks
raise a carried cell's confidence by, how well the raised confidences are calibrated on the
held-out split, how many cells the raise takes out of review, and what it does on a real pair
of consecutive reports.

1. Fit and held-out check: `nianbao train cross-year` (pipeline/training/cross_year.py) on
   the calibration documents, evaluated on the held-out documents (another seed, other
   agencies), without saving the model.
2. Real pairs: ../shared/real-pdfs/hongze-district-2023.pdf and -2024.pdf (one district
   government, consecutive years, text-layer PDFs; the 2024 report names its agency with its
   city), and the same two as noisy 150 dpi scans (sample_scans/real, read by OCR), each
   extracted, stored and checked as `nianbao batch` does: do they group, do their carry-over
   relations hold, which fields change confidence or leave review.

    .venv/bin/python benchmarks/cross_year_agreement.py \
        --json benchmarks/results/cross_year_agreement.json
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

from nianbao import archive
from nianbao.db import Store
from nianbao.db.models import ArchiveCheck, Document
from nianbao.runner import Pipeline
from nianbao.settings import load_settings, load_train_settings
from nianbao.training.cross_year import fit_cross_year
from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real-pdfs"
SCANS = ROOT / "sample_scans" / "real"
PAIRS = {  # name -> the two reports, year N then N+1
    "text_layer": (REAL / "hongze-district-2023.pdf", REAL / "hongze-district-2024.pdf"),
    "noisy_scans": (
        SCANS / "hongze-district-2023-noisy150.pdf",
        SCANS / "hongze-district-2024-noisy150.pdf",
    ),
}


def fitted(tmp: Path) -> dict[str, Any]:
    settings = load_settings(None)
    t0 = time.perf_counter()
    model = fit_cross_year(
        load_train_settings(None),
        Pipeline(settings),
        tmp,
        settings.confidence.review_threshold,
    )
    return {
        "likelihood_ratio": model.likelihood_ratio,
        **model.info,
        "seconds": round(time.perf_counter() - t0, 1),
    }


def real_pair(tmp: Path, files: tuple[Path, Path]) -> dict[str, Any]:
    if not all(f.exists() for f in files):
        return {"skipped": f"{files} not found"}
    settings = load_settings(None)
    pipeline = Pipeline(settings)
    out: dict[str, Any] = {"documents": [f.name for f in files]}
    with Store(f"sqlite:///{tmp / (files[0].stem + '.db')}") as store:
        ids = []
        before: dict[int, dict[str, Any]] = {}
        for f in files:
            _, record = pipeline.run_doc(f)
            doc_id = store.save_record(record, str(f), settings.digest())
            ids.append(doc_id)
            before[doc_id] = {p: (x.confidence, x.review.needed) for p, x in record.iter_fields()}
        summary = archive.run_store(store, document_ids=ids, judge=archive.Judge.of(settings))
        with store.session() as s:
            agencies = {a for (a,) in s.execute(select(Document.agency_id))}
            checks = list(s.scalars(select(ArchiveCheck).where(ArchiveCheck.rule == "carry_over")))
        out["one_agency"] = len(agencies) == 1
        out["carry_over"] = {c.binding: c.outcome for c in checks}
        out["archive_line"] = summary.line()
        changed = []
        for doc_id in ids:
            record = store.record(doc_id)
            for path, f in record.iter_fields():
                conf, needed = before[doc_id][path]
                if (f.confidence, f.review.needed) != (conf, needed):
                    changed.append(
                        {
                            "document": doc_id,
                            "path": path,
                            "confidence": [conf, f.confidence],
                            "review_needed": [needed, f.review.needed],
                        }
                    )
        out["fields_changed"] = changed
        out["left_review"] = sum(1 for c in changed if c["review_needed"] == [True, False])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--skip-fit", action="store_true", help="only the real pair")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    result: dict[str, Any] = {"machine": platform.platform()}
    with tempfile.TemporaryDirectory(prefix="nianbao-agreement-") as tmp:
        if not args.skip_fit:
            result["fit"] = fitted(Path(tmp))
        result["real_pairs"] = {name: real_pair(Path(tmp), pair) for name, pair in PAIRS.items()}
    text = json.dumps(result, ensure_ascii=False, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
