"""What a reviewer looks at beside the value: the page image around the evidence box, or the
text lines around the evidence line.

Only documents in the database are shown: a request names a document id and a page number (or
a field path), both looked up there; the file read is the document's stored label, and only
when its bytes still hash to the stored content hash (a moved or edited file is refused with
a message, never shown in place of the one that was read). The hash is taken again whenever the
file's size, mtime, inode or device differ from when it was last verified (a stat per request),
and rendered pages of a file that changed are dropped. Pages are rendered on demand with
the pipeline's own page sources (pipeline/engines/render.py) at the record's dpi, so evidence
boxes (pixels at that dpi) land where the reading was; a few rendered pages are kept.

Known limit: a scanned page the pages stage turned upright (90/180/270) or deskewed has its
boxes in the turned page's pixels; the record does not say how the page was turned, so the box
is drawn on the page as stored.
"""

from __future__ import annotations

import hashlib
import io
import stat
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING

from ..datamodel.base import BBox
from ..datamodel.record import ReportRecord
from ..db.models import Document
from ..engines.render import open_pages
from ..errors import NianbaoError
from ..hashing import sha256_file
from ..settings import RenderSettings, ReviewSettings
from ..untrusted import name_path

if TYPE_CHECKING:
    import numpy as np


class EvidenceUnavailable(NianbaoError):
    """The evidence cannot be shown (no page image for this input, source moved, ...)."""


@dataclass(frozen=True)
class TextContext:
    """Lines around a text-input field's evidence line, split into cells at tabs."""

    first: int  # 1-based number of lines[0]
    lines: list[list[str]]
    line: int  # the evidence line


class Evidence:
    def __init__(self, render: RenderSettings, review: ReviewSettings) -> None:
        self.render = render
        self.review = review
        self._pages: OrderedDict[tuple[int, int], np.ndarray] = OrderedDict()
        # document id -> (file, the stat signature it had when its hash was checked)
        self._verified: dict[int, tuple[Path, tuple[int, ...]]] = {}
        self._lock = Lock()

    # ---- the stored source --------------------------------------------------------------------
    def source_file(self, doc: Document) -> Path:
        """The document's file, if it is still the one that was read (re-hashed whenever its
        size, mtime, inode or device changed since the last check)."""
        path = name_path(doc.label)  # a non-UTF-8 file name is found again from its label
        signature = _signature(path)
        known = self._verified.get(doc.id)
        if known is not None and known == (path, signature):
            return path
        self._forget(doc.id)
        if signature is None:
            if "!" in doc.label:
                raise EvidenceUnavailable(
                    f"{doc.label}: an archive member; its pages are not shown (open the archive)"
                )
            raise EvidenceUnavailable(
                f"{doc.label}: the source file is not there any more (the page runs from the "
                "folder the batch ran in)"
            )
        if sha256_file(path) != doc.content_hash:
            raise EvidenceUnavailable(f"{doc.label}: the file changed since it was read")
        if _signature(path) != signature:  # changed while hashing: check again next time
            raise EvidenceUnavailable(f"{doc.label}: the file is changing; try again")
        self._verified[doc.id] = (path, signature)
        return path

    def _forget(self, document_id: int) -> None:
        """Drop what was verified or rendered for a document whose file changed."""
        with self._lock:
            self._verified.pop(document_id, None)
            for key in [k for k in self._pages if k[0] == document_id]:
                del self._pages[key]

    # ---- text input ---------------------------------------------------------------------------
    def text_context(self, doc: Document, record: ReportRecord, line: int) -> TextContext:
        if record.source.input_kind != "text":
            raise EvidenceUnavailable(f"{doc.label}: no text lines for {record.source.input_kind}")
        data = self.source_file(doc).read_bytes()
        if hashlib.sha256(data).hexdigest() != doc.content_hash:  # swapped since the check
            self._forget(doc.id)
            raise EvidenceUnavailable(f"{doc.label}: the file changed since it was read")
        lines = data.decode(record.source.encoding or "utf-8", errors="replace").splitlines()
        n = self.review.context_lines
        first = max(1, line - n)
        chosen = lines[first - 1 : line + n]
        return TextContext(first, [ln.split("\t") for ln in chosen], line)

    # ---- page images --------------------------------------------------------------------------
    def _page(self, doc: Document, record: ReportRecord, number: int) -> np.ndarray:
        if record.source.input_kind not in ("scan", "pdf_text", "image"):
            raise EvidenceUnavailable(f"{doc.label}: {record.source.input_kind} input has no pages")
        if record.source.pages is not None and not 1 <= number <= record.source.pages:
            raise EvidenceUnavailable(f"{doc.label}: no page {number}")
        key = (doc.id, number)
        path = self.source_file(doc)  # every time: a cached page of a swapped file is not shown
        with self._lock:
            if key in self._pages:
                self._pages.move_to_end(key)
                return self._pages[key]
            dpi = record.source.dpi or self.render.dpi
            settings = self.render.model_copy(update={"dpi": dpi, "use_text_layer": False})
            source = open_pages(path, settings)
            try:
                image = next((p.image() for p in source.pages() if p.number == number), None)
            finally:
                source.close()
            if image is None:
                raise EvidenceUnavailable(f"{doc.label}: no page {number}")
            if self._verified.get(doc.id) != (path, _signature(path)):  # swapped while rendering
                self._verified.pop(doc.id, None)
                raise EvidenceUnavailable(f"{doc.label}: the file changed since it was read")
            self._pages[key] = image
            while len(self._pages) > self.review.page_cache:
                self._pages.popitem(last=False)
            return image

    def crop_png(self, doc: Document, record: ReportRecord, number: int, bbox: BBox) -> bytes:
        """The page around `bbox`, the box outlined."""
        image = self._page(doc, record, number)
        h, w = image.shape[:2]
        mx, my = self.review.crop_margin_x_px, self.review.crop_margin_y_px
        x0, y0, x1, y1 = bbox
        box = (
            max(0, int(x0) - mx),
            max(0, int(y0) - my),
            min(w, int(x1) + mx),
            min(h, int(y1) + my),
        )
        return _png(image, bbox, crop=box, outline=self.review.highlight_px)

    def page_png(
        self, doc: Document, record: ReportRecord, number: int, bbox: BBox | None
    ) -> bytes:
        """The whole page, scaled to `page_max_px` wide, with `bbox` outlined if given."""
        image = self._page(doc, record, number)
        return _png(
            image, bbox, outline=self.review.highlight_px, max_width=self.review.page_max_px
        )


def _signature(path: Path) -> tuple[int, ...] | None:
    """What changes when a file is edited, replaced or moved over (None: not a regular file)."""
    try:
        st = path.stat()
    except (OSError, ValueError):  # missing, unreadable, or a label no file system takes
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)


def _png(
    image: np.ndarray,
    bbox: BBox | None,
    *,
    outline: int,
    crop: tuple[int, int, int, int] | None = None,
    max_width: int | None = None,
) -> bytes:
    from PIL import Image, ImageDraw

    picture = Image.fromarray(image)
    if bbox is not None:
        picture = picture.copy()
        x0, y0, x1, y1 = bbox
        pad = outline + 1
        ImageDraw.Draw(picture).rectangle(
            (x0 - pad, y0 - pad, x1 + pad, y1 + pad), outline=(220, 30, 30), width=outline
        )
    if crop is not None:
        picture = picture.crop(crop)
    if max_width is not None and picture.width > max_width:
        height = round(picture.height * max_width / picture.width)
        picture = picture.resize((max_width, height))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()
