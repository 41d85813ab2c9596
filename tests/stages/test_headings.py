from __future__ import annotations

from nianbao.datamodel.document import Line, ReportDoc
from nianbao.datamodel.record import Source
from nianbao.stages.clean import Clean
from nianbao.stages.headings import Headings

BODY = "本机关认真贯彻落实《条例》，各项工作有序推进，全年未发生重大问题。"


def headings(lines: list[str], settings, template) -> list[tuple[int, str, list[str]]]:
    doc = ReportDoc(
        source=Source(path="t"), lines=[Line(id=i, raw=t) for i, t in enumerate(lines, 1)]
    )
    doc = Clean(Clean.options_from(settings), template)(doc)
    doc = Headings(Headings.options_from(settings), template)(doc)
    return [(h.section, h.found_text, h.notes) for h in doc.headings]


def test_variants_spaced_and_split_headings(settings, template) -> None:
    lines = [
        "一、总体情况",
        BODY,
        "二、主动公开政府信息情况",
        BODY,
        "三、收 到 和 处 理 政 府 信 息 公 开 申 请 情 况",
        BODY,
        "四、因政府信息公开工作被申请行政复议、",
        "提起行政诉讼情况",
        BODY,
        "五、政府信息公开工作存在的主要问题及改进情况",
        BODY,
        "|六、其他需要报告事项",
        BODY,
    ]
    found = headings(lines, settings, template)
    assert [s for s, _, _ in found] == [1, 2, 3, 4, 5, 6]
    assert found[3][2] == ["split over lines"]


def test_misnumbered_heading_goes_by_its_body(settings, template) -> None:
    lines = [
        "一、总体情况",
        BODY,
        "六、存在的主要问题及改进情况",
        BODY,
        "七、其他需要报告的事项",
        BODY,
    ]
    found = headings(lines, settings, template)
    assert [s for s, _, _ in found] == [1, 5, 6]
    assert "misnumbered: printed as 6, body matches section 5" in found[1][2]


def test_section_named_in_prose_or_table_rows_is_not_a_heading(settings, template) -> None:
    lines = [
        "一、总体情况",
        "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等六部分组成。",
        "一、本年新收政府信息公开申请数量\t18\t0\t0\t0\t0\t0\t18",
        "四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0",
        "主动公开政府信息情况",  # no numeral and inside section one: needs an exact match to count
    ]
    found = headings(lines, settings, template)
    assert [s for s, _, _ in found] == [1, 2]
    assert found[1][2] == ["unnumbered"]


def test_missing_section_leaves_a_gap(settings, template) -> None:
    lines = [
        "一、总体情况",
        BODY,
        "二、主动公开政府信息情况",
        BODY,
        "五、存在的主要问题及改进情况",
        BODY,
    ]
    assert [s for s, _, _ in headings(lines, settings, template)] == [1, 2, 5]


def test_order_wins_over_a_stray_match(settings, template) -> None:
    # A repeated heading later in the document (e.g. a pasted copy) cannot displace the order.
    lines = [
        "一、总体情况",
        BODY,
        "二、主动公开政府信息情况",
        BODY,
        "一、总体情况",
        BODY,
        "三、收到和处理政府信息公开申请情况",
    ]
    found = headings(lines, settings, template)
    assert [s for s, _, _ in found] == [1, 2, 3]
