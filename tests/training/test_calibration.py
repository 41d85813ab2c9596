"""The calibration fit runs end to end on a few noisy documents."""

from __future__ import annotations

from pathlib import Path

from nianbao.runner import Pipeline
from nianbao.settings import Settings, TrainSettings
from nianbao.training.calibration import fit_calibration

from tests.training.conftest import few_noisy


def test_fit_calibration_on_noisy_documents(
    settings: Settings, train_settings: TrainSettings, tmp_path: Path
) -> None:
    cfg = few_noisy(train_settings)
    uncalibrated = settings.calibration.model_copy(update={"path": None})
    raw_pipeline = Pipeline(settings.model_copy(update={"calibration": uncalibrated}))
    cal = fit_calibration(cfg, raw_pipeline, tmp_path / "cal", log=lambda *_: None)
    assert cal.info["wrong_fields"] > 0
    assert cal.info["noisy_documents"] == cfg.calibration_docs + cfg.shapes.calibration_docs
    assert cal.info["shaped_documents"] == cfg.shapes.calibration_docs
    assert all(a <= b for a, b in zip(cal.y, cal.y[1:], strict=False))
