"""pages: PDF and image input -> one PageDoc per page, streamed.

For each page in turn: use the PDF text layer when it is real text (render.text_layer_quality);
otherwise render the page image, prepare and OCR it (engines/prepare.py: denoise, orientation,
deskew, OCR) and read its ruled grids while the prepared image is alive
(engines/tables/reader.py: grids found, filled, doubtful digit cells re-read from their crop).
Only fragments and grids are kept: the image is dropped before the next page is touched, so
memory does not grow with the page count. Text-layer pages get their grids from camelot
lattice after the page loop.

A page that fails becomes an error item naming the page; the other pages go on. A page that
needs OCR but is blank in a tiny rendering is not OCR'd; a document without any text is
`no_text`, one with more than `render.max_pages` pages is read up to there (`too_many_pages`).
Grids are stored on the PageDoc; stages/tables.py turns them into Tables.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from ..datamodel.base import ErrorCode
from ..datamodel.document import Fragment, PageDoc, ReportDoc, Slot
from ..datamodel.record import ErrorItem
from ..engines.prepare import PagePreparer, mean_confidence
from ..engines.regions import RegionReader
from ..engines.render import PageInput, open_pages
from ..engines.tables.reader import GridReader
from ..errors import InputError
from ..settings import GridSettings, ImageSettings, PrepareSettings, RenderSettings, Settings
from ..untrusted import name_path
from .base import Stage

if TYPE_CHECKING:
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


def _drop_picture_rules(page: PageDoc) -> None:
    """A text-layer grid (camelot renders the page) inside an image that was read is the
    picture's own rules, filled from a text layer that has nothing there: the grid read from
    the picture replaces it."""
    read = [r.bbox for r in page.images if r.read]
    if not read or not page.grids:
        return
    kept = [
        g
        for g in page.grids
        if g.source == "lines" or not any(b.contains_point(*g.bbox.centre) for b in read)
    ]
    page.grids = sorted(kept, key=lambda g: (g.bbox.y0, g.bbox.x0))


class PagesOptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    render: RenderSettings
    prepare: PrepareSettings
    grid: GridSettings
    images: ImageSettings = ImageSettings()


class ReadPages(Stage[PagesOptions]):
    name = "pages"
    reads = frozenset({Slot.source})
    writes = frozenset({Slot.pages})

    def __init__(self, options: PagesOptions, engine_factory: Callable[[], OcrEngine]) -> None:
        super().__init__(options)
        self.render = options.render
        self.engine_factory = engine_factory
        self._engine: OcrEngine | None = None
        self.preparer = PagePreparer(options.prepare, self.engine)
        self.grids = GridReader(options.grid, self.engine)
        self.images = options.images
        self.regions = RegionReader(options.images, self.preparer, self.grids)

    @classmethod
    def options_from(cls, settings: Settings) -> PagesOptions:
        return PagesOptions(
            render=settings.render,
            prepare=settings.prepare,
            grid=settings.grid,
            images=settings.images,
        )

    def engine(self) -> OcrEngine:
        if self._engine is None:  # built on the first page that needs OCR
            self._engine = self.engine_factory()
        return self._engine

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        if doc.source.input_kind not in PAGE_KINDS:
            return doc
        path = name_path(doc.source.path)  # the label ingest escaped, back to the name
        for timings in (self.preparer.timings, self.grids.timings, self.regions.timings):
            timings.update(dict.fromkeys(timings, 0.0))
        try:
            source = open_pages(path, self.render, images=self.images.enabled)
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
                    ErrorCode.too_many_pages,
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
                        ErrorCode.page_failed,
                        f"{path}: page {page.number}: {type(exc).__name__}: {exc}",
                        page=page.number,
                    )
        finally:
            source.close()
        try:
            self.grids.text_layer(path, doc.pages, self.render.dpi)
        except Exception as exc:  # a failure costs the grids, not the pages
            doc.fail(
                self.name,
                ErrorCode.grid_failed,
                f"{path}: camelot lattice failed: {type(exc).__name__}: {exc}",
            )
        for p in doc.pages:
            _drop_picture_rules(p)
        doc.source.dpi = self.render.dpi
        if doc.source.input_kind != "image":
            ocr_pages = sum(1 for p in doc.pages if p.source == "ocr")
            doc.source.input_kind = "scan" if ocr_pages else "pdf_text"
        if not doc.source.pages:
            doc.fail(self.name, ErrorCode.no_text, f"{path}: the document has no pages", fatal=True)
        elif not doc.pages:
            doc.fail(
                self.name, ErrorCode.no_readable_page, f"{path}: no page could be read", fatal=True
            )
        elif not any(p.fragments for p in doc.pages):
            blank = sum(1 for p in doc.pages if p.note.endswith(BLANK_NOTE))
            doc.fail(
                self.name,
                ErrorCode.no_text,
                f"{path}: no text on any of the {len(doc.pages)} pages read ({blank} blank)",
                fatal=True,
            )
        doc.timings_ms.update(self.preparer.timings)
        doc.timings_ms.update(self.grids.timings)
        if any(p.images for p in doc.pages):  # counts, so a batch can say how often OCR ran
            doc.timings_ms.update(self.regions.timings)
        return doc

    def _read(self, page: PageInput) -> PageDoc:
        if page.fragments is not None:
            out = PageDoc(
                number=page.number,
                width=page.width,
                height=page.height,
                dpi=page.dpi,
                source="text_layer",
                note=page.text_layer_note,
                fragments=page.fragments,
            )
            if page.images:  # pictures on a text page: a table pasted as an image (issue #18)
                regions, frags, grids = self.regions(page, page.fragments)
                read = sum(r.read for r in regions)
                out.images, out.grids = regions, grids
                out.fragments = [*page.fragments, *frags]
                out.note += f"; {len(regions)} image(s): {read} read, {len(regions) - read} skipped"
            return out
        if page.ink_share(self.render.blank_contrast) < self.render.blank_max_ink:
            return PageDoc(
                number=page.number,
                width=page.width,
                height=page.height,
                dpi=page.dpi,
                source="ocr",
                note=f"{page.text_layer_note}; {BLANK_NOTE}",
            )
        prepared = self.preparer(page.image())
        reading = prepared.reading
        fragments, grids = self.grids.read(
            prepared, page.number, page.dpi, fragments_from_ocr(reading.lines)
        )
        return PageDoc(
            number=page.number,
            width=round(reading.image.shape[1] / prepared.scale),
            height=round(reading.image.shape[0] / prepared.scale),
            dpi=page.dpi,
            source="ocr",
            note=page.text_layer_note,
            rotation=reading.rotation,
            skew=round(reading.skew, 3),
            ocr_confidence=round(mean_confidence(reading.lines), 4),
            fragments=fragments,
            grids=grids,
        )
