"""Images on text-layer PDF pages (issue #18): which may hold text, and reading one like a scan.

A born-digital report often carries its statistical tables as pictures (a screenshot of a
sheet, a scanned form), sometimes a whole scanned page, a stamp or a logo. Each image object
of a text-layer page is judged first by its size (a share of the page, a side in inches) and
then by a rendering `images.probe_dpi` small: text on paper is mostly paper-grey, with a
little dark, uncoloured ink; a photo has mid tones everywhere, a stamp or logo coloured ink.
Only an image that passes is rendered at the page dpi and read like a scanned page
(`PagePreparer`: denoise, orientation, deskew, OCR; `GridReader.scan`: ruled grids filled and
doubtful digit cells re-read), and what it gives is moved into page pixels.

Used by stages/pages.py; knows nothing of the document.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from ..datamodel.base import BBox
from ..datamodel.document import CellPart, Fragment, GridCell, ImageRegion, TableGrid
from ..settings import ImageSettings
from .prepare import PagePreparer, mean_confidence

if TYPE_CHECKING:
    import numpy as np

    from ..engines.render import ImageObject, PageInput
    from .ocr import OcrLine
    from .tables.reader import GridReader


def text_likeness(rgb: np.ndarray, s: ImageSettings) -> tuple[bool, str]:
    """(may hold text, why) for a small rendering of an image: text on paper is mostly the
    paper's grey, a little dark ink (not a photo's mid tones everywhere, not a filled logo),
    and its ink is not coloured (a red stamp, a coloured logo)."""
    import numpy as np

    if rgb.size == 0:
        return False, "empty rendering"
    img = rgb.astype(np.int16)
    grey = img.mean(axis=2)
    paper = float(np.percentile(grey, 90))  # the light background, even under much ink
    ink = grey < paper - s.ink_contrast
    ink_share = float(ink.mean())
    levels = np.bincount((grey // 16).astype(np.int64).ravel())
    flat = float(np.sort(levels)[::-1][: s.flat_levels].sum() / grey.size)
    if ink_share < s.min_ink_share:
        return False, f"no ink ({ink_share:.1%})"
    if ink_share > s.max_ink_share:
        return False, f"too much ink for text ({ink_share:.0%}): a photo or a filled picture"
    if flat < s.min_flat_share:
        return False, f"tones spread out ({flat:.0%} in {s.flat_levels} greys): a photo"
    chroma = img.max(axis=2) - img.min(axis=2)
    colour = float((chroma[ink] > s.colour_chroma).mean())
    if colour > s.max_colour_share:
        return False, f"coloured ink ({colour:.0%}): a stamp or logo"
    return True, f"text-like ({ink_share:.1%} ink, {flat:.0%} in {s.flat_levels} greys)"


def _unturn(x: float, y: float, rotation: int, w: float, h: float) -> tuple[float, float]:
    """A point of the region turned counter-clockwise by `rotation` (imaging.rotate) back in
    the region as rendered (`w` x `h`)."""
    if rotation == 90:
        return w - y, x
    if rotation == 180:
        return w - x, h - y
    if rotation == 270:
        return y, h - x
    return x, y


class RegionMap:
    """Prepared-image pixels of a region (turned, deskewed) -> page pixels."""

    def __init__(
        self, region: BBox, shape: tuple[int, int], rotation: int, skew: float, scale: float
    ) -> None:
        self.region = region
        self.h, self.w = shape  # the region as rendered
        self.rotation = rotation
        self.scale = scale  # page pixels per rendered pixel (about 1)
        quarter = rotation in (90, 270)
        self.pw, self.ph = (self.h, self.w) if quarter else (self.w, self.h)  # turned size
        self.cos, self.sin = math.cos(math.radians(skew)), math.sin(math.radians(skew))
        self.skew = skew

    def point(self, x: float, y: float) -> tuple[float, float]:
        if self.skew:  # undo cv2's rotation about the centre (y axis down)
            cx, cy = self.pw / 2, self.ph / 2
            dx, dy = x - cx, y - cy
            x, y = cx + self.cos * dx - self.sin * dy, cy + self.sin * dx + self.cos * dy
        x, y = _unturn(x, y, self.rotation, self.w, self.h)
        return self.region.x0 + x * self.scale, self.region.y0 + y * self.scale

    def box(self, b: BBox) -> BBox:
        pts = [self.point(x, y) for x in (b.x0, b.x1) for y in (b.y0, b.y1)]
        return BBox(
            min(p[0] for p in pts),
            min(p[1] for p in pts),
            max(p[0] for p in pts),
            max(p[1] for p in pts),
        )

    def grid(self, grid: TableGrid) -> TableGrid:
        """The grid moved into page pixels: its centre mapped, its rules kept parallel (a
        deskewed grid is axis-aligned; the skew moves it, it does not shear it)."""
        cx, cy = self.point(grid.bbox.cx, grid.bbox.cy)
        dx, dy = cx - grid.bbox.cx * self.scale, cy - grid.bbox.cy * self.scale

        def move(b: BBox) -> BBox:
            s = self.scale
            return BBox(b.x0 * s + dx, b.y0 * s + dy, b.x1 * s + dx, b.y1 * s + dy)

        cells = [
            GridCell.model_validate(
                {
                    **c.model_dump(exclude={"bbox", "parts"}),
                    "bbox": move(c.bbox),
                    "parts": [
                        CellPart(text=p.text, bbox=move(p.bbox), confidence=p.confidence)
                        for p in c.parts
                    ],
                }
            )
            for c in grid.cells
        ]
        return grid.model_copy(
            update={
                "bbox": move(grid.bbox),
                "rows": [y * self.scale + dy for y in grid.rows],
                "cols": [x * self.scale + dx for x in grid.cols],
                "cells": cells,
            }
        )


def _fragments(lines: list[OcrLine]) -> list[Fragment]:
    out = []
    for line in lines:
        (x0, y0), (x1, y1) = line.polygon[0], line.polygon[1]
        angle = math.degrees(math.atan2(y1 - y0, x1 - x0))
        out.append(
            Fragment(text=line.text, bbox=line.bbox, confidence=line.confidence, angle=angle)
        )
    return out


def covered(box: BBox, others: list[BBox]) -> float:
    """Share of `box` covered by `others` (their overlaps summed, at most 1)."""
    area = max(box.area, 1e-9)
    return min(1.0, sum(i.area for o in others if (i := box.intersection(o))) / area)


class RegionReader:
    """The image objects of one text-layer page: measured, probed, the text-like ones read."""

    def __init__(
        self,
        settings: ImageSettings,
        preparer: PagePreparer,
        grids: GridReader,
    ) -> None:
        self.s = settings
        self.preparer = preparer
        self.grids = grids
        self.timings: dict[str, float] = {
            "images_probe_ms": 0.0,
            "images_read_ms": 0.0,
            "images_read": 0.0,
            "images_skipped": 0.0,
        }

    def __call__(
        self, page: PageInput, layer: list[Fragment]
    ) -> tuple[list[ImageRegion], list[Fragment], list[TableGrid]]:
        """(the page's image regions, the OCR fragments the text layer lacks, the grids found
        in the images), all in page pixels."""
        regions: list[ImageRegion] = []
        frags: list[Fragment] = []
        grids: list[TableGrid] = []
        page_area = max(page.width * page.height, 1)
        min_side = self.s.min_side_inches * page.dpi
        for obj in page.images:
            region = ImageRegion(bbox=obj.bbox, pixels=obj.pixels)
            regions.append(region)
            if obj.bbox.area / page_area < self.s.min_area_share:
                region.note = f"small ({obj.bbox.area / page_area:.1%} of the page): not read"
            elif min(obj.bbox.width, obj.bbox.height) < min_side:
                region.note = "narrow: not read"
            else:
                t0 = time.perf_counter()
                ok, why = text_likeness(page.region(obj, self.s.probe_dpi), self.s)
                self.timings["images_probe_ms"] += (time.perf_counter() - t0) * 1000
                region.note = why if ok else f"{why}: not read"
                if ok:
                    t0 = time.perf_counter()
                    found, found_grids = self._read(page, obj, region, layer)
                    frags += found
                    grids += found_grids
                    self.timings["images_read_ms"] += (time.perf_counter() - t0) * 1000
            self.timings["images_read" if region.read else "images_skipped"] += 1
        return regions, frags, grids

    def _read(
        self, page: PageInput, obj: ImageObject, region: ImageRegion, layer: list[Fragment]
    ) -> tuple[list[Fragment], list[TableGrid]]:
        image = page.region(obj, page.dpi)
        prepared = self.preparer(image)
        reading = prepared.reading
        local, found = self.grids.read(prepared, page.number, page.dpi, _fragments(reading.lines))
        h, w = image.shape[:2]
        mapping = RegionMap(obj.bbox, (h, w), reading.rotation, reading.skew, obj.bbox.width / w)
        layer_boxes = [f.bbox for f in layer if f.bbox.intersection(obj.bbox) is not None]
        kept = []
        for frag in local:
            moved = frag.model_copy(update={"bbox": mapping.box(frag.bbox)})
            if covered(moved.bbox, layer_boxes) < self.s.text_layer_overlap:
                kept.append(moved)  # not text the layer already has (drawn over the picture)
        # a grid of a turned region would need its rows and columns swapped: its text is read
        # from the fragments instead
        grids = [mapping.grid(g) for g in found] if reading.rotation == 0 else []
        region.read = True
        region.fragments = len(kept)
        region.grids = len(grids)
        region.ocr_confidence = round(mean_confidence(reading.lines), 4) if reading.lines else None
        return kept, grids
