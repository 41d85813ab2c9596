"""Cell crops for re-reading and the lean of a cell's mark (pipeline/engines/imaging.py)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from nianbao.datamodel.base import BBox
from nianbao.engines.imaging import cell_crop, mark_lean

CELL = BBox(0.0, 0.0, 300.0, 100.0)  # a wide table cell, rules on its border
FAINT = 135  # faded print on a noisy 150-dpi scan: grey 120-140 on a 250 background


def _cell(ink: int = FAINT) -> np.ndarray:
    image = np.full((100, 300, 3), 250, dtype=np.uint8)
    cv2.rectangle(image, (0, 0), (299, 99), (0, 0, 0), 2)  # the rules
    return image


def _crop(image: np.ndarray) -> np.ndarray | None:
    return cell_crop(
        image,
        CELL,
        inset=5,
        ink_contrast=60,
        min_ink_share=0.001,
        speck_share=0.03,
        pad_share=0.25,
        min_height=48,
    )


def test_the_crop_is_cut_to_the_faint_small_digit_not_the_cell() -> None:
    """A recogniser scales its input to a fixed height: a small digit in a tall crop came out a
    dot ("。" for 0). The crop holds the digit with a margin, at recogniser height."""
    image = _cell()
    cv2.ellipse(image, (150, 50), (7, 12), 0, 0, 360, (FAINT,) * 3, 2)  # a small faint 0
    crop = _crop(image)
    assert crop is not None
    h, w = crop.shape[:2]
    assert h >= 48, "at least the recogniser height"
    assert w < 2 * h, "cut to the digit's box, not the 3:1 cell"
    gray = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
    assert gray.min() <= FAINT + 10, "the faint ink is in the crop"
    assert (gray[:, :3] > 200).all() and (gray[:, -3:] > 200).all(), "no rule in the crop"


def test_specks_do_not_widen_the_crop_and_a_blank_cell_gives_none() -> None:
    image = _cell()
    assert _crop(image) is None  # rules only
    cv2.line(image, (150, 35), (150, 65), (FAINT,) * 3, 3)  # a 1
    alone = _crop(image)
    image[80, 20] = FAINT - 60  # one dark noise pixel far away
    with_speck = _crop(image)
    assert alone is not None and with_speck is not None
    assert with_speck.shape == alone.shape


def _lean(draw: tuple[tuple[int, int], tuple[int, int]] | None) -> float | None:
    image = _cell(ink=0)
    if draw is None:
        cv2.circle(image, (150, 50), 14, (0, 0, 0), 3)  # a 0: no stroke direction
    else:
        cv2.line(image, draw[0], draw[1], (0, 0, 0), 4)
    return mark_lean(image, CELL, inset=5, ink_contrast=60, min_elongation=0.8)


def test_a_slash_leans_and_a_one_stands() -> None:
    slash = _lean(((140, 75), (160, 25)))  # "/" of a not-applicable cell: about 22 degrees
    one = _lean(((150, 75), (151, 25)))
    assert slash is not None and slash == pytest.approx(21.8, abs=3)
    assert one is not None and one < 3
    assert _lean(None) is None
