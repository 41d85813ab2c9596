"""`nianbao train`: the passage classifier, the calibration, the cross-year agreement, and the
held-out report.

The work is nianbao.training (on labelled documents from nianbao.synth); this module parses the
options, builds the pipelines and prints. Everything is seeded: the same configs reproduce the
same models. The models are saved where the pipeline loads them from: `sections.model` and
`calibration.path` in the models dir (pipeline/paths.py), which in an editable install of the
checkout is the repository's models/; set `models_dir` or $NIANBAO_MODELS to train elsewhere.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from ..errors import NianbaoError
from ..settings import TrainSettings, load_settings, load_train_settings
from .app import ConfigOption, app, build_pipeline, err

train_app = typer.Typer(help="Train the section classifier and the calibration (seeded).")
app.add_typer(train_app, name="train")
out = Console(soft_wrap=True)

TrainConfig = Annotated[
    Path | None,
    typer.Option(
        "--train-config",
        help="YAML merged over the training defaults (corpora sizes, seeds, epochs; "
        "configs/train/default.yaml lists them)",
    ),
]


def _train_settings(path: Path | None) -> TrainSettings:
    try:
        return load_train_settings(path)
    except NianbaoError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc


def _target(config: Path | None, which: str) -> Path:
    settings = load_settings(config)
    path = (
        settings.sections.model_path() if which == "sections" else settings.calibration.file_path()
    )
    if path is None:
        err.print(f"[red]error:[/] {which} is switched off in the config (null): nowhere to save")
        raise typer.Exit(2)
    return path


@train_app.command("sections")
def train_sections_command(train_config: TrainConfig = None, config: ConfigOption = None) -> None:
    """Train the passage classifier on generated reports; saves to sections.model."""
    from ..training.sections import train_sections

    cfg, target = _train_settings(train_config), _target(config, "sections")
    t0 = time.perf_counter()
    train_sections(cfg, target, log=out.print)
    out.print(f"saved {target} in {time.perf_counter() - t0:.0f} s")


@train_app.command("calibration")
def train_calibration_command(
    train_config: TrainConfig = None, config: ConfigOption = None
) -> None:
    """Fit the isotonic calibration on generated reports; saves to calibration.path.
    Re-run whenever confidence features, weights or the extraction change."""
    from ..runner import Pipeline
    from ..training.calibration import fit_calibration

    cfg, target = _train_settings(train_config), _target(config, "calibration")
    t0 = time.perf_counter()
    settings = load_settings(config)  # fitted on raw scores: the old calibration is not loaded
    uncalibrated = settings.calibration.model_copy(update={"path": None})
    pipeline = Pipeline(settings.model_copy(update={"calibration": uncalibrated}))
    with tempfile.TemporaryDirectory(prefix="nianbao-cal-") as tmp:
        cal = fit_calibration(cfg, pipeline, Path(tmp), log=out.print)
    cal.save(target)
    out.print(f"saved {target} in {time.perf_counter() - t0:.0f} s")


@train_app.command("cross-year")
def train_cross_year_command(train_config: TrainConfig = None, config: ConfigOption = None) -> None:
    """Measure what agreement across years is worth (the archive checks raise the confidence of
    a carried cell whose cross-year relation holds by it); saves to calibration.cross_year.
    Re-run after `nianbao train calibration`: the prior is the calibrated confidence."""
    from ..runner import Pipeline
    from ..training.cross_year import fit_cross_year

    cfg = _train_settings(train_config)
    settings = load_settings(config)
    target = settings.calibration.cross_year_path()
    if target is None:
        err.print("[red]error:[/] calibration.cross_year is null in the config: nowhere to save")
        raise typer.Exit(2)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nianbao-cross-year-") as tmp:
        agreement = fit_cross_year(
            cfg,
            Pipeline(settings),
            Path(tmp),
            settings.confidence.review_threshold,
            log=out.print,
        )
    agreement.save(target)
    out.print(f"saved {target} in {time.perf_counter() - t0:.0f} s")


@train_app.command("heldout")
def heldout_command(
    train_config: TrainConfig = None,
    config: ConfigOption = None,
    keep: Annotated[
        Path | None, typer.Option("--keep", help="write the held-out documents to this folder")
    ] = None,
    plot: Annotated[Path | None, typer.Option("--plot", help="reliability diagram PNG")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="the report as JSON")] = None,
) -> None:
    """Measure everything on the held-out split (documents training never sees)."""
    from ..training.heldout import heldout_report

    cfg = _train_settings(train_config)
    pipeline = build_pipeline(config)
    t0 = time.perf_counter()
    if keep is not None:
        report = heldout_report(cfg, pipeline, keep, plot)
    else:
        with tempfile.TemporaryDirectory(prefix="nianbao-heldout-") as tmp:
            report = heldout_report(cfg, pipeline, Path(tmp), plot)
    report["seconds"] = round(time.perf_counter() - t0, 1)
    print_heldout(report)
    if json_out is not None:
        json_out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


@train_app.command("all")
def train_all_command(train_config: TrainConfig = None, config: ConfigOption = None) -> None:
    """sections, then calibration (on the new classifier), the cross-year agreement (on the new
    calibration), then the held-out report."""
    train_sections_command(train_config, config)
    train_calibration_command(train_config, config)
    train_cross_year_command(train_config, config)
    heldout_command(train_config, config, None, None, None)


def print_heldout(report: dict[str, Any]) -> None:

    out.print(
        f"held-out split: {report['documents']} documents, {report['noisy_documents']} with "
        f"extraction errors {report['extraction_errors']}"
    )
    if "classifier" in report:
        c = report["classifier"]
        out.print(f"passage classifier alone: {c['accuracy']:.2%} of {c['passages']} passages")
    c = report["combined"]
    out.print(
        f"sections (headings + classifier): {c['accuracy']:.2%} of {c['passages']} passages "
        f"({c['unmatched']} not matched to a line)"
    )
    if c["confusions"]:
        out.print("  most frequent errors (wanted -> got, n): " + str(c["confusions"][:5]))
    f = report["fields"]
    out.print(f"fields: {f['fields']}, accuracy {f['accuracy']:.2%}, wrong {f['wrong']}")
    print_calibration(report["calibration"], f["wrong_fields_flagged"], f["review_load"])
    missed = f["wrong_unflagged"]
    out.print(f"wrong fields no evidence doubted (not flagged): {len(missed)}")
    for w in missed[:10]:
        out.print(f"  {w['doc']} {w['path']}: read {w['value']!r}, truth {w['truth']!r}")
    if "review_thresholds" in report:
        print_thresholds(report["review_thresholds"], "held-out split")
    if "shapes" in report:
        print_shapes(report["shapes"])


def print_shapes(s: dict[str, Any]) -> None:
    """The held-out documents in real-page shapes (nianbao.synth.shapes), apart."""
    from rich.table import Table

    f = s["fields"]
    out.print(
        f"real-page shapes: {s['documents']} held-out documents, {f['fields']} fields, "
        f"accuracy {f['accuracy']:.2%}, wrong {f['wrong']}, wrong flagged "
        f"{f['wrong_fields_flagged']}, review load {f['review_load']:.2%}"
    )
    for p in s["calibration"]["precision_at"]:
        prec = "-" if p["precision"] is None else f"{p['precision']:.3%}"
        out.print(f"  precision at confidence >= {p['threshold']}: {prec} ({p['fields']} fields)")
    t = Table(title="by shape (held-out)")
    for col in ("shape", "fields", "accuracy", "precision at >= 0.95", "wrong flagged"):
        t.add_column(col)

    def pct(x: float | None) -> str:
        return "-" if x is None else f"{x:.2%}"

    for name, r in s["by_shape"].items():
        t.add_row(
            name,
            str(r["fields"]),
            pct(r["accuracy"]),
            pct(r["precision_at_0.95"]),
            pct(r["wrong_flagged"]),
        )
    out.print(t)


def print_thresholds(rows: list[dict[str, Any]], where: str) -> None:
    from rich.table import Table

    t = Table(title=f"review_threshold trade-off ({where})")
    for col in ("review_threshold", "wrong flagged", "review load", "accuracy of unflagged"):
        t.add_column(col)
    for r in rows:
        t.add_row(
            str(r["threshold"]),
            "-" if r["wrong_flagged"] is None else f"{r['wrong_flagged']:.2%}",
            f"{r['review_load']:.2%}",
            "-" if r["unflagged_accuracy"] is None else f"{r['unflagged_accuracy']:.3%}",
        )
    out.print(t)


def print_calibration(cal: dict[str, Any], wrong_flagged: float | None, review_load: float) -> None:
    from rich.table import Table

    t = Table(title="reliability (calibrated confidence)")
    for col in ("confidence", "fields", "mean confidence", "accuracy", "gap"):
        t.add_column(col)
    for r in cal["reliability"]:
        if not r["fields"]:
            t.add_row(r["bin"], "0", "-", "-", "-")
            continue
        t.add_row(
            r["bin"],
            str(r["fields"]),
            f"{r['confidence']:.4f}",
            f"{r['accuracy']:.4f}",
            f"{r['gap']:.4f}",
        )
    out.print(t)
    out.print(f"expected calibration error (ECE): {cal['ece']:.4f}")
    for p in cal["precision_at"]:
        prec = "-" if p["precision"] is None else f"{p['precision']:.3%}"
        out.print(
            f"precision at confidence >= {p['threshold']}: {prec} ({p['fields']} fields, "
            f"{p['share']:.1%} of all)"
        )
    if wrong_flagged is not None:
        out.print(f"wrong fields flagged for review: {wrong_flagged:.2%}")
    out.print(f"review load (fields flagged): {review_load:.2%}")
