"""The OCR protocol every engine implements.

Coordinates: pixels of the image passed in, origin top-left, x to the right, y down.
Images: numpy uint8 arrays, H x W x 3, **RGB** order (adapters convert if their engine wants BGR).
Confidence: normalised to [0, 1] by the adapter (Tesseract's 0-100 is divided, etc.).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol

from pydantic import BaseModel, Field

from ...datamodel.base import BBox

if TYPE_CHECKING:
    import numpy as np


class OcrLine(BaseModel):
    """One text line (or line fragment) as an engine returns it."""

    text: str
    polygon: list[tuple[float, float]] = Field(
        description="4 corner points, clockwise from top-left"
    )
    confidence: float = Field(ge=0.0, le=1.0)

    @property
    def bbox(self) -> BBox:
        xs = [p[0] for p in self.polygon]
        ys = [p[1] for p in self.polygon]
        return BBox(min(xs), min(ys), max(xs), max(ys))


class OcrEngine(Protocol):
    kind: ClassVar[str]

    def recognize(self, image: np.ndarray) -> list[OcrLine]:
        """Detect and read every text line on a page image."""
        ...

    def recognize_crops(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """Read already-cropped single lines or cells (no detection): (text, confidence) each."""
        ...

    def describe(self) -> dict[str, str]:
        """Engine name, version and model identifiers, for the record's provenance."""
        ...
