"""`nianbao schema`: the record's JSON Schema."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..datamodel.record import record_json_schema
from .app import app


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
