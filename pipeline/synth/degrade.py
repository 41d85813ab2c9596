"""Scanning: clean PDF pages rasterised, degraded as a scanner or phone would, and saved."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter, ImageOps

from .specs import ScanOutput, Variant

# Fixed metadata date for scan PDFs, so that the bytes do not depend on when they were made.
PDF_DATE = time.strptime("2025-01-01", "%Y-%m-%d")


# ---- scanning ------------------------------------------------------------------------------
def rasterise(pdf: Path, dpi: int, pages: Iterable[int] | None = None) -> list[Image.Image]:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        wanted = list(pages) if pages else list(range(1, len(doc) + 1))
        return [
            doc[p - 1].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for p in wanted
        ]
    finally:
        doc.close()


def degrade(img: Image.Image, v: Variant, seed: int, page: int) -> Image.Image:
    """One page through a scanner (or a phone): skew, blur, lighting, noise, specks, tint,
    binarisation, then the page's orientation. Deterministic for (seed, page)."""
    rs = np.random.RandomState((seed + page * 7919) % 2**32)
    out = img
    if v.rotation_deg:
        out = out.rotate(v.rotation_deg, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if v.blur:
        out = out.filter(ImageFilter.GaussianBlur(v.blur))
    arr: np.ndarray = np.asarray(out).astype(np.float32)
    if v.lighting:
        hgt, wid = arr.shape
        yy, xx = np.mgrid[0:hgt, 0:wid].astype(np.float32)
        cx, cy = wid * rs.uniform(0.3, 0.7), hgt * rs.uniform(0.2, 0.5)
        d = np.sqrt(((xx - cx) / wid) ** 2 + ((yy - cy) / hgt) ** 2)
        arr = arr * (1 - v.lighting * np.clip(d, 0, 1))
    if v.noise:
        arr = arr + rs.normal(0, v.noise, arr.shape)
    if v.speckle:
        mask = rs.random_sample(arr.shape) < v.speckle
        arr[mask] = rs.uniform(0, 90, int(mask.sum()))
    arr = np.clip(arr, 0, 255).astype(np.uint8)
    out = Image.fromarray(arr, "L")
    if v.bilevel:
        out = out.point(lambda x: 255 if x > 150 else 0).convert("1")
    elif v.tint:
        out = ImageOps.colorize(out, black=(40, 34, 30), white=(246, 238, 214))
    turn = dict(v.orientation).get(page, 0)
    if turn:  # content turned clockwise by `turn` = image rotated by -turn (PIL: anticlockwise)
        out = out.rotate(-turn, expand=True)
    return out


def save_scan(images: list[Image.Image], path: Path, v: Variant) -> None:
    if v.output == "pdf":
        kw: dict[str, Any] = {
            "resolution": v.dpi,
            "creationDate": PDF_DATE,
            "modDate": PDF_DATE,
            "producer": "nianbao sample_scans",
            "title": path.stem,
        }
        if v.jpeg_quality is not None and not v.bilevel:
            kw["quality"] = v.jpeg_quality
        images[0].save(path, "PDF", save_all=True, append_images=images[1:], **kw)
    elif v.output == "tiff":
        comp = "group4" if v.bilevel else "tiff_lzw"
        images[0].save(
            path,
            "TIFF",
            save_all=True,
            append_images=images[1:],
            compression=comp,
            dpi=(v.dpi, v.dpi),
        )
    elif v.output == "png":
        images[0].save(path, "PNG", optimize=True, dpi=(v.dpi, v.dpi))
    else:
        images[0].save(path, "JPEG", quality=v.jpeg_quality or 75, dpi=(v.dpi, v.dpi))


EXT: dict[ScanOutput, str] = {"pdf": ".pdf", "tiff": ".tiff", "png": ".png", "jpg": ".jpg"}


def variant_record(v: Variant, source: str, n_pages: int) -> dict[str, Any]:
    orient = dict(v.orientation)
    pages = list(v.pages) if v.pages else list(range(1, n_pages + 1))
    return {
        "source": source,
        "dpi": v.dpi,
        "rotation_deg": float(v.rotation_deg),
        "blur_radius_px": float(v.blur),
        "noise": float(v.noise),
        "speckle": float(v.speckle),
        "jpeg_quality": v.jpeg_quality,
        "orientation": [orient.get(p, 0) for p in pages],
        "bilevel": v.bilevel,
        "tint": v.tint,
        "lighting": float(v.lighting),
        "format": v.output,
        "source_pages": pages,
    }
