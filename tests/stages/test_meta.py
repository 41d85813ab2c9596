from __future__ import annotations

import pytest
from nianbao.stages.meta import parse_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2022年1月24日", "2022-01-24"),
        ("2022 年 1 月 24 日", "2022-01-24"),
        ("发布日期：2022-01-24", "2022-01-24"),
        ("2022.1.5", "2022-01-05"),
        ("二〇二二年一月二十四日", "2022-01-24"),
        ("二○二三年十二月三十一日".replace("○", "〇"), "2023-12-31"),
    ],
)
def test_dates(text: str, iso: str) -> None:
    found = parse_date(text)
    assert found is not None and found[0] == iso


def test_impossible_dates_are_not_dates() -> None:
    assert parse_date("2022年2月30日") is None
    assert parse_date("第20条第（一）项") is None


def test_agency_from_signature_when_the_title_has_none(pipeline, tmp_path) -> None:
    from tests.conftest import SEED

    text = SEED.read_text(encoding="utf-8").replace("聊城市市场监督管理局\n\n2021 年", "2021 年", 1)
    path = tmp_path / "no-agency-title.txt"
    path.write_text(text, encoding="utf-8")
    agency = pipeline.run(path).meta.agency
    assert agency.value == "聊城市市场监督管理局"
    assert agency.method == "meta.signature"
    assert agency.evidence.line is not None and agency.evidence.text == "聊城市市场监督管理局"


def test_title_and_signature_agencies_that_disagree_are_flagged(pipeline, tmp_path) -> None:
    from tests.conftest import SEED

    text = SEED.read_text(encoding="utf-8")
    cut = text.rindex("聊城市市场监督管理局")
    path = tmp_path / "conflict.txt"
    path.write_text(text[:cut] + "聊城市人民政府办公室" + text[cut + 10 :], encoding="utf-8")
    agency = pipeline.run(path).meta.agency
    assert agency.value == "聊城市市场监督管理局"
    assert agency.review.needed and "conflicting_mentions" in agency.review.reasons


def _seed_with(tmp_path, name: str, old: str, new: str):
    from tests.conftest import SEED

    text = SEED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_a_title_year_the_body_never_writes_is_flagged(pipeline, tmp_path) -> None:
    # OCR read the title's 2021 as 2027: the prose still writes 2021年 throughout
    path = _seed_with(
        tmp_path, "year.txt", "2021 年政府信息公开工作年度报告", "2027 年政府信息公开工作年度报告"
    )
    year = pipeline.run(path).meta.year
    assert year.value == 2027
    assert year.review.needed and "conflicting_mentions" in year.review.reasons


def test_the_seed_year_and_date_corroborate_each_other(pipeline) -> None:
    from tests.conftest import SEED

    record = pipeline.run(SEED)
    assert record.meta.year.value == 2021 and not record.meta.year.review.needed
    assert record.meta.publish_date.features.get("corroborated") == 1.0
    assert not record.meta.publish_date.review.needed


def test_a_date_after_the_statutory_deadline_is_doubted(pipeline, tmp_path) -> None:
    # 2022年1月24日 misread as 2022年7月24日: after 3月31日 of the year after the report year
    path = _seed_with(tmp_path, "late.txt", "2022年1月24日", "2022年7月24日")
    date = pipeline.run(path).meta.publish_date
    assert date.value == "2022-07-24"
    assert date.features.get("late") == 1.0 and "corroborated" not in date.features
    assert date.review.needed


def test_a_date_before_the_report_year_ends_conflicts(pipeline, tmp_path) -> None:
    path = _seed_with(tmp_path, "early.txt", "2022年1月24日", "2021年1月24日")
    record = pipeline.run(path)
    assert "conflicting_mentions" in record.meta.publish_date.review.reasons
