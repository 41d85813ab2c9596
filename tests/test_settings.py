"""settings: the config hash that identifies a configuration (batch resume keys on it)."""

from __future__ import annotations

import shutil
from pathlib import Path

from nianbao.settings import load_settings


def test_a_refitted_calibration_is_another_configuration(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.calibration.path is not None
    copy = tmp_path / "calibration.json"
    shutil.copy(Path(__file__).parents[1] / settings.calibration.path, copy)
    same = settings.model_copy(
        update={"calibration": settings.calibration.model_copy(update={"path": str(copy)})}
    )
    before = same.digest()
    # the path is part of the dump, so compare two settings naming the same copy
    assert same.model_copy().digest() == before
    copy.write_text(copy.read_text(encoding="utf-8").replace("0.", "0.0", 1), encoding="utf-8")
    assert same.model_copy().digest() != before


def test_a_changed_setting_changes_the_hash_of_an_updated_copy() -> None:
    settings = load_settings()
    base = settings.digest()
    stricter = settings.tables.model_copy(update={"min_label_score": 90})
    assert settings.model_copy(update={"tables": stricter}).digest() != base
    assert settings.digest() == base
