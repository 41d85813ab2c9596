"""Helpers the OCR adapters share: locating the wheel's ONNX weights, normalising boxes and
scores, checking input images. Nothing here imports an OCR library."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import OcrUnavailableError
from ...hashing import sha256_file
from .base import OcrLine

if TYPE_CHECKING:
    import numpy as np


WHEEL_INSTALL_HINT = (
    "install the rapidocr wheel, which ships the PP-OCRv6 small ONNX weights: "
    "pip install 'rapidocr>=3.10,<4' onnxruntime (or reinstall the project: pip install -e .)"
)


def wheel_models_dir() -> Path | None:
    """rapidocr/models/ of the installed wheel, found without importing rapidocr (slow)."""
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def locate_onnx(source_dir: str | None, names: Sequence[str]) -> dict[str, Path]:
    """Paths of the named ONNX files in `source_dir` (None: the rapidocr wheel's models/).

    Raises OcrUnavailableError naming each missing file and how to get it; nothing is ever
    downloaded, since the tool must run with no network.
    """
    if source_dir is None:
        folder = wheel_models_dir()
        if folder is None:
            raise OcrUnavailableError(
                f"OCR weights missing: the rapidocr package is not installed, so "
                f"{', '.join(names)} cannot be found; {WHEEL_INSTALL_HINT}"
            )
        where = f"the rapidocr wheel's model folder {folder}"
    else:
        folder = Path(source_dir).expanduser()
        where = f"the configured source_dir {folder}"
    missing = [name for name in names if not (folder / name).is_file()]
    if missing:
        raise OcrUnavailableError(
            f"OCR weights missing: {', '.join(missing)} not found in {where}; {WHEEL_INSTALL_HINT}"
        )
    return {name: folder / name for name in names}


def file_digest(path: Path) -> str:
    """SHA-256 of a weight file, for provenance and for noticing an upgraded wheel."""
    return sha256_file(path)


def package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def check_rgb(image: np.ndarray) -> None:
    """The protocol takes H x W x 3 uint8 RGB; anything else is a caller bug, said plainly."""
    if image.ndim != 3 or image.shape[2] != 3 or str(image.dtype) != "uint8":
        raise ValueError(
            f"OCR input must be an H x W x 3 uint8 RGB array, got shape {image.shape} "
            f"dtype {image.dtype}"
        )


def confidence01(value: Any) -> float:
    """An engine score as a float in [0, 1] (NaN counts as no confidence)."""
    score = float(value)
    if math.isnan(score):
        return 0.0
    return min(1.0, max(0.0, score))


def ocr_line(text: str, points: Any, score: Any, width: int, height: int) -> OcrLine:
    """OcrLine from an engine's 4-point box, clipped to the image (DB unclip can overshoot)."""
    polygon = [
        (min(max(float(x), 0.0), float(width)), min(max(float(y), 0.0), float(height)))
        for x, y in points
    ]
    if len(polygon) != 4:
        raise ValueError(f"expected a 4-point text box, got {len(polygon)} points")
    return OcrLine(text=text, polygon=polygon, confidence=confidence01(score))
