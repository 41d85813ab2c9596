"""Ruled grids of text-layer PDF pages from the PDF's own drawing: no page is rendered.

The rules of a table in a born-digital PDF are path objects: stroked lines and rectangles
(Word, WPS) or thin filled rectangles (some converters). pdfium lists them with their
segments, transformation matrix, colours and draw mode; we take every visible axis-aligned
piece of ink as a rule segment, in the page-image pixels of the text-layer runs (origin
top-left, `dpi`), and build the grid the way grid.py does for a scan:

1. segments on one line (within `merge_inches`) whose gaps are under `rule_gap_inches` are
   one rule; rules shorter than `min_rule_inches` are dropped;
2. rules that touch each other form one table (a connected group);
3. rule positions are row and column boundaries, two closer than `min_cell_inches` being one
   (the longer's); a boundary must run along at least one whole cell side; where the cross
   rules run on past the outermost rule (a table cut by the page end) their end is a
   boundary and the side is recorded in `TableGrid.open_ends`;
4. `build_grid`: a rule covering `edge_coverage` of the side shared by two elementary cells
   separates them; otherwise they are one merged cell.

What is not ink is not a rule: white fills (Word paints every cell background white), fills
and strokes lighter than `vector_max_grey`, curves and slanted lines (the diagonal of a
header cell). A filled rectangle thicker than `vector_max_rule_inches` is shading, not a rule.

Pages this cannot read are reported back (`raster_reason`): a page turned by /Rotate, a page
with a large image holding text-layer runs but no vector grid over it (the rules are drawn
as an image), and a page with more than `vector_max_segments` path segments (bounded work;
camelot's rendering is bounded by `render.max_page_pixels`). The reader gives those to
camelot lattice.

The grid's `report["accuracy"]` is camelot's parsing-report measure computed on our runs:
1 minus the mean share of each run's box lying outside the elementary cell it falls in.
"""

from __future__ import annotations

import ctypes
import itertools
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ...datamodel.base import BBox
from ...datamodel.document import Fragment, TableGrid
from .grid import build_grid, merge_close_rules

if TYPE_CHECKING:
    from ...settings import GridSettings

POINTS_PER_INCH = 72.0
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_FORM_DEPTH = 8  # form XObjects nested deeper are not read (a hostile file nests forever)


@dataclass
class Rule:
    """An axis-aligned rule: at `pos` (y of a horizontal rule, x of a vertical one), from
    `start` to `end` along it (pixels)."""

    pos: float
    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start


@dataclass
class PageDrawing:
    """The visible straight ink of one page, and the large images on it (pixels)."""

    number: int
    width: float
    height: float
    horizontal: list[Rule] = field(default_factory=list)
    vertical: list[Rule] = field(default_factory=list)
    images: list[BBox] = field(default_factory=list)
    rotation: int = 0
    too_complex: bool = False  # more path segments than `vector_max_segments`: not read


class _TooComplex(Exception):
    pass


def _compose(outer: Matrix, inner: Matrix) -> Matrix:
    """The matrix applying `inner` first, then `outer` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _matrix(raw_obj: object) -> Matrix:
    import pypdfium2.raw as pdfium_c

    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(raw_obj, m):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _grey(getter: object, raw_obj: object) -> tuple[float, int] | None:
    """(grey level 0-255, alpha) of a fill or stroke colour, None when unset."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(raw_obj, r, g, b, a):  # type: ignore[operator]
        return None
    return 0.299 * r.value + 0.587 * g.value + 0.114 * b.value, a.value


class _Reader:
    """Walks one page's objects (into form XObjects) collecting rules and images."""

    def __init__(self, page: PageDrawing, h_pt: float, scale: float, s: GridSettings) -> None:
        self.page = page
        self.h_pt = h_pt
        self.scale = scale
        self.max_grey = s.vector_max_grey
        self.thin = s.vector_max_rule_inches * POINTS_PER_INCH * scale
        self.tol = max(1.0, s.merge_inches * POINTS_PER_INCH * scale)
        self.budget = s.vector_max_segments  # bounded work on a hostile page

    def to_px(self, m: Matrix, x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = m
        px, py = a * x + c * y + e, b * x + d * y + f
        return px * self.scale, (self.h_pt - py) * self.scale

    def visible(self, colour: tuple[float, int] | None) -> bool:
        return colour is not None and colour[1] > 0 and colour[0] < self.max_grey

    def walk(self, count: int, get: object, outer: Matrix, depth: int = 0) -> None:
        import pypdfium2.raw as pdfium_c

        if depth > MAX_FORM_DEPTH:
            return
        for k in range(count):
            obj = get(k)  # type: ignore[operator]
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                self.path(obj, _compose(outer, _matrix(obj)))
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                m = _compose(outer, _matrix(obj))
                n = pdfium_c.FPDFFormObj_CountObjects(obj)
                self.walk(n, lambda i, o=obj: pdfium_c.FPDFFormObj_GetObject(o, i), m, depth + 1)
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                self.image(obj, outer)

    def image(self, obj: object, outer: Matrix) -> None:
        import pypdfium2.raw as pdfium_c

        box = [ctypes.c_float() for _ in range(4)]
        if not pdfium_c.FPDFPageObj_GetBounds(obj, *box):
            return
        x0, y0, x1, y1 = (v.value for v in box)
        corners = [self.to_px(outer, x, y) for x in (x0, x1) for y in (y0, y1)]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        self.page.images.append(BBox(min(xs), min(ys), max(xs), max(ys)))

    def path(self, obj: object, m: Matrix) -> None:
        import pypdfium2.raw as pdfium_c

        fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
        if not pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
            return
        stroked = bool(stroke.value) and self.visible(
            _grey(pdfium_c.FPDFPageObj_GetStrokeColor, obj)
        )
        filled = fill_mode.value != pdfium_c.FPDF_FILLMODE_NONE and self.visible(
            _grey(pdfium_c.FPDFPageObj_GetFillColor, obj)
        )
        if not (stroked or filled):
            return
        # points in page pixels: x' = (a x + c y + e) * scale, y' = (h - (b x + d y + f)) * scale
        a, b, c, d, e, f = (v * self.scale for v in m)
        h = self.h_pt * self.scale
        get_segment, get_type = pdfium_c.FPDFPath_GetPathSegment, pdfium_c.FPDFPathSegment_GetType
        get_point, get_close = pdfium_c.FPDFPathSegment_GetPoint, pdfium_c.FPDFPathSegment_GetClose
        moveto, bezier = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_BEZIERTO
        subpaths: list[tuple[list[tuple[float, float]], bool, bool]] = []  # points, closed, curved
        x, y = ctypes.c_float(), ctypes.c_float()
        count = pdfium_c.FPDFPath_CountSegments(obj)
        self.budget -= max(0, count)
        if self.budget < 0:
            raise _TooComplex
        for k in range(count):
            seg = get_segment(obj, k)
            kind = get_type(seg)
            get_point(seg, x, y)
            px, py = x.value, y.value
            point = (a * px + c * py + e, h - (b * px + d * py + f))
            if kind == moveto or not subpaths:
                subpaths.append(([point], False, False))
            else:
                points, _, curved = subpaths[-1]
                points.append(point)
                if kind == bezier:
                    subpaths[-1] = (points, False, True)
            if get_close(seg):
                points, _, curved = subpaths[-1]
                subpaths[-1] = (points, True, curved)
        for points, closed, curved in subpaths:
            if curved:
                continue  # rounded corners, circles: not rules
            if stroked:
                ends = [*points, points[0]] if closed else points
                for p, q in itertools.pairwise(ends):
                    self.segment(p, q)
            if filled and len(points) >= 3:
                self.fill(points)

    def segment(self, p: tuple[float, float], q: tuple[float, float]) -> None:
        (x0, y0), (x1, y1) = p, q
        if abs(y1 - y0) <= self.tol and abs(x1 - x0) > self.tol:
            self.page.horizontal.append(Rule((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x1 - x0) <= self.tol and abs(y1 - y0) > self.tol:
            self.page.vertical.append(Rule((x0 + x1) / 2, min(y0, y1), max(y0, y1)))

    def fill(self, points: list[tuple[float, float]]) -> None:
        """A filled axis-aligned rectangle thinner than a rule's width is a rule."""
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        for (x0, y0), (x1, y1) in itertools.pairwise([*points, points[0]]):
            if abs(x1 - x0) > self.tol and abs(y1 - y0) > self.tol:
                return  # a slanted edge: not a rectangle
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        if h <= self.thin < w:
            self.page.horizontal.append(Rule((min(ys) + max(ys)) / 2, min(xs), max(xs)))
        elif w <= self.thin < h:
            self.page.vertical.append(Rule((min(xs) + max(xs)) / 2, min(ys), max(ys)))


def page_drawings(path: Path, numbers: list[int], dpi: int, s: GridSettings) -> list[PageDrawing]:
    """The rules and images of pages `numbers` (1-based) of the PDF at `path`."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    scale = dpi / POINTS_PER_INCH
    out = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for number in numbers:
            page = pdf[number - 1]
            try:
                w_pt, h_pt = page.get_size()
                drawing = PageDrawing(number, w_pt * scale, h_pt * scale)
                drawing.rotation = int(pdfium_c.FPDFPage_GetRotation(page.raw)) % 4 * 90
                raw = page.raw
                count = pdfium_c.FPDFPage_CountObjects(raw)
                try:
                    _Reader(drawing, h_pt, scale, s).walk(
                        count, lambda i, r=raw: pdfium_c.FPDFPage_GetObject(r, i), IDENTITY
                    )
                except _TooComplex:
                    drawing.horizontal, drawing.vertical = [], []
                    drawing.too_complex = True
                out.append(drawing)
            finally:
                page.close()
    finally:
        pdf.close()
    return out


# ---- rules -> grids -----------------------------------------------------------------------------


def _join(rules: list[Rule], tol: float, gap: float) -> list[Rule]:
    """Segments on one line (positions within `tol`, chained) with gaps up to `gap` are one
    rule; its position is the length-weighted mean of theirs."""
    lines: list[list[Rule]] = []
    for r in sorted(rules, key=lambda r: (r.pos, r.start)):
        if lines and r.pos - lines[-1][-1].pos <= tol:
            lines[-1].append(r)
        else:
            lines.append([r])
    out = []
    for line in lines:
        run: list[Rule] = []
        reach = 0.0  # the end of the run so far
        for r in sorted(line, key=lambda r: r.start):
            if run and r.start - reach > gap:
                out.append(_merged(run))
                run = []
            reach = max(reach, r.end) if run else r.end
            run.append(r)
        out.append(_merged(run))
    return out


def _merged(run: list[Rule]) -> Rule:
    weight = sum(max(r.length, 1e-6) for r in run)
    pos = sum(r.pos * max(r.length, 1e-6) for r in run) / weight
    return Rule(pos, min(r.start for r in run), max(r.end for r in run))


def _groups(hz: list[Rule], vt: list[Rule], tol: float) -> list[tuple[list[Rule], list[Rule]]]:
    """Rules that touch (a horizontal and a vertical crossing or meeting within `tol`) form a
    group; each group with rules of both directions is a table candidate, top to bottom."""
    parent = list(range(len(hz) + len(vt)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i, h in enumerate(hz):
        for j, v in enumerate(vt):
            if h.start - tol <= v.pos <= h.end + tol and v.start - tol <= h.pos <= v.end + tol:
                parent[find(i)] = find(len(hz) + j)
    members: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, h in enumerate(hz):
        members.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vt):
        members.setdefault(find(len(hz) + j), ([], []))[1].append(v)
    groups = [g for g in members.values() if g[0] and g[1]]
    groups.sort(key=lambda g: min(r.start for r in g[1]))
    return groups


def _boundaries(rules: list[Rule], min_gap: float) -> list[float]:
    """Rule positions, two closer than `min_gap` being one boundary (the longer rule's)."""
    by_pos: dict[float, float] = {}
    for r in rules:
        by_pos[r.pos] = max(by_pos.get(r.pos, 0.0), r.length)
    return merge_close_rules(list(by_pos.items()), min_gap)


def _coverage(rules: list[Rule], pos: float, a: float, b: float, tol: float) -> float:
    """Share of (a + tol, b - tol) covered by the rules lying at `pos` (within tol)."""
    lo, hi = a + tol, b - tol
    if hi <= lo:
        return 0.0
    spans = sorted(
        (max(lo, r.start), min(hi, r.end))
        for r in rules
        if abs(r.pos - pos) <= tol and r.end > lo and r.start < hi
    )
    covered, reach = 0.0, lo
    for s0, s1 in spans:
        if s1 > reach:
            covered += s1 - max(s0, reach)
            reach = s1
    return covered / (hi - lo)


def _open_ends(
    bounds: list[float],
    others: list[float],
    cross: list[Rule],
    tol: float,
    gap: float,
    share: float,
) -> tuple[list[float], tuple[bool, bool]]:
    """`bounds` with a boundary added at an open end: where at least `share` of the cross
    rules at `others` (and two or more) run on past the first or last boundary by `gap` or
    more, the table goes on without a closing rule there; the new boundary is the median of
    where they end. Also returns whether the (first, last) end was open."""
    out = list(bounds)
    opened = [False, False]
    for side in (0, 1):
        edge = bounds[0] if side == 0 else bounds[-1]
        ends = []
        for pos in others:
            for r in cross:
                if abs(r.pos - pos) > tol or not (r.start - tol <= edge <= r.end + tol):
                    continue
                beyond = edge - r.start if side == 0 else r.end - edge
                if beyond >= gap:
                    ends.append(r.start if side == 0 else r.end)
                    break
        if len(ends) >= 2 and len(ends) >= share * len(others):
            end = statistics.median(ends)
            out = [end, *out] if side == 0 else [*out, end]
            opened[side] = True
    return out, (opened[0], opened[1])


def _group_grid(
    hz: list[Rule], vt: list[Rule], page: int, px_per_inch: float, s: GridSettings
) -> TableGrid | None:
    tol = max(1.0, s.merge_inches * px_per_inch)
    gap = s.min_cell_inches * px_per_inch
    rows = _boundaries(hz, gap)
    cols = _boundaries(vt, gap)
    if len(rows) < 1 or len(cols) < 1:
        return None
    # a boundary is a rule that runs along at least one whole cell side
    cols = [
        x
        for k, x in enumerate(cols)
        if k in (0, len(cols) - 1)
        or any(_coverage(vt, x, a, b, tol) >= s.edge_coverage for a, b in itertools.pairwise(rows))
    ]
    rows = [
        y
        for k, y in enumerate(rows)
        if k in (0, len(rows) - 1)
        or any(_coverage(hz, y, a, b, tol) >= s.edge_coverage for a, b in itertools.pairwise(cols))
    ]
    open_ends: list[str] = []
    rows, opened = _open_ends(rows, cols, vt, tol, gap, s.open_edge_share)
    open_ends += [side for side, o in zip(("top", "bottom"), opened, strict=True) if o]
    cols, opened = _open_ends(cols, rows, hz, tol, gap, s.open_edge_share)
    open_ends += [side for side, o in zip(("left", "right"), opened, strict=True) if o]
    if len(rows) < s.min_rows + 1 or len(cols) < s.min_cols + 1:
        return None
    at_col = [[r for r in vt if abs(r.pos - x) <= tol] for x in cols]
    at_row = [[r for r in hz if abs(r.pos - y) <= tol] for y in rows]

    def v_rule(i: int, j: int) -> bool:
        return _coverage(at_col[j], cols[j], rows[i], rows[i + 1], tol) >= s.edge_coverage

    def h_rule(i: int, j: int) -> bool:
        return _coverage(at_row[i], rows[i], cols[j], cols[j + 1], tol) >= s.edge_coverage

    grid = build_grid(rows, cols, v_rule, h_rule, page=page, source="pdf_vector")
    grid.open_ends = open_ends
    return grid


def drawing_grids(drawing: PageDrawing, dpi: int, s: GridSettings) -> list[TableGrid]:
    """The ruled tables of one page's drawing, top to bottom."""
    tol = max(1.0, s.merge_inches * dpi)
    min_len = s.min_rule_inches * dpi
    hz = [r for r in _join(drawing.horizontal, tol, s.rule_gap_inches * dpi) if r.length >= min_len]
    vt = [r for r in _join(drawing.vertical, tol, s.rule_gap_inches * dpi) if r.length >= min_len]
    grids = []
    for g_hz, g_vt in _groups(hz, vt, tol):
        grid = _group_grid(g_hz, g_vt, drawing.number, dpi, s)
        if grid is not None:
            grids.append(grid)
    grids.sort(key=lambda g: g.bbox.y0)
    return grids


def raster_reason(
    drawing: PageDrawing, grids: list[TableGrid], fragments: list[Fragment], s: GridSettings
) -> str | None:
    """Why this page's rules must be found in its rendering (camelot), or None: the page is
    turned by /Rotate, or an image covering `raster_image_share` of the page holds at least
    `raster_min_fragments` text-layer runs and no vector grid (rules drawn as an image)."""
    if drawing.rotation:
        return f"page turned by /Rotate {drawing.rotation}"
    if drawing.too_complex:
        return f"more than {s.vector_max_segments} path segments"
    area = drawing.width * drawing.height
    for box in drawing.images:
        if area <= 0 or box.area < s.raster_image_share * area:
            continue
        if any(g.bbox.overlap(box) > 0 for g in grids):
            continue
        inside = sum(
            1 for f in fragments if box.x0 <= f.bbox.cx <= box.x1 and box.y0 <= f.bbox.cy <= box.y1
        )
        if inside >= s.raster_min_fragments:
            return f"an image of {box.area / area:.0%} of the page holds {inside} text runs"
    return None


def parse_accuracy(grid: TableGrid, fragments: list[Fragment]) -> float | None:
    """camelot's parsing-report accuracy on our runs: 1 minus the mean share of a run's box
    outside the elementary cell holding its centre (a run across rules is badly placed)."""
    errors = []
    rows, cols = grid.rows, grid.cols
    for f in fragments:
        b = f.bbox
        if not (rows[0] <= b.cy <= rows[-1] and cols[0] <= b.cx <= cols[-1]) or b.area <= 0:
            continue
        i = next(k for k in range(len(rows) - 1) if b.cy <= rows[k + 1])
        j = max(range(len(cols) - 1), key=lambda k: min(b.x1, cols[k + 1]) - max(b.x0, cols[k]))
        inside = max(0.0, min(b.x1, cols[j + 1]) - max(b.x0, cols[j])) * max(
            0.0, min(b.y1, rows[i + 1]) - max(b.y0, rows[i])
        )
        errors.append(1.0 - inside / b.area)
    if not errors:
        return None
    return 1.0 - sum(errors) / len(errors)


__all__ = [
    "PageDrawing",
    "Rule",
    "drawing_grids",
    "page_drawings",
    "parse_accuracy",
    "raster_reason",
]
