"""Agreement across years raises confidence: what the model computes, what it is fitted from,
and what a user sees on stored reports (the confidence, the review flag, and both coming back
when the agreement goes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nianbao import archive
from nianbao.archive.agreement import Agreement, Reading, agreement_for, evaluate, fit
from nianbao.datamodel.base import Feature
from nianbao.db import Store
from nianbao.db.models import FieldRow
from nianbao.errors import ConfigError
from nianbao.settings import Settings
from sqlalchemy import select

from .conftest import report, save

A = "望舒市司法局"
OVER, FORWARD = "applications.carried_over", "applications.carried_forward"
PARTNER = {OVER: FORWARD, FORWARD: OVER}
CELL = f"{OVER}.natural_person"  # 2022's 上年结转, the partner of 2021's 结转下年度
THRESHOLD = Settings().confidence.review_threshold


def test_the_raise_is_bayes_with_the_likelihood_ratio() -> None:
    model = Agreement(28.0)
    assert model.raised(0.9) == pytest.approx(0.9 * 28 / (0.9 * 28 + 0.1), abs=1e-4)
    values = [model.raised(c / 100) for c in range(101)]
    assert values == sorted(values)  # monotone: a surer report stays surer
    assert all(model.raised(c / 100) >= c / 100 for c in range(101))
    assert (model.raised(0.0), model.raised(1.0)) == (0.0, 1.0)
    assert Agreement(1.0).raised(0.7) == 0.7  # LR 1: agreement says nothing


def _r(doc: str, role: str, truth: int, value: int | None, conf: float = 0.9) -> Reading:
    return Reading(doc, role, "natural_person", truth, value, conf)


def test_fit_pairs_other_reports_of_the_same_true_value() -> None:
    readings = [
        _r("d1", OVER, 2, 2),
        _r("d2", OVER, 2, 8),  # misread: no carried-forward 2 was read as 8
        _r("d3", FORWARD, 2, 2),
        _r("d4", FORWARD, 2, 2),
        _r("d5", FORWARD, 2, 3),  # misread
        _r("d6", FORWARD, 5, 5),  # another true value: nobody's partner
    ]
    model = fit(readings, PARTNER)
    # right readings: d1 agrees with 2 of its 3 partners; d3 and d4 with 1 of 2 (d1)
    p_right = (2 / 3 + 1 / 2 + 1 / 2) / 3
    # wrong readings d2 and d5 agree with nobody; Laplace bound (0 + 1) / (2 + 2)
    assert model.likelihood_ratio == pytest.approx(p_right / 0.25, abs=1e-3)
    assert model.info["wrong_readings"] == 2


def test_a_report_is_not_its_own_partner() -> None:
    # one report's two rows carry the same figure: pairing it with itself would count as
    # agreement of two independent readings
    readings = [_r("d1", OVER, 4, 4), _r("d1", FORWARD, 4, 4), _r("d2", FORWARD, 4, 9)]
    model = fit(readings, PARTNER)
    assert model.info["readings"] == 2  # d1's over pairs with d2 only; d2 with d1's over
    assert model.info["p_agree_if_right"] == 0.0


def test_evaluate_counts_only_cells_the_raise_takes_out_of_review() -> None:
    model = Agreement(100.0)
    readings = [
        _r("d1", OVER, 2, 2, conf=0.95),  # lifted over the threshold
        Reading("d2", OVER, "natural_person", 2, 2, 0.95, doubted=True),  # stays (other reason)
        _r("d3", FORWARD, 2, 2, conf=0.999),  # was never under it
    ]
    out = evaluate(model, readings, PARTNER, THRESHOLD)
    assert out["lifted_over_threshold"] == 1.0 and out["lifted_wrong"] == 0.0


def test_a_bad_model_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "cross_year.json"
    path.write_text(json.dumps({"format": "nianbao-cross-year/1", "likelihood_ratio": 0.5}))
    with pytest.raises(ConfigError, match=r"cross_year\.json.*likelihood_ratio"):
        Agreement.load(path)
    path.write_text("{")
    with pytest.raises(ConfigError, match="train cross-year"):
        Agreement.load(path)
    Agreement(12.5, {"readings": 3}).save(path)
    assert Agreement.load(path) == Agreement(12.5, {"readings": 3})


def test_the_shipped_model_is_fitted_and_checked_on_held_out_reports() -> None:
    model = agreement_for(Settings().calibration.cross_year_path())
    assert model.active
    info = model.info
    assert info["fitted_by"] == "nianbao train cross-year"
    assert info["wrong_readings"] > 0 and info["heldout"]["readings"] > 0
    # agreeing cells raised over 0.99 were right at least that often on the held-out split
    top = info["heldout"]["reliability"]["0.99-1"]
    assert top["accuracy"] >= 0.99


# ---- stored reports ----------------------------------------------------------------------------
def _doubtful(confidence: float, *reasons: str) -> dict[str, tuple[float, list[str]]]:
    return {CELL: (confidence, [*reasons, "low_confidence"])}


def _series(store: Store, doubt: dict[str, tuple[float, list[str]]], value: int = 2) -> list[int]:
    """2021 and 2022 of one agency; 2022's carried-over cell read with the given confidence and
    reasons (as its report scored it), and as `value` (2 agrees with 2021)."""
    first = report(A, 2021, [1, 0, 0, 0, 0, 0], [2, 1, 0, 0, 0, 0])
    second = report(A, 2022, [2, 1, 0, 0, 0, 0], [3, 0, 0, 0, 0, 0], override={CELL: value})
    for path, (conf, reasons) in doubt.items():
        f = second.get(path)
        f.confidence, f.review.reasons, f.review.needed = conf, list(reasons), True
    second.review.fields = [p for p, f in second.iter_fields() if f.review.needed]
    second.review.needed = bool(second.review.fields)
    return [save(store, first, "a21"), save(store, second, "a22")]


def _row(store: Store, doc: int, path: str) -> FieldRow:
    with store.session() as s:
        row = s.scalar(select(FieldRow).where(FieldRow.document_id == doc, FieldRow.path == path))
        assert row is not None
        return row


JUDGE = archive.Judge(Agreement(28.0), THRESHOLD)


def test_agreement_lifts_a_low_confidence_cell_out_of_review(store: Store) -> None:
    ids = _series(store, _doubtful(0.95))
    assert store.record(ids[1]).get(CELL).review.needed  # before the archive checks
    archive.run_store(store, document_ids=ids, judge=JUDGE)
    field = store.record(ids[1]).get(CELL)
    assert field.features.get(Feature.cross_year_agree) == 1.0
    assert field.confidence == JUDGE.agreement.raised(0.95) > THRESHOLD
    assert "low_confidence" not in field.review.reasons and not field.review.needed
    assert CELL not in store.record(ids[1]).review.fields
    row = _row(store, ids[1], CELL)
    assert (row.confidence, row.document_confidence, row.review_needed) == (
        field.confidence,
        0.95,
        False,
    )


def test_a_structural_doubt_stays_in_review_though_the_cell_agrees(store: Store) -> None:
    # the same misparse can repeat in two years laid out alike: agreement does not settle it
    ids = _series(store, _doubtful(0.93, "ambiguous_decoding"))
    archive.run_store(store, document_ids=ids, judge=JUDGE)
    field = store.record(ids[1]).get(CELL)
    assert field.confidence > THRESHOLD
    assert field.review.reasons == ["ambiguous_decoding"] and field.review.needed


def test_a_very_doubtful_cell_is_raised_but_still_reviewed(store: Store) -> None:
    ids = _series(store, _doubtful(0.2))
    archive.run_store(store, document_ids=ids, judge=JUDGE)
    field = store.record(ids[1]).get(CELL)
    assert 0.2 < field.confidence < THRESHOLD
    assert field.review.reasons == ["low_confidence"] and field.review.needed


def test_without_agreement_the_reports_confidence_and_flag_come_back(store: Store) -> None:
    ids = _series(store, _doubtful(0.95))
    archive.run_store(store, document_ids=ids, judge=JUDGE)
    assert not store.record(ids[1]).get(CELL).review.needed
    # the same archive checked with agreement worth nothing (calibration.cross_year: null)
    archive.run_store(store, document_ids=ids, judge=archive.Judge(Agreement(), THRESHOLD))
    field = store.record(ids[1]).get(CELL)
    assert field.confidence == 0.95
    assert field.review.reasons == ["low_confidence"] and field.review.needed


def test_a_disagreeing_cell_keeps_its_reports_confidence(store: Store) -> None:
    ids = _series(store, _doubtful(0.95), value=7)  # 7 read where 2021 carried 2 forward
    archive.run_store(store, document_ids=ids, judge=JUDGE)
    field = store.record(ids[1]).get(CELL)
    assert field.confidence == 0.95
    assert "low_confidence" in field.review.reasons
    assert any(r.startswith("cross_year_conflict") for r in field.review.reasons)


def test_a_missing_model_stops_a_batch_before_it_reads_anything(tmp_path: Path) -> None:
    from nianbao.batch import run_batch

    missing = tmp_path / "nope.json"
    settings = Settings().model_copy(
        update={
            "calibration": Settings().calibration.model_copy(update={"cross_year": str(missing)})
        }
    )
    report_file = tmp_path / "r.txt"
    report_file.write_text("一、总体情况\n", encoding="utf-8")
    with Store(f"sqlite:///{tmp_path / 'b.db'}") as store:
        with pytest.raises(ConfigError, match=r"nope\.json.*train cross-year"):
            run_batch([str(report_file)], store, settings, workers=1)
        assert store.count() == 0
