"""Agreement across years as evidence: the confidence of a field whose cross-year relation
holds, raised by what that agreement is worth (issue #16).

A carried-over cell of year N+1 (二、上年结转) and the carried-forward cell of year N
(四、结转下年度) are the same number printed in two reports that were read independently. When
the two readings agree, a misreading of one of them is unlikely: it would have to land on the
very value the other report gives. Bayes with the field's calibrated confidence `c` (from its
own report) as the prior:

    c' = c * LR / (c * LR + 1 - c),   LR = P(agree | field right) / P(agree | field wrong)

LR is measured, not set: `nianbao train cross-year` (pipeline/training/cross_year.py) reads the
noisy calibration documents of `nianbao train calibration` with the calibrated pipeline, and
pairs each carried cell with the cells of the other role (carried-forward with carried-over),
same applicant column, same true value, in the other documents: what a second report of the
same figure would read. P(agree | wrong) is taken at its Laplace upper bound, so a corpus with
few agreeing misreadings does not make LR unbounded. The fit, and what it gives on the held-out
split, are stored in models/cross_year.json (format nianbao-cross-year/1).

Only `low_confidence` is settled by the raised confidence. The structural doubts of a cell (an
ambiguous table decoding, an ambiguous column, an OCR confusable, a failed in-report check)
stay: two years of one agency are often laid out alike, so the same misparse can repeat in
both and agree with itself; pairs of independent documents cannot measure that.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..calibration import read_model_file
from ..errors import ConfigError

FORMAT = "nianbao-cross-year/1"
ROUND = 4  # confidences are stored to 4 decimals, as the score stage rounds them


@dataclass(frozen=True)
class Agreement:
    """How much cross-year agreement raises a field's confidence (LR 1: not at all)."""

    likelihood_ratio: float = 1.0
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return self.likelihood_ratio > 1.0

    def raised(self, confidence: float) -> float:
        """The confidence of a field whose cross-year relation holds."""
        c = min(max(confidence, 0.0), 1.0)
        if not self.active or c in (0.0, 1.0):
            return c
        lr = self.likelihood_ratio
        return round(c * lr / (c * lr + 1.0 - c), ROUND)

    def save(self, path: Path) -> None:
        data = {"format": FORMAT, "likelihood_ratio": self.likelihood_ratio, **self.info}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Agreement:
        data = read_model_file(
            path,
            FORMAT,
            "the cross-year agreement model",
            "run `nianbao train cross-year` or set calibration.cross_year: null",
        )
        lr = data.get("likelihood_ratio")
        if not isinstance(lr, int | float) or isinstance(lr, bool) or lr < 1.0:
            raise ConfigError(f"{path}: likelihood_ratio must be a number >= 1, not {lr!r}")
        info = {k: v for k, v in data.items() if k not in ("format", "likelihood_ratio")}
        return cls(float(lr), info)


OFF = Agreement()


@cache
def _load_cached(path: str) -> Agreement:
    return Agreement.load(Path(path))


def agreement_for(path: Path | None) -> Agreement:
    """The model at `path` (None: agreement raises nothing), read once per process."""
    return OFF if path is None else _load_cached(str(path))


def default_agreement() -> Agreement:
    """The model the default settings name (what `nianbao batch`, `check` and the review page use
    unless they are given their settings' own)."""
    from ..settings import Settings

    return agreement_for(Settings().calibration.cross_year_path())


# ---- fitting ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reading:
    """One labelled carried cell: which relation side it is, its column, the true value, what
    was read (None: no number) and the field's confidence."""

    document: str
    role: str  # the path's row: carried_over | carried_forward
    column: str
    truth: Any
    value: Any
    confidence: float
    doubted: bool = False  # in review for a reason other than low confidence

    @property
    def right(self) -> bool:
        return self.value == self.truth


def _pairs(
    readings: Iterable[Reading], partner_role: dict[str, str]
) -> list[tuple[Reading, int, int]]:
    """(reading, partners that agree, partners) for each reading with a number: the partners
    are the readings of the other role, same column and true value, in other documents."""
    readable = [r for r in readings if r.value is not None]
    index: dict[tuple[str, str, Any], list[Reading]] = defaultdict(list)
    for r in readable:
        index[(r.role, r.column, r.truth)].append(r)
    counts: dict[tuple[str, str, Any], dict[Any, int]] = {}
    own: dict[tuple[str, str, Any, str], dict[Any, int]] = {}  # ... within one document
    for key, rs in index.items():
        by_value: dict[Any, int] = defaultdict(int)
        for r in rs:
            by_value[r.value] += 1
            own.setdefault((*key, r.document), defaultdict(int))[r.value] += 1
        counts[key] = by_value
    out = []
    for r in readable:
        key = (partner_role[r.role], r.column, r.truth)
        by_value = counts.get(key, {})
        mine = own.get((*key, r.document), {})  # a report is not its own partner
        n = sum(by_value.values()) - sum(mine.values())
        agree = by_value.get(r.value, 0) - mine.get(r.value, 0)
        if n > 0:
            out.append((r, agree, n))
    return out


def fit(readings: list[Reading], partner_role: dict[str, str]) -> Agreement:
    """LR from labelled readings: P(agree | right) over P(agree | wrong), each reading weighted
    alike (its share of agreeing partners), the wrong side at its Laplace upper bound."""
    pairs = _pairs(readings, partner_role)
    right = [a / n for r, a, n in pairs if r.right]
    wrong = [a / n for r, a, n in pairs if not r.right]
    if not right:
        raise ValueError("no right reading with a partner: nothing to fit")
    p_right = sum(right) / len(right)
    p_wrong = (sum(wrong) + 1.0) / (len(wrong) + 2.0)
    lr = max(1.0, p_right / p_wrong)
    info = {
        "readings": len(pairs),
        "wrong_readings": len(wrong),
        "p_agree_if_right": round(p_right, 5),
        "p_agree_if_wrong": round(sum(wrong) / len(wrong), 5) if wrong else None,
        "p_agree_if_wrong_bound": round(p_wrong, 5),
        "wrong_readings_that_agree_somewhere": sum(1 for r, a, n in pairs if not r.right and a),
    }
    return Agreement(round(lr, 3), info)


def evaluate(
    agreement: Agreement, readings: list[Reading], partner_role: dict[str, str], threshold: float
) -> dict[str, Any]:
    """What the raise does on labelled readings (the held-out split): expected over the partners
    of each reading, the share of readings that agree, the accuracy of the agreeing ones by
    raised-confidence bin, and how many agreeing readings the raise takes out of review (under
    `threshold` before, over it after, no other review reason) and how many of those are
    wrong."""
    pairs = _pairs(readings, partner_role)
    # bin -> weight, right, raised confidence, the report's own confidence
    bins: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    lifted = lifted_wrong = agreeing = 0.0
    for r, a, n in pairs:
        w = a / n  # the chance its partner agrees
        if not w:
            continue
        agreeing += w
        c = agreement.raised(r.confidence)
        b = bins["0.99-1" if c >= 0.99 else f"{int(c * 10) / 10:.1f}"]
        b[0] += w
        b[1] += w * r.right
        b[2] += w * c
        b[3] += w * r.confidence
        if r.confidence < threshold <= c and not r.doubted:
            lifted += w
            lifted_wrong += w * (not r.right)
    total = [sum(b[i] for b in bins.values()) for i in range(4)]
    return {
        "readings": len(pairs),
        "expected_agreeing": round(agreeing, 1),
        # all agreeing cells: how often right, and what they were said to be before and after
        "agreeing_accuracy": round(total[1] / total[0], 5) if total[0] else None,
        "agreeing_mean_confidence_own_report": round(total[3] / total[0], 5) if total[0] else None,
        "agreeing_mean_confidence_raised": round(total[2] / total[0], 5) if total[0] else None,
        "lifted_over_threshold": round(lifted, 1),
        "lifted_wrong": round(lifted_wrong, 2),
        "threshold": threshold,
        "reliability": {
            k: {
                "weight": round(v[0], 1),
                "accuracy": round(v[1] / v[0], 5),
                "mean_confidence": round(v[2] / v[0], 5),
                "mean_confidence_own_report": round(v[3] / v[0], 5),
            }
            for k, v in sorted(bins.items())
            if v[0] >= 0.05  # a bin only a sliver of a partner's chance reaches says nothing
        },
    }
