"""Ruled grids on page images: rules -> boundaries -> merged cells; fragments -> cells.

Detection (scans, after deskew so the grid is in the OCR boxes' coordinates):
1. adaptive threshold (dark ink on any background);
2. morphological opening with long thin kernels keeps horizontal and vertical rules
   (`min_rule_inches`: longer than any glyph stroke); a closing bridges broken or faint rules
   (`rule_gap_inches`);
3. each connected group of rules that is big enough is a table: rule positions are clustered
   into row and column boundaries; where the cross rules run on past the outermost rule (a
   table cut by the page end, or printed without side rules) their end is a boundary too and
   the side is recorded in `TableGrid.open_ends`;
4. `build_grid`: between two neighbouring elementary cells, a rule covering at least
   `edge_coverage` of the shared side separates them; otherwise they are one merged cell
   (rowspan / colspan), found by union-find.

A missing rule therefore merges cells here; stages/tables.py splits a merged cell holding two
lines of numbers again and marks it (never silently).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ...cells import is_value_cell
from ...datamodel.document import CellPart, Fragment, GridCell, TableGrid

if TYPE_CHECKING:
    import numpy as np

    from ...settings import GridSettings


def _cluster(values: list[float], tol: float) -> list[float]:
    """Sorted positions, those within `tol` of the previous one merged (their mean)."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def build_grid(
    rows: list[float],
    cols: list[float],
    vertical_rule: Callable[[int, int], bool],
    horizontal_rule: Callable[[int, int], bool],
    *,
    page: int,
    source: str,
    report: dict[str, float] | None = None,
) -> TableGrid:
    """Merged cells from boundaries: `vertical_rule(i, j)` says whether a rule runs at cols[j]
    (0 < j < len(cols)-1) along elementary row i; `horizontal_rule(i, j)` whether one runs at
    rows[i] along elementary column j."""
    m, n = len(rows) - 1, len(cols) - 1
    parent = list(range(m * n))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    for i in range(m):
        for j in range(n):
            if j + 1 < n and not vertical_rule(i, j + 1):
                union(i * n + j, i * n + j + 1)
            if i + 1 < m and not horizontal_rule(i + 1, j):
                union(i * n + j, (i + 1) * n + j)
    groups: dict[int, list[tuple[int, int]]] = {}
    for i in range(m):
        for j in range(n):
            groups.setdefault(find(i * n + j), []).append((i, j))
    cells = []
    for members in groups.values():
        r0 = min(i for i, _ in members)
        r1 = max(i for i, _ in members)
        c0 = min(j for _, j in members)
        c1 = max(j for _, j in members)
        cells.append(
            GridCell(
                row=r0,
                col=c0,
                rowspan=r1 - r0 + 1,
                colspan=c1 - c0 + 1,
                bbox=(cols[c0], rows[r0], cols[c1 + 1], rows[r1 + 1]),
            )
        )
    cells.sort(key=lambda c: (c.row, c.col))
    return TableGrid(
        page=page,
        bbox=(cols[0], rows[0], cols[-1], rows[-1]),
        rows=rows,
        cols=cols,
        cells=cells,
        source=source,
        report=report or {},
    )


def rule_masks(image: np.ndarray, dpi: int, s: GridSettings) -> tuple[np.ndarray, np.ndarray]:
    """(horizontal, vertical) binary masks of the ruled lines of a page image."""
    import cv2

    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    binary = cv2.adaptiveThreshold(
        255 - gray,
        255,
        cv2.ADAPTIVE_THRESH_MEAN_C,
        cv2.THRESH_BINARY,
        s.threshold_block,
        s.threshold_offset,
    )
    length = max(3, round(s.min_rule_inches * dpi))
    gap = max(1, round(s.rule_gap_inches * dpi))
    masks = []
    for kernel, bridge in (((length, 1), (gap, 1)), ((1, length), (1, gap))):
        # keep only long runs (glyph strokes are shorter), then bridge small breaks in what
        # is left (faint or broken rules); bridging first would join the glyphs of a text line
        opened = cv2.morphologyEx(
            binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel)
        )
        masks.append(
            cv2.morphologyEx(
                opened, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, bridge)
            )
        )
    return masks[0], masks[1]


def _coverage(strip: np.ndarray, axis: int) -> float:
    """Share of positions along a strip where the rule mask has ink."""
    if strip.size == 0:
        return 0.0
    return float((strip.max(axis=axis) > 0).mean())


def detect_grids(image: np.ndarray, page: int, dpi: int, s: GridSettings) -> list[TableGrid]:
    """The ruled tables on a page image, top to bottom."""
    import cv2
    import numpy as np

    horizontal, vertical = rule_masks(image, dpi, s)
    tol = max(2, round(s.merge_inches * dpi))
    joined = cv2.dilate(horizontal | vertical, np.ones((2 * tol + 1, 2 * tol + 1), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    grids = []
    for k in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[k])
        if w < s.min_rule_inches * dpi * s.min_cols or h < s.min_rule_inches * dpi:
            continue
        grid = _region_grid(
            horizontal[y : y + h, x : x + w], vertical[y : y + h, x : x + w], (x, y), tol, dpi, s
        )
        if grid is not None:
            grid.page = page
            grids.append(grid)
    grids.sort(key=lambda g: g.bbox.y0)
    return grids


def _region_grid(
    hz: np.ndarray, vt: np.ndarray, origin: tuple[int, int], tol: int, dpi: int, s: GridSettings
) -> TableGrid | None:
    """The grid of one connected group of rules (masks cut to its bounding box)."""
    gap = s.min_cell_inches * dpi
    rows = _boundaries(hz, axis=1, tol=tol, min_len=s.min_rule_inches * dpi, min_gap=gap)
    cols = _boundaries(vt, axis=0, tol=tol, min_len=s.min_rule_inches * dpi, min_gap=gap)
    # a boundary is a rule that runs across at least one whole cell side (a glyph stroke or
    # a speck long enough to pass the opening does not)
    cols = [
        x
        for k, x in enumerate(cols)
        if k in (0, len(cols) - 1)
        or any(
            _coverage(vt[a + tol : b - tol, max(0, x - tol) : x + tol + 1], axis=1)
            >= s.edge_coverage
            for a, b in itertools.pairwise(rows)
        )
    ]
    rows = [
        y
        for k, y in enumerate(rows)
        if k in (0, len(rows) - 1)
        or any(
            _coverage(hz[max(0, y - tol) : y + tol + 1, a + tol : b - tol], axis=0)
            >= s.edge_coverage
            for a, b in itertools.pairwise(cols)
        )
    ]
    open_ends: list[str] = []
    if len(rows) >= 2 and len(cols) >= 2:
        rows, opened = _open_ends(vt, rows, cols, 0, tol, gap, s.open_edge_share)
        open_ends += [side for side, o in zip(("top", "bottom"), opened, strict=True) if o]
        cols, opened = _open_ends(hz, cols, rows, 1, tol, gap, s.open_edge_share)
        open_ends += [side for side, o in zip(("left", "right"), opened, strict=True) if o]
    if len(rows) < s.min_rows + 1 or len(cols) < s.min_cols + 1:
        return None

    def v_rule(i: int, j: int) -> bool:
        strip = vt[rows[i] + tol : rows[i + 1] - tol, max(0, cols[j] - tol) : cols[j] + tol + 1]
        return _coverage(strip, axis=1) >= s.edge_coverage

    def h_rule(i: int, j: int) -> bool:
        strip = hz[max(0, rows[i] - tol) : rows[i] + tol + 1, cols[j] + tol : cols[j + 1] - tol]
        return _coverage(strip, axis=0) >= s.edge_coverage

    x, y = origin
    grid = build_grid(
        [float(y + r) for r in rows],
        [float(x + c) for c in cols],
        v_rule,
        h_rule,
        page=0,
        source="lines",
    )
    grid.open_ends = open_ends
    return grid


def _open_ends(
    cross: np.ndarray,
    bounds: list[int],
    others: list[int],
    axis: int,
    tol: int,
    min_gap: float,
    share: float,
) -> tuple[list[int], tuple[bool, bool]]:
    """`bounds` with a boundary added at an open end of the table: where at least `share` of
    the cross rules (`others`, found in `cross`) run on past the first or last boundary by a
    cell or more, the table goes on without a closing rule there (a table cut by the page end
    and continued on the next page, or printed without its outer rule). The added boundary is
    where those rules end. axis=0: `bounds` are row positions, `cross` the vertical rule mask;
    axis=1: column positions and the horizontal mask. Also returns whether the (first, last)
    end was open."""
    import numpy as np

    profiles = [
        (
            cross[:, max(0, p - tol) : p + tol + 1]
            if axis == 0
            else cross[max(0, p - tol) : p + tol + 1]
        ).max(axis=1 - axis)
        > 0
        for p in others
    ]
    out = list(bounds)
    opened = [False, False]
    for side, start, step in ((0, bounds[0], -1), (1, bounds[-1], 1)):
        ends = []
        for ink in profiles:
            beyond = ink[start + 1 :] if step > 0 else ink[:start][::-1]
            run = len(beyond) if beyond.all() else int(np.argmin(beyond))  # ink up to a gap
            if run >= min_gap:
                ends.append(start + step * run)
        if len(ends) >= 2 and len(ends) >= share * len(others):
            end = round(float(np.median(ends)))
            out = [*out, end] if step > 0 else [end, *out]
            opened[side] = True
    return out, (opened[0], opened[1])


def _boundaries(mask: np.ndarray, axis: int, tol: int, min_len: float, min_gap: float) -> list[int]:
    """Positions of the rules in a mask (axis=1: horizontal rules -> y; axis=0: vertical -> x).
    Two rules closer than `min_gap` (no cell is that thin: a rule drawn twice, or a header
    rule slightly off the body's) are one boundary, the longer rule's."""
    import numpy as np

    run = (mask > 0).sum(axis=axis)  # ink along each row (or column)
    idx = np.nonzero(run >= min_len)[0]
    rules = []
    for c in _cluster([float(i) for i in idx], tol):
        pos = round(c)
        rules.append((pos, float(run[max(0, pos - tol) : pos + tol + 1].max())))
    return [round(p) for p in merge_close_rules(rules, min_gap)]


def merge_close_rules(rules: Sequence[tuple[float, float]], min_gap: float) -> list[float]:
    """Positions of (position, length) rules in increasing order, two closer than `min_gap`
    being one boundary at the longer rule's position (a rule drawn twice, a header rule off the
    body's). Used by the image grids here and the vector grids (vector_source.py)."""
    out: list[tuple[float, float]] = []
    for pos, length in sorted(rules):
        if out and pos - out[-1][0] < min_gap:
            if length > out[-1][1]:
                out[-1] = (pos, length)
            continue
        out.append((pos, length))
    return [p for p, _ in out]


# ---- filling cells -----------------------------------------------------------------------------


def fill_cells(grid: TableGrid, fragments: list[Fragment], cell_share: float) -> None:
    """Put each fragment inside the grid into the cell holding most of it. A fragment that
    crosses a vertical rule (OCR read "0 0 0" across three narrow cells as one line) is cut
    by character position and each piece goes to its cell (the cell is marked `split`)."""
    boxes = [(cell, *cell.bbox) for cell in grid.cells]
    for frag in fragments:
        fb = frag.bbox
        if fb.area <= 0 or fb.overlap(grid.bbox) < 0.5:
            continue
        # only the cells the fragment meets (a cheap test first: this runs for every
        # fragment against every cell)
        fx0, fy0, fx1, fy1 = fb
        overlaps = [
            (cell, fb.overlap(cell.bbox))
            for cell, x0, y0, x1, y1 in boxes
            if x0 < fx1 and fx0 < x1 and y0 < fy1 and fy0 < y1
        ]
        overlaps = [(c, share) for c, share in overlaps if share > 0]
        if not overlaps:
            continue
        best, share = max(overlaps, key=lambda cs: cs[1])
        if share >= cell_share or len(frag.text) < 2:
            best.parts.append(CellPart(text=frag.text, bbox=frag.bbox, confidence=frag.confidence))
            continue
        _split_fragment(frag, [c for c, _ in overlaps])
    for cell in grid.cells:
        cell.parts = [p for line in text_lines(cell.parts) for p in line]
        cell.text = "".join(p.text.strip() for p in cell.parts)
        confs = [p.confidence for p in cell.parts]
        cell.confidence = min(confs) if confs else None


def text_lines(parts: list[CellPart]) -> list[list[CellPart]]:
    """Parts grouped into text lines (by vertical overlap), top to bottom, each left to right.
    Vertical text (one character per line) comes out top to bottom."""
    lines: list[list[CellPart]] = []
    for p in sorted(parts, key=lambda p: p.bbox.cy):
        if lines:
            top = min(q.bbox.y0 for q in lines[-1])
            bottom = max(q.bbox.y1 for q in lines[-1])
            overlap = min(bottom, p.bbox.y1) - max(top, p.bbox.y0)
            if overlap > 0.5 * min(p.bbox.height, bottom - top):
                lines[-1].append(p)
                continue
        lines.append([p])
    return [sorted(line, key=lambda p: p.bbox.x0) for line in lines]


def number_like(text: str) -> bool:
    """A cell the structure treats as a number cell: a value (cells.is_value_cell), or a
    reading at least half digits with no CJK character, a number misread with a stray mark
    ("0)", "i1"). Labels and headers always carry CJK, so such a cell is never a stub: without
    this, a column whose only number is misread (table 四 has one data row) became label.
    What the cell's value is stays cells.read_cell's business."""
    if is_value_cell(text, blank_ok=False):
        return True
    t = "".join(text.split())
    digits = sum(ch.isdigit() for ch in t)
    return bool(t) and 2 * digits >= len(t) and not any(_is_cjk(ch) for ch in t)


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def numeric_columns(grid: TableGrid, is_value: Callable[[str], bool], share: float) -> set[int]:
    """Elementary columns holding numbers: at least one cell starting there holds a value, and
    values are at least `share` of the filled cells starting there (header cells are the rest;
    a value spanning columns, such as 行政许可's one count, counts for its first column, a
    header spanning columns, such as 行政复议 over five, for none)."""
    by_col: dict[int, list[str]] = {}
    for c in grid.cells:
        if not c.empty and (c.colspan == 1 or is_value(c.text)):  # not spanning headers
            by_col.setdefault(c.col, []).append(c.text)
    out = set()
    for col, texts in by_col.items():
        values = sum(is_value(t) for t in texts)
        if values and values >= share * len(texts):
            out.add(col)
    return out


def _split_fragment(frag: Fragment, cells: list[GridCell]) -> None:
    """Cut a fragment's text at the cell rules it crosses. Tokens separated by spaces go whole
    to the cell holding their centre; otherwise characters are placed at even widths."""
    x0, y0, x1, y1 = frag.bbox
    text = frag.text
    width = (x1 - x0) / max(1, len(text))
    pieces: dict[int, list[tuple[int, str]]] = {}
    tokens: list[tuple[int, int]] = []  # (start, end) of non-space runs
    start = None
    for i, ch in enumerate(text + " "):
        if ch.isspace():
            if start is not None:
                tokens.append((start, i))
                start = None
        elif start is None:
            start = i
    for a, b in tokens if len(tokens) > 1 else [(i, i + 1) for i in range(len(text))]:
        centre = x0 + (a + b) / 2 * width
        cy = (y0 + y1) / 2
        for k, cell in enumerate(cells):
            if cell.bbox.x0 <= centre < cell.bbox.x1 and cell.bbox.y0 <= cy <= cell.bbox.y1:
                pieces.setdefault(k, []).append((a, text[a:b]))
                break
    for k, chunk in pieces.items():
        cell = cells[k]
        box = (max(x0, cell.bbox.x0), y0, min(x1, cell.bbox.x1), y1)
        cell.parts.append(
            CellPart(text="".join(t for _, t in chunk), bbox=box, confidence=frag.confidence)
        )
        cell.split = True
