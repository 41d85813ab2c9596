"""`nianbao debug`: draw the detected grid, cells, OCR boxes and mapped keys of one page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from ..untrusted import console_text
from .app import ConfigOption, app, build_pipeline, err


@app.command()
def debug(
    file: Annotated[Path, typer.Argument(help="a PDF or image report")],
    page: Annotated[int, typer.Option("--page", "-p", min=1, help="1-based page number")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="PNG to write (default <stem>-p<N>.png)")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Write a PNG of one page with the table grid (blue), cells (red; magenta: cut or re-read),
    OCR/text boxes (green) and each mapped cell's template key (orange: needs review)."""
    import cv2

    from ..debug import debug_page

    if not file.is_file():
        err.print(console_text(f"{file}: no such file"))
        raise typer.Exit(2)
    out = output or Path(f"{file.stem}-p{page}.png")
    try:
        image = debug_page(build_pipeline(config), file, page)
    except InputError as exc:
        err.print(console_text(exc))
        raise typer.Exit(1) from exc
    if not cv2.imwrite(str(out), cv2.cvtColor(image, cv2.COLOR_RGB2BGR)):
        err.print(console_text(f"{out}: could not write the image"))
        raise typer.Exit(1)
    err.print(console_text(f"{out}: page {page} of {file}"))
