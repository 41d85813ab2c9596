"""How often the template-constrained decoder (pipeline/decode.py) decides, how often it is
ambiguous, and its time per table.

Runs the pipeline over folders of documents (text, HTML, markdown and text-layer PDFs; scans are
left out: OCR time would drown the figures) and times every `Decoder.decode` call. Per table
kind: how many tables the decoder was asked about (their own reading broke), how many it
read (its reading replaced the table's own), how many of those left a cell ambiguous
(`decoder_ambiguous`: sent to review), and the time per call.

    .venv/bin/python benchmarks/decoder.py tests/data/real_shapes ../shared/real-openings \\
        --json benchmarks/results/decoder.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from nianbao import decode
from nianbao.datamodel.base import Feature
from nianbao.runner import Pipeline

SUFFIXES = {".txt", ".md", ".html", ".htm", ".pdf"}


def documents(folders: list[Path]) -> list[Path]:
    out = []
    for folder in folders:
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in SUFFIXES and not path.name.endswith("-scan.pdf"):
                out.append(path)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    calls: list[tuple[str, float]] = []  # (kind, ms) of every decode call
    original = decode.Decoder.decode

    def timed(self: decode.Decoder, tokens: list[decode.Token], partial: bool) -> Any:
        t0 = time.perf_counter()
        try:
            return original(self, tokens, partial)
        finally:
            calls.append((self.spec.prefix.split(".")[0], (time.perf_counter() - t0) * 1000))

    decode.Decoder.decode = timed  # type: ignore[method-assign]
    pipeline = Pipeline()
    asked: dict[str, int] = defaultdict(int)
    read: dict[str, int] = defaultdict(int)
    ambiguous: dict[str, int] = defaultdict(int)
    tables: dict[str, int] = defaultdict(int)
    docs = documents(args.folders)
    for path in docs:
        before = len(calls)
        doc, _record = pipeline.run_doc(path)
        kinds = {kind for kind, _ in calls[before:]}
        for kind in kinds:
            asked[kind] += 1
        for reading in doc.table_readings:
            tables[reading.kind] += 1
            if any(n.startswith("decoded by the template") for n in reading.notes):
                read[reading.kind] += 1
                prefix = reading.kind + "."
                if any(
                    f.features.get(Feature.decoder_ambiguous)
                    for p, f in doc.fields.items()
                    if p.startswith(prefix)
                ):
                    ambiguous[reading.kind] += 1
    result: dict[str, Any] = {"documents": len(docs), "by_table": {}}
    for kind in sorted(tables):
        ms = [m for k, m in calls if k == kind]
        result["by_table"][kind] = {
            "tables": tables[kind],
            "decoder_asked": asked[kind],
            "decoder_read": read[kind],
            "ambiguous": ambiguous[kind],
            "calls": len(ms),
            "ms_median": round(statistics.median(ms), 1) if ms else None,
            "ms_p95": round(sorted(ms)[int(0.95 * (len(ms) - 1))], 1) if ms else None,
            "ms_max": round(max(ms), 1) if ms else None,
        }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
