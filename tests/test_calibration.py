"""Isotonic calibration: monotone, faithful to the data it was fitted on, stored and reloaded."""

from __future__ import annotations

import json
import random

import pytest
from nianbao.calibration import (
    Calibration,
    expected_calibration_error,
    fit_grouped,
    fit_isotonic,
    precision_at,
    reliability,
)
from nianbao.errors import ConfigError


def test_pav_is_monotone_and_recovers_a_known_distribution() -> None:
    rng = random.Random(7)
    raw = [round(rng.random(), 2) for _ in range(20000)]
    right = [rng.random() < r * r for r in raw]  # the truth: P(right) = raw^2, not raw
    cal = fit_isotonic(raw, right)
    assert all(a <= b for a, b in zip(cal.y, cal.y[1:], strict=False))
    assert all(a < b for a, b in zip(cal.x, cal.x[1:], strict=False))
    for r in (0.2, 0.5, 0.8, 0.95):
        assert abs(cal(r) - r * r) < 0.05
    assert expected_calibration_error(raw, right, 10) > 0.1  # the raw score is overconfident
    assert expected_calibration_error([cal(r) for r in raw], right, 10) < 0.02


def test_pav_pools_violators_and_clips_to_fitted_values() -> None:
    cal = fit_isotonic([0.1, 0.2, 0.3, 0.4], [True, False, True, True])
    # 0.1 (right) and 0.2 (wrong) violate the order and are pooled into one block at 0.15;
    # 0.3 and 0.4 have the same rate and are pooled too
    assert cal.x == pytest.approx([0.15, 0.35]) and cal.y == [0.5, 1.0]
    assert cal(0.2) == pytest.approx(0.5 + 0.5 * (0.05 / 0.2))  # linear between centres
    assert cal(0.01) == 0.5 and cal(5) == 1.0  # outside: the first and last fitted value
    assert cal.info["fields"] == 4 and cal.info["wrong_fields"] == 1


def test_equal_scores_are_one_block() -> None:
    raw = [0.99] * 100 + [0.5] * 100
    right = [i % 10 != 0 for i in range(100)] + [i % 2 == 0 for i in range(100)]
    cal = fit_isotonic(raw, right)
    assert cal(0.99) == pytest.approx(0.9) and cal(0.5) == pytest.approx(0.5)
    assert expected_calibration_error(raw, right, 10) == pytest.approx(0.045)
    assert expected_calibration_error([cal(r) for r in raw], right, 10) < 1e-9
    with pytest.raises(ValueError):
        fit_isotonic([], [])


def test_save_load_roundtrip_and_bad_files(tmp_path) -> None:
    cal = fit_isotonic([0.2, 0.6, 0.9], [False, True, True])
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


def test_a_family_with_enough_wrong_fields_gets_its_own_map(tmp_path) -> None:
    """One raw score, two meanings: table cells at 0.9 are right 98 times in 100, titles at
    0.9 always. The shared map would call a title 0.98 and send it to review at 0.99; each
    family's own map says what its fields are. A family with too few wrong fields to place
    its failures keeps the shared map."""
    raw = [0.9] * 5000 + [0.5] * 1000 + [0.9] * 3000 + [0.9] * 500
    right = (
        [i % 50 != 0 for i in range(5000)]
        + [i % 2 == 0 for i in range(1000)]
        + [True] * 2990
        + [False] * 10
        + [True] * 500
    )
    group = ["table"] * 6000 + ["meta"] * 3000 + ["prose"] * 500
    cal = fit_grouped(raw, right, group, min_fields=2000, min_wrong=5)
    assert set(cal.groups) == {"table", "meta"}  # prose: 500 fields, none wrong
    assert cal(0.9, "table") == pytest.approx(0.98)
    assert cal(0.9, "meta") == pytest.approx(2990 / 3000)
    assert cal(0.9, "prose") == cal(0.9) == cal(0.9, None)  # the shared map
    path = tmp_path / "cal.json"
    cal.save(path)
    again = Calibration.load(path)
    assert set(again.groups) == {"table", "meta"}
    assert again(0.9, "meta") == cal(0.9, "meta") and again(0.9, "prose") == cal(0.9)


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
    path = settings.calibration.file_path()
    assert path is not None
    cal = Calibration.load(path)
    assert all(a <= b for a, b in zip(cal.y, cal.y[1:], strict=False))
    assert cal.info["fitted_by"] == "nianbao train calibration"
    # fitted on noisy documents: it has seen wrong fields at both ends of the raw score
    assert cal.info["wrong_fields"] > 100 and cal.y[0] < 0.1 and cal.y[-1] > 0.99
