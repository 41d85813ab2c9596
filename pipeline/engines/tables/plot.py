"""Draw what the table path did on a page image (in the spirit of camelot's plot): the grid's
boundaries, each merged cell, the OCR/text-layer boxes, and the template key of each mapped
cell. Pure drawing: the caller supplies the prepared page image and what to draw."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...datamodel.base import BBox

if TYPE_CHECKING:
    import numpy as np

    from ...datamodel.document import Fragment, TableGrid

GRID = (0, 160, 255)  # colours are RGB (the page images are RGB)
CELL = (220, 0, 0)
SPLIT = (255, 0, 200)
FRAGMENT = (0, 170, 0)
KEY = (0, 0, 200)
REVIEW = (230, 120, 0)
KEY_SCALE = 0.32  # font scale of the key labels


def _pt(x: float, y: float) -> tuple[int, int]:
    return round(x), round(y)


def overlay(
    image: np.ndarray,
    grids: list[TableGrid],
    fragments: list[Fragment],
    keys: list[tuple[BBox, str, bool]],
) -> np.ndarray:
    """A copy of `image` (RGB) with grids, cells, fragment boxes and (box, key, needs review)
    labels drawn on it."""
    import cv2

    out = image.copy()
    for frag in fragments:
        x0, y0, x1, y1 = frag.bbox
        cv2.rectangle(out, _pt(x0, y0), _pt(x1, y1), FRAGMENT, 1)
    for grid in grids:
        gx0, gy0, gx1, gy1 = grid.bbox
        for y in grid.rows:
            cv2.line(out, _pt(gx0, y), _pt(gx1, y), GRID, 1)
        for x in grid.cols:
            cv2.line(out, _pt(x, gy0), _pt(x, gy1), GRID, 1)
        for cell in grid.cells:
            x0, y0, x1, y1 = cell.bbox
            colour = SPLIT if cell.split or cell.reread else CELL
            cv2.rectangle(out, _pt(x0 + 2, y0 + 2), _pt(x1 - 2, y1 - 2), colour, 2)
            if cell.rowspan > 1 or cell.colspan > 1:
                label = f"{cell.rowspan}x{cell.colspan}"
                cv2.putText(out, label, _pt(x0 + 4, y1 - 4), cv2.FONT_HERSHEY_SIMPLEX, 0.35, colour)
    for (x0, y0, x1, _y1), key, review in keys:
        # the whole key when it fits the cell, else its row part over its column part
        lines = [key]
        (width, _), _ = cv2.getTextSize(key, cv2.FONT_HERSHEY_SIMPLEX, KEY_SCALE, 1)
        if width > x1 - x0 and "." in key:
            lines = [key.rsplit(".", 1)[0][-12:], key.rsplit(".", 1)[1][:12]]
        for k, text in enumerate(lines):
            cv2.putText(
                out,
                text,
                _pt(x0 + 3, y0 + 11 + 11 * k),
                cv2.FONT_HERSHEY_SIMPLEX,
                KEY_SCALE,
                REVIEW if review else KEY,
                1,
            )
    return out
