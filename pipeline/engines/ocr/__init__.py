"""OCR engines: `build_ocr_engine(settings)` returns the engine its `kind` names."""

from .base import OcrEngine, OcrLine
from .registry import build_ocr_engine, registered_kinds

__all__ = ["OcrEngine", "OcrLine", "build_ocr_engine", "registered_kinds"]
