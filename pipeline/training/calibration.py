"""Fitting the calibration (`nianbao train calibration`): the isotonic map from raw field
scores to probabilities (nianbao.calibration, applied by confidence.Scorer), fitted on the
fields of noisy training-split documents, and the review-threshold table that goes with it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..settings import TrainSettings
from . import Log
from .documents import calibration_split, run_labelled

if TYPE_CHECKING:
    from ..calibration import Calibration
    from ..runner import Pipeline
    from ..synth.labelled import LabelledDoc


Labelled = tuple[float, bool, bool, str]  # raw score, right?, flagged otherwise, method family


def labelled_fields(pipeline: Pipeline, docs: list[LabelledDoc], folder: Path) -> list[Labelled]:
    """(raw score, right?, flagged for a reason other than low confidence, method family) per
    field."""
    from ..evaluate import compare

    out = []
    for d, _, record in run_labelled(pipeline, docs, folder):
        for f in compare(record, d.truth, pipeline.settings.confidence):
            reasons = record.get(f.path).review.reasons
            other = any(r != "low_confidence" for r in reasons)
            raw = f.raw_score if f.raw_score is not None else f.confidence
            out.append((raw, f.correct, other, f.family or "none"))
    return out


def threshold_table(
    cal: Calibration, fields: list[Labelled], thresholds: list[float]
) -> list[dict[str, Any]]:
    """What each review threshold would give on these fields: share of wrong fields flagged,
    review load (share of all fields flagged), and the accuracy of the fields not flagged."""
    rows = []
    n_wrong = sum(not right for _, right, _, _ in fields)
    for th in thresholds:
        flagged = [other or cal(raw, family) < th for raw, _, other, family in fields]
        pairs = list(zip(flagged, fields, strict=True))
        wrong_flagged = sum(f for f, (_, right, _, _) in pairs if not right)
        kept = [right for f, (_, right, _, _) in pairs if not f]
        rows.append(
            {
                "threshold": th,
                "wrong_flagged": round(wrong_flagged / n_wrong, 4) if n_wrong else None,
                "review_load": round(sum(flagged) / len(fields), 4),
                "unflagged_accuracy": round(sum(kept) / len(kept), 5) if kept else None,
            }
        )
    return rows


def fit_calibration(
    cfg: TrainSettings, pipeline: Pipeline, folder: Path, log: Log = print
) -> Calibration:
    """Isotonic map fitted on the fields of `calibration_docs` training-split documents with
    extraction noise (after the classifier's documents, so neither sees the other's), run
    through `pipeline` (which must not load a calibration: the map is fitted on raw scores)."""
    from ..calibration import fit_grouped

    docs = calibration_split(cfg)
    fields = labelled_fields(pipeline, docs, folder)
    cal = fit_grouped(
        [f[0] for f in fields],
        [f[1] for f in fields],
        [f[3] for f in fields],
        cfg.calibration_group_min_fields,
        cfg.calibration_group_min_wrong,
    )
    table = threshold_table(cal, fields, cfg.review_thresholds)
    cal.info.update(
        {
            "documents": len(docs),
            "noisy_documents": sum(bool(d.extraction_errors) for d in docs),
            "shaped_documents": sum(bool(d.shapes) for d in docs),
            "seed": cfg.seed,
            "first_document": cfg.train_docs,
            "noise": cfg.noise.model_dump(),
            "shapes": cfg.shapes.model_dump(),
            "review_thresholds": table,
            "fitted_by": "nianbao train calibration",
        }
    )
    log(
        f"calibration: {len(fields)} fields ({cal.info['wrong_fields']} wrong) from {len(docs)} "
        f"documents ({cal.info['noisy_documents']} with extraction errors, "
        f"{cal.info['shaped_documents']} in real-page shapes); maps of their own: "
        + (", ".join(f"{k} ({g.info['fields']} fields)" for k, g in cal.groups.items()) or "none")
    )
    for row in table:
        log(
            f"  review_threshold {row['threshold']}: wrong flagged {row['wrong_flagged']}, "
            f"review load {row['review_load']}, unflagged accuracy {row['unflagged_accuracy']}"
        )
    return cal
