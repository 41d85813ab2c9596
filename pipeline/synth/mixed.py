"""Mixed pages (issue #18): born-digital reports whose tables are pictures.

Many real reports are exported from Word or WPS with the statistical tables pasted in as
images (a screenshot of a sheet, a scanned form), a stamp over the signature, or a scanned
page inside. This module typesets a generated report twice (synth/typeset.py): once as usual,
rasterised, and once with each table part drawn as the picture of itself (`Composer.picture`),
so the truth of the report still holds and the prose stays real text:

- `table`: each table part (one per page it spans) is a picture of the same place.
- `page`: a table page is one full-page picture (a page printed and pasted back); the prose
  of that page stays in the text layer under and over it (the picture shows it too: the
  reader must not read it twice).
- `scan`: a table page becomes a scanned page without any text (its objects replaced by the
  picture with pdfium: the OCR path).
- a red seal (coloured ink, white see-through) over the signature (`Composer.stamp`).

Pictures are clean (lossless) or degraded like a scan (synth/degrade.py: skew, blur, noise,
JPEG). `python -m nianbao.synth.mixed tests/data/mixed` writes the committed set (three
small documents); `--all` writes every spec (benchmarks/mixed_pages.py does, into a temporary
folder: deterministic, about a minute).
"""

from __future__ import annotations

import argparse
import ctypes
import io
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageDraw
from reportlab.lib.utils import ImageReader

from ..template import load_template
from .degrade import degrade, rasterise
from .report import build_report
from .specs import SEED, SPECS, Variant
from .truth import synthetic_truth, write_json
from .typeset import render_pdf

Mode = Literal["table", "page", "scan"]
IMAGE_DPI = 200  # pictures are pasted at this resolution (a Word screenshot is 96-200)
CLEAN_JPEG = 92  # quality of a clean picture
RULE_GAP_PT = 14.0  # rules further apart than this (vertically) belong to different tables


@dataclass(frozen=True)
class MixedSpec:
    name: str  # output stem
    source: str  # the generated report (synth/specs.py SPECS name)
    mode: Mode
    degraded: Variant | None = None  # None: a clean picture
    stamp: bool = False
    pages: tuple[int, ...] | None = None  # the table pages to turn (None: all)


_SCAN = Variant("mixed", 150, -0.6, blur=0.4, noise=4, jpeg_quality=50)
_FAINT = Variant("mixed", 150, 0.9, blur=0.5, noise=5, jpeg_quality=40)

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


def _picture(img: Image.Image, v: Variant | None, seed: int, page: int) -> Image.Image:
    """The picture as pasted: clean, or scanned at the variant's dpi and degraded."""
    if v is None:
        return img
    if v.dpi != IMAGE_DPI:
        size = (round(img.width * v.dpi / IMAGE_DPI), round(img.height * v.dpi / IMAGE_DPI))
        img = img.resize(size, Image.Resampling.LANCZOS)
    return degrade(img, v, seed, page)


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


def _jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf)


def _scan_page(pdf_path: Path, number: int, picture: Image.Image, quality: int | None) -> None:
    """Replace every object of page `number` by one full-page picture (no text left)."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        page = pdf[number - 1]
        w_pt, h_pt = page.get_size()
        for obj in reversed(_objects(page)):
            pdfium_c.FPDFPage_RemoveObject(page, obj)
            pdfium_c.FPDFPageObj_Destroy(obj)
        image = pdfium.PdfImage.new(pdf)
        if quality is not None:
            buf = io.BytesIO()
            picture.convert("L").save(buf, "JPEG", quality=quality)
            buf.seek(0)
            image.load_jpeg(buf, inline=True)
        else:
            image.set_bitmap(pdfium.PdfBitmap.from_pil(picture.convert("RGB")))
        image.set_matrix(pdfium.PdfMatrix(w_pt, 0, 0, h_pt, 0, 0))
        page.insert_obj(image)
        page.gen_content()
        page.close()
        tmp = pdf_path.with_suffix(".tmp.pdf")
        pdf.save(str(tmp))
    finally:
        pdf.close()
    tmp.replace(pdf_path)


def build_mixed(spec: MixedSpec, out: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Write `out`; returns (what was turned into pictures, the truth)."""
    t = load_template()
    source = next(s for s in SPECS if s.name == spec.source)
    rep = build_report(source, t)
    seed = SEED + sum(map(ord, spec.name))
    done: dict[str, Any] = {"mode": spec.mode, "pages": [], "images": 0, "stamp": spec.stamp}
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "plain.pdf"
        render_pdf(rep, plain)
        pages = rasterise(plain, IMAGE_DPI)
    scale = IMAGE_DPI / 72
    # a clean picture is a good JPEG (a Word screenshot is usually one; lossless would make
    # the committed set ten times larger), a degraded one a poor JPEG
    quality = spec.degraded.jpeg_quality if spec.degraded else CLEAN_JPEG

    def picture(number: int, box: tuple[float, float, float, float]) -> Any:
        if spec.mode == "scan" or (spec.pages is not None and number not in spec.pages):
            return None
        full = pages[number - 1]
        h_pt = full.height / scale
        if spec.mode == "page":
            if number in done["pages"]:
                return None  # the page is already one picture
            crop, box = full, (0.0, 0.0, full.width / scale, h_pt)
        else:
            left, bottom, right, top = box
            crop = full.crop(
                (
                    round(left * scale),
                    round((h_pt - top) * scale),
                    round(right * scale),
                    round((h_pt - bottom) * scale),
                )
            )
        pic = _picture(crop, spec.degraded, seed, number)
        pic = _jpeg(pic.convert("L"), quality or CLEAN_JPEG)
        done["pages"].append(number)
        done["images"] += 1
        reader = ImageReader(pic)
        return (reader, box) if spec.mode == "page" else reader

    stamp = ImageReader(stamp_image(round(120 * scale))) if spec.stamp else None
    comp = render_pdf(rep, out, picture=picture, stamp=stamp)
    if spec.mode == "scan":
        for number in spec.pages or ():
            _scan_page(
                out, number, _picture(pages[number - 1], spec.degraded, seed, number), quality
            )
            done["pages"].append(number)
            done["images"] += 1
    done["pages"] = sorted(set(done["pages"]))
    return done, synthetic_truth(t, rep, comp)


COMMITTED = (  # tests/data/mixed: small; the benchmark makes the whole set (a minute)
    "nanxi-county-2022-table-images",
    "nanxi-county-2022-stamp",
    "baishui-street-2023-scanned-page",
)


def write_set(out: Path, names: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """Each spec's PDF (those in `names`; None: all), its truth (with what was changed) and a
    manifest."""
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for spec in MIXED_SPECS:
        if names is not None and spec.name not in names:
            continue
        pdf = out / f"{spec.name}.pdf"
        done, truth = build_mixed(spec, pdf)
        truth["variant"] = {"source": f"pdf/{spec.source}.pdf", "mixed": done}
        write_json(out / f"{spec.name}.truth.json", truth)
        manifest.append({"file": pdf.name, "truth": f"{spec.name}.truth.json", **done})
    write_json(out / "manifest.json", manifest)
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("out", type=Path, help="folder to write (tests/data/mixed)")
    ap.add_argument("--all", action="store_true", help="every spec, not only the committed ones")
    args = ap.parse_args(argv)
    if args.out.exists():
        shutil.rmtree(args.out)
    for row in write_set(args.out, None if args.all else COMMITTED):
        print(row["file"], row["mode"], "pages", row["pages"], "images", row["images"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
