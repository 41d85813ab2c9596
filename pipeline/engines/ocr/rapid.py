"""RapidOCR 3.x adapter (kind "rapid").

Why this engine: it is the lightest offline stack (rapidocr + onnxruntime, no paddlex) and runs
the same PP-OCRv6 small det/rec ONNX files that its wheel ships, so it needs no model download.
The paddle adapter reads those same files (common.locate_onnx).

Runtime (issue #17): the same ONNX files run on onnxruntime or on OpenVINO (`runtime`), which
reads ONNX directly and took about half the time per page on the 2-core machines
(benchmarks/ocr_speed.py). OpenVINO is optional: with it not installed, "auto" runs onnxruntime.

Recognition output (issue #17): on OpenVINO the recogniser's session is swapped for
`TopOneSession`, the same model with a TopK(1) appended in memory, so the runtime returns the
best character per step instead of the whole softmax rapidocr's decoder only reduces.

RapidOCR's call kwargs are sticky: `engine(img, use_det=False)` permanently switches detection
off for later calls (its `update_params` does setattr). Every call below therefore passes all
three step flags explicitly, so a rec-only crop call can never leak into a page call.
"""

from __future__ import annotations

import importlib.util
import warnings
from typing import TYPE_CHECKING, Any, ClassVar

from ...errors import OcrUnavailableError
from .base import OcrLine
from .common import (
    WHEEL_INSTALL_HINT,
    check_rgb,
    confidence01,
    file_digest,
    locate_onnx,
    ocr_line,
    package_version,
)

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np

    from ...settings import RapidOcrSettings


def openvino_installed() -> bool:
    return importlib.util.find_spec("openvino") is not None


def resolve_runtime(runtime: str) -> str:
    """The runtime `runtime` names ("auto": OpenVINO when installed, else onnxruntime)."""
    if runtime == "auto":
        return "openvino" if openvino_installed() else "onnxruntime"
    if runtime == "openvino" and not openvino_installed():
        raise OcrUnavailableError(
            "ocr.runtime is openvino but the openvino package is not installed: "
            "pip install openvino (or set ocr.runtime to onnxruntime or auto)"
        )
    return runtime


class RapidOcrEngine:
    """rapidocr.RapidOCR on onnxruntime with explicit model paths (no hub lookup at all)."""

    kind: ClassVar[str] = "rapid"

    def __init__(self, settings: RapidOcrSettings) -> None:
        names = [settings.det_onnx, settings.rec_onnx]
        if settings.use_cls:
            names.append(settings.cls_onnx)
        files = locate_onnx(settings.source_dir, names)
        try:
            from rapidocr import RapidOCR
        except ImportError as exc:
            raise OcrUnavailableError(
                f"rapidocr cannot be imported ({exc}); {WHEEL_INSTALL_HINT}"
            ) from exc
        self._settings = settings
        self._files = files
        self.runtime = resolve_runtime(settings.runtime)
        params: dict[str, Any] = {
            "Global.log_level": "warning",
            "Global.use_cls": settings.use_cls,
            "Global.max_side_len": settings.max_side_len,
            "Global.text_score": settings.rec_score_thresh,
            "EngineConfig.onnxruntime.intra_op_num_threads": settings.cpu_threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            "Det.model_path": str(files[settings.det_onnx]),
            "Det.limit_side_len": settings.det_limit_side_len,
            "Det.limit_type": settings.det_limit_type,
            "Det.thresh": settings.det_thresh,
            "Det.box_thresh": settings.det_box_thresh,
            "Det.unclip_ratio": settings.det_unclip_ratio,
            "Rec.model_path": str(files[settings.rec_onnx]),
            "Rec.rec_batch_num": settings.rec_batch_size,
        }
        if settings.use_cls:
            params["Cls.model_path"] = str(files[settings.cls_onnx])
        if self.runtime == "openvino":
            from rapidocr import EngineType

            params["EngineConfig.openvino.inference_num_threads"] = settings.cpu_threads
            for step in ("Det", "Rec", "Cls"):
                params[f"{step}.engine_type"] = EngineType.OPENVINO
        self._engine = RapidOCR(params=params)
        self.top_one = False
        if self.runtime == "openvino" and settings.rec_top_one:
            self.top_one = swap_top_one(
                self._engine, files[settings.rec_onnx], settings.cpu_threads
            )
        self._digests = {name: file_digest(path)[:12] for name, path in files.items()}

    def _run(self, image: np.ndarray, *, detect: bool) -> Any:
        check_rgb(image)
        bgr = image[:, :, ::-1].copy()
        use_cls = self._settings.use_cls and detect
        return self._engine(bgr, use_det=detect, use_cls=use_cls, use_rec=True)

    def recognize(self, image: np.ndarray) -> list[OcrLine]:
        out = self._run(image, detect=True)
        boxes, txts, scores = (getattr(out, key, None) for key in ("boxes", "txts", "scores"))
        if boxes is None or txts is None or scores is None:
            return []
        height, width = image.shape[:2]
        return [
            ocr_line(text, box, score, width, height)
            for text, box, score in zip(txts, boxes, scores, strict=True)
            if text.strip()
        ]

    def recognize_crops(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        results: list[tuple[str, float]] = []
        for crop in crops:
            out = self._run(crop, detect=False)
            txts, scores = getattr(out, "txts", None), getattr(out, "scores", None)
            if not txts or not scores:
                results.append(("", 0.0))
            else:
                results.append((str(txts[0]), confidence01(scores[0])))
        return results

    def describe(self) -> dict[str, str]:
        s = self._settings
        info = {
            "engine": "rapidocr",
            "version": package_version("rapidocr"),
            "runtime": f"{self.runtime} {package_version(self.runtime)}",
            "det_model": s.det_onnx,
            "rec_model": s.rec_onnx,
            "det_sha256": self._digests[s.det_onnx],
            "rec_sha256": self._digests[s.rec_onnx],
        }
        if s.use_cls:
            info["cls_model"] = s.cls_onnx
            info["cls_sha256"] = self._digests[s.cls_onnx]
        return info


def swap_top_one(engine: Any, model_path: Path, threads: int) -> bool:
    """Give rapidocr's recogniser a TopOneSession. rapidocr 3.x builds the recogniser on first
    use, through a private method (`_load_rec_model`); built now, its `session` is swapped. A
    rapidocr without them keeps its own session (the same text, only slower) and says so."""
    load = getattr(engine, "_load_rec_model", None)
    recogniser = load() if callable(load) else None
    if recogniser is None or not hasattr(recogniser, "session"):
        warnings.warn(
            f"rapidocr {package_version('rapidocr')} has no recogniser session to swap: "
            "ocr.rec_top_one is ignored (the same text, slower)",
            RuntimeWarning,
            stacklevel=3,
        )
        return False
    recogniser.session = TopOneSession(model_path, threads)
    return True


class TopOneSession:
    """rapidocr's recognition session on OpenVINO, returning only what its CTC decoder reads.

    The recogniser ends in a softmax over 18,710 characters at every step of every line: N x T
    x 18,710 floats per batch (about 300 MB a page) that rapidocr's decoder reduces at once to
    `argmax(axis=2)` and `max(axis=2)`. Here the model (read from the same ONNX file, changed
    in memory only) ends in a TopK(1) over the characters, so the runtime hands back N x T
    values and indices instead: the same numbers, without writing and re-reading the full
    array (benchmarks/ocr_speed.py). Only `__call__` is used after rapidocr's recogniser has
    read its character list from its own session at start-up."""

    def __init__(self, model_path: Path, threads: int) -> None:
        import numpy as np
        import openvino as ov
        import openvino.opset13 as ops

        core = ov.Core()
        model = core.read_model(model_path)
        probs = model.get_results()[0].input_value(0)
        one = ops.constant(np.int64(1))
        top = ops.topk(probs, one, axis=-1, mode="max", sort="none", index_element_type="i32")
        model = ov.Model([top.output(0), top.output(1)], model.get_parameters(), "rec_top1")
        config = {"INFERENCE_NUM_THREADS": str(threads)}
        self._request = core.compile_model(model, "CPU", config).create_infer_request()

    def __call__(self, batch: np.ndarray) -> TopOne:
        self._request.infer([batch])
        values = self._request.get_output_tensor(0).data[..., 0].copy()
        indices = self._request.get_output_tensor(1).data[..., 0].copy()
        return TopOne(values, indices)


class TopOne:
    """The best character at each step (N x T): what rapidocr's CTCLabelDecode takes from the
    class probabilities, `preds.argmax(axis=2)` and `preds.max(axis=2)`."""

    def __init__(self, values: np.ndarray, indices: np.ndarray) -> None:
        self._values, self._indices = values, indices

    def argmax(self, axis: int) -> np.ndarray:
        if axis != 2:
            raise ValueError(f"only the character axis (2) is kept, not axis {axis}")
        return self._indices

    def max(self, axis: int) -> np.ndarray:
        if axis != 2:
            raise ValueError(f"only the character axis (2) is kept, not axis {axis}")
        return self._values
