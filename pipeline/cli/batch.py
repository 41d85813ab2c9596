"""`nianbao batch`: folders, globs and zip/tar archives into a database, resumable."""

from __future__ import annotations

import time
from collections import Counter
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from ..datamodel.record import ReportRecord
from ..untrusted import console_text
from .app import ConfigOption, app, err, error_line


class _Bar:
    """Documents, pages, pages/s, ETA and errors so far, on stderr."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None
        self.pages = 0
        self.errors = 0
        self.t0 = time.perf_counter()

    def start(self, total: int) -> None:
        self.t0 = time.perf_counter()
        self.task = self.progress.add_task("documents", total=total, pages=0, rate=0.0, errors=0)

    def skipped(self, label: str) -> None:
        assert self.task is not None
        self.progress.update(self.task, advance=1)

    def finished(self, label: str, record: ReportRecord) -> None:
        assert self.task is not None
        self.pages += record.source.pages or 0
        if record.status.value == "failed":
            self.errors += 1
            codes = ", ".join(e.code for e in record.errors)
            self.progress.console.print(
                f"[red]failed[/] {console_text(label)}: {codes}", highlight=False
            )
        rate = self.pages / max(time.perf_counter() - self.t0, 1e-9)
        self.progress.update(self.task, advance=1, pages=self.pages, rate=rate, errors=self.errors)


@app.command("batch")
def batch_command(
    inputs: Annotated[
        list[str], typer.Argument(help="files, folders, globs ('reports/**/*.pdf'), zip/tar")
    ],
    db: Annotated[
        str | None,
        typer.Option("--db", help="database URL or SQLite file (default: config db.url)"),
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="worker processes (config batch)")
    ] = None,
    dask: Annotated[
        str | None,
        typer.Option("--dask", help="Dask scheduler address (tcp://host:8786) or 'local'"),
    ] = None,
    retry: Annotated[
        bool,
        typer.Option("--retry", help="run again documents that failed by timeout, memory, crash"),
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Process every document into the database; rerun to resume. Exit 1 if any failed."""
    from rich.table import Table
    from sqlalchemy.exc import SQLAlchemyError

    from ..batch import run_batch
    from ..db import open_store
    from ..errors import NianbaoError
    from ..settings import load_settings

    try:
        settings = load_settings(config)
        store = open_store(db or settings.db.url, write=True)
    except NianbaoError as exc:
        error_line(exc)
        raise typer.Exit(2) from exc
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[pages]} pages · {task.fields[rate]:.2f} pages/s"),
        TextColumn("[red]{task.fields[errors]} failed"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    try:
        with store, Progress(*columns, console=err, transient=False) as progress:
            stats = run_batch(
                inputs,
                store,
                settings,
                workers=workers,
                dask=dask,
                retry=retry,
                progress=_Bar(progress),
            )
    except NianbaoError as exc:
        error_line(exc)
        raise typer.Exit(2) from exc
    except SQLAlchemyError as exc:  # the database failed under the batch (gone, full, locked)
        error_line(f"{store.url.split('@')[-1]}: the database failed: {exc}".splitlines()[0])
        raise typer.Exit(2) from exc
    except KeyboardInterrupt:
        err.print("[yellow]interrupted[/]: finished documents are saved; rerun to resume")
        raise typer.Exit(130) from None
    summary = Table(title="batch summary", show_header=False)
    summary.add_row("documents found", str(stats.found))
    summary.add_row("processed now", str(stats.processed))
    summary.add_row("skipped (already in the database)", str(stats.skipped))
    for status in ("ok", "partial", "failed"):
        summary.add_row(f"  {status}", str(stats.statuses[status]))
    summary.add_row("pages", str(stats.pages))
    rate = stats.pages / stats.seconds if stats.seconds else 0.0
    summary.add_row("wall time", f"{stats.seconds:.1f} s ({rate:.2f} pages/s)")
    if stats.worker_peaks_mb:
        summary.add_row("peak worker memory", f"{max(stats.worker_peaks_mb):.0f} MB")
    if stats.archive is not None:
        summary.add_row("archive checks", stats.archive.line().removeprefix("archive: "))
    summary.add_row("database", console_text(store.url.split("@")[-1]))
    err.print(summary)
    if stats.failures:
        by_code = Counter(code for _, code, _ in stats.failures)
        err.print("failed: " + ", ".join(f"{code} ×{n}" for code, n in by_code.most_common()))
    raise typer.Exit(1 if stats.failed else 0)
