"""meta: agency, year, publish date and title from the shapes real pages have.

Every example below is a short made-up opening in the shape of a real one (place names are
invented); each asserts the value and whether the field must go to review."""

from __future__ import annotations

from pathlib import Path

import pytest
from nianbao.datamodel.record import ReportRecord
from nianbao.runner import Pipeline
from nianbao.stages.agency import Shapes
from nianbao.stages.meta import parse_date
from nianbao.template import Template

from tests.conftest import SEED

BODY = (
    "一、总体情况\n"
    "{year}年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息120条。\n"
    "二、主动公开政府信息情况\n"
)
UNCERTAIN = "agency_uncertain"
CONFLICT = "conflicting_mentions"


def run(
    pipeline: Pipeline, tmp_path: Path, head: str, year: int = 2021, tail: str = ""
) -> ReportRecord:
    path = tmp_path / "opening.txt"
    path.write_text(head + "\n" + BODY.format(year=year) + tail, encoding="utf-8")
    return pipeline.run(path)


def forced(field) -> set[str]:
    """The review reasons that do not depend on the calibrated confidence."""
    return set(field.review.reasons) - {"low_confidence"}


# ---- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2022年1月24日", "2022-01-24"),
        ("2022 年 1 月 24 日", "2022-01-24"),
        ("发布日期：2022-01-24", "2022-01-24"),
        ("2022.1.5", "2022-01-05"),
        ("二〇二二年一月二十四日", "2022-01-24"),
        ("二○二三年十二月三十一日", "2023-12-31"),
        ("发布时间：2023-03-15 09:20", "2023-03-15"),
    ],
)
def test_dates(text: str, iso: str) -> None:
    found = parse_date(text)
    assert found is not None and found[0] == iso


def test_impossible_dates_are_not_dates() -> None:
    assert parse_date("2022年2月30日") is None
    assert parse_date("第20条第（一）项") is None


# ---- the shapes of agency names -------------------------------------------------------------


@pytest.fixture(scope="module")
def shapes(template: Template) -> Shapes:
    return Shapes(template, 2, 40)


@pytest.mark.parametrize(
    "name",
    [
        "白鹭市统计局",
        "国家卫生健康委",
        "自然资源部",
        "云栖县松桥镇人民政府",
        "东湖街道",
        "镇宁山县人民政府",  # starts with 镇, still a full name
        "本溪口市教育局",  # starts with 本, not the pronoun
        "全椒山县人民政府",
        "白鹭市公安局滨江区分局",
    ],
)
def test_full_names(shapes: Shapes, name: str) -> None:
    shape = shapes.shape(name)
    assert shape is not None and not shape.short


@pytest.mark.parametrize("name", ["市发改委", "区政府国资局", "县教育局", "市住房和城乡建设局"])
def test_short_forms(shapes: Shapes, name: str) -> None:
    shape = shapes.shape(name)
    assert shape is not None and shape.short


@pytest.mark.parametrize(
    "text",
    [
        "根据《中华人民共和国政府信息公开条例》要求，特编制白鹭市统计局",
        "我局",
        "本机关",
        "全县",
        "建设局",  # no place: half of a name split over two lines
        "没有因政府",
        "区财金局扎实做好区",
        "组配分类",
        "政府信息公开",
    ],
)
def test_not_names(shapes: Shapes, text: str) -> None:
    assert shapes.shape(text) is None


# ---- the agency -----------------------------------------------------------------------------


def test_a_preamble_sentence_gives_the_name_only_and_goes_to_review(pipeline, tmp_path) -> None:
    head = (
        "根据《中华人民共和国政府信息公开条例》要求，特编制白鹭市人民政府办公室2023年政府信息"
        "公开工作年度报告。本报告所列数据统计期限自2023年1月1日起至12月31日止。"
    )
    record = run(pipeline, tmp_path, head, 2023)
    agency = record.meta.agency
    assert agency.value == "白鹭市人民政府办公室"
    assert agency.review.needed and UNCERTAIN in agency.review.reasons
    assert record.meta.year.value == 2023


@pytest.mark.parametrize(
    "sentence",
    [
        "根据《中华人民共和国政府信息公开条例》规定，现公布白鹭市统计局2022年政府信息公开工作年度报告。",
        "本年度报告根据《条例》要求，由白鹭市统计局编制，全文包括总体情况等六部分。",
        "结合白鹭市统计局政府信息公开工作实际，现编制2022年政府信息公开工作年度报告。",
        "2022年，白鹭市统计局坚持以习近平新时代中国特色社会主义思想为指导，扎实推进政务公开。",
        "如对本报告有任何疑问，请与白鹭市统计局办公室联系（电话：0000-1234567）。",
        "根据《条例》规定，特向社会公布国家统计局白鹭市调查队（以下简称“白鹭调查队”）2022年"
        "政府信息公开工作年度报告。",
    ],
)
def test_sentences_that_name_the_agency(pipeline, tmp_path, sentence: str) -> None:
    agency = run(pipeline, tmp_path, sentence, 2022).meta.agency
    want = "国家统计局白鹭市调查队" if "调查队" in sentence else "白鹭市统计局"
    assert agency.value == want
    assert UNCERTAIN in agency.review.reasons


def test_a_title_name_is_sure(pipeline, tmp_path) -> None:
    record = run(pipeline, tmp_path, "白鹭市统计局2021年政府信息公开工作年度报告")
    assert record.meta.agency.value == "白鹭市统计局"
    assert record.meta.agency.method == "meta.title"
    assert not forced(record.meta.agency)
    assert record.meta.year.value == 2021
    assert record.meta.title.value == "白鹭市统计局2021年政府信息公开工作年度报告"


def test_traditional_script_keeps_the_characters_as_printed(pipeline, tmp_path) -> None:
    head = "雲棲縣衛生健康委2023年政府信息公開工作年度報告\n根據《中華人民共和國政府信息公開條例》規定編制本報告。"
    record = run(pipeline, tmp_path, head, 2023)
    assert record.meta.agency.value == "雲棲縣衛生健康委"
    assert not forced(record.meta.agency)
    assert record.meta.year.value == 2023


@pytest.mark.parametrize(
    "head",
    [
        "# 白鹭市统计局<br>2021年政府信息公开工作年度报告",
        "**白鹭市统计局2021年政府信息公开工作年度报告**",
        "标题：白鹭市统计局2021年政府信息公开工作年度报告",
        "名 称：白鹭市统计局2021年政府信息公开工作年度报告  发布日期：2022年01月20日",
        "白鹭市统计局\n2021年政府信息公开工作年度报告",  # a first line that is only the name
        "白鹭市统计局2021年 政府信息公开工作年度报告",  # split by a space
        "白鹭市统计局2021年\n政府信息公开工作年度报告",  # split over lines
        "首页 > 政务公开 > 年报\n白鹭市统计局2021年政府信息公开工作年度报告 - 政府信息公开年报 - 白鹭市",
        "白鹭市统计局政府信息公开工作2021年度报告",
        "白鹭市统计局二〇二一年政府信息公开工作年度报告",
    ],
)
def test_title_shapes(pipeline, tmp_path, head: str) -> None:
    record = run(pipeline, tmp_path, head)
    assert record.meta.agency.value == "白鹭市统计局"
    assert not forced(record.meta.agency)
    assert record.meta.year.value == 2021


def test_a_title_split_inside_the_name(pipeline, tmp_path) -> None:
    head = "白鹭市住房和城乡\n建设局2021年政府信息公开工作年度报告"
    assert run(pipeline, tmp_path, head).meta.agency.value == "白鹭市住房和城乡建设局"


def test_about_title(pipeline, tmp_path) -> None:
    record = run(pipeline, tmp_path, "云栖县人民政府关于2019年度政府信息公开工作年度报告", 2019)
    assert record.meta.agency.value == "云栖县人民政府"
    assert record.meta.year.value == 2019


def test_year_before_the_name(pipeline, tmp_path) -> None:
    record = run(pipeline, tmp_path, "2023年松桥镇政府信息公开工作年度报告", 2023)
    assert record.meta.agency.value == "松桥镇"  # 政府 belongs to 政府信息公开
    assert record.meta.year.value == 2023


def test_government_completes_to_peoples_government(pipeline, tmp_path) -> None:
    head = (
        "云栖县政府2019年信息公开工作年度报告\n"
        "根据《条例》要求，现公布云栖县人民政府2019年政府信息公开工作年度报告。"
    )
    agency = run(pipeline, tmp_path, head, 2019).meta.agency
    assert agency.value == "云栖县人民政府"
    assert agency.features.get("agency_extended") == 1.0
    assert not forced(agency)


def test_a_place_only_title_takes_the_organ_the_page_prints(pipeline, tmp_path) -> None:
    head = (
        "云栖县松桥镇人民政府\n"
        "云栖县松桥镇2023年政府信息公开工作年度报告\n"
        "发布时间：2024-01-19 11:04 来源：云栖县松桥镇人民政府"
    )
    record = run(pipeline, tmp_path, head, 2023)
    assert record.meta.agency.value == "云栖县松桥镇人民政府"
    assert record.meta.publish_date.value == "2024-01-19"


def test_a_name_line_under_the_title_completes_it(pipeline, tmp_path) -> None:
    head = "2021年东湖街道政府信息公开工作年度报告\n东湖街道办事处\n2022年01月18日来源:东湖街道"
    record = run(pipeline, tmp_path, head)
    assert record.meta.agency.value == "东湖街道办事处"
    assert record.meta.publish_date.value == "2022-01-18"
    assert record.meta.publish_date.method == "meta.page_header"


def test_agency_only_in_the_signature(pipeline, tmp_path) -> None:
    record = run(
        pipeline,
        tmp_path,
        "2021年政府信息公开工作年度报告",
        tail="六、其他需要报告的事项\n本年度未收取信息处理费。\n白鹭市统计局\n2022年1月20日\n",
    )
    assert record.meta.agency.value == "白鹭市统计局"
    assert record.meta.agency.method == "meta.signature"
    assert not forced(record.meta.agency)
    assert record.meta.publish_date.value == "2022-01-20"
    assert record.meta.publish_date.method == "meta.signature"


def test_a_signature_on_one_line(pipeline, tmp_path) -> None:
    tail = "六、其他需要报告的事项\n无。\n白鹭市统计局　　2022年1月20日\n"
    record = run(pipeline, tmp_path, "2021年政府信息公开工作年度报告", tail=tail)
    assert record.meta.agency.value == "白鹭市统计局"
    assert record.meta.publish_date.value == "2022-01-20"


def test_the_signature_wins_over_the_site_name_at_the_top(pipeline, tmp_path) -> None:
    head = "白鹭市人民政府\n首页 > 政务公开 > 政府信息公开年报\n2021年政府信息公开工作年度报告"
    tail = "六、其他需要报告的事项\n无。\n白鹭市统计局\n2022年1月20日\n"
    agency = run(pipeline, tmp_path, head, tail=tail).meta.agency
    assert agency.value == "白鹭市统计局"
    assert not forced(agency)


def test_a_short_form_alone_goes_to_review(pipeline, tmp_path) -> None:
    head = "2022年，市发改委严格落实政府信息公开各项要求。现将我委2022年度政府信息公开工作情况报告如下。"
    agency = run(pipeline, tmp_path, head, 2022).meta.agency
    assert agency.value == "市发改委"
    assert agency.review.needed and UNCERTAIN in agency.review.reasons


def test_a_short_form_gives_way_to_the_full_name(pipeline, tmp_path) -> None:
    head = "2022年，市发改委严格落实政府信息公开各项要求。"
    tail = "六、其他需要报告的事项\n无。\n白鹭市发展和改革委员会\n2023年1月16日\n"
    agency = run(pipeline, tmp_path, head, 2022, tail).meta.agency
    assert agency.value == "白鹭市发展和改革委员会"


def test_only_a_pronoun_names_no_agency(pipeline, tmp_path) -> None:
    head = "根据《条例》要求，现将我局2022年度政府信息公开工作情况报告如下。"
    record = run(pipeline, tmp_path, head, 2022)
    assert record.meta.agency.value is None
    assert record.meta.agency.review.needed
    assert record.meta.year.value == 2022


def test_a_labelled_name_goes_to_review(pipeline, tmp_path) -> None:
    head = "# 2024年政府信息公开工作年度报告\n\n单位：白鹭市统计局　　　　日期：2025-01-22"
    record = run(pipeline, tmp_path, head, 2024)
    assert record.meta.agency.value == "白鹭市统计局"
    assert UNCERTAIN in record.meta.agency.review.reasons
    assert record.meta.publish_date.value == "2025-01-22"


def test_one_misread_character_is_read_as_the_rest_prints_it(pipeline, tmp_path) -> None:
    head = (
        "白鹭市统计周2022年政府信息公开工作年度报告\n如对本报告有疑问，请与白鹭市统计局办公室联系。"
    )
    tail = "六、其他需要报告的事项\n无。\n白鹭市统计局\n2023年1月18日\n"
    agency = run(pipeline, tmp_path, head, 2022, tail).meta.agency
    assert agency.value == "白鹭市统计局"
    assert agency.features.get("agency_resolved") == 1.0


def test_a_fuller_mention_wins_over_a_colloquial_one(pipeline, tmp_path) -> None:
    head = (
        "本报告根据《条例》要求编制。如有疑问，请与白鹭市公安局滨江区分局联系。\n"
        "一、总体情况\n2022年，滨江区公安分局在区委区政府的领导下，扎实推进政务公开。"
    )
    agency = run(pipeline, tmp_path, head, 2022).meta.agency
    assert agency.value == "白鹭市公安局滨江区分局"
    assert UNCERTAIN in agency.review.reasons


def test_title_and_signature_agencies_that_disagree_are_flagged(pipeline, tmp_path) -> None:
    text = SEED.read_text(encoding="utf-8")
    cut = text.rindex("聊城市市场监督管理局")
    path = tmp_path / "conflict.txt"
    path.write_text(text[:cut] + "聊城市人民政府办公室" + text[cut + 10 :], encoding="utf-8")
    agency = pipeline.run(path).meta.agency
    assert agency.value == "聊城市市场监督管理局"
    assert agency.review.needed and CONFLICT in agency.review.reasons


def test_agency_from_signature_when_the_title_has_none(pipeline, tmp_path) -> None:
    text = SEED.read_text(encoding="utf-8").replace("聊城市市场监督管理局\n\n2021 年", "2021 年", 1)
    path = tmp_path / "no-agency-title.txt"
    path.write_text(text, encoding="utf-8")
    agency = pipeline.run(path).meta.agency
    assert agency.value == "聊城市市场监督管理局"
    assert agency.method == "meta.signature"
    assert agency.evidence.line is not None and agency.evidence.text == "聊城市市场监督管理局"


# ---- the publish date -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "iso"),
    [
        ("发布时间：2022-03-15 09:20", "2022-03-15"),
        ("发布日期：2022-01-28", "2022-01-28"),
        ("日期:2022-01-23 字体大小:[ ]", "2022-01-23"),
        ("  • 时间: 2022-01-29 09:47", "2022-01-29"),
        ("来源：白鹭市统计局 浏览次数： 发布时间： 2022-02-19 16:54", "2022-02-19"),
        ("发布者:市统计局   发布日期:2022-01-19 14:36:15   浏览次数:19", "2022-01-19"),
        ("2022年01月18日来源:白鹭市统计局", "2022-01-18"),
        ("成文日期 2022-01-10 发布机构 白鹭市统计局\n发布日期: 2022-01-16 访问次数:", "2022-01-16"),
    ],
)
def test_page_header_dates(pipeline, tmp_path, header: str, iso: str) -> None:
    head = f"白鹭市统计局2021年政府信息公开工作年度报告\n{header}"
    date = run(pipeline, tmp_path, head).meta.publish_date
    assert date.value == iso
    assert date.method == "meta.page_header"
    assert not forced(date)


def test_a_signature_date_wins_over_the_page_header(pipeline, tmp_path) -> None:
    head = "白鹭市统计局2021年政府信息公开工作年度报告\n发布时间：2022-01-28 10:00"
    tail = "六、其他需要报告的事项\n无。\n白鹭市统计局\n2022年1月25日\n"
    date = run(pipeline, tmp_path, head, tail=tail).meta.publish_date
    assert date.value == "2022-01-25"
    assert date.method == "meta.signature"


def test_a_repost_date_is_doubted_not_the_year(pipeline, tmp_path) -> None:
    head = "白鹭市统计局2021年政府信息公开工作年度报告\n发布时间：2024-06-03 09:00"
    record = run(pipeline, tmp_path, head)
    assert record.meta.publish_date.value == "2024-06-03"
    assert CONFLICT in record.meta.publish_date.review.reasons
    assert CONFLICT not in record.meta.year.review.reasons
    assert record.meta.year.value == 2021


def test_a_written_date_alone_stands_in(pipeline, tmp_path) -> None:
    head = "白鹭市统计局2021年政府信息公开工作年度报告\n成文日期：2022-01-10"
    assert run(pipeline, tmp_path, head).meta.publish_date.value == "2022-01-10"


def test_a_dated_sentence_is_no_page_header(pipeline, tmp_path) -> None:
    head = "白鹭市统计局2021年政府信息公开工作年度报告\n2022年1月5日，召开政务公开工作会议，部署年度报告编制。"
    assert run(pipeline, tmp_path, head).meta.publish_date.value is None


# ---- the year --------------------------------------------------------------------------------


def test_year_from_the_statistics_period_not_a_cited_notice(pipeline, tmp_path) -> None:
    head = (
        "根据《关于做好2020年度政府信息公开工作年度报告编制工作的通知》要求，结合实际编制本报告。"
        "本报告所列数据统计期限自2021年1月1日起至2021年12月31日止。"
    )
    year = run(pipeline, tmp_path, head).meta.year
    assert year.value == 2021
    assert year.method == "meta.text"


def test_a_title_year_the_body_never_writes_is_flagged(pipeline, tmp_path) -> None:
    # OCR read the title's 2021 as 2027: the prose still writes 2021年 throughout
    path = _seed_with(
        tmp_path, "year.txt", "2021 年政府信息公开工作年度报告", "2027 年政府信息公开工作年度报告"
    )
    year = pipeline.run(path).meta.year
    assert year.value == 2027
    assert year.review.needed and CONFLICT in year.review.reasons


def _seed_with(tmp_path, name: str, old: str, new: str):
    text = SEED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_the_seed_year_and_date_corroborate_each_other(pipeline) -> None:
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
    assert CONFLICT in record.meta.publish_date.review.reasons


# ---- a titled opening is a report ------------------------------------------------------------


def test_a_titled_page_without_headings_is_a_report(pipeline, tmp_path) -> None:
    path = tmp_path / "inline.txt"
    path.write_text(
        "云栖县人民政府2019年 政府信息公开工作年度报告 一、总体情况 2019年，云栖县政府信息公开工作"
        "坚持以公开为常态、不公开为例外，全年主动公开政府信息8000余条。",
        encoding="utf-8",
    )
    record = pipeline.run(path)
    assert record.status.value != "failed"
    assert record.meta.agency.value == "云栖县人民政府"
    assert record.meta.year.value == 2019
