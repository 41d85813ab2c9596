"""settings: the defaults on the models and the documented config files cannot drift apart; a
user's file is deep-merged over the defaults; model files are found wherever the models dir is;
the config hash that identifies a configuration (batch resume keys on it)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from nianbao.errors import ConfigError
from nianbao.paths import packaged_models_dir
from nianbao.settings import (
    PaddleOcrSettings,
    RapidOcrSettings,
    Settings,
    TesseractOcrSettings,
    TrainSettings,
    load_settings,
    load_train_settings,
)
from pydantic import BaseModel

CONFIGS = Path(__file__).resolve().parents[1] / "configs"
OCR_KINDS: dict[str, type[BaseModel]] = {
    "paddle": PaddleOcrSettings,
    "rapid": RapidOcrSettings,
    "tesseract": TesseractOcrSettings,
}


def _keys(data: Any, prefix: str = "") -> set[str]:
    """Every key path of a nested mapping (mapping-valued settings list their keys too)."""
    if not isinstance(data, dict):
        return {prefix}
    return {k for key, value in data.items() for k in _keys(value, f"{prefix}.{key}")}


def _yaml(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "my.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# ---- the defaults and the documented files ---------------------------------------------------


def test_no_config_file_is_the_default_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NIANBAO_CONFIG", raising=False)
    assert load_settings() == Settings()


def test_configs_default_yaml_is_exactly_the_defaults() -> None:
    listed = _yaml(CONFIGS / "default.yaml")
    defaults = Settings().model_dump(mode="json")
    # the file lists every setting but the engine's, which configs/ocr/<kind>.yaml list
    assert listed["ocr"] == {"kind": defaults["ocr"]["kind"]}
    assert _keys({k: v for k, v in listed.items() if k != "ocr"}) == _keys(
        {k: v for k, v in defaults.items() if k != "ocr"}
    )
    loaded = load_settings(CONFIGS / "default.yaml")
    assert loaded == Settings()
    assert loaded.model_dump() == Settings().model_dump()
    assert loaded.digest() == Settings().digest()


@pytest.mark.parametrize("kind", sorted(OCR_KINDS))
def test_each_ocr_kind_file_is_exactly_that_kinds_defaults(kind: str) -> None:
    listed = _yaml(CONFIGS / "ocr" / f"{kind}.yaml")
    defaults = OCR_KINDS[kind]()
    assert _keys(listed) == _keys(defaults.model_dump(mode="json"))
    assert OCR_KINDS[kind].model_validate(listed) == defaults


@pytest.mark.parametrize("kind", sorted(OCR_KINDS))
def test_naming_an_ocr_kind_starts_from_its_defaults(kind: str, tmp_path: Path) -> None:
    settings = load_settings(_config(tmp_path, f"ocr: {{kind: {kind}}}\n"))
    assert settings.ocr == OCR_KINDS[kind]()


def test_configs_train_default_yaml_is_exactly_the_training_defaults() -> None:
    listed = _yaml(CONFIGS / "train" / "default.yaml")
    assert _keys(listed) == _keys(TrainSettings().model_dump(mode="json"))
    assert load_train_settings(CONFIGS / "train" / "default.yaml") == TrainSettings()
    assert load_train_settings() == TrainSettings()


# ---- a user's file over the defaults ---------------------------------------------------------


def test_a_users_file_is_deep_merged_over_the_defaults(tmp_path: Path) -> None:
    settings = load_settings(
        _config(
            tmp_path,
            "tables: {min_label_score: 70}\n"
            "confidence: {weights: {ocr_doubt: -5.0}}\n"
            "ocr: {kind: rapid, det_thresh: 0.4}\n",
        )
    )
    default = Settings()
    assert settings.tables.min_label_score == 70
    assert settings.tables.ambiguity_margin == default.tables.ambiguity_margin
    # the weights keep the ones the file does not name (a missing weight would score 0 silently)
    weights = default.confidence.weights.model_copy(update={"ocr_doubt": -5.0})
    assert settings.confidence.weights == weights
    assert settings.ocr == RapidOcrSettings(det_thresh=0.4)
    assert settings.digest() != default.digest()


def test_the_train_config_is_merged_over_the_training_defaults(tmp_path: Path) -> None:
    cfg = load_train_settings(_config(tmp_path, "epochs: 2\nnoise: {rates: {row_lost: 0.5}}\n"))
    default = TrainSettings()
    assert cfg.epochs == 2 and cfg.seed == default.seed
    assert cfg.noise.rates == dict(default.noise.rates, row_lost=0.5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ocr: {kind: easyocr}\n", "unknown ocr kind 'easyocr'"),
        ("ocr: rapid\n", "`ocr` must be a mapping"),
        ("tables: {min_label_scor: 70}\n", "invalid config"),
        ("- a list\n", "must hold a mapping"),
    ],
)
def test_a_bad_config_names_the_file_and_the_problem(
    text: str, message: str, tmp_path: Path
) -> None:
    path = _config(tmp_path, text)
    with pytest.raises(ConfigError, match=message) as err:
        load_settings(path)
    assert str(path) in str(err.value)


# ---- where the models are --------------------------------------------------------------------


def test_relative_model_paths_resolve_against_the_packaged_models_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NIANBAO_MODELS", raising=False)
    settings = Settings()
    assert settings.sections.model_path() == packaged_models_dir() / "sections"
    assert settings.calibration.file_path() == packaged_models_dir() / "calibration.json"
    assert (packaged_models_dir() / "sections" / "config.cfg").is_file()


def _copy_models(to: Path) -> Path:
    shutil.copytree(packaged_models_dir() / "sections", to / "sections")
    shutil.copy(packaged_models_dir() / "calibration.json", to / "calibration.json")
    return to


def test_models_dir_setting_and_env_var_move_the_models_but_not_the_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NIANBAO_MODELS", raising=False)
    base = Settings().digest()
    elsewhere = _copy_models(tmp_path / "elsewhere")
    by_setting = load_settings(_config(tmp_path, f"models_dir: {elsewhere}\n"))
    assert by_setting.sections.model_path() == elsewhere / "sections"
    assert by_setting.calibration.file_path() == elsewhere / "calibration.json"
    assert by_setting.digest() == base  # the same bytes elsewhere: the same configuration
    monkeypatch.setenv("NIANBAO_MODELS", str(elsewhere))
    by_env = Settings()
    assert by_env.calibration.file_path() == elsewhere / "calibration.json"
    assert by_env.digest() == base
    # the setting wins over the environment
    other = Settings(models_dir=str(tmp_path / "other"))
    assert other.sections.model_path() == tmp_path / "other" / "sections"


def test_a_refitted_calibration_is_another_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NIANBAO_MODELS", raising=False)
    base = Settings().digest()
    models = _copy_models(tmp_path / "models")
    moved = Settings(models_dir=str(models))
    assert moved.digest() == base
    cal = models / "calibration.json"
    cal.write_text(cal.read_text(encoding="utf-8").replace("0.", "0.0", 1), encoding="utf-8")
    assert moved.model_copy().digest() != base


def test_a_retrained_classifier_is_another_configuration(tmp_path: Path) -> None:
    models = _copy_models(tmp_path / "models")
    moved = Settings(models_dir=str(models))
    before = moved.digest()
    (models / "sections" / "meta.json").write_text("{}", encoding="utf-8")
    assert moved.model_copy().digest() != before


def test_an_updated_copy_resolves_models_against_its_own_models_dir(tmp_path: Path) -> None:
    settings = Settings()
    moved = settings.model_copy(update={"models_dir": str(tmp_path)})
    assert moved.calibration.file_path() == tmp_path / "calibration.json"
    assert settings.calibration.file_path() == packaged_models_dir() / "calibration.json"
    # a sub-model taken from another settings object resolves against the copy's dir
    off = settings.sections.model_copy(update={"model": "other"})
    assert moved.model_copy(update={"sections": off}).sections.model_path() == tmp_path / "other"
    assert settings.sections.model_path() == packaged_models_dir() / "sections"


def test_where_files_are_kept_is_not_part_of_the_hash(tmp_path: Path) -> None:
    settings = Settings(ocr=PaddleOcrSettings())  # the engine that keeps files (model_root)
    ocr = settings.ocr.model_copy(update={"model_root": str(tmp_path)})
    assert settings.model_copy(update={"ocr": ocr}).digest() == settings.digest()


def test_a_changed_setting_changes_the_hash_of_an_updated_copy() -> None:
    settings = load_settings()
    base = settings.digest()
    stricter = settings.tables.model_copy(update={"min_label_score": 90})
    assert settings.model_copy(update={"tables": stricter}).digest() != base
    assert settings.digest() == base


def test_a_misspelt_weight_or_method_is_refused(tmp_path: Path) -> None:
    """One field per feature weight and an enum of methods: a typo in a config cannot make a
    feature silently score 0."""
    for text in (
        "confidence: {weights: {ocr_dobut: -5.0}}\n",
        "confidence: {method_bias: {table.htm: 1}}\n",
    ):
        with pytest.raises(ConfigError):
            load_settings(_config(tmp_path, text))


def test_rapid_speed_switches_leave_the_config_hash_alone() -> None:
    """rec_top_one changes how much the recogniser hands back, never the text or scores
    (tests/engines/test_ocr.py); detection size changes what is read, so it is hashed."""
    settings = Settings(ocr=RapidOcrSettings())
    assert isinstance(settings.ocr, RapidOcrSettings)
    base = settings.digest()
    top = settings.ocr.model_copy(update={"rec_top_one": not settings.ocr.rec_top_one})
    assert settings.model_copy(update={"ocr": top}).digest() == base
    det = settings.ocr.model_copy(update={"det_limit_side_len": 736, "det_limit_type": "min"})
    assert settings.model_copy(update={"ocr": det}).digest() != base
