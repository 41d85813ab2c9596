"""Pick the OCR adapter that `settings.ocr.kind` names.

The table maps a kind to its adapter class. Adapter modules import their engine libraries only
inside the adapter, and this module imports the adapter modules only when an engine is built,
so `import pipeline` never pays for paddleocr, rapidocr or onnxruntime.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...errors import ConfigError

if TYPE_CHECKING:
    from ...settings import OcrSettings
    from .base import OcrEngine


def _adapters() -> dict[str, Callable[[Any], OcrEngine]]:
    from .paddle import PaddleOcrEngine
    from .rapid import RapidOcrEngine
    from .tesseract import TesseractOcrEngine

    return {
        PaddleOcrEngine.kind: PaddleOcrEngine,
        RapidOcrEngine.kind: RapidOcrEngine,
        TesseractOcrEngine.kind: TesseractOcrEngine,
    }


def registered_kinds() -> list[str]:
    """The OCR kinds a config may name, in a stable order."""
    return sorted(_adapters())


def build_ocr_engine(settings: OcrSettings) -> OcrEngine:
    """The engine for `settings.kind`, built from its own settings section."""
    adapters = _adapters()
    adapter = adapters.get(settings.kind)
    if adapter is None:
        raise ConfigError(
            f"unknown OCR engine kind {settings.kind!r}; known kinds: {', '.join(sorted(adapters))}"
        )
    return adapter(settings)
