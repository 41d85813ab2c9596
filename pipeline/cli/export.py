"""`nianbao export`: the database's records as JSONL, CSV or Parquet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..untrusted import console_text
from .app import app, err, error_line


@app.command("export")
def export_command(
    output: Annotated[Path, typer.Argument(help="file to write: .jsonl, .csv or .parquet")],
    db: Annotated[
        str | None, typer.Option("--db", help="database URL or SQLite file (default: config)")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="jsonl | csv | parquet (default: by suffix)")
    ] = None,
    as_extracted: Annotated[
        bool, typer.Option("--as-extracted", help="leave review decisions out")
    ] = False,
) -> None:
    """Export stored records: JSONL = one record per line; CSV/Parquet = one row per field."""
    from sqlalchemy.exc import SQLAlchemyError

    from ..db import open_store
    from ..errors import NianbaoError
    from ..export import archive_checks_path, export, format_for
    from ..settings import load_settings

    try:
        kind = format_for(output, fmt)
        store = open_store(db or load_settings().db.url, write=False)
    except (ValueError, NianbaoError) as exc:
        error_line(exc)
        raise typer.Exit(2) from exc
    try:
        with store:
            n = export(store, output, kind, reviewed=not as_extracted)
    except (SQLAlchemyError, NianbaoError) as exc:
        error_line(f"{store.url.split('@')[-1]}: cannot read the records: {exc}".splitlines()[0])
        raise typer.Exit(2) from exc
    err.print(f"{n} documents written to {console_text(output)} ({kind})", highlight=False)
    beside = archive_checks_path(output, kind)
    if beside.exists():
        err.print(f"archive checks written to {console_text(beside)}", highlight=False)
