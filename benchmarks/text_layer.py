"""Text-layer PDFs end to end (issue #17): ruled grids from the PDF's drawing (grid source
`vector`) against camelot lattice on a rendering (`camelot`, the path before #17), and both
against the same report as HTML; the cells of the two sources compared.

    .venv/bin/python benchmarks/text_layer.py [--rounds 3] [--json out.json]

Writes benchmarks/results/text_layer.json (or --json). One process, one Pipeline per grid
source, warmed up on one document. In every round each PDF is read with `vector`, with
`camelot` and (where it has one) its HTML twin is read, in an order rotated per round so
machine load hits all three alike; per document the median of the rounds is reported. In
round 1 the vector read of each PDF comes first, before camelot has rendered anything of it:
its record must be byte-identical (timings aside) to the later rounds' vector records, read
after the PDF was rendered (render history).

PDFs: the bundled synthetic text-layer reports (sample_scans/pdf), the PDFs of
tests/data/real_shapes and the real published PDFs in shared/real-pdfs whose every page has
a real text layer (yunling-statistics-2019 and the -scan PDFs need OCR: left out). HTML twins: the
synthetic reports are made by the synth module (build_report, the same spec and seed
sample_scans/generate.py typeset into the PDF), written as one HTML page: title, headings,
paragraphs, the three tables as <table> with their rowspan/colspan, the signature. The real
PDFs have no HTML twin; their ratio is not reported.

Cells: the values of every table field (active_disclosure, applications, review_litigation)
of the two records, and every grid (cell spans and texts) the two sources gave, per page.
`timings_ms.grid_ms` is reported per source. Pages the vector source handed to camelot
(rules drawn as an image, /Rotate) are counted.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = next(
    (p for p in (ROOT.parent / "shared", Path("/work/shared")) if (p / "real-pdfs").is_dir()),
    ROOT.parent / "shared",
)
TABLE_BLOCKS = ("active_disclosure", "applications", "review_litigation")


def text_layer_pdfs(settings: Any) -> list[Path]:
    """Every PDF we have all of whose pages carry a real text layer (a PDF with a scanned page
    is left out: OCR would be measured)."""
    from nianbao.engines.render import PdfSource

    found = [
        *sorted((ROOT / "sample_scans/pdf").glob("*.pdf")),
        *sorted((ROOT / "tests/data/real_shapes").glob("*.pdf")),
        *sorted((SHARED / "real-pdfs").glob("*.pdf")),
    ]
    out = []
    for path in found:
        source = PdfSource(path, settings.render)
        try:
            if all(page.fragments is not None for page in source.pages()):
                out.append(path)
        finally:
            source.close()
    return out


def html_twin(name: str, folder: Path) -> Path | None:
    """The synthetic report `name` written as a web page (None: not a synthetic report)."""
    from nianbao.synth.report import build_report
    from nianbao.synth.specs import SPECS
    from nianbao.template import load_template

    spec = next((s for s in SPECS if s.name == name), None)
    if spec is None:
        return None
    rep = build_report(spec, load_template())
    out = ["<html><head><meta charset='utf-8'><title>report</title></head><body>"]
    for block in rep.blocks:
        if block.kind == "title":
            out.append("<h1>" + "<br/>".join(html.escape(t) for t in block.lines) + "</h1>")
        elif block.kind == "heading":
            out.append("<h3>" + html.escape("".join(r.text for r in block.runs)) + "</h3>")
        elif block.kind == "para":
            out.append("<p>" + html.escape("".join(r.text for r in block.runs)) + "</p>")
        elif block.kind == "signature":
            out += [f'<p style="text-align:right">{html.escape(t)}</p>' for t in block.lines]
        elif block.kind == "table" and block.grid is not None:
            g = block.grid
            out.append('<table border="1" style="border-collapse:collapse"><tbody>')
            for r in range(g.n_rows):
                tds = []
                for c in sorted((c for c in g.cells if c.row == r), key=lambda c: c.col):
                    span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (
                        f' colspan="{c.colspan}"' if c.colspan > 1 else ""
                    )
                    tds.append(f"<td{span}>{html.escape(c.text.replace(chr(10), ''))}</td>")
                out.append("<tr>" + "".join(tds) + "</tr>")
            out.append("</tbody></table>")
    out.append("</body></html>")
    path = folder / f"{name}.html"
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def table_values(record: Any) -> dict[str, Any]:
    return {k: f.value for k, f in record.iter_fields() if k.split(".")[0] in TABLE_BLOCKS}


def all_values(record: Any) -> dict[str, Any]:
    return {k: f.value for k, f in record.iter_fields()}


def grid_cells(doc: Any) -> list[list[tuple[int, int, int, int, int, str]]]:
    return [
        [(p.number, c.row, c.col, c.rowspan, c.colspan, c.text) for c in g.cells]
        for p in doc.pages
        for g in p.grids
    ]


def record_bytes(record: Any) -> str:
    data = record.model_dump(mode="json")
    data["provenance"].pop("timings_ms")
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks/results/text_layer.json")
    args = parser.parse_args()

    from nianbao.runner import Pipeline
    from nianbao.settings import load_settings

    settings = load_settings()

    def with_source(source: str) -> Any:
        grid = settings.grid.model_copy(update={"text_layer_source": source})
        return settings.model_copy(update={"grid": grid})

    pipelines = {
        "vector": Pipeline(with_source("vector")),
        "camelot": Pipeline(with_source("camelot")),
    }
    html_pipeline = pipelines["vector"]  # the grid source plays no part in HTML
    tmp = Path(tempfile.mkdtemp(prefix="text_layer_bench_"))
    pdfs = text_layer_pdfs(settings)
    twins = {p: html_twin(p.stem, tmp) for p in pdfs}
    warm = pdfs[0]
    for pipe in pipelines.values():
        pipe.run(warm)
    if twins[warm] is not None:
        html_pipeline.run(twins[warm])  # type: ignore[arg-type]

    seconds: dict[Path, dict[str, list[float]]] = {p: {} for p in pdfs}
    grid_ms: dict[Path, dict[str, list[float]]] = {p: {} for p in pdfs}
    first: dict[Path, dict[str, Any]] = {}
    vector_bytes: dict[Path, list[str]] = {p: [] for p in pdfs}
    html_records: dict[Path, Any] = {}
    order = ["vector", "camelot", "html"]
    for rnd in range(args.rounds):
        for k, pdf in enumerate(pdfs):
            shift = (rnd + k) % 3 if rnd else 0  # round 1: vector before any rendering
            for kind in order[shift:] + order[:shift]:
                path = twins[pdf] if kind == "html" else pdf
                if path is None:
                    continue
                pipe = html_pipeline if kind == "html" else pipelines[kind]
                t0 = time.perf_counter()
                doc, record = pipe.run_doc(path)
                dt = time.perf_counter() - t0
                seconds[pdf].setdefault(kind, []).append(dt)
                grid_ms[pdf].setdefault(kind, []).append(
                    record.provenance.timings_ms.get("grid_ms", 0.0)
                )
                if kind == "vector":
                    vector_bytes[pdf].append(record_bytes(record))
                if kind == "html":
                    html_records[pdf] = record
                elif rnd == 0:
                    first.setdefault(pdf, {})[kind] = (doc, record)
            print(f"round {rnd + 1}: {pdf.name}", file=sys.stderr)

    rows = []
    for pdf in pdfs:
        (dv, rv), (dc, rc) = first[pdf]["vector"], first[pdf]["camelot"]
        pages = rv.source.pages
        med = {kind: statistics.median(v) for kind, v in seconds[pdf].items()}
        tv, tc = table_values(rv), table_values(rc)
        av, ac = all_values(rv), all_values(rc)
        row: dict[str, Any] = {
            "file": str(pdf.relative_to(ROOT) if pdf.is_relative_to(ROOT) else pdf.name),
            "pages": pages,
            "vector_s": round(med["vector"], 3),
            "camelot_s": round(med["camelot"], 3),
            "vector_s_per_page": round(med["vector"] / pages, 3),
            "camelot_s_per_page": round(med["camelot"] / pages, 3),
            "vector_pages_per_s": round(pages / med["vector"], 2),
            "camelot_pages_per_s": round(pages / med["camelot"], 2),
            "speedup": round(med["camelot"] / med["vector"], 1),
            "grid_ms_vector": round(statistics.median(grid_ms[pdf]["vector"]), 1),
            "grid_ms_camelot": round(statistics.median(grid_ms[pdf]["camelot"]), 1),
            "table_fields": len(tv),
            "table_fields_differing": sorted(k for k in tv if tv[k] != tc.get(k)),
            "all_fields_differing": sorted(k for k in av if av[k] != ac.get(k)),
            "grids_vector": sum(len(p.grids) for p in dv.pages),
            "grid_cells_equal": grid_cells(dv) == grid_cells(dc),
            "pages_vector_gave_to_camelot": [p.number for p in dv.pages if "camelot" in p.note],
            "vector_records_identical_across_rounds": len(set(vector_bytes[pdf])) == 1,
        }
        if "html" in med:
            hv = table_values(html_records[pdf])
            row |= {
                "html_s": round(med["html"], 3),
                "ratio_vector_to_html": round(med["vector"] / med["html"], 2),
                "ratio_camelot_to_html": round(med["camelot"] / med["html"], 2),
                "html_table_fields_agreeing": sum(hv.get(k) == v for k, v in tv.items()),
            }
        assert rv.source.input_kind == "pdf_text", (pdf, rv.source.input_kind)
        rows.append(row)

    def total(kind: str, subset: list[dict[str, Any]]) -> float:
        return sum(r[f"{kind}_s"] for r in subset)

    twinned = [r for r in rows if "html_s" in r]
    pages_all = sum(r["pages"] for r in rows)
    summary = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cpus",
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "rounds": args.rounds,
        "pdfs": len(rows),
        "pages": pages_all,
        "vector_pages_per_s": round(pages_all / total("vector", rows), 2),
        "camelot_pages_per_s": round(pages_all / total("camelot", rows), 2),
        "vector_s_per_page": round(total("vector", rows) / pages_all, 3),
        "camelot_s_per_page": round(total("camelot", rows) / pages_all, 3),
        "ratio_vector_to_html": round(total("vector", twinned) / total("html", twinned), 2),
        "ratio_camelot_to_html": round(total("camelot", twinned) / total("html", twinned), 2),
        "five_page_pdfs_vector_s": {r["file"]: r["vector_s"] for r in rows if r["pages"] == 5},
        "grid_ms_per_page_vector": round(sum(r["grid_ms_vector"] for r in rows) / pages_all, 1),
        "grid_ms_per_page_camelot": round(sum(r["grid_ms_camelot"] for r in rows) / pages_all, 1),
        "table_fields_compared": sum(r["table_fields"] for r in rows),
        "table_fields_differing": sum(len(r["table_fields_differing"]) for r in rows),
        "all_fields_differing": sum(len(r["all_fields_differing"]) for r in rows),
        "pdfs_with_equal_grid_cells": sum(r["grid_cells_equal"] for r in rows),
        "pages_vector_gave_to_camelot": sum(len(r["pages_vector_gave_to_camelot"]) for r in rows),
        "pdfs_with_identical_vector_records": sum(
            r["vector_records_identical_across_rounds"] for r in rows
        ),
    }
    result = {"summary": summary, "documents": rows}
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
