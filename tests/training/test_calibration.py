"""The calibration fit runs end to end on a few noisy documents."""

from __future__ import annotations

from pathlib import Path

import pytest
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


def test_training_saves_where_the_pipeline_loads_the_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From a checkout (editable install) `nianbao train` writes the repository's models/;
    NIANBAO_MODELS sends it, and the pipeline's loading, elsewhere."""
    from nianbao.cli.train import _target
    from nianbao.settings import load_settings

    monkeypatch.delenv("NIANBAO_MODELS", raising=False)
    models = Path(__file__).resolve().parents[2] / "models"
    assert _target(None, "sections") == models / "sections"
    assert _target(None, "calibration") == models / "calibration.json"
    monkeypatch.setenv("NIANBAO_MODELS", str(tmp_path))
    assert _target(None, "calibration") == tmp_path / "calibration.json"
    assert load_settings().calibration.file_path() == tmp_path / "calibration.json"
