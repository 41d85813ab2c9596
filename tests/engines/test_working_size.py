"""Pages larger than the working size are read shrunk and their boxes come back in page pixels
(issue #17: memory per worker must not grow with the page); the OCR runtime is chosen as said."""

from __future__ import annotations

import importlib.util
from typing import Any, ClassVar

import numpy as np
import pytest
from nianbao.datamodel.base import BBox
from nianbao.datamodel.document import CellPart, Fragment, GridCell, TableGrid
from nianbao.engines.imaging import shrink, work_scale
from nianbao.engines.ocr.base import OcrLine
from nianbao.engines.ocr.rapid import resolve_runtime
from nianbao.engines.prepare import PagePreparer, to_page_space
from nianbao.errors import OcrUnavailableError
from nianbao.settings import PrepareSettings


class _BoxAtTheMiddle:
    """A stand-in engine: reads one line whose box is the middle tenth of whatever it is given,
    and remembers the image sizes it was given."""

    kind: ClassVar[str] = "fake"

    def __init__(self) -> None:
        self.shapes: list[tuple[int, ...]] = []

    def recognize(self, image: np.ndarray) -> list[OcrLine]:
        self.shapes.append(image.shape)
        h, w = image.shape[:2]
        x0, x1, y0, y1 = 0.45 * w, 0.55 * w, 0.45 * h, 0.47 * h
        poly = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        return [OcrLine(text="二、主动公开政府信息情况", polygon=poly, confidence=0.99)]

    def recognize_crops(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        return [("", 0.0) for _ in crops]

    def describe(self) -> dict[str, str]:
        return {"engine": "fake"}


def _preparer(engine: Any, max_pixels: int) -> PagePreparer:
    settings = PrepareSettings(orientation=False, deskew=False, work_max_pixels=max_pixels)
    return PagePreparer(settings, lambda: engine)


def test_a_large_page_is_read_at_the_working_size() -> None:
    engine = _BoxAtTheMiddle()
    page = np.full((4000, 3000, 3), 255, dtype=np.uint8)  # 12 MP
    prepared = _preparer(engine, 3_000_000)(page)
    h, w = engine.shapes[0][:2]
    assert h * w <= 3_000_000 * 1.01
    assert abs(w / h - 0.75) < 0.01, "the shape is kept"
    assert prepared.scale == pytest.approx(0.5, abs=0.01)


def test_a_page_within_the_working_size_is_read_as_it_is() -> None:
    engine = _BoxAtTheMiddle()
    page = np.full((2339, 1654, 3), 255, dtype=np.uint8)  # A4 at 200 dpi
    prepared = _preparer(engine, PrepareSettings().work_max_pixels)(page)
    assert engine.shapes[0][:2] == (2339, 1654)
    assert prepared.scale == 1.0


def test_boxes_read_on_the_shrunk_page_are_in_page_pixels() -> None:
    """Evidence crops are cut from the page at its own size: a box must land where the text is."""
    engine = _BoxAtTheMiddle()
    page = np.full((4000, 3000, 3), 255, dtype=np.uint8)
    prepared = _preparer(engine, 3_000_000)(page)
    line = prepared.reading.lines[0]
    frag = Fragment(text=line.text, bbox=line.bbox, confidence=line.confidence)
    part = CellPart(text="12", bbox=BBox(100, 100, 150, 120))
    cell = GridCell(row=0, col=0, bbox=BBox(90, 90, 200, 130), parts=[part], text="12")
    grid = TableGrid(
        page=1,
        bbox=BBox(90, 90, 200, 130),
        rows=[90, 130],
        cols=[90, 200],
        cells=[cell],
        source="lines",
    )
    (back,), (g,) = to_page_space([frag], [grid], prepared.scale)
    assert back.bbox.x0 == pytest.approx(0.45 * 3000, rel=0.01)
    assert back.bbox.y1 == pytest.approx(0.47 * 4000, rel=0.01)
    f = 1 / prepared.scale
    assert g.bbox.x1 == pytest.approx(200 * f)
    assert g.rows == pytest.approx([90 * f, 130 * f])
    assert g.cells[0].bbox.y0 == pytest.approx(90 * f)
    assert g.cells[0].parts[0].bbox.x1 == pytest.approx(150 * f)
    assert grid.bbox.x1 == 200, "the grid read on the working image is not changed"


def test_work_scale_and_shrink() -> None:
    assert work_scale(2339, 1654, 4_200_000) == 1.0
    s = work_scale(6000, 4000, 6_000_000)
    small = shrink(np.zeros((6000, 4000, 3), dtype=np.uint8), s)
    assert small.shape[0] * small.shape[1] <= 6_000_000 * 1.01
    assert small.shape[2] == 3


def test_runtime_auto_uses_openvino_only_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "openvino" else real(name)
    )
    assert resolve_runtime("auto") == "onnxruntime"
    assert resolve_runtime("onnxruntime") == "onnxruntime"
    with pytest.raises(OcrUnavailableError, match="pip install openvino"):
        resolve_runtime("openvino")
