"""pages: PDF and image input -> one PageDoc per page, streamed.

For each page in turn: use the PDF text layer when it is real text (render.text_layer_quality);
otherwise render the page image and prepare it (turn it upright, deskew, denoise; each step
switchable in config), OCR it, and keep only the fragments. The image is dropped before the
next page is touched, so memory does not grow with the page count.

Orientation: the page is read at 0, 180, 90, 270 degrees in turn (90 and 270 first when its
text lines run vertically) until a reading is good: mostly horizontal lines read with a mean
confidence of at least `upside_down_below`, or, after 0 and 180, one reading is mostly horizontal
and far stronger than the other (a noisy upright page); otherwise the best reading is kept
("best" = most characters read confidently along horizontal lines).
A page that fails becomes an error item naming the page; the other pages go on. A page that
needs OCR but is blank in a tiny rendering is not OCR'd; a document without any text is
`no_text`, one with more than `render.max_pages` pages is read up to there (`too_many_pages`).
A page that fails becomes an error item naming the page; the other pages go on.

Ruled tables (settings `grid`): while a scanned page's prepared image is alive (after deskew,
in the OCR boxes' coordinates) its ruled grids are found (engines/tables/grid.py) and filled
with the OCR lines by overlap; a cell of a numeric column that is empty but inked, read with low
confidence, cut from a line crossing a rule, or not a number is read again from its enlarged
crop (`recognize_crops`). Text-layer pages get their grids from camelot lattice, filled from
the text-layer runs. Grids are stored on the PageDoc; stages/tables.py turns them into Tables.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..cells import confusable, is_value_cell, read_cell
from ..datamodel.document import Fragment, GridCell, PageDoc, ReportDoc, TableGrid
from ..datamodel.record import ErrorItem
from ..engines import imaging
from ..engines.render import PageInput, open_pages
from ..engines.tables import detect_grids, fill_cells
from ..engines.tables.grid import number_like, numeric_columns
from ..errors import InputError
from ..settings import GridSettings, PrepareSettings, RenderSettings

if TYPE_CHECKING:
    import numpy as np

    from ..engines.ocr import OcrEngine, OcrLine

PAGE_KINDS = ("pdf_text", "scan", "image")
BLANK_NOTE = "blank page: not OCR'd"


def fragments_from_ocr(lines: list[OcrLine]) -> list[Fragment]:
    out = []
    for line in lines:
        (x0, y0), (x1, y1) = line.polygon[0], line.polygon[1]
        out.append(
            Fragment(
                text=line.text,
                bbox=line.bbox,
                confidence=line.confidence,
                angle=math.degrees(math.atan2(y1 - y0, x1 - x0)),
            )
        )
    return out


def _wide(line: OcrLine) -> bool:
    x0, y0, x1, y1 = line.bbox
    return (x1 - x0) >= (y1 - y0)


def _reading_score(lines: list[OcrLine]) -> float:
    """How much was read confidently along horizontal lines: sum of confidence x characters.
    Only wide boxes count: engines turn tall crops themselves and read a sideways page's
    columns confidently, so confidence alone cannot tell 90 from 270 degrees."""
    return sum(line.confidence * len(line.text) for line in lines if _wide(line))


class ReadPages:
    name = "pages"

    def __init__(
        self,
        render: RenderSettings,
        prepare: PrepareSettings,
        engine_factory: Callable[[], OcrEngine],
        grid: GridSettings,
    ) -> None:
        self.render = render
        self.prepare = prepare
        self.grid = grid
        self.engine_factory = engine_factory
        self._engine: OcrEngine | None = None
        self.timings: dict[str, float] = {}

    @property
    def engine(self) -> OcrEngine:
        if self._engine is None:  # built on the first page that needs OCR
            self._engine = self.engine_factory()
        return self._engine

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        if doc.source.input_kind not in PAGE_KINDS:
            return doc
        path = Path(doc.source.path)
        self.timings = {"ocr_ms": 0.0, "prepare_ms": 0.0, "grid_ms": 0.0, "reread_ms": 0.0}
        try:
            source = open_pages(path, self.render)
        except InputError as exc:
            doc.fail(self.name, exc.code, str(exc), fatal=True)
            return doc
        for problem in source.problems:  # truncated, rebuilt, damaged streams: still read it
            doc.errors.append(ErrorItem(stage=self.name, code=problem.code, message=str(problem)))
        try:
            doc.source.pages = len(source)
            if len(source) > self.render.max_pages:
                doc.fail(
                    self.name,
                    "too_many_pages",
                    f"{path}: {len(source)} pages; only the first "
                    f"{self.render.max_pages} were read",
                )
            for page in source.pages():
                try:
                    if page.problem is not None:
                        raise page.problem
                    doc.pages.append(self._read(page))
                except InputError as exc:  # a page refused by a limit, or not loadable
                    item = ErrorItem(stage=self.name, code=exc.code, message=str(exc))
                    item.page = page.number
                    doc.errors.append(item)
                except Exception as exc:  # one bad page must not lose the others
                    doc.fail(
                        self.name,
                        "page_failed",
                        f"{path}: page {page.number}: {type(exc).__name__}: {exc}",
                        page=page.number,
                    )
        finally:
            source.close()
        self._text_layer_grids(doc, path)
        doc.source.dpi = self.render.dpi
        if doc.source.input_kind != "image":
            ocr_pages = sum(1 for p in doc.pages if p.source == "ocr")
            doc.source.input_kind = "scan" if ocr_pages else "pdf_text"
        if not doc.source.pages:
            doc.fail(self.name, "no_text", f"{path}: the document has no pages", fatal=True)
        elif not doc.pages:
            doc.fail(self.name, "no_readable_page", f"{path}: no page could be read", fatal=True)
        elif not any(p.fragments for p in doc.pages):
            blank = sum(1 for p in doc.pages if p.note.endswith(BLANK_NOTE))
            doc.fail(
                self.name,
                "no_text",
                f"{path}: no text on any of the {len(doc.pages)} pages read ({blank} blank)",
                fatal=True,
            )
        doc.timings_ms.update(self.timings)
        return doc

    def _read(self, page: PageInput) -> PageDoc:
        if page.fragments is not None:
            return PageDoc(
                number=page.number,
                width=page.width,
                height=page.height,
                dpi=page.dpi,
                source="text_layer",
                note=page.text_layer_note,
                fragments=page.fragments,
            )
        if page.ink_share(self.render.blank_contrast) < self.render.blank_max_ink:
            return PageDoc(
                number=page.number,
                width=page.width,
                height=page.height,
                dpi=page.dpi,
                source="ocr",
                note=f"{page.text_layer_note}; {BLANK_NOTE}",
            )
        t0 = time.perf_counter()
        raw = page.image()
        image = imaging.denoise(raw) if self.prepare.denoise else raw
        # Most likely turns first; stop at the first reading that is good. An upright page costs
        # one OCR pass, an upside-down or sideways one two, a misjudged text axis up to four.
        order = [0, 180, 90, 270]
        if self.prepare.orientation and imaging.text_axis(image) == "vertical":
            order = [90, 270, 0, 180]
        elif not self.prepare.orientation:
            order = [0]
        best: tuple[float, int, float, np.ndarray, list[OcrLine]] | None = None
        readings: list[float] = []
        for rotation in order:
            reading = self._ocr(imaging.rotate(image, rotation), rotation, t0)
            readings.append(reading[0])
            best = self._better(best, reading)
            t0 = time.perf_counter()
            if self._good(best[4]) or (len(readings) == 2 and self._clear_winner(best, readings)):
                break
        assert best is not None
        _, rotation, skew, prepared, lines = best
        fragments = fragments_from_ocr(lines)

        def unfiltered() -> np.ndarray:
            """The page as scanned, turned and deskewed like `prepared`: digit crops are re-read
            from it, as the 3x3 median that cleans the page for OCR erases a fax's thin
            strokes (4 -> 1). Made only for a page with a grid to re-read."""
            if raw is image or not self.grid.reread_unfiltered:
                return prepared
            turned = imaging.rotate(raw, rotation)
            return imaging.rotate(turned, skew) if skew else turned

        return PageDoc(
            number=page.number,
            width=int(prepared.shape[1]),
            height=int(prepared.shape[0]),
            dpi=page.dpi,
            source="ocr",
            note=page.text_layer_note,
            rotation=rotation,
            skew=round(skew, 3),
            ocr_confidence=round(self._mean_confidence(lines), 4),
            fragments=fragments,
            grids=self._scan_grids(prepared, page, fragments, unfiltered),
        )

    # ---- ruled grids ---------------------------------------------------------------------------
    def _scan_grids(
        self,
        image: np.ndarray,
        page: PageInput,
        frags: list[Fragment],
        unfiltered: Callable[[], np.ndarray] | None = None,
    ) -> list[TableGrid]:
        if not self.grid.enabled:
            return []
        t0 = time.perf_counter()
        grids = detect_grids(image, page.number, page.dpi, self.grid)
        for grid in grids:
            fill_cells(grid, frags, self.grid.cell_share)
        t1 = time.perf_counter()
        self.timings["grid_ms"] += (t1 - t0) * 1000
        if self.grid.reread and grids:
            source = unfiltered() if unfiltered is not None else None
            for grid in grids:
                self._reread(image, grid, page.dpi, source)
            self.timings["reread_ms"] += (time.perf_counter() - t1) * 1000
        return grids

    def _text_layer_grids(self, doc: ReportDoc, path: Path) -> None:
        """camelot lattice over the text-layer pages; a failure costs the grids, not the pages."""
        pages = {p.number: p.height for p in doc.pages if p.source == "text_layer"}
        if not (self.grid.enabled and self.grid.camelot and pages):
            return
        from ..engines.tables.camelot_source import camelot_grids

        t0 = time.perf_counter()
        try:
            found = camelot_grids(path, pages, self.render.dpi)
        except Exception as exc:
            doc.fail(
                self.name,
                "grid_failed",
                f"{path}: camelot lattice failed: {type(exc).__name__}: {exc}",
            )
            return
        for page in doc.pages:
            for grid in found.get(page.number, []):
                fill_cells(grid, page.fragments, self.grid.cell_share)
                page.grids.append(grid)
        self.timings["grid_ms"] += (time.perf_counter() - t0) * 1000

    def _reread(
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
            c.col: c.bbox[1]
            for c in sorted(grid.cells, key=lambda c: -c.bbox[1])
            if c.col in numeric and number_like(c.text)
        }  # cells below a column's first number are digit cells
        inset = round(g.merge_inches * dpi)
        todo: list[GridCell] = []
        crops: list[np.ndarray] = []
        for cell in grid.cells:
            if cell.col not in tops or cell.colspan > 1 or cell.bbox[1] < tops[cell.col]:
                continue
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
        for cell, (text, conf) in zip(todo, self.engine.recognize_crops(crops), strict=True):
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

    def _ocr(
        self, image: np.ndarray, rotation: int, t0: float
    ) -> tuple[float, int, float, np.ndarray, list[OcrLine]]:
        skew = 0.0
        if self.prepare.deskew:
            skew = imaging.estimate_skew(
                image, self.prepare.max_skew_degrees, self.prepare.skew_step_degrees
            )
            if abs(skew) >= self.prepare.min_skew_degrees:
                image = imaging.rotate(image, skew)
            else:
                skew = 0.0
        t1 = time.perf_counter()
        self.timings["prepare_ms"] += (t1 - t0) * 1000
        lines = self.engine.recognize(image)
        self.timings["ocr_ms"] += (time.perf_counter() - t1) * 1000
        return _reading_score(lines), rotation, skew, image, lines

    @staticmethod
    def _better(
        a: tuple[float, int, float, np.ndarray, list[OcrLine]] | None,
        b: tuple[float, int, float, np.ndarray, list[OcrLine]],
    ) -> tuple[float, int, float, np.ndarray, list[OcrLine]]:
        return b if a is None or b[0] > a[0] else a

    def _orienting(self, lines: list[OcrLine]) -> list[OcrLine]:
        """Lines long enough to say which way the text runs (a digit's box is about square)."""
        return [ln for ln in lines if len(ln.text.strip()) >= self.prepare.orienting_chars]

    def _clear_winner(
        self, best: tuple[float, int, float, np.ndarray, list[OcrLine]], readings: list[float]
    ) -> bool:
        """After two opposite turns: a mostly horizontal reading far ahead of the other is the
        page upright, even if noise keeps its confidence low (no need to try 90/270)."""
        lines = self._orienting(best[4])
        horizontal = sum(1 for line in lines if _wide(line)) >= 0.5 * max(len(lines), 1)
        other = min(readings)
        return horizontal and best[0] >= self.prepare.clear_winner * max(other, 1.0)

    def _good(self, lines: list[OcrLine]) -> bool:
        """Mostly horizontal lines, read with confidence: the page is upright."""
        orienting = self._orienting(lines)
        wide = [line for line in orienting if _wide(line)]
        return (
            len(wide) >= 0.5 * max(len(orienting), 1)
            and self._mean_confidence(wide) >= self.prepare.upside_down_below
        )

    @staticmethod
    def _mean_confidence(lines: list[OcrLine]) -> float:
        return statistics.mean(line.confidence for line in lines) if lines else 0.0
