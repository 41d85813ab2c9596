"""PaddleOCR 3.x adapter (kind "paddle", the default), run fully offline on onnxruntime.

Why it works offline: PaddleX loads a model from `model_dir` as-is and only asks a model hub when
no dir is given. No PyPI package ships PaddleOCR's own PP-OCRv6 weights, but the rapidocr wheel
ships PP-OCRv6 small det/rec as ONNX. `prepare_model_dirs` turns those into PaddleX model dirs
(inference.onnx + a hand-written inference.yml; the rec character list comes from the ONNX
metadata), once, under `model_root` (default: the user cache dir, pipeline/paths.py; never the
install or the checkout). paddlepaddle itself is not needed (engine="onnxruntime").

Preparing is safe to race: each dir is written under a temporary name beside its final place and
renamed into it, so another process (a batch worker starting at the same moment) sees either no
dir or a complete one, and a complete dir another process put there first is kept as it is.

Doc orientation, unwarping and textline orientation are switched off: no package ships their
weights, and with any of them on PaddleX would try to download. The PADDLE_PDX_* variables are
set before paddleocr is imported, since PaddleX reads them at import time.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import yaml

from ...errors import OcrUnavailableError
from ...paths import cache_dir, ensure_private_dir
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
    import numpy as np

    from ...settings import PaddleOcrSettings

CACHE_SUBDIR = "paddleocr"  # under the cache dir, when model_root is not set
STAMP = "nianbao-source.json"
# Bump when the inference.yml written below changes, so prepared dirs are rebuilt.
LAYOUT_VERSION = 1

_BGR_DECODE = {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}}


def resolve_model_root(settings: PaddleOcrSettings) -> Path:
    """`model_root` as an absolute path: None is <cache dir>/paddleocr, a relative path is
    relative to the cache dir."""
    if settings.model_root is None:
        return cache_dir() / CACHE_SUBDIR
    root = Path(settings.model_root).expanduser()
    return root if root.is_absolute() else cache_dir() / root


def _det_config(model_name: str) -> dict[str, Any]:
    # PaddleOCR's det export format; the pipeline passes the configured limits/thresholds at
    # run time, so these values only matter to someone using the dir on its own.
    return {
        "Global": {"model_name": model_name},
        "PreProcess": {
            "transform_ops": [
                _BGR_DECODE,
                {"DetLabelEncode": None},
                {"DetResizeForTest": {"resize_long": 960}},
                {
                    "NormalizeImage": {
                        "mean": [0.485, 0.456, 0.406],
                        "std": [0.229, 0.224, 0.225],
                        "scale": "1./255.",
                        "order": "hwc",
                    }
                },
                {"ToCHWImage": None},
                {"KeepKeys": {"keep_keys": ["image", "shape", "polys", "ignore_tags"]}},
            ]
        },
        "PostProcess": {
            "name": "DBPostProcess",
            "thresh": 0.3,
            "box_thresh": 0.6,
            "max_candidates": 1000,
            "unclip_ratio": 1.5,
        },
    }


def _rec_config(model_name: str, onnx_path: Path) -> dict[str, Any]:
    import onnxruntime as ort

    meta = ort.InferenceSession(str(onnx_path)).get_modelmeta().custom_metadata_map
    if "character" not in meta:
        raise OcrUnavailableError(
            f"{onnx_path} has no 'character' metadata, so it is not a PP-OCR rec model; "
            f"{WHEEL_INSTALL_HINT}"
        )
    keep = ["image", "label_ctc", "label_gtc", "length", "valid_ratio"]
    return {
        "Global": {"model_name": model_name},
        "PreProcess": {
            "transform_ops": [
                _BGR_DECODE,
                {"MultiLabelEncode": {"gtc_encode": "NRTRLabelEncode"}},
                {"RecResizeImg": {"image_shape": [3, 48, 320]}},
                {"KeepKeys": {"keep_keys": keep}},
            ]
        },
        "PostProcess": {"name": "CTCLabelDecode", "character_dict": meta["character"].split("\n")},
    }


def _stamp(model_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((model_dir / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    complete = (model_dir / "inference.onnx").is_file() and (model_dir / "inference.yml").is_file()
    return data if complete and isinstance(data, dict) else None


def _current(model_dir: Path, digest: str) -> bool:
    """Is the dir complete and built from the source with this digest by this layout?"""
    stamp = _stamp(model_dir)
    return (
        stamp is not None
        and stamp.get("sha256") == digest
        and stamp.get("layout") == LAYOUT_VERSION
    )


def _build_dir(model_dir: Path, model_name: str, source: Path, digest: str, det: bool) -> None:
    """Write the dir next to its final place, then rename: a crash never leaves half a dir, and
    a process racing to prepare the same dir either wins the rename or finds the other's."""
    ensure_private_dir(model_dir.parent)
    tmp = Path(tempfile.mkdtemp(prefix=f".{model_name}-", dir=model_dir.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; access is governed by the cache dir above
    stale: Path | None = None
    try:
        shutil.copyfile(source, tmp / "inference.onnx")
        config = _det_config(model_name) if det else _rec_config(model_name, source)
        with (tmp / "inference.yml").open("w", encoding="utf-8") as handle:
            yaml.safe_dump(config, handle, allow_unicode=True, sort_keys=False)
        stamp = {"source": str(source), "sha256": digest, "layout": LAYOUT_VERSION}
        (tmp / STAMP).write_text(json.dumps(stamp, indent=1), encoding="utf-8")
        if _current(model_dir, digest):  # another process finished it meanwhile: keep theirs
            return
        if model_dir.exists():  # an outdated dir: moved aside in one step, deleted after
            stale = Path(tempfile.mkdtemp(prefix=f".{model_name}-old-", dir=model_dir.parent))
            with contextlib.suppress(FileNotFoundError):  # another process moved it first
                os.replace(model_dir, stale / "dir")
        try:
            os.replace(tmp, model_dir)
        except OSError:
            if not _current(model_dir, digest):  # not another process finishing it first
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if stale is not None:
            shutil.rmtree(stale, ignore_errors=True)


def prepare_model_dirs(settings: PaddleOcrSettings) -> tuple[Path, Path]:
    """PaddleX det and rec model dirs under `model_root`, (re)built from the ONNX weights.

    A dir is rebuilt when its source file changed (e.g. an upgraded rapidocr wheel). If the
    weights are gone but complete dirs were prepared earlier, those dirs are used as they are.
    """
    root = resolve_model_root(settings)
    det_dir, rec_dir = root / settings.det_model_name, root / settings.rec_model_name
    try:
        sources = locate_onnx(settings.source_dir, [settings.det_onnx, settings.rec_onnx])
    except OcrUnavailableError as exc:
        if _stamp(det_dir) and _stamp(rec_dir):
            return det_dir, rec_dir
        raise OcrUnavailableError(f"{exc}. No prepared model dirs under {root} either.") from exc
    plan = [
        (det_dir, settings.det_model_name, sources[settings.det_onnx], True),
        (rec_dir, settings.rec_model_name, sources[settings.rec_onnx], False),
    ]
    for model_dir, name, source, det in plan:
        digest = file_digest(source)
        if not _current(model_dir, digest):
            _build_dir(model_dir, name, source, digest, det)
    return det_dir, rec_dir


def _configure_environment(settings: PaddleOcrSettings, root: Path) -> None:
    """PaddleX reads these at import: no hoster probe, a local cache, bounded threads."""
    os.environ["PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK"] = "True"
    os.environ.setdefault("PADDLE_PDX_CACHE_HOME", str(root / ".paddlex"))
    os.environ["PADDLE_PDX_CPU_NUM_THREADS"] = str(settings.cpu_threads)


class PaddleOcrEngine:
    """paddleocr.PaddleOCR (det + rec, no orientation models) on prepared local ONNX dirs."""

    kind: ClassVar[str] = "paddle"

    def __init__(self, settings: PaddleOcrSettings) -> None:
        self._settings = settings
        self._det_dir, self._rec_dir = prepare_model_dirs(settings)
        _configure_environment(settings, resolve_model_root(settings))
        try:
            from paddleocr import PaddleOCR
        except ImportError as exc:
            raise OcrUnavailableError(
                f"paddleocr cannot be imported ({exc}); install it: pip install 'paddleocr>=3,<4' "
                "onnxruntime (or reinstall the project: pip install -e .)"
            ) from exc
        self._ocr = PaddleOCR(
            text_detection_model_name=settings.det_model_name,
            text_detection_model_dir=str(self._det_dir),
            text_recognition_model_name=settings.rec_model_name,
            text_recognition_model_dir=str(self._rec_dir),
            use_doc_orientation_classify=False,
            use_doc_unwarping=False,
            use_textline_orientation=False,
            text_det_limit_side_len=settings.det_limit_side_len,
            text_det_limit_type=settings.det_limit_type,
            text_det_thresh=settings.det_thresh,
            text_det_box_thresh=settings.det_box_thresh,
            text_det_unclip_ratio=settings.det_unclip_ratio,
            text_recognition_batch_size=settings.rec_batch_size,
            text_rec_score_thresh=settings.rec_score_thresh,
            **self._runtime_args(),
        )
        self._rec: Any = None  # rec-only predictor for crops, built on first use
        self._digests = {
            key: str((_stamp(path) or {}).get("sha256", "?"))[:12]
            for key, path in (("det", self._det_dir), ("rec", self._rec_dir))
        }

    def _runtime_args(self) -> dict[str, Any]:
        s = self._settings
        config = {
            "intra_op_num_threads": s.cpu_threads,
            "inter_op_num_threads": 1,
            "enable_cpu_mem_arena": s.mem_arena,
            "enable_mem_pattern": s.mem_pattern,
        }
        return {"engine": "onnxruntime", "engine_config": config, "device": "cpu"}

    def recognize(self, image: np.ndarray) -> list[OcrLine]:
        check_rgb(image)
        result = self._ocr.predict(image[:, :, ::-1].copy())[0]
        height, width = image.shape[:2]
        return [
            ocr_line(text, poly, score, width, height)
            for text, poly, score in zip(
                result["rec_texts"], result["rec_polys"], result["rec_scores"], strict=True
            )
            if text.strip()
        ]

    def recognize_crops(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        if not crops:
            return []
        for crop in crops:
            check_rgb(crop)
        if self._rec is None:
            from paddleocr import TextRecognition

            self._rec = TextRecognition(
                model_name=self._settings.rec_model_name,
                model_dir=str(self._rec_dir),
                **self._runtime_args(),
            )
        bgr = [crop[:, :, ::-1].copy() for crop in crops]
        results = self._rec.predict(bgr, batch_size=self._settings.rec_batch_size)
        return [(str(res["rec_text"]), confidence01(res["rec_score"])) for res in results]

    def describe(self) -> dict[str, str]:
        s = self._settings
        return {
            "engine": "paddleocr",
            "version": package_version("paddleocr"),
            "paddlex": package_version("paddlex"),
            "runtime": f"onnxruntime {package_version('onnxruntime')}",
            "det_model": s.det_model_name,
            "rec_model": s.rec_model_name,
            "det_sha256": self._digests["det"],
            "rec_sha256": self._digests["rec"],
            "weights_from": f"{s.det_onnx}, {s.rec_onnx} (rapidocr {package_version('rapidocr')})",
        }
