"""Page sources: PDFs (pypdfium2) and images (PIL), streamed one page at a time.

A page yields either text-layer fragments (a born-digital PDF page whose text layer is real
text) or an image to OCR. Coordinates of both are pixels of the page image at the source dpi,
origin top-left, so evidence boxes mean the same thing whichever path read the page.

A text layer is "real" when it has enough characters, enough of them CJK, and few that are
private-use or symbol garbage (broken glyph maps such as runs of `¿”¡fl`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.datamodel.document import Fragment
from pipeline.errors import InputError

if TYPE_CHECKING:
    import numpy as np

    from pipeline.settings import RenderSettings

BBox = tuple[float, float, float, float]


@dataclass
class PageInput:
    number: int  # 1-based
    width: int  # pixels at `dpi`
    height: int
    dpi: int
    fragments: list[Fragment] | None = None  # set when the text layer is used
    text_layer_note: str = ""  # why the text layer was or was not used
    _render: object = field(default=None, repr=False)

    def image(self) -> np.ndarray:
        """The page as RGB uint8 (rendered on demand; not kept)."""
        assert callable(self._render)
        result: np.ndarray = self._render()
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


class PdfSource:
    """Pages of a PDF; each page is opened, read and closed in turn."""

    def __init__(self, path: Path, settings: RenderSettings) -> None:
        import pypdfium2 as pdfium

        self.settings = settings
        try:
            self.pdf = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            raise InputError("corrupt_pdf", f"{path}: cannot open as PDF: {exc}") from exc

    def __len__(self) -> int:
        return len(self.pdf)

    def pages(self) -> Iterator[PageInput]:
        dpi = self.settings.dpi
        scale = dpi / 72
        for index in range(len(self.pdf)):
            page = self.pdf[index]
            w_pt, h_pt = page.get_size()
            info = PageInput(
                number=index + 1,
                width=round(w_pt * scale),
                height=round(h_pt * scale),
                dpi=dpi,
                _render=lambda i=index: self._render(i),
            )
            textpage = page.get_textpage()
            ok, note = text_layer_quality(textpage.get_text_range(), self.settings)
            info.text_layer_note = note
            if ok and self.settings.use_text_layer:
                info.fragments = _text_fragments(textpage, h_pt, scale, self.settings)
            textpage.close()
            page.close()
            yield info

    def _render(self, index: int) -> np.ndarray:
        page = self.pdf[index]
        try:
            # rev_byteorder: RGB rather than pdfium's native BGR
            bitmap = page.render(scale=self.settings.dpi / 72, rev_byteorder=True)
            image: np.ndarray = bitmap.to_numpy()[:, :, :3].copy()
            return image
        finally:
            page.close()

    def close(self) -> None:
        self.pdf.close()


def _text_fragments(
    textpage: object, h_pt: float, scale: float, settings: RenderSettings
) -> list[Fragment]:
    """Characters of the text layer merged into runs: same line, gaps under `char_gap_ratio`."""
    tp = textpage
    n = tp.count_chars()  # type: ignore[attr-defined]
    frags: list[Fragment] = []
    cur: list[tuple[str, BBox]] = []

    def flush() -> None:
        if cur:
            text = "".join(c for c, _ in cur)
            if text.strip():
                boxes = [b for _, b in cur]
                bbox = (
                    min(b[0] for b in boxes),
                    min(b[1] for b in boxes),
                    max(b[2] for b in boxes),
                    max(b[3] for b in boxes),
                )
                frags.append(Fragment(text=text.strip(), bbox=bbox))
            cur.clear()

    for i in range(n):
        ch = tp.get_text_range(i, 1)  # type: ignore[attr-defined]
        if ch in ("\r", "\n", "\ufffe"):
            flush()
            continue
        left, bottom, right, top = tp.get_charbox(i)  # type: ignore[attr-defined]
        box = (left * scale, (h_pt - top) * scale, right * scale, (h_pt - bottom) * scale)
        if ch.isspace():
            continue
        if cur:
            prev = cur[-1][1]
            height = max(prev[3] - prev[1], box[3] - box[1], 1.0)
            # overlap measured against the smaller box: a full stop sits low but inside its line
            small = max(min(prev[3] - prev[1], box[3] - box[1]), 1.0)
            same_line = min(prev[3], box[3]) - max(prev[1], box[1]) > 0.3 * small
            gap = box[0] - prev[2]
            if not same_line or gap > settings.char_gap_ratio * height or gap < -height:
                flush()
        cur.append((ch, box))
    flush()
    return frags


class ImageSource:
    """Pages of an image file (PNG, JPEG, multi-page TIFF)."""

    def __init__(self, path: Path, settings: RenderSettings) -> None:
        from PIL import Image, UnidentifiedImageError

        self.settings = settings
        try:
            self.image = Image.open(path)
            self.image.load()
        except (UnidentifiedImageError, OSError) as exc:
            raise InputError("corrupt_image", f"{path}: cannot read as an image: {exc}") from exc
        self.frames = getattr(self.image, "n_frames", 1)

    def __len__(self) -> int:
        return int(self.frames)

    def pages(self) -> Iterator[PageInput]:
        import numpy as np

        for index in range(self.frames):
            self.image.seek(index)
            dpi_info = self.image.info.get("dpi")
            dpi = round(float(dpi_info[0])) if dpi_info else self.settings.dpi
            frame = np.asarray(self.image.convert("RGB"))
            yield PageInput(
                number=index + 1,
                width=frame.shape[1],
                height=frame.shape[0],
                dpi=dpi,
                text_layer_note="image input",
                _render=lambda f=frame: f,
            )

    def close(self) -> None:
        self.image.close()


def open_pages(path: Path, settings: RenderSettings) -> PdfSource | ImageSource:
    with path.open("rb") as fh:
        magic = fh.read(4)
    if path.suffix.lower() == ".pdf" or magic == b"%PDF":
        return PdfSource(path, settings)
    return ImageSource(path, settings)
