from __future__ import annotations

import pytest

from pipeline.stages.meta import parse_date


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
