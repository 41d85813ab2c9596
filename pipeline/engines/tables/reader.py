"""Reading a scanned page's ruled grids while its prepared image is alive.

Detect the grids (grid.py), fill their cells with the OCR lines by overlap, then read doubtful
digit cells again from their crop (`recognize_crops`: recognition only, no detection) and look
at the shape of a lone 1 (the "/" of a not-applicable cell leans). Text-layer pages get their
grids from the PDF's drawing (vector_source.py; camelot lattice, camelot_source.py, for pages
whose rules are not vector paths, or for all when configured), filled from the text-layer
runs. Used by stages/pages.py; knows nothing of the document.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ...cells import confusable, is_value_cell, read_cell
from ...datamodel.document import Fragment, GridCell, PageDoc, TableGrid
from ...settings import GridSettings
from .. import imaging
from ..prepare import PreparedPage, to_page_space
from .grid import detect_grids, fill_cells, number_like, numeric_columns

if TYPE_CHECKING:
    import numpy as np

    from ..ocr import OcrEngine


class GridReader:
    """Ruled grids of a page: found, filled, doubtful digit cells re-read."""

    def __init__(self, settings: GridSettings, engine: Callable[[], OcrEngine]) -> None:
        self.grid = settings
        self.engine = engine  # built on the first page that needs it
        self.timings: dict[str, float] = {"grid_ms": 0.0, "reread_ms": 0.0}

    def scan(
        self,
        image: np.ndarray,
        page: int,
        dpi: int,
        frags: list[Fragment],
        unfiltered: Callable[[], np.ndarray] | None = None,
    ) -> list[TableGrid]:
        """The grids on a prepared scan page (`image`, the OCR boxes' coordinates)."""
        if not self.grid.enabled:
            return []
        t0 = time.perf_counter()
        grids = detect_grids(image, page, dpi, self.grid)
        for grid in grids:
            fill_cells(grid, frags, self.grid.cell_share)
        t1 = time.perf_counter()
        self.timings["grid_ms"] += (t1 - t0) * 1000
        if self.grid.reread and grids:
            source = unfiltered() if unfiltered is not None else None
            for grid in grids:
                self.reread(image, grid, dpi, source)
            self.timings["reread_ms"] += (time.perf_counter() - t1) * 1000
        return grids

    def read(
        self, prepared: PreparedPage, page: int, dpi: int, frags: list[Fragment]
    ) -> tuple[list[Fragment], list[TableGrid]]:
        """The grids of a prepared scan (a page, or an image region of one) filled with its OCR
        fragments, both in the page's own pixels: a page over the working size was read
        shrunk, at a lower dpi (prepare.to_page_space)."""
        grids = self.scan(
            prepared.reading.image,
            page,
            round(dpi * prepared.scale),
            frags,
            lambda: prepared.unfiltered(self.grid.reread_unfiltered),
        )
        return to_page_space(frags, grids, prepared.scale)

    def text_layer(self, path: Path, pages: list[PageDoc], dpi: int) -> None:
        """The grids of the text-layer pages, filled from their runs, go on the pages.

        `text_layer_source` "vector": read from the PDF's drawing (vector_source.py); the pages
        it cannot read (turned by /Rotate, rules drawn as an image) go to camelot lattice when
        `camelot` allows, and their PageDoc note says so. "camelot": camelot lattice renders
        every page. Raises what pdfium or camelot raises (the caller records it: a failure
        costs the grids, not the pages)."""
        by_number = {p.number: p for p in pages if p.source == "text_layer"}
        if not (self.grid.enabled and by_number):
            return
        t0 = time.perf_counter()
        raster: dict[int, str] = {}
        if self.grid.text_layer_source == "vector":
            from .vector_source import drawing_grids, page_drawings, parse_accuracy, raster_reason

            for drawing in page_drawings(path, sorted(by_number), dpi, self.grid):
                page = by_number[drawing.number]
                grids = drawing_grids(drawing, dpi, self.grid)
                reason = raster_reason(drawing, grids, page.fragments, self.grid)
                if reason is not None and self.grid.camelot:
                    raster[page.number] = reason
                    continue
                for grid in grids:
                    accuracy = parse_accuracy(grid, page.fragments)
                    if accuracy is not None:
                        grid.report["accuracy"] = round(accuracy, 4)
                    fill_cells(grid, page.fragments, self.grid.cell_share)
                    page.grids.append(grid)
        elif self.grid.camelot:
            raster = dict.fromkeys(by_number, "")
        if raster:
            from .camelot_source import camelot_grids

            found = camelot_grids(path, {n: by_number[n].height for n in raster}, dpi)
            for number, reason in raster.items():
                page = by_number[number]
                if reason:
                    page.note += f"; ruled grids by camelot lattice: {reason}"
                for grid in found.get(number, []):
                    fill_cells(grid, page.fragments, self.grid.cell_share)
                    page.grids.append(grid)
        self.timings["grid_ms"] += (time.perf_counter() - t0) * 1000

    def reread(
        self, image: np.ndarray, grid: TableGrid, dpi: int, unfiltered: np.ndarray | None = None
    ) -> None:
        """Read doubtful digit cells again from their crop, and look at the shape of 1s.

        Doubtful: empty, cut from a line crossing a rule, under `reread_below` confidence, not
        a value, or a value only after undoing an OCR confusion ("。", "i1"). The re-read
        replaces the page reading unless that was a plain value read at least as surely; a
        re-read that is itself a confusion never replaces a value. When the two readings
        differ in value the cell is marked `reread_disagrees` (sent to review). A cell read as
        1 whose one mark leans like a "/" is read as "/" and marked `slash_like`."""
        g = self.grid
        numeric = numeric_columns(grid, number_like, g.digit_column_share)
        tops = {
            c.col: c.bbox.y0
            for c in sorted(grid.cells, key=lambda c: -c.bbox.y0)
            if c.col in numeric and number_like(c.text)
        }  # cells below a column's first number are digit cells
        data_rows = _data_rows(grid, numeric)
        first = min(numeric, default=0)  # the stub (labels) is left of the first numeric column
        inset = round(g.merge_inches * dpi)
        todo: list[GridCell] = []
        crops: list[np.ndarray] = []
        for cell in grid.cells:
            if cell.colspan > 1:
                continue
            missed = cell.empty and cell.row in data_rows and cell.col >= first
            if not missed and (cell.col not in tops or cell.bbox.y0 < tops[cell.col]):
                continue  # a header or stub cell (above its column's first number, or no number)
            self._check_slash(image, cell, inset)
            doubtful = (
                cell.empty
                or cell.split
                or (cell.confidence is not None and cell.confidence < g.reread_below)
                or not is_value_cell(cell.text, blank_ok=False)
                or confusable(cell.text)
            )
            if not doubtful or cell.slash_like:
                continue
            crop = imaging.cell_crop(
                image if unfiltered is None else unfiltered,
                cell.bbox,
                inset=inset,
                ink_contrast=g.ink_contrast,
                min_ink_share=g.min_ink_share,
                speck_share=g.speck_share,
                pad_share=g.reread_pad_share,
                min_height=g.reread_min_height_px,
            )
            if crop is None:  # no ink inside the rules: a blank cell, nothing to read
                continue
            todo.append(cell)
            crops.append(crop)
        if not crops:
            return
        for cell, (text, conf) in zip(todo, self.engine().recognize_crops(crops), strict=True):
            text = "".join(text.split())
            if conf < g.reread_min_confidence or not is_value_cell(text, blank_ok=False):
                continue
            old_value = is_value_cell(cell.text, blank_ok=True)
            if confusable(text) and old_value and not cell.empty:
                continue  # one confusion does not replace another reading
            disagree = old_value and read_cell(cell.text)[0] != read_cell(text)[0]
            old_plain = old_value and not cell.empty and not confusable(cell.text)
            if old_plain and not cell.split and conf <= (cell.confidence or 0.0):
                cell.reread_disagrees = cell.reread_disagrees or disagree
                continue
            cell.text, cell.confidence, cell.reread = text, conf, True
            cell.reread_disagrees = disagree

    def _check_slash(self, image: np.ndarray, cell: GridCell, inset: int) -> None:
        if cell.empty or read_cell(cell.text)[0] != 1 or len(cell.text.strip()) != 1:
            return
        lean = imaging.mark_lean(
            image,
            cell.bbox,
            inset=inset,
            ink_contrast=self.grid.ink_contrast,
            min_elongation=self.grid.stroke_min_elongation,
        )
        if lean is not None and lean > self.grid.slash_lean_degrees:
            cell.text, cell.slash_like = "/", True


def _data_rows(grid: TableGrid, numeric: set[int]) -> set[int]:
    """Rows whose cells in the numeric columns hold numbers and nothing else (blanks aside).

    An empty cell of such a row right of the stub is a digit cell even above its column's
    first number, or in a column where no number was read: detection misses a lone "1" (a
    small, thin target) more often the smaller the page it sees, and the first data row of a
    grid with no header (a table continued from the page before) or a column whose only
    figures are such 1s would otherwise be taken for header cells and never re-read."""
    numbers: set[int] = set()
    labels: set[int] = set()
    for c in grid.cells:
        if c.col not in numeric or c.colspan > 1 or c.empty:
            continue
        (numbers if number_like(c.text) else labels).add(c.row)
    return numbers - labels
