"""Ruled grids (PageDoc.grids) -> Tables: the table stage's helper for PDFs and scans.

- A grid at the bottom of a page and one at the top of the next with the same left and right
  edges are one table broken over the page (its columns may differ: table 二 changes columns
  between its parts); the continuation's repeated header rows are dropped. A row cut by the
  page break (the grid is open there: no closing rule) is one row: its label-only part and
  the part holding the values are joined, the label read across the break.
- A cell of a numeric column holding two lines of numbers means a rule is missing between two
  rows: the row is split at the gap between the lines and every cell of both rows is marked
  `inferred_rule` (the field goes to review), never merged or shifted silently.
- The stub (label columns) is the part left of the first numeric column; the label of a row
  is its stub cells outermost first (a rowspan group cell such as （三）不予公开 is in the label
  of every row it spans), so table_fields matches labels as it does for HTML grids.
- Rows without a value in the data columns before the first value row are headers;
  after it, a row whose data cells are all empty is a row of blanks (positions kept).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from ..cells import is_value_cell
from ..datamodel.base import BBox, Feature
from ..datamodel.document import (
    CellObs,
    GridCell,
    Line,
    PageDoc,
    ReportDoc,
    Table,
    TableGrid,
    TableRow,
)
from ..engines.tables.grid import number_like, numeric_columns, text_lines
from ..settings import GridSettings
from ..textnorm import match_key


@dataclass
class GridGroup:
    """Grids that form one table (more than one when it is broken over pages)."""

    grids: list[TableGrid] = field(default_factory=list)
    pages: list[PageDoc] = field(default_factory=list)


def grid_text(grid: TableGrid) -> str:
    return "".join(c.text for c in grid.cells)


def group_grids(
    pages: list[PageDoc], s: GridSettings, same_table: Callable[[TableGrid, TableGrid], bool]
) -> list[GridGroup]:
    """Grids in page order, a continuation joined to the grid it continues: the last grid of
    a page ending near its bottom and the first of the next page starting near its top, with
    the same side edges, and `same_table` (their contents do not name different tables)."""
    groups: list[GridGroup] = []
    prev: tuple[PageDoc, TableGrid] | None = None
    for page in pages:
        for k, grid in enumerate(page.grids):
            margin = s.continuation_inches * page.dpi
            if (
                k == 0
                and prev is not None
                and prev[0].number == page.number - 1
                and prev[1] is prev[0].grids[-1]
                and prev[1].bbox.y1 >= prev[0].height - margin
                and grid.bbox.y0 <= margin
                and abs(grid.bbox.x0 - prev[1].bbox.x0) <= s.same_edge_inches * page.dpi
                and abs(grid.bbox.x1 - prev[1].bbox.x1) <= s.same_edge_inches * page.dpi
                and same_table(prev[1], grid)
            ):
                groups[-1].grids.append(grid)
                groups[-1].pages.append(page)
            else:
                groups.append(GridGroup([grid], [page]))
            prev = (page, grid)
    return groups


def _numeric_cols(grid: TableGrid, share: float) -> set[int]:
    return numeric_columns(grid, number_like, share)


def split_merged_rows(grid: TableGrid, share: float) -> int:
    """Split rows whose numeric cells hold two or more lines of numbers (a missing rule).
    Returns how many rows were added."""
    numeric = _numeric_cols(grid, share)
    added = 0
    i = 0
    while i < len(grid.rows) - 1:
        cuts: list[float] = []
        for c in grid.cells:
            if c.col not in numeric or not (c.row <= i < c.row + c.rowspan):
                continue
            lines = text_lines(c.parts)
            texts = ["".join(p.text for p in ln) for ln in lines]
            if len(lines) >= 2 and all(is_value_cell(t, blank_ok=False) for t in texts):
                cuts = [
                    (max(p.bbox.y1 for p in a) + min(p.bbox.y0 for p in b)) / 2
                    for a, b in itertools.pairwise(lines)
                ]
                break
        if not cuts or not (grid.rows[i] < cuts[0] < grid.rows[i + 1]):
            i += 1
            continue
        _cut_row(grid, i, cuts[0])
        added += 1
    return added


def _cut_row(grid: TableGrid, i: int, y: float) -> None:
    """Insert a boundary at y inside elementary row i; cells with text on both sides split."""
    grid.rows.insert(i + 1, y)
    out: list[GridCell] = []
    for c in grid.cells:
        if c.row > i:
            c.row += 1
            out.append(c)
            continue
        if c.row + c.rowspan - 1 < i:
            out.append(c)
            continue
        above = [p for p in c.parts if p.bbox.cy < y]
        below = [p for p in c.parts if p.bbox.cy >= y]
        if c.rowspan == 1 and ((above and below) or not c.parts):
            x0, y0, x1, y1 = c.bbox
            top = c.model_copy(update={"bbox": (x0, y0, x1, y), "parts": above})
            bottom = c.model_copy(update={"row": i + 1, "bbox": (x0, y, x1, y1), "parts": below})
            for half in (top, bottom):
                half.text = "".join(p.text.strip() for p in half.parts)
                confs = [p.confidence for p in half.parts]
                half.confidence = min(confs) if confs else c.confidence
                half.inferred_rule = True
            out += [top, bottom]
        else:
            c.rowspan += 1
            c.inferred_rule = True
            out.append(c)
    out.sort(key=lambda c: (c.row, c.col))
    grid.cells = out


def _stub_width(grid: TableGrid, numeric: set[int]) -> int:
    """Index of the first data column: the leftmost numeric column (columns right of it that
    hold only blanks are data columns too; labels are never bare numbers)."""
    return min(numeric) if numeric else len(grid.cols) - 1


class GridTableBuilder:
    def __init__(self, settings: GridSettings) -> None:
        self.s = settings

    def build(
        self, doc: ReportDoc, first_id: int, same_table: Callable[[TableGrid, TableGrid], bool]
    ) -> list[Table]:
        tables: list[Table] = []
        for group in group_grids(doc.pages, self.s, same_table):
            table = self._table(doc, group, first_id + len(tables))
            if table is not None:
                tables.append(table)
        return tables

    def _table(self, doc: ReportDoc, group: GridGroup, table_id: int) -> Table | None:
        # a grid read from a picture on a text-layer page (issue #18) is OCR like a scan's
        ocr = group.pages[0].source == "ocr" or any(g.source == "lines" for g in group.grids)
        source = "grid_ocr" if ocr else "grid_text_layer"
        table = Table(id=table_id, source=source, pages=[p.number for p in group.pages])
        header_keys: set[str] = set()
        header: list[str] = []
        carry: TableRow | None = None  # a label-only row cut by the page end (goes on below)
        for k, (grid, page) in enumerate(zip(group.grids, group.pages, strict=True)):
            page_lines = [ln for ln in doc.lines if ln.page == page.number and ln.bbox is not None]
            inside = [ln for ln in page_lines if _centre_in(ln.bbox, grid.bbox)]  # type: ignore[arg-type]
            table.line_ids += [ln.id for ln in inside]
            split = split_merged_rows(grid, self.s.digit_column_share)
            if split:
                table.notes.append(f"page {page.number}: {split} missing rule(s) inferred")
            numeric = _numeric_cols(grid, self.s.digit_column_share)
            stub = _stub_width(grid, numeric)
            seen_values = False
            for i in range(len(grid.rows) - 1):
                row_cells = [c for c in grid.cells if c.row <= i < c.row + c.rowspan]
                data = [c for c in row_cells if c.col >= stub and c.row == i]
                labels = [c for c in row_cells if c.col < stub]
                has_value = any(number_like(c.text) for c in data)
                blank_row = seen_values and data and all(c.empty for c in data)
                if not (has_value or blank_row):
                    if i == 0 and k > 0 and "top" in grid.open_ends and table.rows:
                        # the rest of the previous page's last row (its values were there)
                        _continue_label(table.rows[-1], [c.text for c in labels if c.text])
                        continue
                    text = "".join(c.text for c in row_cells if c.row == i)
                    key = match_key(text)
                    if key and key in header_keys and len(group.grids) > 1:
                        continue  # a header row repeated on the continuation page
                    header_keys.add(key)
                    header.append(text)
                    table.header_cells += [
                        CellObs(raw=c.text, bbox=c.bbox, line_id=_line_for(c.bbox, inside))
                        for c in row_cells
                        if c.row == i and not c.empty
                    ]
                    continue
                seen_values = True
                row = TableRow(
                    label_cells=[c.text for c in labels if c.text],
                    cells=[self._obs(c, grid, inside) for c in data],
                    line_ids=sorted({lid for c in row_cells if (lid := _line_for(c.bbox, inside))}),
                )
                if carry is not None:  # this row's label began on the previous page
                    label = row.label_cells
                    row.label_cells = list(carry.label_cells)
                    _continue_label(row, label)
                    row.line_ids = sorted({*carry.line_ids, *row.line_ids})
                    carry = None
                if (
                    blank_row
                    and i == len(grid.rows) - 2
                    and "bottom" in grid.open_ends
                    and k + 1 < len(group.grids)
                ):
                    carry = row  # no values yet: they are on the row's part on the next page
                    continue
                table.rows.append(row)
        if carry is not None:
            table.rows.append(carry)
        if not table.rows:
            return None
        table.header_text = "".join(header)
        return table

    @staticmethod
    def _obs(cell: GridCell, grid: TableGrid, lines: list[Line]) -> CellObs:
        features = {
            "grid_cell": 1.0,
            "cell_reread": float(cell.reread),
            "reread_disagrees": float(cell.reread_disagrees),
            "slash_like": float(cell.slash_like),
            "cell_split": float(cell.split),
            "inferred_rule": float(cell.inferred_rule),
        }
        if "accuracy" in grid.report:
            features[Feature.parse_accuracy] = grid.report["accuracy"]
        return CellObs(
            raw=cell.text,
            line_id=_line_for(cell.bbox, lines),
            bbox=cell.bbox,
            confidence=cell.confidence,
            grid=features,
        )


def _continue_label(row: TableRow, rest: list[str]) -> None:
    """A row's label goes on in `rest`, the stub cells of its part on the next page: the
    innermost cells are one label broken by the page; outer (group) cells repeated on the
    new page are dropped."""
    if not rest:
        return
    if not row.label_cells:
        row.label_cells = list(rest)
        return
    row.label_cells[-1] += rest[-1]


def _centre_in(box: BBox, outer: BBox) -> bool:
    cx, cy = box.cx, box.cy
    return outer.x0 <= cx <= outer.x1 and outer.y0 <= cy <= outer.y1


def _line_for(box: BBox, lines: list[Line]) -> int | None:
    """The line whose box overlaps the cell most (else the nearest one), for evidence."""
    if not lines:
        return None
    cy = box.cy
    x0, y0, x1, y1 = box
    # the lines meeting the cell, when there are any (the same answer as over all lines, where
    # the others tie at no overlap; this runs for every cell against every line of the table)
    meeting = [
        ln
        for ln in lines
        if ln.bbox is not None
        and ln.bbox[0] < x1
        and x0 < ln.bbox[2]
        and ln.bbox[1] < y1
        and y0 < ln.bbox[3]
    ]

    def key(ln: Line) -> tuple[float, float]:
        b = ln.bbox
        assert b is not None
        ov = max(0.0, min(b[2], box.x1) - max(b[0], box.x0)) * max(
            0.0, min(b[3], box.y1) - max(b[1], box.y0)
        )
        return (-ov, abs((b[1] + b[3]) / 2 - cy))

    return min(meeting or lines, key=key).id


__all__ = ["GridTableBuilder", "grid_text", "group_grids", "split_merged_rows"]
