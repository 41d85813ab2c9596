"""Page preparation for OCR: turn the page upright, deskew it, read it.

Orientation: the page is read at 0, 180, 90, 270 degrees in turn (90 and 270 first when its
text lines run vertically) until a reading is good: mostly horizontal lines read with a mean
confidence of at least `upside_down_below`, or, after 0 and 180, one reading is mostly horizontal
and far stronger than the other (a noisy upright page); otherwise the best reading is kept
("best" = most characters read confidently along horizontal lines). An upright page costs one
OCR pass, an upside-down or sideways one two, a misjudged text axis up to four.

Working size (issue #17): a page image over `work_max_pixels` is shrunk to it first, and
everything is read on the shrunk copy; `PreparedPage.scale` says by how much, and
`to_page_space` scales the boxes read on it back to the page's own pixels (evidence crops are
cut from the page at its dpi). Peak memory then no longer grows with the page size.

Used by stages/pages.py while the page image is alive; knows nothing of the document.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from ..datamodel.base import BBox
from ..datamodel.document import Fragment, TableGrid
from ..settings import PrepareSettings
from . import imaging

if TYPE_CHECKING:
    import numpy as np

    from .ocr import OcrEngine, OcrLine


class Reading(NamedTuple):
    """One OCR pass over the page turned by `rotation` and deskewed by `skew` degrees."""

    score: float  # characters read confidently along horizontal lines (see reading_score)
    rotation: int
    skew: float
    image: np.ndarray  # the page as read: turned, deskewed, denoised
    lines: list[OcrLine]


class PreparedPage(NamedTuple):
    """What OCR read on the page, and the images grid reading needs while it is alive."""

    reading: Reading
    raw: np.ndarray  # the page as rendered (before the median filter), at the working size
    filtered: np.ndarray  # the page as denoised, before turning
    scale: float = 1.0  # working-size pixels per page pixel (1: the page was not shrunk)

    def unfiltered(self, enabled: bool) -> np.ndarray:
        """The page as scanned, turned and deskewed like the reading's image: digit crops are
        re-read from it, as the 3x3 median that cleans the page for OCR erases a fax's thin
        strokes (4 -> 1). Made only on demand (a page with a grid to re-read)."""
        r = self.reading
        if self.raw is self.filtered or not enabled:
            return r.image
        turned = imaging.rotate(self.raw, r.rotation)
        return imaging.rotate(turned, r.skew) if r.skew else turned


def wide(line: OcrLine) -> bool:
    return line.bbox.width >= line.bbox.height


def reading_score(lines: list[OcrLine]) -> float:
    """How much was read confidently along horizontal lines: sum of confidence x characters.
    Only wide boxes count: engines turn tall crops themselves and read a sideways page's
    columns confidently, so confidence alone cannot tell 90 from 270 degrees."""
    return sum(line.confidence * len(line.text) for line in lines if wide(line))


def mean_confidence(lines: list[OcrLine]) -> float:
    return statistics.mean(line.confidence for line in lines) if lines else 0.0


class PagePreparer:
    """Denoise -> orientation search -> deskew -> OCR, timing each part."""

    def __init__(self, settings: PrepareSettings, engine: Callable[[], OcrEngine]) -> None:
        self.prepare = settings
        self.engine = engine  # built on the first page that needs it
        self.timings: dict[str, float] = {"ocr_ms": 0.0, "prepare_ms": 0.0}

    def __call__(self, raw: np.ndarray) -> PreparedPage:
        t0 = time.perf_counter()
        scale = imaging.work_scale(raw.shape[0], raw.shape[1], self.prepare.work_max_pixels)
        if scale < 1.0:
            raw = imaging.shrink(raw, scale)
        image = imaging.denoise(raw) if self.prepare.denoise else raw
        # Most likely turns first; stop at the first reading that is good.
        order = [0, 180, 90, 270]
        if self.prepare.orientation and imaging.text_axis(image) == "vertical":
            order = [90, 270, 0, 180]
        elif not self.prepare.orientation:
            order = [0]
        best: Reading | None = None
        scores: list[float] = []
        for rotation in order:
            reading = self._ocr(imaging.rotate(image, rotation), rotation, t0)
            scores.append(reading.score)
            best = reading if best is None or reading.score > best.score else best
            t0 = time.perf_counter()
            if self._good(best.lines) or (len(scores) == 2 and self._clear_winner(best, scores)):
                break
        assert best is not None
        return PreparedPage(best, raw, image, scale)

    def _ocr(self, image: np.ndarray, rotation: int, t0: float) -> Reading:
        skew = 0.0
        if self.prepare.deskew:
            skew = imaging.estimate_skew(
                image,
                self.prepare.max_skew_degrees,
                self.prepare.skew_step_degrees,
                self.prepare.skew_coarse_width,
            )
            if abs(skew) >= self.prepare.min_skew_degrees:
                image = imaging.rotate(image, skew)
            else:
                skew = 0.0
        t1 = time.perf_counter()
        self.timings["prepare_ms"] += (t1 - t0) * 1000
        lines = self.engine().recognize(image)
        self.timings["ocr_ms"] += (time.perf_counter() - t1) * 1000
        return Reading(reading_score(lines), rotation, skew, image, lines)

    def _orienting(self, lines: list[OcrLine]) -> list[OcrLine]:
        """Lines long enough to say which way the text runs (a digit's box is about square)."""
        return [ln for ln in lines if len(ln.text.strip()) >= self.prepare.orienting_chars]

    def _clear_winner(self, best: Reading, readings: list[float]) -> bool:
        """After two opposite turns: a mostly horizontal reading far ahead of the other is the
        page upright, even if noise keeps its confidence low (no need to try 90/270)."""
        lines = self._orienting(best.lines)
        horizontal = sum(1 for line in lines if wide(line)) >= 0.5 * max(len(lines), 1)
        other = min(readings)
        return horizontal and best.score >= self.prepare.clear_winner * max(other, 1.0)

    def _good(self, lines: list[OcrLine]) -> bool:
        """Mostly horizontal lines, read with confidence: the page is upright."""
        orienting = self._orienting(lines)
        across = [line for line in orienting if wide(line)]
        return (
            len(across) >= 0.5 * max(len(orienting), 1)
            and mean_confidence(across) >= self.prepare.upside_down_below
        )


def _unscaled(box: BBox, factor: float) -> BBox:
    return BBox(box.x0 * factor, box.y0 * factor, box.x1 * factor, box.y1 * factor)


def to_page_space(
    fragments: list[Fragment], grids: list[TableGrid], scale: float
) -> tuple[list[Fragment], list[TableGrid]]:
    """Fragments and grids read on a page shrunk by `scale`, in the page's own pixels."""
    if scale == 1.0:
        return fragments, grids
    f = 1.0 / scale
    frags = [fr.model_copy(update={"bbox": _unscaled(fr.bbox, f)}) for fr in fragments]
    out = []
    for grid in grids:
        cells = [
            cell.model_copy(
                update={
                    "bbox": _unscaled(cell.bbox, f),
                    "parts": [
                        p.model_copy(update={"bbox": _unscaled(p.bbox, f)}) for p in cell.parts
                    ],
                }
            )
            for cell in grid.cells
        ]
        out.append(
            grid.model_copy(
                update={
                    "bbox": _unscaled(grid.bbox, f),
                    "rows": [y * f for y in grid.rows],
                    "cols": [x * f for x in grid.cols],
                    "cells": cells,
                }
            )
        )
    return frags, out
