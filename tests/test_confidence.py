"""The confidence function moves the way its features say, and review follows it."""

from __future__ import annotations

from nianbao.confidence import review_reasons, score
from nianbao.datamodel.record import ReportField, Semantic


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
    assert review_reasons(clean, 0.999, conf) == []  # review is decided on calibrated confidence
    absent_item = ReportField(features={"not_found": 1.0})
    assert review_reasons(absent_item, score(absent_item, conf), conf) == []
    absent_meta = ReportField(features={"not_found": 1.0, "required": 1.0})
    assert review_reasons(absent_meta, score(absent_meta, conf), conf) == ["not_found"]


def test_absent_by_the_table_format_is_certain_not_missed(settings) -> None:
    from nianbao.confidence import Scorer

    scorer = Scorer(settings.confidence, settings.calibration)
    by_format = ReportField(features={"not_found": 1.0, "not_in_format": 1.0})
    unknown = ReportField(features={"not_found": 1.0})
    assert score(by_format, settings.confidence) > score(unknown, settings.confidence)
    scorer.apply(by_format)
    assert not by_format.review.needed


def test_a_2019_report_is_not_sent_to_review_for_the_2021_only_rows(pipeline) -> None:
    from tests.conftest import DATA

    record = pipeline.run(DATA / "reports" / "report_2019_format.txt")
    for path in (
        "applications.other.overdue_correction.total",  # a 2021 table 三 row
        "active_disclosure.regulations.issued",  # a 2021 table 二 column
    ):
        f = record.get(path)
        assert f.value is None and f.features.get("not_in_format") == 1.0
        assert not f.review.needed, path


def test_two_readings_that_differ_and_a_slash_read_as_one_go_to_review(settings) -> None:
    """A cell the page OCR and the crop re-read read differently (15 vs 5), or a "/" OCR read
    as 1, is reviewed however sure the engine was."""
    from nianbao.confidence import Scorer

    conf = settings.confidence
    scorer = Scorer(conf, settings.calibration)
    evidence = dict(label_score=1.0, grid_cell=1.0, checks_passed=2.0, ocr_confidence=1.0)
    sure, disagree = f(**evidence), f(**evidence, reread_disagrees=1.0)
    slash = f(**evidence, slash_like=1.0)
    assert score(disagree, conf) < score(sure, conf)
    assert score(slash, conf) < score(sure, conf)
    for field in (sure, disagree, slash):
        scorer.apply(field)
    assert not sure.review.needed
    assert "reread_disagrees" in disagree.review.reasons
    assert "slash_read_as_digit" in slash.review.reasons
