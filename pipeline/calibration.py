"""Calibration: the raw evidence score of a field -> the probability that the field is right.

The raw score is pipeline/confidence.py's logistic over named features (hand-set priors). It
orders fields well but its numbers mean nothing by themselves; calibration makes "0.95" mean
"right 95 times in 100". The map is isotonic (pool-adjacent-violators, numpy-free): fitted on
labelled fields (right or wrong against truth) of generated training reports by
`nianbao train calibration`, stored as JSON beside the models (models/calibration.json) and
applied by the score stage. Each pooled block's probability is (right + 0.5) / (n + 1), so a
block of a few fields that were all right is not promised certainty; between block centres the
map is linear, outside them flat.

Metrics for `nianbao eval` live here too: the reliability table, expected calibration error
(ECE, equal-width bins), precision at a confidence threshold.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError

FORMAT = "nianbao-calibration/1"


@dataclass(frozen=True)
class Calibration:
    x: list[float]  # block centres of the raw score, increasing
    y: list[float]  # probability at each centre, non-decreasing
    info: dict[str, Any] = field(default_factory=dict)

    def __call__(self, raw: float) -> float:
        x, y = self.x, self.y
        if not x:
            return raw
        if raw <= x[0]:
            return y[0]
        if raw >= x[-1]:
            return y[-1]
        i = bisect.bisect_right(x, raw)
        x0, x1, y0, y1 = x[i - 1], x[i], y[i - 1], y[i]
        return y0 + (y1 - y0) * (raw - x0) / (x1 - x0) if x1 > x0 else y1

    def save(self, path: Path) -> None:
        data = {"format": FORMAT, "method": "isotonic", "x": self.x, "y": self.y, **self.info}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Calibration:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"{path}: cannot read calibration ({exc}); run `nianbao train calibration` "
                "or set calibration.path: null"
            ) from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ConfigError(f"{path}: not a {FORMAT} file")
        x, y = data.get("x"), data.get("y")
        if not isinstance(x, list) or not isinstance(y, list) or len(x) != len(y):
            raise ConfigError(f"{path}: calibration needs lists x and y of equal length")
        info = {k: v for k, v in data.items() if k not in ("format", "method", "x", "y")}
        return cls([float(v) for v in x], [float(v) for v in y], info)


def fit_isotonic(raw: Sequence[float], correct: Sequence[bool]) -> Calibration:
    """Pool-adjacent-violators on (raw score, right?) pairs; ties in raw are pooled first."""
    pairs = sorted(zip(raw, correct, strict=True))
    # blocks: [sum of raw, right, n]; equal raw scores form one block before any pooling
    blocks: list[list[float]] = []
    i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        blocks.append([pairs[i][0] * (j - i), float(sum(c for _, c in pairs[i:j])), j - i])
        i = j
        while len(blocks) > 1 and _rate(blocks[-2]) >= _rate(blocks[-1]):
            a, b = blocks.pop(-2), blocks[-1]
            b[0] += a[0]
            b[1] += a[1]
            b[2] += a[2]
    x = [b[0] / b[2] for b in blocks]
    y = [(b[1] + 0.5) / (b[2] + 1) for b in blocks]
    for i in range(1, len(y)):  # the prior can break monotonicity by a hair between blocks
        y[i] = max(y[i], y[i - 1])
    return Calibration(x, y, {"fields": len(pairs), "blocks": len(blocks)})


def _rate(block: list[float]) -> float:
    return block[1] / block[2]


# ---- metrics -----------------------------------------------------------------------------------
def reliability(
    confidence: Sequence[float], correct: Sequence[bool], bins: int
) -> list[dict[str, Any]]:
    """Equal-width bins over [0, 1]: fields, mean confidence, accuracy, gap."""
    rows = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(confidence) if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if not idx:
            rows.append({"bin": f"[{lo:.1f}, {hi:.1f})", "fields": 0})
            continue
        conf = sum(confidence[i] for i in idx) / len(idx)
        acc = sum(correct[i] for i in idx) / len(idx)
        rows.append(
            {
                "bin": f"[{lo:.1f}, {hi:.1f}{']' if b == bins - 1 else ')'}",
                "fields": len(idx),
                "confidence": round(conf, 4),
                "accuracy": round(acc, 4),
                "gap": round(abs(acc - conf), 4),
            }
        )
    return rows


def expected_calibration_error(
    confidence: Sequence[float], correct: Sequence[bool], bins: int
) -> float:
    n = len(confidence)
    if not n:
        return 0.0
    return sum(
        r["fields"] / n * r["gap"] for r in reliability(confidence, correct, bins) if r["fields"]
    )


def precision_at(
    confidence: Sequence[float], correct: Sequence[bool], threshold: float
) -> dict[str, Any]:
    idx = [i for i, c in enumerate(confidence) if c >= threshold]
    return {
        "threshold": threshold,
        "fields": len(idx),
        "share": round(len(idx) / len(confidence), 4) if confidence else None,
        "precision": round(sum(correct[i] for i in idx) / len(idx), 5) if idx else None,
    }
