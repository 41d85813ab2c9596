"""`nianbao extract`: one record per report file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .app import ConfigOption, app, build_pipeline, dump_record, err, summary_line


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
        record = pipeline.run(path)
        any_failed |= record.status.value == "failed"
        if output is not None:
            output.write_text(dump_record(record), encoding="utf-8")
        elif out_dir is not None:
            (out_dir / f"{path.stem}.json").write_text(dump_record(record), encoding="utf-8")
        else:
            sys.stdout.write(dump_record(record) + "\n")
        err.print(summary_line(record), highlight=False)
    raise typer.Exit(1 if any_failed else 0)
