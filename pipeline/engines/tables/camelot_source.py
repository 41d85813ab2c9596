"""camelot lattice on text-layer PDF pages -> TableGrid (same grids as the scan path).

camelot renders each page with pdfium (no ghostscript) and finds the rules with OpenCV; we
keep its boundaries, which sides of each cell are ruled, and its parsing report (accuracy and
whitespace, as shares). The cell text is filled from our own text-layer fragments, so both
paths read cells the same way. Coordinates: camelot's PDF points (origin bottom-left) become
page-image pixels at `dpi` (origin top-left).
"""

from __future__ import annotations

import logging
from pathlib import Path

from ...datamodel.document import TableGrid
from .grid import build_grid

POINTS_PER_INCH = 72.0


def camelot_grids(path: Path, pages: dict[int, int], dpi: int) -> dict[int, list[TableGrid]]:
    """Grids per page number for `pages` ({page number: page height in pixels at dpi})."""
    import camelot

    if not pages:
        return {}
    logging.getLogger("camelot").setLevel(logging.ERROR)
    found = camelot.read_pdf(
        str(path),
        pages=",".join(str(p) for p in sorted(pages)),
        flavor="lattice",
        backend="pdfium",
        suppress_stdout=True,
    )
    scale = dpi / POINTS_PER_INCH
    out: dict[int, list[TableGrid]] = {}
    for table in found:
        page = int(table.page)
        height_pt = pages[page] / scale
        rows = [height_pt - table.rows[0][0]] + [height_pt - r[1] for r in table.rows]
        cols = [table.cols[0][0]] + [c[1] for c in table.cols]
        cells = table.cells

        def v_rule(i: int, j: int, cells: list = cells) -> bool:
            return bool(cells[i][j - 1].right or cells[i][j].left)

        def h_rule(i: int, j: int, cells: list = cells) -> bool:
            return bool(cells[i - 1][j].bottom or cells[i][j].top)

        report = table.parsing_report
        grid = build_grid(
            [y * scale for y in rows],
            [x * scale for x in cols],
            v_rule,
            h_rule,
            page=page,
            source="camelot_lattice",
            report={
                "accuracy": float(report["accuracy"]) / 100,
                "whitespace": float(report["whitespace"]) / 100,
            },
        )
        out.setdefault(page, []).append(grid)
    for grids in out.values():
        grids.sort(key=lambda g: g.bbox.y0)
    return out
