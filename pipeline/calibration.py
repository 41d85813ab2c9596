"""Calibration: the raw evidence score of a field -> the probability that the field is right.

The raw score is pipeline/confidence.py's logistic over named features (hand-set priors). It
orders fields well but its numbers mean nothing by themselves; calibration makes "0.95" mean
"right 95 times in 100". The map is isotonic (pool-adjacent-violators, numpy-free): fitted on
labelled fields (right or wrong against truth) of generated training reports WITH extraction
noise (pipeline/synth/noise.py: wrong fields are what it is fitted to recognise) by
`nianbao train calibration` (pipeline/training/calibration.py), stored as JSON beside the
models (models/calibration.json) and applied by the score stage. Fields with the same raw
score are pooled first (one block per score); between block centres the map is linear, outside
them it is clipped to the first and last fitted value, so it stays monotone and never leaves
[min, max] of what was observed.

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

from .errors import ConfigError

FORMAT = "nianbao-calibration/1"
_TIE = 6  # decimal places at which two raw scores are the same score


def read_model_file(path: Path, fmt: str, what: str, remedy: str) -> dict[str, Any]:
    """A fitted model's JSON (calibration, cross-year agreement): a dict of format `fmt`, or a
    ConfigError naming the file and what to do."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read {what} ({exc}); {remedy}") from exc
    if not isinstance(data, dict) or data.get("format") != fmt:
        raise ConfigError(f"{path}: not a {fmt} file")
    return data


@dataclass(frozen=True)
class Calibration:
    x: list[float]  # block centres of the raw score, increasing
    y: list[float]  # probability at each centre, non-decreasing
    info: dict[str, Any] = field(default_factory=dict)
    # a map per method family (meta, table, prose ...) fitted on that family's fields alone:
    # one raw score need not mean the same for a title and a table cell
    groups: dict[str, Calibration] = field(default_factory=dict)

    def __call__(self, raw: float, group: str | None = None) -> float:
        own = self.groups.get(group) if group is not None else None
        if own is not None:
            return own(raw)
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
        if self.groups:
            data["groups"] = {
                name: {"x": g.x, "y": g.y, **g.info} for name, g in sorted(self.groups.items())
            }
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Calibration:
        data = read_model_file(
            path,
            FORMAT,
            "calibration",
            "run `nianbao train calibration` or set calibration.path: null",
        )
        groups = {
            name: cls._map(g if isinstance(g, dict) else {}, f"{path}: calibration group {name!r}")
            for name, g in (data.get("groups") or {}).items()
        }
        top = cls._map(
            {k: v for k, v in data.items() if k not in ("format", "method", "groups")},
            f"{path}: calibration",
        )
        return cls(top.x, top.y, top.info, groups)

    @classmethod
    def _map(cls, data: dict[str, Any], where: str) -> Calibration:
        """One map from its stored form: lists x and y of equal length, the rest its info."""
        x, y = data.get("x"), data.get("y")
        if not isinstance(x, list) or not isinstance(y, list) or len(x) != len(y):
            raise ConfigError(f"{where} needs lists x and y of equal length")
        info = {k: v for k, v in data.items() if k not in ("x", "y")}
        return cls([float(v) for v in x], [float(v) for v in y], info)


def fit_isotonic(raw: Sequence[float], correct: Sequence[bool]) -> Calibration:
    """Pool-adjacent-violators on (raw score, right?) pairs.

    Fields with the same raw score (to `_TIE` places: the score is a function of a few
    features, so thousands of fields share one) form one block; adjacent blocks whose rates are
    out of order are pooled until the rates increase with the score."""
    if not raw:
        raise ValueError("calibration needs at least one labelled field")
    groups: dict[float, list[float]] = {}
    for r, c in zip(raw, correct, strict=True):
        g = groups.setdefault(round(r, _TIE), [0.0, 0.0, 0.0])
        g[0] += r
        g[1] += float(c)
        g[2] += 1
    blocks: list[list[float]] = []  # [sum of raw, right, n]
    for key in sorted(groups):
        blocks.append(list(groups[key]))
        while len(blocks) > 1 and _rate(blocks[-2]) >= _rate(blocks[-1]):
            a, b = blocks.pop(-2), blocks[-1]
            for k in range(3):
                b[k] += a[k]
    x = [b[0] / b[2] for b in blocks]
    y = [_rate(b) for b in blocks]
    info = {
        "fields": len(raw),
        "wrong_fields": len(raw) - sum(map(bool, correct)),
        "blocks": [
            {"raw": round(b[0] / b[2], 6), "fields": int(b[2]), "right": int(b[1])} for b in blocks
        ],
    }
    return Calibration(x, y, info)


def fit_grouped(
    raw: Sequence[float],
    correct: Sequence[bool],
    group: Sequence[str],
    min_fields: int,
    min_wrong: int,
) -> Calibration:
    """The shared isotonic map, and one per group with at least `min_fields` fields of which
    `min_wrong` are wrong (fewer wrong fields cannot say where in its scores a group fails)."""
    shared = fit_isotonic(raw, correct)
    groups: dict[str, Calibration] = {}
    for name in sorted(set(group)):
        idx = [i for i, g in enumerate(group) if g == name]
        wrong = sum(not correct[i] for i in idx)
        if len(idx) >= min_fields and wrong >= min_wrong:
            groups[name] = fit_isotonic([raw[i] for i in idx], [correct[i] for i in idx])
    return Calibration(shared.x, shared.y, shared.info, groups)


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
