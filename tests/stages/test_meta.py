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
