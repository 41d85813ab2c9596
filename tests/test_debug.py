"""`nianbao debug FILE --page N`: the overlay is written where the page's table is."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from nianbao.cli import app
from nianbao.engines.tables.plot import CELL, GRID, KEY
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


@pytest.mark.slow
def test_debug_overlay_is_written_with_grid_cells_and_keys(tmp_path: Path) -> None:
    out = tmp_path / "p3.png"
    pdf = ROOT / "sample_scans" / "pdf" / "nanxi-county-2022.pdf"
    result = runner.invoke(app, ["debug", str(pdf), "--page", "3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    image = cv2.cvtColor(cv2.imread(str(out)), cv2.COLOR_BGR2RGB)
    assert image.shape[:2] == (2339, 1654)  # A4 at 200 dpi: the page's own coordinates

    def pixels(colour: tuple[int, int, int]) -> int:
        return int(np.all(image == np.array(colour, np.uint8), axis=2).sum())

    # the cells' rectangles, the grid lines and the key labels are all drawn
    assert pixels(CELL) > 10_000 and pixels(GRID) > 1_000 and pixels(KEY) > 1_000


def test_debug_names_the_file_when_the_page_does_not_exist(tmp_path: Path) -> None:
    text = tmp_path / "r.txt"
    text.write_text("一、总体情况\n本机关……\n", encoding="utf-8")
    result = runner.invoke(app, ["debug", str(text), "--page", "2", "-o", str(tmp_path / "o.png")])
    assert result.exit_code == 1
    assert str(text) in result.output and "no page 2" in result.output
    assert not (tmp_path / "o.png").exists()


def test_debug_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["debug", str(tmp_path / "nope.pdf"), "--page", "1"])
    assert result.exit_code == 2 and "no such file" in result.output
