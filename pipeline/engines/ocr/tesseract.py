"""Tesseract adapter (kind "tesseract"): Debian's tesseract binary with chi_sim, via subprocess.

Why it is here: a ~25 MB apt install with no Python dependencies, useful as a cross-check and
where onnxruntime cannot run. It is clearly weaker on Chinese numbers than PP-OCRv6, so it is
never the default. Two settings matter a lot (measured, see the OCR feasibility notes):
- `--dpi`: the arrays we pass carry no resolution; without it tesseract guesses ~500 dpi and
  drops most table text.
- OMP_THREAD_LIMIT=1: on 2 cores OpenMP makes a page 4x slower, mostly in spin-waiting.

The image goes to tesseract's stdin as binary PPM (leptonica reads it), so this adapter needs
neither cv2 nor PIL. Lines are rebuilt from the TSV: level-4 rows give the line boxes, level-5
rows the words and their 0-100 confidences.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from ...errors import OcrUnavailableError
from .base import OcrLine
from .common import check_rgb, confidence01

if TYPE_CHECKING:
    import numpy as np

    from ...settings import TesseractOcrSettings

APT_HINT = "apt-get install tesseract-ocr tesseract-ocr-{pkg}"


def _apt_package(lang: str) -> str:
    return lang.lower().replace("_", "-")


def _is_cjk(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\uffef"


def _join_words(words: list[str]) -> str:
    """Tesseract splits Chinese into many 'words'; keep spaces only between non-CJK words."""
    out = ""
    for word in words:
        if out and not _is_cjk(out[-1]) and not _is_cjk(word[0]):
            out += " "
        out += word
    return out


@dataclass
class _Line:
    box: tuple[float, float, float, float] | None = None  # left, top, right, bottom
    words: list[str] = field(default_factory=list)
    confs: list[float] = field(default_factory=list)

    def confidence(self) -> float:
        """Mean word confidence weighted by word length, in [0, 1]."""
        weights = [len(word) for word in self.words]
        total = sum(weights)
        if not total:
            return 0.0
        return confidence01(sum(c * w for c, w in zip(self.confs, weights, strict=True)) / total)


def parse_tsv(tsv: str) -> list[_Line]:
    """Lines in reading order from `tesseract ... tsv` output (empty lines dropped)."""
    lines: dict[tuple[str, ...], _Line] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 11:
            continue
        level, key = cols[0], tuple(cols[1:5])  # page, block, par, line
        if level not in ("4", "5"):
            continue
        line = lines.setdefault(key, _Line())
        left, top, width, height = (float(v) for v in cols[6:10])
        text = cols[11].strip() if len(cols) > 11 else ""
        if level == "4":
            line.box = (left, top, left + width, top + height)
        elif text and float(cols[10]) >= 0:
            line.words.append(text)
            line.confs.append(float(cols[10]) / 100.0)
    return [line for line in lines.values() if line.words]


class TesseractOcrEngine:
    """`tesseract - stdout -l LANG --psm N --dpi D tsv`, one process per image."""

    kind: ClassVar[str] = "tesseract"

    def __init__(self, settings: TesseractOcrSettings) -> None:
        self._settings = settings
        binary = shutil.which(settings.binary)
        if binary is None:
            raise OcrUnavailableError(
                f"tesseract binary {settings.binary!r} not found on PATH; install it: "
                + APT_HINT.format(pkg=_apt_package(settings.lang.split("+")[0]))
            )
        self._binary = binary
        listed = self._call([binary, "--list-langs"], None).split()
        missing = [lang for lang in settings.lang.split("+") if lang not in listed]
        if missing:
            raise OcrUnavailableError(
                f"tesseract language data missing: {', '.join(missing)}; install it: "
                + " ".join(APT_HINT.format(pkg=_apt_package(lang)) for lang in missing)
            )
        self._version = self._call([binary, "--version"], None).splitlines()[0].strip()

    def _call(self, cmd: list[str], stdin: bytes | None) -> str:
        env = {**os.environ, "OMP_THREAD_LIMIT": str(self._settings.cpu_threads)}
        try:
            done = subprocess.run(
                cmd,
                input=stdin,
                capture_output=True,
                env=env,
                timeout=self._settings.timeout_s,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"tesseract took over {self._settings.timeout_s} s") from exc
        if done.returncode != 0:
            err = done.stderr.decode("utf-8", "replace").strip()
            raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}): {err}")
        # --list-langs and --version print to stdout (older builds: stderr).
        return (done.stdout or done.stderr).decode("utf-8", "replace")

    def _tsv(self, image: np.ndarray, psm: int) -> str:
        check_rgb(image)
        height, width = image.shape[:2]
        ppm = b"P6\n%d %d\n255\n" % (width, height) + image.tobytes()
        s = self._settings
        cmd = [self._binary, "-", "stdout", "-l", s.lang, "--psm", str(psm)]
        cmd += ["--dpi", str(s.dpi), "tsv"]
        return self._call(cmd, ppm)

    def recognize(self, image: np.ndarray) -> list[OcrLine]:
        height, width = image.shape[:2]
        out = []
        for line in parse_tsv(self._tsv(image, self._settings.psm)):
            if line.box is None:
                continue
            left, top, right, bottom = line.box
            right, bottom = min(right, float(width)), min(bottom, float(height))
            polygon = [(left, top), (right, top), (right, bottom), (left, bottom)]
            out.append(
                OcrLine(text=_join_words(line.words), polygon=polygon, confidence=line.confidence())
            )
        return out

    def recognize_crops(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        results = []
        for crop in crops:
            lines = parse_tsv(self._tsv(crop, self._settings.crop_psm))
            merged = _Line(
                words=[w for line in lines for w in line.words],
                confs=[c for line in lines for c in line.confs],
            )
            results.append((_join_words(merged.words), merged.confidence()))
        return results

    def describe(self) -> dict[str, str]:
        s = self._settings
        return {
            "engine": "tesseract",
            "version": self._version,
            "lang": s.lang,
            "rec_model": f"{s.lang}.traineddata",
            "psm": str(s.psm),
            "dpi": str(s.dpi),
        }
