"""OCR engines: `build_ocr_engine(settings)` returns the engine its `kind` names."""

from pipeline.engines.ocr.base import OcrEngine, OcrLine
from pipeline.engines.ocr.registry import build_ocr_engine, registered_kinds

__all__ = ["OcrEngine", "OcrLine", "build_ocr_engine", "registered_kinds"]
