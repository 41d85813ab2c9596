"""Ruled grids read from a text-layer PDF's drawing (engines/tables/vector_source.py).

Every PDF here is written by the test with reportlab, its table drawn the ways producers
draw them: one line per cell side (Word, WPS), a stroked rectangle per cell (reportlab's
tables, the synthetic reports), thin filled rectangles (converters), inside a form XObject
moved by a matrix; with white cell backgrounds and a shaded header that are not rules."""

from __future__ import annotations

import glob
from collections.abc import Callable
from pathlib import Path

import pytest
from nianbao.datamodel.document import PageDoc
from nianbao.engines.render import PdfSource
from nianbao.engines.tables.reader import GridReader
from nianbao.engines.tables.vector_source import drawing_grids, page_drawings, raster_reason
from nianbao.settings import Settings

Span = tuple[int, int, int, int]  # row, col, rowspan, colspan
ROWS = [30.0, 22.0, 22.0, 22.0, 22.0]  # points, top to bottom
COLS = [60.0, 150.0, 50.0, 50.0, 50.0]  # points, left to right
MERGED = [(0, 0, 1, 2), (0, 2, 1, 3), (2, 0, 3, 1)]  # header over 2 and 3 cols; a group stub
LEFT, TOP = 72.0, 560.0  # table origin, points from the page's left and top
PAGE_W, PAGE_H = 595.0, 842.0
FONT = "STSong-Light"
TITLE = "青禾县人民政府二〇二一年政府信息公开工作年度报告表格测试页面用于检查规则"


def expected_spans(rows: int = len(ROWS), cols: int = len(COLS)) -> set[Span]:
    out = set(MERGED)
    covered = {(r + a, c + b) for r, c, rs, cs in MERGED for a in range(rs) for b in range(cs)}
    return out | {(i, j, 1, 1) for i in range(rows) for j in range(cols) if (i, j) not in covered}


def spans(grid) -> set[Span]:  # type: ignore[no-untyped-def]
    return {(c.row, c.col, c.rowspan, c.colspan) for c in grid.cells}


def edges(rows: list[float] = ROWS) -> tuple[list[float], list[float]]:
    """Boundary positions in reportlab points (y up)."""
    ys = [PAGE_H - TOP - sum(rows[:i]) for i in range(len(rows) + 1)]
    xs = [LEFT + sum(COLS[:j]) for j in range(len(COLS) + 1)]
    return ys, xs


def inside_merged(i: int, j: int, horizontal: bool) -> bool:
    """Is the side on cell (i, j)'s top (horizontal) or left inside a merged cell?"""
    for r, c, rs, cs in MERGED:
        if horizontal and r < i < r + rs and c <= j < c + cs:
            return True
        if not horizontal and c < j < c + cs and r <= i < r + rs:
            return True
    return False


def sides(rows: list[float] = ROWS, *, bottom: bool = True):  # type: ignore[no-untyped-def]
    """The cell sides to draw: ((x0, y0), (x1, y1)) in points."""
    ys, xs = edges(rows)
    for i, y in enumerate(ys):
        if i == len(rows) and not bottom:
            continue
        for j in range(len(COLS)):
            if not inside_merged(i, j, True):
                yield (xs[j], y), (xs[j + 1], y)
    for j, x in enumerate(xs):
        for i in range(len(rows)):
            if not inside_merged(i, j, False):
                yield (x, ys[i]), (x, ys[i + 1])


def cell_boxes():  # type: ignore[no-untyped-def]
    """(x, y, w, h) of every merged cell (reportlab rect arguments)."""
    ys, xs = edges()
    for r, c, rs, cs in expected_spans():
        yield xs[c], ys[r + rs], xs[c + cs] - xs[c], ys[r] - ys[r + rs]


def write_pdf(path: Path, draw: Callable[..., None], *, text: bool = True) -> Path:
    """A page with a CJK title (a real text layer) and the table `draw` draws, a label or
    number in each cell."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    c.setFont(FONT, 14)
    c.drawString(LEFT, PAGE_H - 100, TITLE)
    draw(c)
    if text:
        ys, xs = edges()
        c.setFont(FONT, 9)
        for r, col, rs, _ in sorted(expected_spans()):
            label = "申请" if col < 2 else str(10 * r + col)
            c.drawString(xs[col] + 4, (ys[r] + ys[r + rs]) / 2 - 3, label)
    c.showPage()
    c.save()
    return path


def lines(c) -> None:  # type: ignore[no-untyped-def]
    c.setLineWidth(0.75)
    for (x0, y0), (x1, y1) in sides():
        c.line(x0, y0, x1, y1)


def cell_rects(c) -> None:  # type: ignore[no-untyped-def]
    c.setLineWidth(0.6)
    for x, y, w, h in cell_boxes():
        c.rect(x, y, w, h, stroke=1, fill=0)


def thin_fills(c) -> None:  # type: ignore[no-untyped-def]
    c.setFillGray(0)
    for (x0, y0), (x1, y1) in sides():
        if y0 == y1:
            c.rect(x0 - 0.4, y0 - 0.4, x1 - x0 + 0.8, 0.8, stroke=0, fill=1)
        else:
            c.rect(x0 - 0.4, min(y0, y1) - 0.4, 0.8, abs(y1 - y0) + 0.8, stroke=0, fill=1)


def backgrounds_then_lines(c) -> None:  # type: ignore[no-untyped-def]
    """Word's way: every cell painted white (slightly inset), a shaded header row, then rules."""
    ys, xs = edges()
    c.setFillGray(1)
    for x, y, w, h in cell_boxes():
        c.rect(x + 0.25, y + 0.25, w - 0.5, h - 0.5, stroke=0, fill=1)
    c.setFillGray(0.85)
    c.rect(xs[0], ys[1], xs[-1] - xs[0], ys[0] - ys[1], stroke=0, fill=1)
    # a light rule (a tint, not ink) across the middle of the table
    c.setStrokeGray(0.97)
    c.line(xs[0], (ys[2] + ys[3]) / 2, xs[-1], (ys[2] + ys[3]) / 2)
    c.setStrokeGray(0)
    c.setFillGray(0)
    lines(c)


def in_a_form(c) -> None:  # type: ignore[no-untyped-def]
    """The rules in a form XObject drawn 50 points lower and 20 to the left of where they
    belong, moved back by the matrix of the form's placement."""
    c.beginForm("table")
    c.saveState()
    c.translate(-20, -50)
    lines(c)
    c.restoreState()
    c.endForm()
    c.saveState()
    c.translate(20, 50)
    c.doForm("table")
    c.restoreState()


def read(path: Path, settings: Settings):  # type: ignore[no-untyped-def]
    dpi = settings.render.dpi
    source = PdfSource(path, settings.render)
    try:
        page = next(iter(source.pages()))
    finally:
        source.close()
    drawing = page_drawings(path, [1], dpi, settings.grid)[0]
    return page, drawing, drawing_grids(drawing, dpi, settings.grid)


@pytest.mark.parametrize(
    "draw",
    [lines, cell_rects, thin_fills, backgrounds_then_lines, in_a_form],
    ids=lambda d: d.__name__,
)
def test_the_drawn_table_is_the_grid(tmp_path: Path, settings: Settings, draw) -> None:  # type: ignore[no-untyped-def]
    page, drawing, grids = read(write_pdf(tmp_path / "t.pdf", draw), settings)
    assert len(grids) == 1
    grid = grids[0]
    assert spans(grid) == expected_spans()
    assert grid.source == "pdf_vector" and not grid.open_ends
    scale = settings.render.dpi / 72
    ys, xs = edges()
    assert grid.cols == pytest.approx([x * scale for x in xs], abs=2)
    assert grid.rows == pytest.approx([(PAGE_H - y) * scale for y in ys], abs=2)
    assert raster_reason(drawing, grids, page.fragments, settings.grid) is None


def test_cells_are_filled_from_the_text_layer(tmp_path: Path, settings: Settings) -> None:
    path = write_pdf(tmp_path / "t.pdf", lines)
    page, _, _ = read(path, settings)
    doc_page = PageDoc(
        number=1,
        width=page.width,
        height=page.height,
        dpi=page.dpi,
        source="text_layer",
        fragments=page.fragments,
    )
    reader = GridReader(settings.grid, lambda: pytest.fail("no OCR on a text layer"))
    reader.text_layer(path, [doc_page], settings.render.dpi)
    (grid,) = doc_page.grids
    text = {(c.row, c.col): c.text for c in grid.cells}
    assert text[(1, 2)] == "12" and text[(4, 4)] == "44" and text[(2, 0)] == "申请"
    assert 0.9 <= grid.report["accuracy"] <= 1.0
    assert reader.timings["grid_ms"] > 0


def test_a_table_cut_by_the_page_end_keeps_its_open_last_row(
    tmp_path: Path, settings: Settings
) -> None:
    def open_bottom(c) -> None:  # type: ignore[no-untyped-def]
        c.setLineWidth(0.75)
        for (x0, y0), (x1, y1) in sides(bottom=False):
            c.line(x0, y0, x1, y1)

    _, _, (grid,) = read(write_pdf(tmp_path / "t.pdf", open_bottom), settings)
    assert grid.open_ends == ["bottom"]
    assert spans(grid) == expected_spans()


def test_no_rules_no_grid(tmp_path: Path, settings: Settings) -> None:
    def underline_only(c) -> None:  # type: ignore[no-untyped-def]
        c.line(LEFT, 700, LEFT + 300, 700)  # a rule under the title: no table

    _, drawing, grids = read(write_pdf(tmp_path / "t.pdf", underline_only), settings)
    assert grids == []
    assert drawing.horizontal and not drawing.vertical


def _rules_as_image(c) -> None:  # type: ignore[no-untyped-def]
    """The table's rules are a picture (a scanned form pasted under the text layer)."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    scale = 4  # pixels per point
    ys, xs = edges()
    w, h = xs[-1] - xs[0], ys[0] - ys[-1]
    image = Image.new("L", (round(w * scale) + 4, round(h * scale) + 4), 255)
    pen = ImageDraw.Draw(image)
    for (x0, y0), (x1, y1) in sides():
        p = (round((x0 - xs[0]) * scale) + 1, round((ys[0] - y0) * scale) + 1)
        q = (round((x1 - xs[0]) * scale) + 1, round((ys[0] - y1) * scale) + 1)
        pen.line([p, q], fill=0, width=3)
    c.drawImage(ImageReader(image), xs[0], ys[-1], w, h)


def test_rules_drawn_as_an_image_go_to_camelot(tmp_path: Path, settings: Settings) -> None:
    path = write_pdf(tmp_path / "t.pdf", _rules_as_image)
    page, drawing, grids = read(path, settings)
    assert grids == []
    reason = raster_reason(drawing, grids, page.fragments, settings.grid)
    assert reason is not None and "image" in reason
    doc_page = PageDoc(
        number=1,
        width=page.width,
        height=page.height,
        dpi=page.dpi,
        source="text_layer",
        fragments=page.fragments,
    )
    GridReader(settings.grid, lambda: pytest.fail("no OCR")).text_layer(
        path, [doc_page], settings.render.dpi
    )
    assert "camelot" in doc_page.note
    assert [g.source for g in doc_page.grids] == ["camelot_lattice"]
    assert spans(doc_page.grids[0]) == expected_spans()


def test_a_picture_without_text_on_it_is_not_a_table(tmp_path: Path, settings: Settings) -> None:
    path = write_pdf(tmp_path / "t.pdf", _rules_as_image, text=False)
    page, drawing, grids = read(path, settings)
    assert raster_reason(drawing, grids, page.fragments, settings.grid) is None


def test_a_turned_page_goes_to_camelot(tmp_path: Path, settings: Settings) -> None:
    import pypdfium2 as pdfium

    path = write_pdf(tmp_path / "t.pdf", lines)
    pdf = pdfium.PdfDocument(str(path))
    pdf[0].set_rotation(90)
    pdf.save(str(tmp_path / "turned.pdf"))
    pdf.close()
    page, drawing, grids = read(tmp_path / "turned.pdf", settings)
    assert drawing.rotation == 90
    assert "Rotate" in (raster_reason(drawing, grids, page.fragments, settings.grid) or "")


ROOT = Path(__file__).resolve().parents[2]
TEXT_LAYER_PDFS = sorted(
    glob.glob(str(ROOT / "sample_scans/pdf/*.pdf"))
    + [
        str(ROOT / "tests/data/real_shapes" / name)
        for name in ("heting-housing-2021.pdf", "lixi-town-2025.pdf", "qinghe-county-gov-2023.pdf")
    ]
)


@pytest.mark.slow  # camelot renders every page
@pytest.mark.parametrize("path", TEXT_LAYER_PDFS, ids=lambda p: Path(p).name)
def test_vector_and_camelot_give_the_same_cells(path: str, settings: Settings) -> None:
    from nianbao.runner import Pipeline

    def run(source: str):  # type: ignore[no-untyped-def]
        grid = settings.grid.model_copy(update={"text_layer_source": source})
        doc, record = Pipeline(settings.model_copy(update={"grid": grid})).run_doc(path)
        cells = [
            [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in g.cells]
            for p in doc.pages
            for g in p.grids
        ]
        fields = {k: f.value for k, f in record.iter_fields()}
        return cells, fields, {g.source for p in doc.pages for g in p.grids}

    vector, camelot = run("vector"), run("camelot")
    assert vector[2] == {"pdf_vector"} and camelot[2] == {"camelot_lattice"}
    assert vector[0] == camelot[0]
    assert vector[1] == camelot[1]


def test_a_page_drawn_with_too_many_segments_is_not_walked(
    tmp_path: Path, settings: Settings
) -> None:
    path = write_pdf(tmp_path / "t.pdf", lines)
    grid_settings = settings.grid.model_copy(update={"vector_max_segments": 20})
    page, _, _ = read(path, settings)
    (drawing,) = page_drawings(path, [1], settings.render.dpi, grid_settings)
    assert drawing.too_complex and not drawing.horizontal
    grids = drawing_grids(drawing, settings.render.dpi, grid_settings)
    assert grids == []
    reason = raster_reason(drawing, grids, page.fragments, grid_settings)
    assert reason is not None and "20 path segments" in reason
