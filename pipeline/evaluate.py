"""Compare records with truth files: field accuracy by group, OCR CER, confidence vs accuracy.

A truth file `<name>.truth.json` sits beside its document (tests/data/reports/, sample_scans/):
`meta` (agency, year, publish_date), `values` (contract path -> value; null = not in the
document), optionally `pages` ([{page, text}] for character error rate) and `template_version`.
A field is right when its value equals the truth (numbers compared as numbers; a truth of null
wants no value; a truth of "n/a" wants a not-applicable cell, "/" or "—" as printed). Used by
`nianbao eval` and the benchmarks.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein

from .calibration import expected_calibration_error, precision_at, reliability
from .confidence import score as raw_score
from .datamodel.document import ReportDoc
from .datamodel.record import ReportRecord
from .settings import CalibrationSettings, ConfidenceSettings

GROUPS = {
    "meta": "meta",
    "active_disclosure": "table 二",
    "applications": "table 三",
    "review_litigation": "table 四",
    "items": "items",
}
NOT_APPLICABLE = "n/a"  # a truth file's value for a "/" cell
BINS = [0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0001]
_SPACE = re.compile(r"\s+")


@dataclass
class FieldResult:
    path: str
    group: str
    truth: Any
    value: Any
    confidence: float
    flagged: bool
    raw_score: float | None = None  # before calibration (pipeline/confidence.py)
    semantic: str | None = None
    family: str | None = None  # the method's family: which calibration map scored it

    @property
    def correct(self) -> bool:
        if self.truth == NOT_APPLICABLE:
            return self.semantic == "not_applicable"
        if isinstance(self.truth, int | float) and isinstance(self.value, int | float):
            return abs(float(self.truth) - float(self.value)) < 1e-6
        return bool(self.truth == self.value)


@dataclass
class DocResult:
    name: str
    status: str
    fields: list[FieldResult] = field(default_factory=list)
    cer: float | None = None  # character error rate over the pages with truth text
    chars: int = 0
    variant: dict[str, Any] = field(default_factory=dict)


def truth_files(root: Path) -> Iterator[tuple[Path, Path]]:
    """(document, truth) pairs under `root`: the document is the file with the truth's stem."""
    for truth in sorted(root.rglob("*.truth.json")):
        stem = truth.name.removesuffix(".truth.json")
        docs = [
            p for p in truth.parent.glob(stem + ".*") if p != truth and not p.name.endswith(".json")
        ]
        if docs:
            yield docs[0], truth


def compare(
    record: ReportRecord, truth: dict[str, Any], confidence: ConfidenceSettings | None = None
) -> list[FieldResult]:
    expected: dict[str, Any] = {f"meta.{k}": v for k, v in truth.get("meta", {}).items()}
    expected.update(truth.get("values", {}))
    out = []
    for path, want in expected.items():
        try:
            got = record.get(path)
        except KeyError:
            continue  # a key the truth has but this record version does not
        out.append(
            FieldResult(
                path=path,
                group=GROUPS.get(path.split(".")[0], "other"),
                truth=want,
                value=got.value,
                confidence=got.confidence,
                flagged=got.review.needed,
                raw_score=None if confidence is None else raw_score(got, confidence),
                semantic=got.semantic.value,
                family=got.method.family,
            )
        )
    return out


def _document_texts(doc: ReportDoc, pages: list[dict[str, Any]]) -> tuple[str, str]:
    """(read, truth) over the pages the truth covers, whitespace removed. Whole documents are
    compared, not page by page: a paragraph that continues over a page break is one line."""
    numbers = {p["page"] for p in pages}
    want = "".join(_SPACE.sub("", p["text"]) for p in pages)
    got = "".join(_SPACE.sub("", ln.raw) for ln in doc.lines if ln.page in numbers)
    return got, want


def page_cer(doc: ReportDoc, pages: list[dict[str, Any]]) -> tuple[float, int]:
    """Character error rate in reading order (edit distance / truth length)."""
    got, want = _document_texts(doc, pages)
    return (Levenshtein.distance(got, want) / len(want) if want else 0.0), len(want)


def page_bag_cer(doc: ReportDoc, pages: list[dict[str, Any]]) -> float:
    """Order-free character error rate after NFKC (full-width and half-width forms equal):
    characters missing or extra whatever their order, i.e. recognition errors without the
    reading-order differences of merged table cells."""
    got, want = (Counter(unicodedata.normalize("NFKC", t)) for t in _document_texts(doc, pages))
    n = sum(want.values())
    return max(sum((want - got).values()), sum((got - want).values())) / n if n else 0.0


def evaluate(
    doc: ReportDoc,
    record: ReportRecord,
    name: str,
    truth: dict[str, Any],
    confidence: ConfidenceSettings | None = None,
) -> DocResult:
    result = DocResult(name=name, status=record.status.value, variant=truth.get("variant", {}))
    result.fields = compare(record, truth, confidence)
    if truth.get("pages") and doc.pages:
        result.cer, result.chars = page_cer(doc, truth["pages"])
    return result


def calibration_summary(fields: list[FieldResult], settings: CalibrationSettings) -> dict[str, Any]:
    """Reliability table, ECE and precision at the configured thresholds."""
    conf = [f.confidence for f in fields]
    right = [f.correct for f in fields]
    return {
        "ece": round(expected_calibration_error(conf, right, settings.bins), 5),
        "reliability": reliability(conf, right, settings.bins),
        "precision_at": [precision_at(conf, right, t) for t in settings.precision_at],
    }


def plot_reliability(fields: list[FieldResult], settings: CalibrationSettings, out: Path) -> None:
    """The reliability diagram (accuracy against confidence per bin, with field counts)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in calibration_summary(fields, settings)["reliability"] if r["fields"]]
    fig, (ax, hist) = plt.subplots(
        2, 1, figsize=(5, 6), sharex=True, gridspec_kw={"height_ratios": [3, 1]}
    )
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    ax.plot(
        [r["confidence"] for r in rows], [r["accuracy"] for r in rows], marker="o", label="fields"
    )
    ax.set_ylabel("accuracy")
    ax.set_title(f"reliability ({len(fields)} fields)")
    ax.legend(loc="upper left")
    width = 1 / settings.bins
    hist.bar([r["confidence"] for r in rows], [r["fields"] for r in rows], width=width * 0.8)
    hist.set_yscale("log")
    hist.set_xlabel("confidence")
    hist.set_ylabel("fields")
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)


def summary(
    results: list[DocResult], calibration: CalibrationSettings | None = None
) -> dict[str, Any]:
    fields = [f for r in results for f in r.fields]
    groups: dict[str, list[FieldResult]] = defaultdict(list)
    for f in fields:
        groups[f.group].append(f)
    wrong = [f for f in fields if not f.correct]
    table = []
    for lo, hi in itertools.pairwise(BINS):
        b = [f for f in fields if lo <= f.confidence < hi]
        table.append(
            {
                "confidence": f"[{lo:.2f}, {min(hi, 1.0):.2f}{']' if hi > 1 else ')'}",
                "fields": len(b),
                "accuracy": round(sum(f.correct for f in b) / len(b), 4) if b else None,
                "flagged": round(sum(f.flagged for f in b) / len(b), 4) if b else None,
            }
        )
    cer_docs = [r for r in results if r.cer is not None]
    total_chars = sum(r.chars for r in cer_docs)
    return {
        "documents": len(results),
        "fields": len(fields),
        "accuracy": round(sum(f.correct for f in fields) / len(fields), 4) if fields else None,
        "by_group": {
            g: {"fields": len(fs), "accuracy": round(sum(f.correct for f in fs) / len(fs), 4)}
            for g, fs in sorted(groups.items())
        },
        "wrong_fields_flagged": round(sum(f.flagged for f in wrong) / len(wrong), 4)
        if wrong
        else None,
        "review_load": round(sum(f.flagged for f in fields) / len(fields), 4) if fields else None,
        "cer": round(sum((r.cer or 0.0) * r.chars for r in cer_docs) / total_chars, 5)
        if total_chars
        else None,
        "confidence_table": table,
        "calibration": calibration_summary(fields, calibration) if calibration else None,
        "wrong": [
            {
                "doc": r.name,
                "path": f.path,
                "truth": f.truth,
                "value": f.value,
                "flagged": f.flagged,
            }
            for r in results
            for f in r.fields
            if not f.correct
        ],
    }


def load_truth(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
