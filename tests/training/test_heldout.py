"""The held-out report runs end to end on a few noisy documents."""

from __future__ import annotations

from pathlib import Path

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
