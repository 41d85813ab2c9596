"""The held-out report (`nianbao train heldout`): every figure of issue #5 on documents
training never sees (the held-out split, with extraction noise)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..settings import TrainSettings
from .calibration import threshold_table
from .documents import heldout_shaped, labelled_docs, run_labelled
from .sections import decoded_outcomes, passages, score_classifier

if TYPE_CHECKING:
    from ..runner import Pipeline


def heldout_report(
    cfg: TrainSettings, pipeline: Pipeline, folder: Path, plot: Path | None = None
) -> dict[str, Any]:
    """Every figure of the issue on the held-out split: the classifier alone, headings +
    classifier on whole documents, and the calibrated fields."""
    from ..evaluate import evaluate, plot_reliability, summary

    docs = list(labelled_docs("heldout", cfg.heldout_seed, cfg.heldout_docs, noise=cfg.noise))
    out: dict[str, Any] = {
        "documents": len(docs),
        "noisy_documents": sum(bool(d.extraction_errors) for d in docs),
        "extraction_errors": dict(
            Counter(e.split(":")[0] for d in docs for e in d.extraction_errors).most_common()
        ),
    }
    classifier = pipeline.sections_classifier()
    if classifier is not None:
        out["classifier"] = score_classifier(classifier, passages(docs)).as_dict()
    outcomes: list[tuple[str, str]] = []
    results = []
    flagged_other: list[bool] = []  # flagged for a reason other than low confidence
    for d, doc, record in run_labelled(pipeline, docs, folder):
        outcomes += decoded_outcomes(doc, d)
        results.append(evaluate(doc, record, d.name, d.truth, pipeline.settings.confidence))
        flagged_other += [
            any(r != "low_confidence" for r in record.get(f.path).review.reasons)
            for f in results[-1].fields
        ]
    wrong = Counter((w, g) for w, g in outcomes if w != g)
    out["combined"] = {
        "passages": len(outcomes),
        "accuracy": round(sum(w == g for w, g in outcomes) / len(outcomes), 4),
        "unmatched": sum(g == "unmatched" for _, g in outcomes),
        "confusions": [[w, g, n] for (w, g), n in wrong.most_common(10)],
    }
    report = summary(results, pipeline.settings.calibration)
    out["fields"] = {
        k: report[k]
        for k in ("fields", "accuracy", "by_group", "wrong_fields_flagged", "review_load")
    }
    fields = [f for r in results for f in r.fields]
    out["fields"]["wrong"] = sum(not f.correct for f in fields)
    # wrong fields no evidence doubted: the raw score as high as it goes for their method
    out["fields"]["wrong_unflagged"] = [
        {"doc": w["doc"], "path": w["path"], "truth": w["truth"], "value": w["value"]}
        for w in report["wrong"]
        if not w["flagged"]
    ]
    out["calibration"] = report["calibration"]
    cal_path = pipeline.settings.calibration.file_path()
    if cal_path:
        from ..calibration import Calibration

        cal = Calibration.load(cal_path)
        labelled = [
            (
                f.raw_score if f.raw_score is not None else f.confidence,
                f.correct,
                other,
                f.family or "none",
            )
            for f, other in zip(fields, flagged_other, strict=True)
        ]
        out["review_thresholds"] = threshold_table(cal, labelled, cfg.review_thresholds)
    if plot is not None:
        plot_reliability(
            [f for r in results for f in r.fields], pipeline.settings.calibration, plot
        )
    if cfg.shapes.heldout_docs:
        out["shapes"] = shape_figures(cfg, pipeline, folder / "shapes")
    return out


def shape_figures(cfg: TrainSettings, pipeline: Pipeline, folder: Path) -> dict[str, Any]:
    """The figures on held-out documents in the real-page shapes (nianbao.synth.shapes), apart
    from the others (so theirs stay comparable): fields, calibration, and by shape."""
    from ..evaluate import evaluate, summary

    docs = heldout_shaped(cfg)
    results = []
    outcomes: list[tuple[str, str]] = []
    for d, doc, record in run_labelled(pipeline, docs, folder):
        outcomes += decoded_outcomes(doc, d)
        results.append(evaluate(doc, record, d.name, d.truth, pipeline.settings.confidence))
    report = summary(results, pipeline.settings.calibration)
    fields = [f for r in results for f in r.fields]
    by_shape: dict[str, list[Any]] = {}
    for d, r in zip(docs, results, strict=True):
        for name in d.shapes:
            by_shape.setdefault(name, []).extend(r.fields)

    def figures(fs: list[Any]) -> dict[str, Any]:
        wrong = [f for f in fs if not f.correct]
        sure = [f for f in fs if f.confidence >= 0.95]
        return {
            "fields": len(fs),
            "accuracy": round(sum(f.correct for f in fs) / len(fs), 4) if fs else None,
            "precision_at_0.95": round(sum(f.correct for f in sure) / len(sure), 4)
            if sure
            else None,
            "wrong_flagged": round(sum(f.flagged for f in wrong) / len(wrong), 4)
            if wrong
            else None,
        }

    return {
        "documents": len(docs),
        "sections_accuracy": round(sum(w == g for w, g in outcomes) / len(outcomes), 4)
        if outcomes
        else None,
        "fields": {
            **{k: report[k] for k in ("fields", "accuracy", "by_group", "review_load")},
            "wrong": sum(not f.correct for f in fields),
            "wrong_fields_flagged": report["wrong_fields_flagged"],
        },
        "calibration": report["calibration"],
        "by_shape": {k: figures(v) for k, v in sorted(by_shape.items())},
    }
