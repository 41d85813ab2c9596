"""Grid detection on scans: our OpenCV rules (pipeline/engines/tables/grid.py) against img2table,
both measured against camelot lattice on the text-layer PDF page the scan was made from.

    .venv/bin/python benchmarks/grid_compare.py            # the synthetic scans (no OCR: ~1 min)

For every upright page of sample_scans/scans and images/ that has a source page: the page is
rendered, denoised and deskewed as the pages stage does, then both detectors run on the same
image. A table's structure is exact when its set of cells (row, col, rowspan, colspan) equals
the reference's (tables matched in page order). img2table is a benchmark-only dependency
(`dev` extra); it is not used at run time.
"""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCANS = ROOT / "sample_scans"
Span = tuple[int, int, int, int]


def spans_of_grid(grid: Any) -> set[Span]:
    return {(c.row, c.col, c.rowspan, c.colspan) for c in grid.cells}


def spans_of_img2table(table: Any) -> set[Span]:
    """img2table repeats a merged cell in every row/column it covers: collect its extent."""
    extent: dict[tuple[int, int, int, int], list[tuple[int, int]]] = {}
    for i, row in enumerate(table.content.values()):
        for j, cell in enumerate(row):
            b = cell.bbox
            extent.setdefault((b.x1, b.y1, b.x2, b.y2), []).append((i, j))
    out = set()
    for places in extent.values():
        rows = [i for i, _ in places]
        cols = [j for _, j in places]
        out.add((min(rows), min(cols), max(rows) - min(rows) + 1, max(cols) - min(cols) + 1))
    return out


def main() -> None:
    from img2table.document import Image as Img2TableImage
    from nianbao.engines import imaging
    from nianbao.engines.render import open_pages
    from nianbao.engines.tables.camelot_source import camelot_grids
    from nianbao.engines.tables.grid import detect_grids
    from nianbao.settings import load_settings
    from PIL import Image as PILImage

    settings = load_settings()
    manifest = json.loads((SCANS / "manifest.json").read_text(encoding="utf-8"))
    results: dict[str, dict[str, float]] = {
        name: {"tables": 0, "exact": 0, "shape": 0, "seconds": 0.0}
        for name in ("opencv_rules", "img2table")
    }
    pages = 0
    for doc in manifest["documents"]:
        variant = doc.get("variant")
        if not variant or doc["origin"] != "synthetic":
            continue
        source = SCANS / variant["source"]
        scan = open_pages(SCANS / doc["file"], settings.render)
        try:
            for page in scan.pages():
                k = page.number - 1
                if variant["orientation"][k] != 0:
                    continue
                src_page = variant["source_pages"][k]
                image = page.image()
                ref = camelot_grids(source, {src_page: page.height}, settings.render.dpi).get(
                    src_page, []
                )
                if not ref:
                    continue
                pages += 1
                image = imaging.denoise(image)
                skew = imaging.estimate_skew(image, 3.0, 0.05)
                image = imaging.rotate(image, skew)
                t0 = time.perf_counter()
                ours = [spans_of_grid(g) for g in detect_grids(image, 1, page.dpi, settings.grid)]
                t1 = time.perf_counter()
                buf = io.BytesIO()
                PILImage.fromarray(image).save(buf, format="PNG")
                theirs = [
                    spans_of_img2table(t)
                    for t in Img2TableImage(src=buf.getvalue()).extract_tables()
                ]
                t2 = time.perf_counter()
                results["opencv_rules"]["seconds"] += t1 - t0
                results["img2table"]["seconds"] += t2 - t1
                want = [spans_of_grid(g) for g in ref]
                for name, got in (("opencv_rules", ours), ("img2table", theirs)):
                    for w, g in zip(want, got + [set()] * len(want), strict=False):
                        results[name]["tables"] += 1
                        results[name]["exact"] += g == w
                        results[name]["shape"] += bool(g) and (
                            max(r + rs for r, _, rs, _ in g) == max(r + rs for r, _, rs, _ in w)
                            and max(c + cs for _, c, _, cs in g) == max(c + cs for _, c, _, cs in w)
                        )
                print(f"  {doc['file']} p{page.number}: done", file=sys.stderr)
        finally:
            scan.close()
    out = {
        name: {
            "tables": int(r["tables"]),
            "structure_exact": round(r["exact"] / r["tables"], 4) if r["tables"] else None,
            "rows_and_cols_right": round(r["shape"] / r["tables"], 4) if r["tables"] else None,
            "seconds_per_page": round(r["seconds"] / pages, 3) if pages else None,
        }
        for name, r in results.items()
    }
    print(json.dumps({"pages": pages, **out}, indent=2))


if __name__ == "__main__":
    main()
