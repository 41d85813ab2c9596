"""`nianbao eval`: records against truth files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .app import ConfigOption, app, build_pipeline, error_line


@app.command("eval")
def evaluate_command(
    directory: Annotated[Path, typer.Argument(help="folder with documents and <name>.truth.json")],
    json_out: Annotated[
        Path | None, typer.Option("--json", help="write the full summary as JSON")
    ] = None,
    config: ConfigOption = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="write the reliability diagram as a PNG")
    ] = None,
) -> None:
    """Compare records with truth files: accuracy by group, OCR CER, confidence vs accuracy."""
    from rich.table import Table

    from ..evaluate import evaluate, load_truth, plot_reliability, summary, truth_files
    from .train import print_calibration

    pairs = list(truth_files(directory))
    if not pairs:
        error_line(f"{directory}: no <name>.truth.json files found")
        raise typer.Exit(2)
    pipeline = build_pipeline(config)
    results = []
    for doc_path, truth_path in pairs:
        doc, record = pipeline.run_doc(doc_path)
        truth = load_truth(truth_path)
        results.append(evaluate(doc, record, str(doc_path), truth, pipeline.settings.confidence))
    report = summary(results, pipeline.settings.calibration)
    out = Console(soft_wrap=True)
    groups = Table(title=f"field accuracy ({report['documents']} documents)")
    for col in ("group", "fields", "accuracy"):
        groups.add_column(col)
    for name, g in report["by_group"].items():
        groups.add_row(name, str(g["fields"]), f"{g['accuracy']:.2%}")
    groups.add_row("all", str(report["fields"]), f"{report['accuracy']:.2%}")
    out.print(groups)
    conf = Table(title="confidence against accuracy")
    for col in ("confidence", "fields", "accuracy", "flagged for review"):
        conf.add_column(col)
    for row in report["confidence_table"]:
        acc, flag = row["accuracy"], row["flagged"]
        conf.add_row(
            row["confidence"],
            str(row["fields"]),
            "-" if acc is None else f"{acc:.2%}",
            "-" if flag is None else f"{flag:.2%}",
        )
    out.print(conf)
    if report["cer"] is not None:
        out.print(f"OCR character error rate: {report['cer']:.3%}")
    print_calibration(report["calibration"], report["wrong_fields_flagged"], report["review_load"])
    if plot is not None:
        plot_reliability(
            [f for r in results for f in r.fields], pipeline.settings.calibration, plot
        )
        out.print(f"reliability diagram: {plot}")
    if json_out is not None:
        json_out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
