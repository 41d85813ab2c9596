"""Ruled-grid detection on synthetic pages whose spans are known (drawn here, not read)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from nianbao.datamodel.document import Fragment
from nianbao.engines import imaging
from nianbao.engines.tables.grid import detect_grids, fill_cells, number_like
from nianbao.settings import Settings

DPI = 200
Span = tuple[int, int, int, int]  # row, col, rowspan, colspan


def draw_table(
    rows: list[int],
    cols: list[int],
    merged: list[Span],
    *,
    origin: tuple[int, int] = (150, 300),
    ink: int = 0,
    gap_every: int = 0,
    missing_rows: tuple[int, ...] = (),
    missing_cols: tuple[int, ...] = (),
) -> tuple[np.ndarray, list[float], list[float]]:
    """A white A4 page at DPI with a table: `rows`/`cols` are cell sizes in pixels; `merged`
    cells have no inner rules; `gap_every` breaks every rule every that many pixels (a broken
    scan); `missing_rows` / `missing_cols` are horizontal / vertical boundaries (index from 0,
    the outer ones included) not drawn at all."""
    page = np.full((2339, 1654, 3), 255, np.uint8)
    x0, y0 = origin
    ys = [y0 + sum(rows[:i]) for i in range(len(rows) + 1)]
    xs = [x0 + sum(cols[:j]) for j in range(len(cols) + 1)]

    def inside(i: int, j: int, horizontal: bool) -> bool:
        """Is the rule segment on cell (i, j)'s top (or left) side inside a merged cell?"""
        for r, c, rs, cs in merged:
            if horizontal and r < i < r + rs and c <= j < c + cs:
                return True
            if not horizontal and c < j < c + cs and r <= i < r + rs:
                return True
        return False

    def line(p: tuple[int, int], q: tuple[int, int]) -> None:
        if not gap_every:
            cv2.line(page, p, q, (ink, ink, ink), 2)
            return
        (ax, ay), (bx, by) = p, q
        length = max(abs(bx - ax), abs(by - ay))
        for s in range(0, length, gap_every):
            e = min(length, s + gap_every - 4)  # a 4-pixel break
            f0, f1 = s / length, e / length
            cv2.line(
                page,
                (round(ax + (bx - ax) * f0), round(ay + (by - ay) * f0)),
                (round(ax + (bx - ax) * f1), round(ay + (by - ay) * f1)),
                (ink, ink, ink),
                2,
            )

    for i, y in enumerate(ys):
        if i in missing_rows:
            continue
        for j in range(len(cols)):
            if not inside(i, j, True):
                line((xs[j], y), (xs[j + 1], y))
    for j, x in enumerate(xs):
        if j in missing_cols:
            continue
        for i in range(len(rows)):
            if not inside(i, j, False):
                line((x, ys[i]), (x, ys[i + 1]))
    for i in range(len(rows)):  # a digit in every cell: glyph strokes are not rules
        for j in range(len(cols)):
            cv2.putText(
                page,
                str((i + j) % 10),
                (xs[j] + 12, ys[i + 1] - 14),
                cv2.FONT_HERSHEY_SIMPLEX,
                1.0,
                (0, 0, 0),
                2,
            )
    return page, [float(y) for y in ys], [float(x) for x in xs]


ROWS = [70, 50, 50, 50, 50, 50]
COLS = [120, 300, 110, 110, 110, 110]
MERGED = [(0, 0, 1, 2), (0, 2, 1, 4), (2, 0, 3, 1)]  # header over 2 and 4 cols; a group stub


def spans(grid) -> set[Span]:  # type: ignore[no-untyped-def]
    return {(c.row, c.col, c.rowspan, c.colspan) for c in grid.cells}


def expected_spans() -> set[Span]:
    out = set(MERGED)
    covered = {(r + a, c + b) for r, c, rs, cs in MERGED for a in range(rs) for b in range(cs)}
    out |= {
        (i, j, 1, 1) for i in range(len(ROWS)) for j in range(len(COLS)) if (i, j) not in covered
    }
    return out


def test_grid_with_known_spans(settings: Settings) -> None:
    page, ys, xs = draw_table(ROWS, COLS, MERGED)
    grids = detect_grids(page, 1, DPI, settings.grid)
    assert len(grids) == 1
    grid = grids[0]
    assert len(grid.rows) == len(ys) and len(grid.cols) == len(xs)
    assert all(abs(a - b) <= 3 for a, b in zip(grid.rows, ys, strict=True))
    assert all(abs(a - b) <= 3 for a, b in zip(grid.cols, xs, strict=True))
    assert spans(grid) == expected_spans()
    assert grid.open_ends == []


def test_broken_and_faint_rules_are_tolerated(settings: Settings) -> None:
    page, _, _ = draw_table(ROWS, COLS, MERGED, ink=150, gap_every=60)
    grid = detect_grids(page, 1, DPI, settings.grid)[0]
    assert spans(grid) == expected_spans()


def test_skewed_page_is_levelled_then_read(settings: Settings) -> None:
    page, _, _ = draw_table(ROWS, COLS, MERGED)
    skewed = imaging.rotate(page, 2.5)
    angle = imaging.estimate_skew(skewed, 3.0, 0.05)
    assert abs(angle + 2.5) < 0.3 or abs(angle - 2.5) < 0.3
    grid = detect_grids(imaging.rotate(skewed, angle), 1, DPI, settings.grid)[0]
    assert spans(grid) == expected_spans()


def test_missing_rule_merges_rows_in_the_grid(settings: Settings) -> None:
    page, _, _ = draw_table(ROWS, COLS, [], missing_rows=(4,))
    grid = detect_grids(page, 1, DPI, settings.grid)[0]
    assert len(grid.rows) == len(ROWS)  # one boundary fewer: two template rows in one
    merged = [c for c in grid.cells if c.row == 3]
    assert len(merged) == len(COLS)
    assert all(abs((c.bbox[3] - c.bbox[1]) - (ROWS[3] + ROWS[4])) <= 4 for c in merged)


def test_a_table_cut_by_the_page_end_keeps_its_open_last_row(settings: Settings) -> None:
    # a table broken over pages: the last row on this page has no closing rule, its cell
    # sides run on to the end of the rules (the row closes on the next page)
    page, ys, _ = draw_table(ROWS, COLS, MERGED, missing_rows=(len(ROWS),))
    grid = detect_grids(page, 1, DPI, settings.grid)[0]
    assert len(grid.rows) == len(ys)
    assert abs(grid.rows[-1] - ys[-1]) <= 3
    assert spans(grid) == expected_spans()
    assert grid.open_ends == ["bottom"]


def test_a_table_whose_first_row_is_open_at_the_top(settings: Settings) -> None:
    # the continuation of a table cut above: its first row has side rules but no top rule
    page, ys, _ = draw_table(ROWS, COLS, [], missing_rows=(0,))
    grid = detect_grids(page, 1, DPI, settings.grid)[0]
    assert len(grid.rows) == len(ys)
    assert abs(grid.rows[0] - ys[0]) <= 3
    assert grid.open_ends == ["top"]


def test_a_table_printed_without_side_rules_keeps_its_outer_columns(settings: Settings) -> None:
    page, _, xs = draw_table(ROWS, COLS, MERGED, missing_cols=(0, len(COLS)))
    grid = detect_grids(page, 1, DPI, settings.grid)[0]
    assert len(grid.cols) == len(xs)
    assert abs(grid.cols[0] - xs[0]) <= 3 and abs(grid.cols[-1] - xs[-1]) <= 3
    assert spans(grid) == expected_spans()
    assert grid.open_ends == ["left", "right"]


def test_no_table_no_grid(settings: Settings) -> None:
    page = np.full((2339, 1654, 3), 255, np.uint8)
    for k in range(20):  # lines of "text"
        cv2.putText(
            page,
            "1234567890 " * 4,
            (100, 200 + 60 * k),
            cv2.FONT_HERSHEY_SIMPLEX,
            1.2,
            (0, 0, 0),
            2,
        )
    assert detect_grids(page, 1, DPI, settings.grid) == []


@pytest.mark.parametrize("text", ["7 0 12", "7012"])
def test_a_line_across_rules_is_cut_per_cell(settings: Settings, text: str) -> None:
    page, ys, xs = draw_table([60, 60], [200, 100, 100, 100], [])
    grid = detect_grids(page, 1, DPI, settings.grid)[0]
    for c in grid.cells:
        c.parts, c.text = [], ""
    # one OCR line over the three number cells of row 1
    frag = Fragment(text=text, bbox=(xs[1] + 10, ys[1] + 15, xs[4] - 10, ys[2] - 15))
    fill_cells(grid, [frag], settings.grid.cell_share)
    row = sorted((c for c in grid.cells if c.row == 1 and c.col >= 1), key=lambda c: c.col)
    got = [c.text for c in row]
    assert "".join(got) == text.replace(" ", "")
    assert all(c.split for c in row if c.text)
    if " " in text:
        assert got == ["7", "0", "12"]


@pytest.mark.parametrize(
    ("text", "like"),
    [
        *[("0", True), ("12", True), ("0)", True), ("i1", True), ("/", True), ("一", True)],
        # a lone 。 in a number cell is a faint 0 (cells.py `ocr_lone_confusables`)
        *[("。", True), ("", False), ("(1)", False), ("1.属于国家秘密", False), ("总计", False)],
    ],
)
def test_number_like_cells(text: str, like: bool) -> None:
    # misread numbers are number cells for the structure; labels (always CJK) never are
    assert number_like(text) is like
