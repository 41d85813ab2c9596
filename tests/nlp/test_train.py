"""The held-out report and the calibration fit run end to end on a few noisy documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from nianbao.nlp.train import fit_calibration, heldout_report
from nianbao.runner import Pipeline
from nianbao.settings import TrainSettings, load_settings


def test_heldout_report_and_calibration_on_noisy_documents(tmp_path: Path) -> None:
    cfg = TrainSettings()
    rates = {k: 0.6 for k in cfg.noise.rates}  # every document gets some errors
    noisy = cfg.noise.model_copy(update={"clean_share": 0.0, "rates": rates})
    cfg = cfg.model_copy(
        update={"heldout_docs": 4, "calibration_docs": 4, "train_docs": 0, "noise": noisy}
    )
    settings = load_settings()
    report = heldout_report(cfg, Pipeline(settings), tmp_path / "heldout")
    assert report["documents"] == 4 and report["noisy_documents"] == 4
    assert sum(report["extraction_errors"].values()) >= 4
    f = report["fields"]
    assert f["fields"] > 100 and f["wrong"] > 0  # the noise makes fields wrong
    assert 0 <= report["calibration"]["ece"] <= 1
    loads = [r["review_load"] for r in report["review_thresholds"]]
    assert loads == sorted(loads)  # a higher threshold never flags fewer fields
    uncalibrated = settings.calibration.model_copy(update={"path": None})
    raw_pipeline = Pipeline(settings.model_copy(update={"calibration": uncalibrated}))
    cal = fit_calibration(cfg, raw_pipeline, tmp_path / "cal", log=lambda *_: None)
    assert cal.info["wrong_fields"] > 0 and cal.info["noisy_documents"] == 4
    assert all(a <= b for a, b in zip(cal.y, cal.y[1:], strict=False))


def test_training_saves_where_the_pipeline_loads_the_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From a checkout (editable install) `nianbao train` writes the repository's models/;
    NIANBAO_MODELS sends it, and the pipeline's loading, elsewhere."""
    from nianbao.cli.train import _target

    monkeypatch.delenv("NIANBAO_MODELS", raising=False)
    models = Path(__file__).resolve().parents[2] / "models"
    assert _target(None, "sections") == models / "sections"
    assert _target(None, "calibration") == models / "calibration.json"
    monkeypatch.setenv("NIANBAO_MODELS", str(tmp_path))
    assert _target(None, "calibration") == tmp_path / "calibration.json"
    assert load_settings().calibration.file_path() == tmp_path / "calibration.json"
