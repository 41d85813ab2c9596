"""`nianbao extract`: one record per report file."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from ..datamodel.base import ErrorCode
from ..datamodel.record import ReportRecord
from ..runner import Pipeline
from ..untrusted import escape_name
from .app import ConfigOption, app, build_pipeline, dump_record, err, summary_line


class _DocumentTimeout(BaseException):
    """Raised into the pipeline by the alarm; a BaseException, so no stage's `except
    Exception` turns it into a stage error."""


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """SIGALRM after `seconds` (main thread, POSIX): the running document is abandoned."""
    usable = seconds and hasattr(signal, "setitimer")
    if not usable or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise _DocumentTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, float(seconds or 0))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_limited(pipeline: Pipeline, path: Path) -> ReportRecord:
    """One document under `limits.extract_timeout_s`: past it, a `failed` record (`timeout`)
    instead of a hang; the next document runs as usual."""
    from ..batch.work import failure_record

    limit = pipeline.settings.limits.extract_timeout_s
    try:
        with _time_limit(limit):
            return pipeline.run(path)
    except _DocumentTimeout:
        label = escape_name(str(path))
        return failure_record(
            pipeline.settings,
            label,
            "",
            ErrorCode.timeout,
            f"{label}: stopped after {limit} s (limits.extract_timeout_s)",
        )


@app.command()
def extract(
    files: Annotated[
        list[Path], typer.Argument(help="PDF (text layer or scan), PNG/JPEG/TIFF, .txt/.md/.html")
    ],
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
    pipeline = build_pipeline(config)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    any_failed = False
    for path in files:
        record = run_limited(pipeline, path)
        any_failed |= record.status.value == "failed"
        if output is not None:
            output.write_text(dump_record(record), encoding="utf-8")
        elif out_dir is not None:
            (out_dir / f"{path.stem}.json").write_text(dump_record(record), encoding="utf-8")
        else:
            sys.stdout.write(dump_record(record) + "\n")
        err.print(summary_line(record), highlight=False)
    raise typer.Exit(1 if any_failed else 0)
