"""The confidence function moves the way its features say, and review follows it."""

from __future__ import annotations

from pipeline.confidence import review_reasons, score
from pipeline.datamodel.record import ReportField, Semantic


def f(**features: float) -> ReportField:
    return ReportField(
        value=3, raw="3", semantic=Semantic.number, method="table.flattened_text", features=features
    )


def test_each_feature_moves_confidence_the_documented_way(settings) -> None:
    conf = settings.confidence
    base = score(f(label_score=1.0), conf)
    assert score(f(label_score=0.7), conf) < base
    assert score(f(label_score=1.0, position_uncertain=1.0), conf) < base
    assert score(f(label_score=1.0, checks_failed=1.0), conf) < base
    assert score(f(label_score=1.0, checks_passed=2.0), conf) > base
    assert score(f(label_score=1.0, checks_passed=5.0), conf) == score(
        f(label_score=1.0, checks_passed=2.0), conf
    )
    assert 0.0 < score(f(checks_failed=3.0, position_uncertain=1.0), conf) < base < 1.0


def test_review_reasons(settings) -> None:
    conf = settings.confidence
    field = f(label_score=1.0, position_uncertain=1.0)
    c = score(field, conf)
    assert review_reasons(field, c, conf) == ["ambiguous_columns", "low_confidence"]
    clean = f(label_score=1.0, checks_passed=2.0)
    assert review_reasons(clean, score(clean, conf), conf) == []
    absent_item = ReportField(features={"not_found": 1.0})
    assert review_reasons(absent_item, score(absent_item, conf), conf) == []
    absent_meta = ReportField(features={"not_found": 1.0, "required": 1.0})
    assert review_reasons(absent_meta, score(absent_meta, conf), conf) == ["not_found"]


def test_two_readings_that_differ_and_a_slash_read_as_one_go_to_review(settings) -> None:
    """A cell the page OCR and the crop re-read read differently (15 vs 5), or a "/" OCR read
    as 1, is reviewed however sure the engine was."""
    conf = settings.confidence
    sure = f(label_score=1.0, grid_cell=1.0, checks_passed=2.0, ocr_confidence=1.0)
    assert review_reasons(sure, score(sure, conf), conf) == []
    disagree = f(
        label_score=1.0, grid_cell=1.0, checks_passed=2.0, ocr_confidence=1.0, reread_disagrees=1.0
    )
    slash = f(label_score=1.0, grid_cell=1.0, checks_passed=2.0, ocr_confidence=1.0, slash_like=1.0)
    assert score(disagree, conf) < score(sure, conf)
    assert score(slash, conf) < score(sure, conf)
    assert "reread_disagrees" in review_reasons(disagree, score(disagree, conf), conf)
    assert "slash_read_as_digit" in review_reasons(slash, score(slash, conf), conf)
