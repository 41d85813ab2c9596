"""The held-out report runs end to end on a few noisy documents, also from the console script."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from nianbao.runner import Pipeline
from nianbao.settings import Settings, TrainSettings
from nianbao.training.heldout import heldout_report

from tests.training.conftest import few_noisy


def test_heldout_report_on_noisy_documents(
    settings: Settings, train_settings: TrainSettings, tmp_path: Path
) -> None:
    cfg = few_noisy(train_settings)
    report = heldout_report(cfg, Pipeline(settings), tmp_path / "heldout")
    assert report["documents"] == 4 and report["noisy_documents"] == 4
    assert sum(report["extraction_errors"].values()) >= 4
    f = report["fields"]
    assert f["fields"] > 100 and f["wrong"] > 0  # the noise makes fields wrong
    assert 0 <= report["calibration"]["ece"] <= 1
    loads = [r["review_load"] for r in report["review_thresholds"]]
    assert loads == sorted(loads)  # a higher threshold never flags fewer fields
    shaped = report["shapes"]  # the real-page shapes, apart from the figures above
    assert shaped["documents"] == cfg.shapes.heldout_docs and shaped["fields"]["fields"] > 0
    assert any(k.startswith("tables:") for k in shaped["by_shape"])


@pytest.mark.slow
def test_installed_console_script_trains_from_any_folder(tmp_path: Path) -> None:
    """`nianbao train` reaches the generator as part of the package (it once imported
    sample_scans.generator by name, which only worked with the checkout on sys.path)."""
    repo = Path(__file__).resolve().parents[2]
    default = (repo / "configs/train/default.yaml").read_text(encoding="utf-8")
    cfg = tmp_path / "train.yaml"
    cfg.write_text(re.sub(r"(?m)^heldout_docs: \d+", "heldout_docs: 2", default), encoding="utf-8")
    out = tmp_path / "heldout.json"
    exe = Path(sys.executable).parent / "nianbao"
    proc = subprocess.run(
        [str(exe), "train", "heldout", "--train-config", str(cfg), "--json", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["documents"] == 2
