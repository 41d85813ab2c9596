"""The typer app and what every command shares: --config, the pipeline builder, summaries."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.logging import RichHandler

from ..datamodel.record import ReportRecord
from ..errors import NianbaoError
from ..runner import Pipeline
from ..settings import load_settings
from ..untrusted import console_text, record_json

app = typer.Typer(
    help="Turn 政府信息公开工作年度报告 into verified, machine-readable records.",
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True, soft_wrap=True)


@app.callback()
def _main(
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            help="log what the pipeline does to stderr: -v stage errors with their "
            "tracebacks and warnings, -vv progress too",
        ),
    ] = 0,
) -> None:
    """Quiet by default: each record's summary line names its errors. --verbose logs them."""
    if verbose:
        handler = RichHandler(console=err, show_path=False, rich_tracebacks=False, markup=False)
        logger = logging.getLogger("nianbao")
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING if verbose == 1 else logging.DEBUG)


# --config, as every command that runs the pipeline takes it
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", help="YAML merged over the defaults (configs/default.yaml lists them)"
    ),
]

STATUS_STYLE = {"ok": "green", "partial": "yellow", "failed": "red"}


def dump_record(record: ReportRecord) -> str:
    return record_json(record, indent=2)


def summary_line(record: ReportRecord) -> str:
    meta = record.meta
    flagged = len(record.review.fields)
    failed = sum(1 for c in record.checks if c.passed is False and c.severity == "hard")
    parts = [
        f"[{STATUS_STYLE[record.status.value]}]{record.status.value}[/]",
        console_text(record.source.path),
        console_text(f"{meta.agency.value or '?'} {meta.year.value or '?'}"),
        f"template {record.template.version}",
        f"{failed} failed checks",
        f"{flagged} fields to review",
    ]
    parts += [f"[red]{e.code}[/]: {console_text(e.message)}" for e in record.errors]
    return " · ".join(parts)


def error_line(exc: BaseException | str) -> None:
    """One `error:` line on stderr; the message is untrusted (paths, URLs): escaped."""
    err.print(f"[red]error:[/] {console_text(exc)}", highlight=False)


def build_pipeline(config: Path | None) -> Pipeline:
    """The pipeline for a --config file; a bad config ends the command with exit code 2."""
    try:
        return Pipeline(load_settings(config))
    except NianbaoError as exc:
        error_line(exc)
        raise typer.Exit(2) from exc
