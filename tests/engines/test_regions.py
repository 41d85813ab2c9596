"""Images on text-layer pages (issue #18): which images may hold text, and page coordinates."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from nianbao.datamodel.base import BBox
from nianbao.engines import imaging
from nianbao.engines.regions import RegionMap, covered, text_likeness
from nianbao.settings import ImageSettings
from nianbao.synth.mixed import stamp_image

S = ImageSettings()


def table_picture(shade: bool = False) -> np.ndarray:
    """A small ruled table with glyph-like marks in its cells, as a 40 dpi probe sees it."""
    img = np.full((120, 300, 3), 255, np.uint8)
    if shade:
        img[:30] = 228  # a shaded header row
    for y in range(0, 121, 30):
        cv2.line(img, (0, min(y, 119)), (299, min(y, 119)), (0, 0, 0), 1)
    for x in range(0, 301, 60):
        cv2.line(img, (min(x, 299), 0), (min(x, 299), 119), (0, 0, 0), 1)
    rs = np.random.RandomState(1)
    for r in range(4):
        for c in range(5):
            x, y = c * 60 + 15, r * 30 + 10
            for k in range(3):
                h = rs.randint(4, 10)
                cv2.rectangle(img, (x + 8 * k, y), (x + 8 * k + 2, y + h), (20, 20, 20), -1)
    return img


def photo() -> np.ndarray:
    noise = np.random.RandomState(0).rand(120, 300).astype(np.float32) * 255
    smooth = cv2.GaussianBlur(noise, (0, 0), 6)
    smooth = (smooth - smooth.min()) / (smooth.max() - smooth.min()) * 255
    return np.repeat(smooth.astype(np.uint8)[:, :, None], 3, axis=2)


@pytest.mark.parametrize("shade", [False, True])
def test_a_table_picture_is_text_like_shaded_header_or_not(shade: bool) -> None:
    ok, why = text_likeness(table_picture(shade), S)
    assert ok, why


def test_a_photo_a_stamp_and_a_blank_image_are_not_read() -> None:
    assert not text_likeness(photo(), S)[0]
    stamp = np.asarray(stamp_image(80))
    ok, why = text_likeness(stamp, S)
    assert not ok and "coloured" in why
    assert not text_likeness(np.full((50, 50, 3), 250, np.uint8), S)[0]


def test_ocr_boxes_of_a_deskewed_region_map_back_to_the_page() -> None:
    region = BBox(100, 400, 700, 700)  # page pixels
    h, w = 300, 600
    skew = 1.5
    for x, y in [(50.0, 40.0), (550.0, 260.0), (300.0, 150.0)]:
        # where imaging.rotate (cv2 about the centre) puts the point when it deskews
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), skew, 1.0)
        px, py = matrix @ np.array([x, y, 1.0])
        back = RegionMap(region, (h, w), 0, skew, 1.0).point(px, py)
        assert back == pytest.approx((region.x0 + x, region.y0 + y), abs=0.01)


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_turned_region_maps_back(turn: int) -> None:
    img = np.full((40, 60), 255, np.uint8)
    img[10, 45] = 0  # one dark pixel at x=45, y=10
    turned = imaging.rotate(img, turn)
    ys, xs = np.nonzero(turned == 0)
    region = BBox(10, 20, 70, 60)
    x, y = RegionMap(region, (40, 60), turn, 0.0, 1.0).point(xs[0] + 0.5, ys[0] + 0.5)
    assert (x, y) == pytest.approx((10 + 45.5, 20 + 10.5), abs=1.01)


def test_text_layer_runs_cover_an_ocr_line_of_the_same_text() -> None:
    line = BBox(0, 0, 100, 20)
    assert covered(line, [BBox(0, 0, 60, 20), BBox(60, 0, 100, 20)]) == pytest.approx(1.0)
    assert covered(line, [BBox(200, 0, 300, 20)]) == 0.0
