"""Page-image preparation: plain functions on numpy arrays (RGB uint8, H x W x 3).

- `text_axis`: are the text lines horizontal (page upright or upside down) or vertical (page
  turned 90/270)? Decided by morphology on the page without its ruled lines: dilating along
  the true line direction joins the characters of a line into long thin blobs; along the other
  direction it does not, because the gap between lines is wider than between characters.
- `estimate_skew`: small-angle skew by projection profiles: the row-sum profile of a text page is
  sharpest (highest variance) when its lines are level. Coarse then fine search.
- `rotate`: rotation by any angle with a white border; multiples of 90 are exact.
- `work_scale`/`shrink`: a large page brought down to the working size before it is read.
- `denoise`: a 3x3 median filter (salt-and-pepper scan noise; keeps strokes).

Upside-down detection needs reading, so it is done by the page stage with the OCR engine.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from ..datamodel.base import BBox

WORK_WIDTH = 1000  # pixels: analysis runs on a copy this wide (speed; skew angle is scale-free)


def _binary(image: np.ndarray, width: int = WORK_WIDTH) -> np.ndarray:
    """Text pixels = 255 on a small grey copy (Otsu)."""
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    scale = min(1.0, width / gray.shape[1])
    if scale < 1.0:
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return binary


def _elongation(binary: np.ndarray, horizontal: bool, char_px: int) -> float:
    """Summed length of blobs elongated along the dilation direction after dilating along it."""
    kernel = np.ones((1, char_px), np.uint8) if horizontal else np.ones((char_px, 1), np.uint8)
    joined = cv2.dilate(binary, kernel)
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    total = 0.0
    for i in range(1, n):
        w, h = stats[i, cv2.CC_STAT_WIDTH], stats[i, cv2.CC_STAT_HEIGHT]
        along, across = (w, h) if horizontal else (h, w)
        if across > 0 and along >= 4 * across:
            total += along
    return total


def remove_rules(binary: np.ndarray) -> np.ndarray:
    """Drop long straight lines (table rules, borders): they are not text, and a ruled table's
    vertical rules would otherwise look like vertical text lines."""
    long_px = max(15, binary.shape[1] // 25)
    horizontal = cv2.morphologyEx(binary, cv2.MORPH_OPEN, np.ones((1, long_px), np.uint8))
    vertical = cv2.morphologyEx(binary, cv2.MORPH_OPEN, np.ones((long_px, 1), np.uint8))
    rules = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((3, 3), np.uint8))
    return cv2.bitwise_and(binary, cv2.bitwise_not(rules))


def text_axis(image: np.ndarray) -> str:
    """'horizontal' or 'vertical' text lines."""
    binary = remove_rules(_binary(image))
    char_px = max(3, binary.shape[1] // 120)  # about half a body character at A4
    h = _elongation(binary, True, char_px)
    v = _elongation(binary, False, char_px)
    return "horizontal" if h >= v else "vertical"


def _profile_sharpness(binary: np.ndarray, angle: float) -> float:
    h, w = binary.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rotated = cv2.warpAffine(binary, matrix, (w, h), flags=cv2.INTER_NEAREST, borderValue=(0.0,))
    rows = rotated.sum(axis=1, dtype=np.float64)
    return float(np.var(np.diff(rows)))


def estimate_skew(
    image: np.ndarray, max_degrees: float, step: float, coarse_width: int = WORK_WIDTH
) -> float:
    """Angle (degrees, counter-clockwise positive as cv2) that levels the text lines.

    The coarse search (every 0.25 degrees or 5 steps) rotates a copy `coarse_width` pixels
    wide, the fine one (every `step` around the coarse best) the WORK_WIDTH copy: the coarse
    angles are 5 times further apart than the fine ones, so a copy half as wide tells them
    apart as well, at a quarter of the pixels per rotation."""
    binary = _binary(image)
    small = binary
    if coarse_width < binary.shape[1]:
        f = coarse_width / binary.shape[1]
        small = cv2.resize(binary, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    coarse = np.arange(-max_degrees, max_degrees + 1e-9, max(step * 5, 0.25))
    best = max(coarse, key=lambda a: _profile_sharpness(small, float(a)))
    fine = np.arange(best - max(step * 5, 0.25), best + max(step * 5, 0.25) + 1e-9, step)
    return float(max(fine, key=lambda a: _profile_sharpness(binary, float(a))))


def rotate(image: np.ndarray, degrees: float) -> np.ndarray:
    """Rotate counter-clockwise by `degrees`; multiples of 90 exactly, others with white fill."""
    quarter = round(degrees / 90) % 4
    if abs(degrees - round(degrees / 90) * 90) < 1e-6:
        codes = {1: cv2.ROTATE_90_COUNTERCLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_CLOCKWISE}
        return image if quarter == 0 else cv2.rotate(image, codes[quarter])
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    white = (255.0, 255.0, 255.0)
    rotated: np.ndarray = cv2.warpAffine(
        image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=white
    )
    return rotated


def work_scale(height: int, width: int, max_pixels: int) -> float:
    """The factor that brings a height x width page down to `max_pixels` (1.0: small enough)."""
    pixels = height * width
    return 1.0 if pixels <= max_pixels else math.sqrt(max_pixels / pixels)


def shrink(image: np.ndarray, scale: float) -> np.ndarray:
    """The image scaled by `scale` < 1 (area averaging: thin strokes fade rather than vanish)."""
    h, w = image.shape[:2]
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    out: np.ndarray = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    return out


def denoise(image: np.ndarray) -> np.ndarray:
    return cv2.medianBlur(image, 3)


def _cell_ink(
    image: np.ndarray, bbox: BBox, inset: int, ink_contrast: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """A cell's grey pixels inside its rules (`inset` pixels in) and its ink mask: darker than
    the cell's background (its median) by `ink_contrast` grey levels. None for a sliver."""
    h, w = image.shape[:2]
    x0, y0 = max(0, round(bbox.x0) + inset), max(0, round(bbox.y0) + inset)
    x1, y1 = min(w, round(bbox.x1) - inset), min(h, round(bbox.y1) - inset)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    crop = image[y0:y1, x0:x1]
    gray = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY) if crop.ndim == 3 else crop
    return gray, (gray < float(np.median(gray)) - ink_contrast).astype(np.uint8)


def cell_crop(
    image: np.ndarray,
    bbox: BBox,
    *,
    inset: int,
    ink_contrast: int,
    min_ink_share: float,
    speck_share: float,
    pad_share: float,
    min_height: int,
) -> np.ndarray | None:
    """A table cell's content for re-reading: the ink inside its rules (`inset` pixels in),
    cut to the box of its marks with `pad_share` of their height around (in the image, then
    again in white), enlarged to at least `min_height` pixels high. Ink is darker than the
    cell's background (its median) by `ink_contrast` grey levels, so faded print counts;
    marks smaller than `speck_share` of the largest are noise and do not widen the box.
    None when under `min_ink_share` of the pixels are ink (a blank cell: nothing to read).

    Why cut to the marks: a text recogniser scales its input to a fixed height, so a small
    digit in a tall cell comes out tiny; faint 0s read as "。" and 11 as "i1" that way."""
    found = _cell_ink(image, bbox, inset, ink_contrast)
    if found is None:
        return None
    gray, ink = found
    if ink.mean() < min_ink_share:
        return None
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    areas = stats[1:, cv2.CC_STAT_AREA]
    marks = stats[1:][areas >= speck_share * areas.max()]
    bx0, by0 = int(marks[:, 0].min()), int(marks[:, 1].min())
    bx1 = int((marks[:, 0] + marks[:, 2]).max())
    by1 = int((marks[:, 1] + marks[:, 3]).max())
    pad = max(2, round(pad_share * (by1 - by0)))
    sub = gray[max(0, by0 - pad) : by1 + pad, max(0, bx0 - pad) : bx1 + pad]
    sub = cv2.copyMakeBorder(sub, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(255,))
    if sub.shape[0] < min_height:
        f = min_height / sub.shape[0]
        sub = cv2.resize(sub, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC)
    return cv2.cvtColor(sub, cv2.COLOR_GRAY2RGB)


def mark_lean(
    image: np.ndarray,
    bbox: BBox,
    *,
    inset: int,
    ink_contrast: int,
    min_elongation: float,
) -> float | None:
    """Degrees from vertical of the largest mark in a cell (ink as in `cell_crop`), from its
    second moments; None when the cell has no mark or the mark is not a stroke (elongation
    under `min_elongation`, 0..1). A printed 1 stands within a few degrees of upright on a
    deskewed page; the "/" of a not-applicable cell leans 25-30 degrees, and OCR reads it as 1."""
    found = _cell_ink(image, bbox, inset, ink_contrast)
    if found is None:
        return None
    _, ink = found
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 1:
        return None
    largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    m = cv2.moments((labels == largest).astype(np.uint8), binaryImage=True)
    spread = m["mu20"] + m["mu02"]
    if spread <= 0:
        return None
    elongation = math.hypot(m["mu20"] - m["mu02"], 2 * m["mu11"]) / spread
    if elongation < min_elongation:
        return None
    angle = 0.5 * math.degrees(math.atan2(2 * m["mu11"], m["mu20"] - m["mu02"]))
    return 90.0 - abs(angle)
