"""What the table path did on one page, as a picture (`nianbao debug FILE --page N`).

The page is run through the whole pipeline, then rendered again and prepared the way the pages
stage prepared it (the turn and deskew it recorded), so the grid, the cells, the OCR or
text-layer boxes and each mapped cell's template key land where they were found.
Drawing is engines/tables/plot.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .datamodel.base import BBox, ErrorCode
from .engines import imaging
from .engines.render import open_pages
from .engines.tables.plot import overlay
from .errors import InputError

if TYPE_CHECKING:
    import numpy as np

    from .runner import Pipeline


def debug_page(pipeline: Pipeline, path: Path, page_number: int) -> np.ndarray:
    """The overlay image (RGB) of `page_number` (1-based) of `path`. Raises InputError naming
    the file when it has no such page or could not be read."""
    doc, record = pipeline.run_doc(path)
    pages = {p.number: p for p in doc.pages}
    if page_number not in pages:
        problem = "; ".join(e.message for e in doc.errors) or f"it has {len(doc.pages)} page(s)"
        raise InputError(
            ErrorCode.no_such_page, f"{path}: no page {page_number} was read ({problem})"
        )
    page = pages[page_number]
    source = open_pages(path, pipeline.settings.render)
    try:
        image = next(p for p in source.pages() if p.number == page_number).image()
    finally:
        source.close()
    if page.source == "ocr":
        image = imaging.rotate(imaging.rotate(image, page.rotation), page.skew)
    keys: list[tuple[BBox, str, bool]] = []
    for key, field in record.iter_fields():
        ev = field.evidence
        if ev.page == page_number and ev.bbox and field.method.startswith(("table.", "repaired")):
            short = ".".join(key.split(".")[1:])
            keys.append((ev.bbox, short, field.review.needed))
    return overlay(image, page.grids, page.fragments, keys)
