"""Isotonic calibration: monotone, faithful to the data it was fitted on, stored and reloaded."""

from __future__ import annotations

import json
import random

import pytest

from pipeline.calibration import (
    Calibration,
    expected_calibration_error,
    fit_isotonic,
    precision_at,
    reliability,
)
from pipeline.errors import ConfigError


def test_pav_is_monotone_and_matches_block_rates() -> None:
    rng = random.Random(7)
    raw = [rng.random() for _ in range(4000)]
    right = [rng.random() < r for r in raw]  # the truth: P(right) = raw
    cal = fit_isotonic(raw, right, 20, 0.01)
    assert all(a <= b for a, b in zip(cal.y, cal.y[1:], strict=False))
    assert all(a < b for a, b in zip(cal.x, cal.x[1:], strict=False))
    for r in (0.1, 0.5, 0.9):
        assert abs(cal(r) - r) < 0.1
    calibrated = [cal(r) for r in raw]
    assert expected_calibration_error(calibrated, right, 10) < 0.03


def test_pav_pools_violators_and_never_promises_certainty() -> None:
    cal = fit_isotonic([0.1, 0.2, 0.3, 0.4], [True, False, True, True], 1, 0.01)
    # 0.1 (right, prior 0.1) and 0.2 (wrong, prior 0.2) violate the order and are pooled:
    # (1 + 0.1 + 0 + 0.2) / (2 + 2)
    assert cal(0.1) == pytest.approx(1.3 / 4)  # in the pooled block, below its centre
    assert cal(0.4) == pytest.approx(1.4 / 2)
    # outside the labelled range: the raw score, kept monotone
    assert cal(0.05) == 0.05 and cal(5) == 5


def test_overconfident_scores_are_pulled_down() -> None:
    raw = [0.99] * 100 + [0.5] * 100
    right = [i % 10 != 0 for i in range(100)] + [i % 2 == 0 for i in range(100)]
    cal = fit_isotonic(raw, right, 20, 0.01)
    assert cal(0.99) == pytest.approx((90 + 20 * 0.99) / 120)
    assert expected_calibration_error(raw, right, 10) == pytest.approx(0.045)
    assert expected_calibration_error([cal(r) for r in raw], right, 10) < 0.02


def test_without_wrong_fields_sparse_levels_keep_their_prior() -> None:
    # no field wrong: the thousands at 0.97 may be called nearly certain, the five at 0.4 not
    raw = [0.97] * 5000 + [0.4] * 5
    cal = fit_isotonic(raw, [True] * len(raw), 20, 0.01)
    assert cal(0.97) > 0.99
    assert cal(0.4) == pytest.approx((5 + 20 * 0.4) / 25)
    assert cal(0.1) == 0.1  # a raw score below every labelled one is not lifted


def test_save_load_roundtrip_and_bad_files(tmp_path) -> None:
    cal = fit_isotonic([0.2, 0.6, 0.9], [False, True, True], 20, 0.01)
    path = tmp_path / "cal.json"
    cal.save(path)
    again = Calibration.load(path)
    assert again.x == cal.x and again.y == cal.y and again(0.7) == cal(0.7)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "other"}), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.json"):
        Calibration.load(bad)
    with pytest.raises(ConfigError, match=r"missing\.json"):
        Calibration.load(tmp_path / "missing.json")


def test_metrics() -> None:
    conf = [0.95, 0.95, 0.55, 0.05]
    right = [True, False, True, False]
    rows = reliability(conf, right, 10)
    assert [r["fields"] for r in rows] == [1, 0, 0, 0, 0, 1, 0, 0, 0, 2]
    assert rows[9]["accuracy"] == 0.5
    ece = expected_calibration_error(conf, right, 10)
    assert ece == pytest.approx((0.05 + 0.45 + 2 * 0.45) / 4)
    p = precision_at(conf, right, 0.9)
    assert p["fields"] == 2 and p["precision"] == 0.5
    assert precision_at(conf, right, 0.99)["precision"] is None


def test_shipped_calibration_loads_and_is_monotone(settings) -> None:
    from pipeline.settings import repo_path

    assert settings.calibration.path is not None
    cal = Calibration.load(repo_path(settings.calibration.path))
    assert all(a <= b for a, b in zip(cal.y, cal.y[1:], strict=False))
    assert cal.info["fitted_by"] == "nianbao train calibration"
