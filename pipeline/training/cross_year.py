"""Fitting what cross-year agreement is worth (`nianbao train cross-year`): the likelihood ratio
of pipeline/archive/agreement.py, measured on the carried cells of labelled documents read by
the calibrated pipeline, and checked on the held-out split.

The documents are the calibration's (noisy training-split documents, plain and in real-page
shapes) and the held-out report's (another seed, other agencies): each is read alone, as a
report of an archive is; pairs of reports come from pairing their readings (agreement.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..archive.agreement import Agreement, Reading, evaluate, fit
from ..archive.rules import bound_checks
from ..datamodel.base import ReviewReason
from ..settings import TrainSettings
from . import Log
from .documents import calibration_split, heldout_shaped, labelled_docs, run_labelled

if TYPE_CHECKING:
    from ..runner import Pipeline
    from ..synth.labelled import LabelledDoc


def carried_paths() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """path -> (role, binding) of every cell of a confidence-raising cross-year rule, and each
    role's partner role (the other side's row: carried_over <-> carried_forward)."""
    paths: dict[str, tuple[str, str]] = {}
    partner: dict[str, str] = {}
    for check in bound_checks():
        if not check.rule.raises_confidence:
            continue
        (a,), (b,) = check.lhs, check.rhs
        role_a, role_b = (_role(t.path, check.binding) for t in (a, b))
        paths[a.path], paths[b.path] = (role_a, check.binding), (role_b, check.binding)
        partner[role_a], partner[role_b] = role_b, role_a
    return paths, partner


def _role(path: str, binding: str) -> str:
    """The path without its bound name (applications.carried_over.{col}: the row's path)."""
    parts = [p for p in path.split(".") if p != binding]
    return ".".join(parts)


def readings(pipeline: Pipeline, docs: list[LabelledDoc], folder: Path) -> list[Reading]:
    paths, _ = carried_paths()
    low = ReviewReason.low_confidence.value
    out = []
    for d, _, record in run_labelled(pipeline, docs, folder):
        truth = d.truth.get("values", {})
        for path, (role, column) in paths.items():
            if path not in truth:
                continue
            f = record.get(path)
            value = f.value if isinstance(f.value, int | float) else None
            out.append(
                Reading(
                    document=d.name,
                    role=role,
                    column=column,
                    truth=truth[path],
                    value=value,
                    confidence=f.confidence,
                    doubted=any(r != low for r in f.review.reasons),
                )
            )
    return out


def fit_cross_year(
    cfg: TrainSettings, pipeline: Pipeline, folder: Path, threshold: float, log: Log = print
) -> Agreement:
    """Fit on the calibration documents, evaluate on the held-out ones (`pipeline` must load
    the calibration: the prior is the calibrated confidence)."""
    _, partner = carried_paths()
    train = calibration_split(cfg)
    heldout = list(labelled_docs("heldout", cfg.heldout_seed, cfg.heldout_docs, noise=cfg.noise))
    heldout += heldout_shaped(cfg)
    fitted = fit(readings(pipeline, train, folder / "train"), partner)
    check = evaluate(fitted, readings(pipeline, heldout, folder / "heldout"), partner, threshold)
    info = {
        **fitted.info,
        "documents": len(train),
        "heldout_documents": len(heldout),
        "seed": cfg.seed,
        "heldout_seed": cfg.heldout_seed,
        "heldout": check,
        "fitted_by": "nianbao train cross-year",
    }
    agreement = Agreement(fitted.likelihood_ratio, info)
    log(
        f"cross-year agreement: LR {agreement.likelihood_ratio} from {info['readings']} carried "
        f"cells of {len(train)} documents ({info['wrong_readings']} misread; P(agree) "
        f"{info['p_agree_if_right']} if right, {info['p_agree_if_wrong']} if wrong)"
    )
    log(
        f"  held-out ({len(heldout)} documents): {check['lifted_over_threshold']} agreeing cells "
        f"out of review at {threshold} of {check['expected_agreeing']}, "
        f"{check['lifted_wrong']} of them wrong"
    )
    log(
        f"  agreeing cells right {check['agreeing_accuracy']}; mean confidence "
        f"{check['agreeing_mean_confidence_own_report']} from their own report, "
        f"{check['agreeing_mean_confidence_raised']} raised"
    )
    for name, row in check["reliability"].items():
        log(
            f"  raised confidence {name}: accuracy {row['accuracy']} "
            f"(mean confidence {row['mean_confidence']}, weight {row['weight']})"
        )
    return agreement
