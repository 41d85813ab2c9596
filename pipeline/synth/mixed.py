"""Mixed pages (issue #18): born-digital reports whose tables are pictures.

Many real reports are exported from Word or WPS with the statistical tables pasted in as
images (a screenshot of a sheet, a scanned form), a stamp over the signature, or a scanned
page inside. This module rebuilds a generated text-layer PDF that way, page objects edited
with pdfium, so the truth of the source PDF still holds:

- `table`: each ruled table (its rules and the text inside them) becomes one image of the
  same place, rendered from the page itself; the prose around it stays text.
- `page`: a table page becomes one full-page image (a scanned or printed-and-pasted page),
  with the prose above its first table kept as text drawn over the picture (the picture
  shows it too: the reader must not read it twice).
- `scan`: a table page becomes a scanned image with no text at all (the OCR path).
- a red stamp (coloured ink, no OCR) over the signature of the last page.

Images are clean (lossless) or degraded like a scan (synth/degrade.py: skew, blur, noise,
JPEG). `python -m nianbao.synth.mixed OUT` writes the committed set (tests/data/mixed).
"""

from __future__ import annotations

import argparse
import ctypes
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageDraw

from .degrade import degrade
from .specs import SEED, Variant

Mode = Literal["table", "page", "scan"]
IMAGE_DPI = 200  # pictures are pasted at this resolution (a Word screenshot is 96-200)
RULE_GAP_PT = 14.0  # rules further apart than this (vertically) belong to different tables


@dataclass(frozen=True)
class MixedSpec:
    name: str  # output stem
    source: str  # stem of a generated text-layer PDF (sample_scans/pdf)
    mode: Mode
    degraded: Variant | None = None  # None: a clean picture
    stamp: bool = False
    pages: tuple[int, ...] | None = None  # the table pages to turn (None: all)


_SCAN = Variant("mixed", IMAGE_DPI, -0.6, blur=0.5, noise=5, jpeg_quality=55)
_FAINT = Variant("mixed", IMAGE_DPI, 0.9, blur=0.6, noise=7, jpeg_quality=45)

MIXED_SPECS = [
    MixedSpec("nanxi-county-2022-table-images", "nanxi-county-2022", "table"),
    MixedSpec("guojia-biaozhun-2019-table-images-scan", "guojia-biaozhun-2019", "table", _SCAN),
    MixedSpec("lanjiang-city-2024-page-images", "lanjiang-city-2024", "page"),
    MixedSpec("shuangfeng-town-2023-page-images-scan", "shuangfeng-town-2023", "page", _FAINT),
    MixedSpec(
        "qingshan-city-housing-2021-table-images-stamp",
        "qingshan-city-housing-2021",
        "table",
        stamp=True,
    ),
    MixedSpec(
        "linhai-province-2020-table-images-faint",
        "linhai-province-2020",
        "table",
        _FAINT,
        stamp=True,
    ),
    MixedSpec("shuitu-ministry-2025-table-images", "shuitu-ministry-2025", "table"),
    MixedSpec("baishui-street-2023-scanned-page", "baishui-street-2023", "scan", _SCAN, pages=(3,)),
    MixedSpec("nanxi-county-2022-stamp", "nanxi-county-2022", "table", stamp=True, pages=()),
]


def _bounds(obj: Any) -> tuple[float, float, float, float]:
    box = [ctypes.c_float() for _ in range(4)]
    pdfium_c.FPDFPageObj_GetBounds(obj, *(ctypes.byref(v) for v in box))
    left, bottom, right, top = (v.value for v in box)
    return left, bottom, right, top


def _objects(page: pdfium.PdfPage) -> list[Any]:
    return [
        pdfium_c.FPDFPage_GetObject(page, i) for i in range(pdfium_c.FPDFPage_CountObjects(page))
    ]


def table_boxes(page: pdfium.PdfPage) -> list[tuple[float, float, float, float]]:
    """Boxes (PDF points: left, bottom, right, top) of the ruled tables on a page: its path
    objects grouped where they follow each other closely down the page."""
    paths = [
        _bounds(o)
        for o in _objects(page)
        if pdfium_c.FPDFPageObj_GetType(o) == pdfium_c.FPDF_PAGEOBJ_PATH
    ]
    paths.sort(key=lambda b: -b[3])
    boxes: list[list[float]] = []
    for left, bottom, right, top in paths:
        if boxes and top >= boxes[-1][1] - RULE_GAP_PT:
            box = boxes[-1]
            box[0], box[1] = min(box[0], left), min(box[1], bottom)
            box[2], box[3] = max(box[2], right), max(box[3], top)
        else:
            boxes.append([left, bottom, right, top])
    return [(b[0], b[1], b[2], b[3]) for b in boxes if b[3] - b[1] > 20 and b[2] - b[0] > 100]


def _render(page: pdfium.PdfPage) -> Image.Image:
    return page.render(scale=IMAGE_DPI / 72, grayscale=True).to_pil().convert("L")


def _crop(img: Image.Image, box: tuple[float, float, float, float], h_pt: float) -> Image.Image:
    s = IMAGE_DPI / 72
    left, bottom, right, top = box
    return img.crop(
        (round(left * s), round((h_pt - top) * s), round(right * s), round((h_pt - bottom) * s))
    )


def _place(
    pdf: pdfium.PdfDocument,
    page: pdfium.PdfPage,
    img: Image.Image,
    box: tuple[float, float, float, float],
    jpeg: int | None,
    index: int | None = None,
) -> None:
    """An image object showing `img` over `box` (points); JPEG at `jpeg` quality, else lossless
    (pdfium Flate-compresses a bitmap); inserted at `index` in the drawing order (None: on top)."""
    obj = pdfium.PdfImage.new(pdf)
    if jpeg is not None:
        buf = io.BytesIO()
        img.convert("RGB" if img.mode not in ("L", "RGB") else img.mode).save(
            buf, "JPEG", quality=jpeg
        )
        buf.seek(0)
        obj.load_jpeg(buf, inline=True)
    else:
        obj.set_bitmap(pdfium.PdfBitmap.from_pil(img.convert("RGB")))
    left, bottom, right, top = box
    obj.set_matrix(pdfium.PdfMatrix(right - left, 0, 0, top - bottom, left, bottom))
    if index is None:
        page.insert_obj(obj)
    else:
        pdfium_c.FPDFPage_InsertObjectAtIndex(page, obj, index)
        obj._detach_finalizer()
        obj.page, obj.pdf = page, pdf


def _remove_inside(
    page: pdfium.PdfPage, box: tuple[float, float, float, float], keep: set[int]
) -> None:
    left, bottom, right, top = box
    for i, obj in reversed(list(enumerate(_objects(page)))):
        if i in keep:
            continue
        b = _bounds(obj)
        cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
        if left - 1 <= cx <= right + 1 and bottom - 1 <= cy <= top + 1:
            pdfium_c.FPDFPage_RemoveObject(page, obj)
            pdfium_c.FPDFPageObj_Destroy(obj)


def _picture(img: Image.Image, v: Variant | None, seed: int, page: int) -> Image.Image:
    return img if v is None else degrade(img, v, seed, page)


def stamp_image(diameter_px: int) -> Image.Image:
    """A red seal: a ring, a star and a band of red marks (no readable text), on white."""
    d = diameter_px
    img = Image.new("RGB", (d, d), "white")
    draw = ImageDraw.Draw(img)
    red = (205, 30, 36)
    w = max(3, d // 40)
    draw.ellipse((w, w, d - w, d - w), outline=red, width=w)
    cx = cy = d / 2
    r = d * 0.14
    pts = []
    for k in range(10):
        rad = r if k % 2 == 0 else r * 0.4
        a = np.pi / 2 + k * np.pi / 5
        pts.append((cx + rad * np.cos(a), cy - rad * np.sin(a)))
    draw.polygon(pts, fill=red)
    for k in range(14):  # the agency's name round the rim, as strokes
        a = np.pi * (0.85 + 1.3 * k / 13)
        x, y = cx + d * 0.36 * np.cos(a), cy - d * 0.36 * np.sin(a)
        draw.rectangle((x - d * 0.03, y - d * 0.03, x + d * 0.03, y + d * 0.03), fill=red)
    return img


def _stamp(pdf: pdfium.PdfDocument, page: pdfium.PdfPage) -> None:
    """A seal over the signature: the lowest lines of text on the page, right-aligned."""
    texts = [
        _bounds(o)
        for o in _objects(page)
        if pdfium_c.FPDFPageObj_GetType(o) == pdfium_c.FPDF_PAGEOBJ_TEXT
    ]
    if not texts:
        return
    w_pt, h_pt = page.get_size()
    low = min(texts, key=lambda b: b[1])
    size = 120.0  # points: a 42 mm seal
    cx = min(w_pt - size / 2 - 10, (low[0] + low[2]) / 2)
    cy = min(h_pt - size / 2 - 10, low[3] + 10)
    box = (cx - size / 2, cy - size / 2, cx + size / 2, cy + size / 2)
    _place(pdf, page, stamp_image(round(size * IMAGE_DPI / 72)), box, 80, index=0)


def build_mixed(spec: MixedSpec, source: Path, out: Path) -> dict[str, Any]:
    """Write `out` from the text-layer PDF `source`; returns what was turned into pictures."""
    pdf = pdfium.PdfDocument(str(source))
    seed = SEED + sum(map(ord, spec.name))
    done: dict[str, Any] = {"mode": spec.mode, "pages": [], "images": 0, "stamp": spec.stamp}
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            number = index + 1
            boxes = table_boxes(page)
            wanted = spec.pages is None or number in spec.pages
            if boxes and wanted:
                w_pt, h_pt = page.get_size()
                full = _render(page)
                jpeg = spec.degraded.jpeg_quality if spec.degraded else None
                if spec.mode == "table":
                    for box in boxes:
                        pad = (box[0] - 2, box[1] - 2, box[2] + 2, box[3] + 2)
                        pic = _picture(_crop(full, pad, h_pt), spec.degraded, seed, number)
                        _remove_inside(page, pad, set())
                        _place(pdf, page, pic.resize(_crop(full, pad, h_pt).size), pad, jpeg)
                        done["images"] += 1
                else:
                    keep: set[int] = set()
                    if spec.mode == "page":  # the prose above the first table stays text
                        top = boxes[0][3]
                        keep = {
                            i
                            for i, o in enumerate(_objects(page))
                            if pdfium_c.FPDFPageObj_GetType(o) == pdfium_c.FPDF_PAGEOBJ_TEXT
                            and _bounds(o)[1] > top
                        }
                    page_box = (0.0, 0.0, w_pt, h_pt)
                    pic = _picture(full, spec.degraded, seed, number).resize(full.size)
                    _remove_inside(page, page_box, keep)
                    _place(pdf, page, pic, page_box, jpeg, index=0)
                    done["images"] += 1
                page.gen_content()
                done["pages"].append(number)
            if spec.stamp and number == len(pdf):
                _stamp(pdf, page)
                page.gen_content()
            page.close()
        pdf.save(str(out))
    finally:
        pdf.close()
    return done


def write_set(out: Path, sources: Path) -> list[dict[str, Any]]:
    """The committed set: each spec's PDF, its truth (the source's, with what was changed) and
    a manifest."""
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for spec in MIXED_SPECS:
        src = sources / f"{spec.source}.pdf"
        pdf = out / f"{spec.name}.pdf"
        done = build_mixed(spec, src, pdf)
        truth = json.loads((sources / f"{spec.source}.truth.json").read_text(encoding="utf-8"))
        truth["variant"] = {"source": f"pdf/{spec.source}.pdf", "mixed": done}
        (out / f"{spec.name}.truth.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        manifest.append({"file": pdf.name, "truth": f"{spec.name}.truth.json", **done})
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("out", type=Path, help="folder to write (tests/data/mixed)")
    ap.add_argument("--sources", type=Path, default=Path("sample_scans/pdf"))
    args = ap.parse_args(argv)
    if args.out.exists():
        shutil.rmtree(args.out)
    for row in write_set(args.out, args.sources):
        print(row["file"], row["mode"], "pages", row["pages"], "images", row["images"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
