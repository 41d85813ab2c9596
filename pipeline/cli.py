"""The `nianbao` command. Thin: argument handling and output only; the work is in runner."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from pipeline.datamodel.record import ReportRecord, record_json_schema
from pipeline.errors import NianbaoError
from pipeline.runner import Pipeline
from pipeline.settings import load_settings

app = typer.Typer(
    help="Turn 政府信息公开工作年度报告 into verified, machine-readable records.",
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True, soft_wrap=True)

# --config, as every command that runs the pipeline takes it
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="YAML merged over configs/default.yaml")
]

STATUS_STYLE = {"ok": "green", "partial": "yellow", "failed": "red"}


def _dump(record: ReportRecord) -> str:
    return record.model_dump_json(indent=2)


def _summary(record: ReportRecord) -> str:
    meta = record.meta
    flagged = len(record.review.fields)
    failed = sum(1 for c in record.checks if c.passed is False and c.severity == "hard")
    parts = [
        f"[{STATUS_STYLE[record.status.value]}]{record.status.value}[/]",
        record.source.path,
        f"{meta.agency.value or '?'} {meta.year.value or '?'}",
        f"template {record.template.version}",
        f"{failed} failed checks",
        f"{flagged} fields to review",
    ]
    parts += [f"[red]{e.code}[/]: {e.message}" for e in record.errors]
    return " · ".join(parts)


def _pipeline(config: Path | None) -> Pipeline:
    """The pipeline for a --config file; a bad config ends the command with exit code 2."""
    try:
        return Pipeline(load_settings(config))
    except NianbaoError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="report files (.txt, .md, .html)")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="write the record here (one input)")
    ] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out-dir", help="write <stem>.json per input here")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Extract one record per report. Exit code 1 if any record has status `failed`."""
    if output is not None and len(files) != 1:
        raise typer.BadParameter("-o takes exactly one input file; use --out-dir for several")
    pipeline = _pipeline(config)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    any_failed = False
    for path in files:
        record = pipeline.run(path)
        any_failed |= record.status.value == "failed"
        if output is not None:
            output.write_text(_dump(record), encoding="utf-8")
        elif out_dir is not None:
            (out_dir / f"{path.stem}.json").write_text(_dump(record), encoding="utf-8")
        else:
            sys.stdout.write(_dump(record) + "\n")
        err.print(_summary(record), highlight=False)
    raise typer.Exit(1 if any_failed else 0)


@app.command("eval")
def evaluate_command(
    directory: Annotated[Path, typer.Argument(help="folder with documents and <name>.truth.json")],
    json_out: Annotated[
        Path | None, typer.Option("--json", help="write the full summary as JSON")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Compare records with truth files: accuracy by group, OCR CER, confidence vs accuracy."""
    from rich.table import Table

    from pipeline.evaluate import evaluate, load_truth, summary, truth_files

    pairs = list(truth_files(directory))
    if not pairs:
        err.print(f"[red]error:[/] {directory}: no <name>.truth.json files found")
        raise typer.Exit(2)
    pipeline = _pipeline(config)
    results = []
    for doc_path, truth_path in pairs:
        doc, record = pipeline.run_doc(doc_path)
        results.append(evaluate(doc, record, str(doc_path), load_truth(truth_path)))
    report = summary(results)
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
    if report["wrong_fields_flagged"] is not None:
        out.print(f"wrong fields flagged for review: {report['wrong_fields_flagged']:.2%}")
    out.print(f"review load (fields flagged): {report['review_load']:.2%}")
    if json_out is not None:
        json_out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="write to this file")
    ] = None,
) -> None:
    """Print the JSON Schema of the record (generated from the pydantic models)."""
    text = json.dumps(record_json_schema(), ensure_ascii=False, indent=2)
    if output is None:
        sys.stdout.write(text + "\n")
    else:
        output.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    app()
