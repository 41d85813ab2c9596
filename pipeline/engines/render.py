"""Page sources: PDFs (pypdfium2) and images (PIL), streamed one page at a time.

A page yields either text-layer fragments (a born-digital PDF page whose text layer is real
text) or an image to OCR. Coordinates of both are pixels of the page image at the source dpi,
origin top-left, so evidence boxes mean the same thing whichever path read the page.

A text layer is "real" when it has enough characters, enough of them CJK, and few that are
private-use or symbol garbage (broken glyph maps such as runs of `¿”¡fl`).

Hostile input (issue #8) is refused before anything big is decoded: `pdf_preflight` reads the
raw file (mmap) for a truncated end, a damaged cross-reference table and streams that inflate
past `max_stream_bytes`; images are measured from their header against `max_image_pixels`;
a PDF page is rendered only if it fits `max_page_pixels`; pages after `max_pages` are not read;
and a page needing OCR is first looked at in a tiny rendering, so blank pages cost nothing.
"""

from __future__ import annotations

import base64
import mmap
import re
import unicodedata
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..datamodel.base import BBox, ErrorCode
from ..datamodel.document import Fragment
from ..errors import InputError

if TYPE_CHECKING:
    import numpy as np

    from ..settings import RenderSettings


@dataclass
class ImageObject:
    """An image object of a PDF page (issue #18): its box in page pixels at the page dpi and
    in PDF points (left, bottom, right, top), and its own pixel size."""

    bbox: BBox
    bounds_pt: tuple[float, float, float, float]
    pixels: tuple[int, int]


@dataclass
class PageInput:
    number: int  # 1-based
    width: int  # pixels at `dpi`
    height: int
    dpi: int
    fragments: list[Fragment] | None = None  # set when the text layer is used
    text_layer_note: str = ""  # why the text layer was or was not used
    problem: InputError | None = None  # the page could not be loaded at all
    images: list[ImageObject] = field(default_factory=list)  # text-layer pages (issue #18)
    _render: object = field(default=None, repr=False)
    _thumbnail: object = field(default=None, repr=False)
    _region: object = field(default=None, repr=False)

    def image(self) -> np.ndarray:
        """The page as RGB uint8 (rendered on demand; not kept)."""
        assert callable(self._render)
        result: np.ndarray = self._render()
        return result

    def ink_share(self, contrast: int) -> float:
        """Share of pixels of a tiny greyscale rendering that differ from the page's median by
        more than `contrast` grey levels: about 0 for a blank page, cheap to compute."""
        import numpy as np

        assert callable(self._thumbnail)
        grey: np.ndarray = self._thumbnail()
        if grey.size == 0:
            return 0.0
        return float(np.mean(np.abs(grey.astype(np.int16) - int(np.median(grey))) > contrast))

    def region(self, image: ImageObject, dpi: int) -> np.ndarray:
        """The page inside `image`'s box rendered at `dpi` as RGB uint8 (what is drawn there:
        the picture and anything drawn over it), rendered on demand and not kept."""
        assert callable(self._region)
        result: np.ndarray = self._region(image.bounds_pt, dpi)
        return result


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _is_garbage(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return (
        "\ue000" <= ch <= "\uf8ff"  # private use: unmapped glyphs
        or ch == "\ufffd"
        or cat in ("Co", "Cn", "Cs")
        or ("\u00a0" <= ch <= "\u00ff" and not ch.isalnum())  # Latin-1 symbols: ¿ ¡ ” …
        or "\ufb00" <= ch <= "\ufb4f"  # ligatures such as ﬂ from broken maps
    )


def text_layer_quality(text: str, settings: RenderSettings) -> tuple[bool, str]:
    chars = [c for c in text if not c.isspace()]
    if len(chars) < settings.min_text_chars:
        return False, f"text layer has {len(chars)} characters"
    cjk = sum(1 for c in chars if _is_cjk(c)) / len(chars)
    garbage = sum(1 for c in chars if _is_garbage(c)) / len(chars)
    if garbage > settings.max_garbage_ratio:
        return False, f"text layer is garbage ({garbage:.0%} unmapped or symbol glyphs)"
    if cjk < settings.min_cjk_ratio:
        return False, f"text layer has only {cjk:.0%} CJK characters"
    return True, f"text layer used ({len(chars)} characters, {cjk:.0%} CJK)"


_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_FLATE_FIRST = re.compile(rb"/Filter\s*(?:\[\s*)?/(?:FlateDecode|Fl)\b")
# reportlab and others wrap Flate in ASCII85: [/ASCII85Decode /FlateDecode]
_A85_FLATE = re.compile(rb"/Filter\s*\[\s*/(?:ASCII85Decode|A85)\s*/(?:FlateDecode|Fl)\b")
_OBJ_AT = re.compile(rb"\s*(\d+)\s+\d+\s+obj\b")
_XREF_SECTION = re.compile(rb"(\d+)\s+(\d+)\s*\r?\n")


def pdf_preflight(path: Path, settings: RenderSettings) -> list[InputError]:
    """Problems visible in the raw bytes, before pdfium parses anything.

    Raises `InputError` for what must not reach pdfium (not a PDF at all, a decompression
    bomb); returns the others (truncated end, damaged cross-references, a damaged stream):
    pdfium rebuilds such files silently, so the record must say the content may be incomplete.
    """
    problems: list[InputError] = []
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data.find(b"%PDF-", 0, 1024) < 0:
            head = bytes(data[:40]).decode("latin-1")
            raise InputError(
                ErrorCode.corrupt_pdf, f"{path}: not a PDF: the file starts with {head!r}"
            )
        tail_at = max(0, len(data) - 1024)
        if data.find(b"%%EOF", tail_at) < 0:
            problems.append(
                InputError(
                    ErrorCode.truncated_pdf,
                    f"{path}: the file ends without the PDF end-of-file marker "
                    f"({len(data)} bytes): a truncated download?",
                )
            )
        elif not _xref_intact(data):
            problems.append(
                InputError(
                    ErrorCode.corrupt_pdf,
                    f"{path}: the cross-reference table does not match the file; "
                    "the PDF was rebuilt and content may be missing",
                )
            )
        if data.find(b"/Encrypt") < 0:  # encrypted streams cannot be inflated without the key
            damaged = _check_streams(path, data, settings.max_stream_bytes)
            if damaged:
                problems.append(
                    InputError(
                        ErrorCode.corrupt_pdf,
                        f"{path}: {len(damaged)} compressed stream(s) are damaged "
                        f"(at byte {', '.join(map(str, damaged[:5]))}); content may be missing",
                    )
                )
    return problems


def _xref_intact(data: mmap.mmap) -> bool:
    """`startxref` points at an xref table (whose entries point at their objects) or stream."""
    at = data.rfind(b"startxref")
    match = re.match(rb"startxref\s+(\d+)", bytes(data[at : at + 40])) if at >= 0 else None
    if match is None:
        return False
    offset = int(match.group(1))
    if offset >= len(data):
        return False
    if _OBJ_AT.match(bytes(data[offset : offset + 40])):
        return True  # a cross-reference stream (PDF 1.5+): pdfium checks it
    if bytes(data[offset : offset + 4]) != b"xref":
        return False
    pos = offset + 4
    while True:  # subsections: "first count" then count 20-byte entries
        while pos < len(data) and data[pos : pos + 1] in (b" ", b"\r", b"\n"):
            pos += 1
        head = _XREF_SECTION.match(bytes(data[pos : pos + 40]))
        if head is None:
            return bytes(data[pos : pos + 7]) == b"trailer"
        first, count = int(head.group(1)), int(head.group(2))
        pos += head.end()
        for k in range(count):
            entry = bytes(data[pos + 20 * k : pos + 20 * k + 20])
            if len(entry) < 18:
                return False
            if entry[17:18] == b"n":
                target = int(entry[:10])
                obj = _OBJ_AT.match(bytes(data[target : target + 40]))
                if obj is None or int(obj.group(1)) != first + k:
                    return False
        pos += 20 * count


def _check_streams(path: Path, data: mmap.mmap, limit: int) -> list[int]:
    """Inflate every stream whose first filter is Flate, counting (not keeping) its output.

    Raises `InputError('decompression_bomb')` past `limit` bytes; returns the offsets of
    streams that do not inflate cleanly."""
    damaged: list[int] = []
    step = 1 << 16
    for match in _STREAM.finditer(data):
        start = match.end()
        obj = data.rfind(b"obj", max(0, match.start() - 2048), match.start())
        head = bytes(data[max(obj, 0) : match.start()])
        source: mmap.mmap | bytes = data
        if _A85_FLATE.search(head):  # the ASCII85 text is at most the file's size: decode it
            end = data.find(b"~>", start)
            try:
                source = base64.a85decode(bytes(data[start : end if end >= 0 else None]))
            except ValueError:
                damaged.append(start)
                continue
            start_in = 0
        elif _FLATE_FIRST.search(head):
            start_in = start
        else:
            continue
        inflater, total, pos = zlib.decompressobj(), 0, start_in
        try:
            while not inflater.eof and pos < len(source):
                chunk = inflater.decompress(bytes(source[pos : pos + step]), step)
                pos += step
                while True:
                    total += len(chunk)
                    if total > limit:
                        raise InputError(
                            ErrorCode.decompression_bomb,
                            f"{path}: the stream at byte {start} inflates past {limit} bytes "
                            "(a decompression bomb); refused",
                        )
                    tail = inflater.unconsumed_tail
                    if not tail or inflater.eof:
                        break
                    chunk = inflater.decompress(tail, step)
                    if not chunk and len(inflater.unconsumed_tail) == len(tail):
                        raise zlib.error("no progress")  # zlib is stuck: treat as damaged
        except zlib.error:
            damaged.append(start)
            continue
        if not inflater.eof:
            damaged.append(start)
    return damaged


class PdfSource:
    """Pages of a PDF; each page is opened, read and closed in turn."""

    def __init__(self, path: Path, settings: RenderSettings, images: bool = False) -> None:
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_c

        self.settings = settings
        self.path = path
        self.images = images  # list the image objects of text-layer pages (issue #18)
        self.problems = pdf_preflight(path, settings)
        try:
            self.pdf = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
                raise InputError(
                    ErrorCode.encrypted_pdf, f"{path}: the PDF is encrypted; a password is needed"
                ) from exc
            truncated = next((p for p in self.problems if p.code == "truncated_pdf"), None)
            if truncated is not None:
                raise InputError(truncated.code, f"{truncated}; cannot open: {exc}") from exc
            raise InputError(ErrorCode.corrupt_pdf, f"{path}: cannot open as PDF: {exc}") from exc

    def __len__(self) -> int:
        return len(self.pdf)

    def pages(self) -> Iterator[PageInput]:
        dpi = self.settings.dpi
        scale = dpi / 72
        for index in range(min(len(self.pdf), self.settings.max_pages)):
            try:
                info = self._page(index, scale)
            except Exception as exc:  # pdfium refuses one page: report it, go on
                info = PageInput(number=index + 1, width=0, height=0, dpi=dpi)
                info.problem = InputError(
                    ErrorCode.page_failed, f"{self.path}: page {index + 1} cannot be loaded: {exc}"
                )
            yield info

    def _page(self, index: int, scale: float) -> PageInput:
        page = self.pdf[index]
        try:
            w_pt, h_pt = page.get_size()
            info = PageInput(
                number=index + 1,
                width=round(w_pt * scale),
                height=round(h_pt * scale),
                dpi=self.settings.dpi,
                _render=lambda i=index: self._render(i),
                _thumbnail=lambda i=index: self._thumbnail(i),
                _region=lambda bounds, dpi, i=index: self._render_region(i, bounds, dpi),
            )
            textpage = page.get_textpage()
            ok, note = text_layer_quality(textpage.get_text_range(), self.settings)
            info.text_layer_note = note
            if ok and self.settings.use_text_layer:
                info.fragments = _text_fragments(textpage, h_pt, scale, self.settings)
                if self.images and not page.get_rotation():
                    info.images = _image_objects(page, w_pt, h_pt, scale)
            textpage.close()
            return info
        finally:
            page.close()

    def _render_region(
        self, index: int, bounds: tuple[float, float, float, float], dpi: int
    ) -> np.ndarray:
        """The part of page `index` inside `bounds` (PDF points: left, bottom, right, top)."""
        page = self.pdf[index]
        try:
            w_pt, h_pt = page.get_size()
            self._check_size(index, w_pt, h_pt)
            left, bottom, right, top = bounds
            crop = (left, bottom, w_pt - right, h_pt - top)
            bitmap = page.render(scale=dpi / 72, crop=crop, rev_byteorder=True)
            image: np.ndarray = bitmap.to_numpy()[:, :, :3].copy()
            return image
        finally:
            page.close()

    def _check_size(self, index: int, w_pt: float, h_pt: float) -> None:
        """A page over `max_page_pixels` at the render dpi is refused before any rendering,
        the blank-page thumbnail included (a tiny blank PDF may declare a huge page box)."""
        scale = self.settings.dpi / 72
        pixels = w_pt * scale * h_pt * scale
        if pixels > self.settings.max_page_pixels:
            raise InputError(
                ErrorCode.page_too_large,
                f"{self.path}: page {index + 1} is {w_pt:.0f} x {h_pt:.0f} pt, "
                f"{pixels:.3g} pixels at {self.settings.dpi} dpi "
                f"(limit {self.settings.max_page_pixels}); not rendered",
            )

    def _render(self, index: int) -> np.ndarray:
        page = self.pdf[index]
        try:
            w_pt, h_pt = page.get_size()
            scale = self.settings.dpi / 72
            self._check_size(index, w_pt, h_pt)
            # rev_byteorder: RGB rather than pdfium's native BGR
            bitmap = page.render(scale=scale, rev_byteorder=True)
            image: np.ndarray = bitmap.to_numpy()[:, :, :3].copy()
            return image
        finally:
            page.close()

    def _thumbnail(self, index: int) -> np.ndarray:
        import numpy as np

        page = self.pdf[index]
        try:
            self._check_size(index, *page.get_size())
            bitmap = page.render(scale=self.settings.blank_dpi / 72, grayscale=True)
            grey: np.ndarray = np.asarray(bitmap.to_numpy()).reshape(bitmap.height, -1)
            return grey[:, : bitmap.width].copy()
        finally:
            page.close()

    def close(self) -> None:
        self.pdf.close()


def _image_objects(page: object, w_pt: float, h_pt: float, scale: float) -> list[ImageObject]:
    """The page's top-level image objects (a picture inside a form XObject is left out),
    clipped to the page, in page pixels and points. Raw pdfium calls: a page of a few
    thousand text objects is walked in a millisecond or two, without a wrapper per object."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    out: list[ImageObject] = []
    n = pdfium_c.FPDFPage_CountObjects(page)
    for i in range(max(n, 0)):
        obj = pdfium_c.FPDFPage_GetObject(page, i)
        if not obj or pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            continue
        box = [ctypes.c_float() for _ in range(4)]
        if not pdfium_c.FPDFPageObj_GetBounds(obj, *(ctypes.byref(v) for v in box)):
            continue
        left, bottom, right, top = (v.value for v in box)
        left, bottom = max(left, 0.0), max(bottom, 0.0)
        right, top = min(right, w_pt), min(top, h_pt)
        if right <= left or top <= bottom:
            continue  # off the page
        width, height = ctypes.c_uint(), ctypes.c_uint()
        if not pdfium_c.FPDFImageObj_GetImagePixelSize(
            obj, ctypes.byref(width), ctypes.byref(height)
        ):
            width.value = height.value = 0
        out.append(
            ImageObject(
                bbox=BBox(
                    left * scale, (h_pt - top) * scale, right * scale, (h_pt - bottom) * scale
                ),
                bounds_pt=(left, bottom, right, top),
                pixels=(width.value, height.value),
            )
        )
    return out


def _text_fragments(
    textpage: object, h_pt: float, scale: float, settings: RenderSettings
) -> list[Fragment]:
    """Characters of the text layer merged into runs: same line, gaps under `char_gap_ratio`
    times the font's height.

    Boxes are pdfium's *loose* character boxes (the font's ascent and descent, the glyph's
    advance width), so gaps are measured against the font, never against glyph outlines: a
    tight box depends on whether pdfium has loaded the glyph, which for a font the PDF does
    not embed happens only once some page was rendered, so the same PDF read twice in one
    process split "2021" and "年" into two runs the second time. (pdfium's FPDFText_GetFontSize
    is in the font's own units on real reports, 240 for 12 pt type, so the box is the measure.)"""
    tp = textpage
    n = tp.count_chars()  # type: ignore[attr-defined]
    frags: list[Fragment] = []
    cur: list[tuple[str, BBox]] = []
    size = 0.0  # the tallest font height (pixels) in the run

    def flush() -> None:
        if cur:
            text = "".join(c for c, _ in cur)
            if text.strip():
                frags.append(Fragment(text=text.strip(), bbox=BBox.enclosing([b for _, b in cur])))
            cur.clear()

    for i in range(n):
        ch = tp.get_text_range(i, 1)  # type: ignore[attr-defined]
        if ch in ("\r", "\n", "\ufffe"):
            flush()
            continue
        left, bottom, right, top = tp.get_charbox(i, loose=True)  # type: ignore[attr-defined]
        box = BBox(left * scale, (h_pt - top) * scale, right * scale, (h_pt - bottom) * scale)
        if ch.isspace():
            continue
        font = max(box.height, 1.0)
        if cur:
            prev = cur[-1][1]
            em = max(size, font)
            same_line = prev.y_overlap(box) > 0.3 * max(min(prev.height, box.height), 1.0)
            gap = box.x0 - prev.x1
            if not same_line or gap > settings.char_gap_ratio * em or gap < -em:
                flush()
        size = font if not cur else max(size, font)
        cur.append((ch, box))
    flush()
    return frags


class ImageSource:
    """Pages of an image file (PNG, JPEG, multi-page TIFF)."""

    def __init__(self, path: Path, settings: RenderSettings) -> None:
        from PIL import Image

        self.settings = settings
        self.path = path
        self.problems: list[InputError] = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PIL's bomb and EXIF warnings: we raise our own
            try:
                self.image = Image.open(path)  # reads the header only
                self._check_size()
                self.image.load()
                self.frames = int(getattr(self.image, "n_frames", 1))
            except InputError:
                raise
            except Image.DecompressionBombError as exc:
                raise InputError(ErrorCode.image_too_large, f"{path}: {exc}") from exc
            except Exception as exc:  # PIL raises many kinds on broken files
                raise InputError(
                    ErrorCode.corrupt_image, f"{path}: cannot read as an image: {exc}"
                ) from exc

    def _check_size(self) -> None:
        width, height = self.image.size
        if width * height > self.settings.max_image_pixels:
            raise InputError(
                ErrorCode.image_too_large,
                f"{self.path}: {width} x {height} pixels is over the limit of "
                f"{self.settings.max_image_pixels}; refused before decoding",
            )
        if width * height == 0:
            raise InputError(
                ErrorCode.corrupt_image, f"{self.path}: the image is {width} x {height}"
            )

    def __len__(self) -> int:
        return self.frames

    def pages(self) -> Iterator[PageInput]:
        for index in range(min(self.frames, self.settings.max_pages)):
            try:
                yield self._frame(index)
            except Exception as exc:  # one broken frame of a TIFF: report it, go on
                info = PageInput(number=index + 1, width=0, height=0, dpi=self.settings.dpi)
                code = exc.code if isinstance(exc, InputError) else ErrorCode.page_failed
                info.problem = InputError(code, f"{self.path}: frame {index + 1}: {exc}")
                yield info

    def _frame(self, index: int) -> PageInput:
        import numpy as np

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.image.seek(index)
            self._check_size()
            dpi_info = self.image.info.get("dpi")
            dpi = round(float(dpi_info[0])) if dpi_info else self.settings.dpi
            frame = np.asarray(self.image.convert("RGB"))
        factor = max(1, round(max(dpi, 1) / self.settings.blank_dpi))
        grey = self.image.convert("L").reduce(factor) if factor > 1 else self.image.convert("L")
        thumb = np.asarray(grey)
        return PageInput(
            number=index + 1,
            width=frame.shape[1],
            height=frame.shape[0],
            dpi=dpi,
            text_layer_note="image input",
            _render=lambda f=frame: f,
            _thumbnail=lambda t=thumb: t,
        )

    def close(self) -> None:
        self.image.close()


def open_pages(
    path: Path, settings: RenderSettings, images: bool = False
) -> PdfSource | ImageSource:
    """The page source for `path`; `InputError` names what makes it unreadable. `images`:
    text-layer PDF pages list their image objects (`PageInput.images`)."""
    with path.open("rb") as fh:
        magic = fh.read(4)
    if path.suffix.lower() == ".pdf" or magic == b"%PDF":
        return PdfSource(path, settings, images)
    return ImageSource(path, settings)
