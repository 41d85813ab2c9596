from __future__ import annotations

from nianbao.datamodel.document import Line, ReportDoc
from nianbao.datamodel.record import Source
from nianbao.settings import Settings
from nianbao.stages.clean import Clean
from nianbao.template import Template


def run(
    lines: list[str], settings: Settings, template: Template, media: str = "text/plain"
) -> ReportDoc:
    doc = ReportDoc(
        source=Source(path="t.txt", media_type=media),
        lines=[Line(id=i, raw=t) for i, t in enumerate(lines, 1)],
    )
    return Clean(Clean.options_from(settings), template)(doc)


def test_fullwidth_digits_and_spaces_between_cjk_are_normalised(settings, template) -> None:
    doc = run(["三、本 年 度 办 理 结 果\t１８\t０", "共 收 到 申 请 １２ 件"], settings, template)
    assert doc.lines[0].text == "三、本年度办理结果\t18\t0"
    assert doc.lines[1].text == "共收到申请 12 件"


def test_navigation_block_with_its_short_titles_is_noise(settings, template) -> None:
    lines = [
        "（四）平台建设情况。我局持续运行好门户网站。",
        "- ### 工作动态",
        "- 全市专利授权突破万件 [2022.02.07]",
        "通知公告",
        "- 关于首次公开遴选的公告... [2022.01.28]",
        "- 2021年政府网站年度报表... [2022.01.26]",
        "(五) 信息公开监督保障。根据局领导分工变动情况，及时调整领导小组成员。",
    ]
    doc = run(lines, settings, template)
    assert [ln.noise for ln in doc.lines] == [None, *["navigation"] * 5, None]


def test_short_lines_without_list_items_are_not_navigation(settings, template) -> None:
    doc = run(["主动公开信息发布情况", "公开指南", "一、总体情况"], settings, template)
    assert all(ln.noise is None for ln in doc.lines)


def test_pasted_page_runs_to_the_next_heading(settings, template) -> None:
    lines = [
        "标题:\t市市场监督管理局召开培训会",
        "索引号:\tMB2835925/2021-03263\t文号:",
        "发文日期:\t2021-06-28",
        "6月28日，市局召开政务公开工作培训会，全体干部参加培训。",
        "二、主动公开政府信息情况",
    ]
    doc = run(lines, settings, template)
    assert [ln.noise for ln in doc.lines] == ["pasted_page"] * 4 + [None]


def test_furniture_lines(settings, template) -> None:
    doc = run(
        ["扫码使用手机浏览本页内容", "-3-", "第 2 页 共 5 页", "版权所有：某市人民政府"],
        settings,
        template,
    )
    assert all(ln.noise == "furniture" for ln in doc.lines)


def test_markdown_tables_become_separated_cells(settings, template) -> None:
    doc = run(
        ["## 一、总体情况", "| 规章 | 0 | 1 | 2 |", "|---|---|---|---|"],
        settings,
        template,
        "text/markdown",
    )
    assert doc.lines[0].text == "一、总体情况"
    assert doc.lines[1].text == "规章\t0\t1\t2"
    assert doc.lines[2].noise == "markdown_rule"


def test_pasted_page_ends_at_its_own_page_chrome(settings, template) -> None:
    lines = [
        "标题：关于森林防火的通知",
        "索引号：12345678/2021-003",
        "会议强调，各单位要压实责任。",
        "【打印本页】【关闭窗口】",
        "（三）政府信息管理情况。对已公开的政策文件开展清理。",
    ]
    doc = run(lines, settings, template)
    assert [ln.noise for ln in doc.lines] == ["pasted_page"] * 3 + ["furniture", None]


def test_pasted_page_ends_at_an_unnumbered_heading(settings, template) -> None:
    lines = [
        "标题：关于森林防火的通知",
        "发文日期：2021年6月28日",
        "会议强调，各单位要压实责任。",
        "主动公开政府信息情况",
    ]
    doc = run(lines, settings, template)
    assert [ln.noise for ln in doc.lines] == ["pasted_page"] * 3 + [None]


def test_web_chrome_before_the_title_is_furniture(settings, template) -> None:
    lines = [
        "分享到：",
        "今天是：2021年2月20日 星期三 | 无障碍 | 长者模式",
        "主办单位：某市人民政府办公室",
        "浏览次数：40883662",
    ]
    assert all(ln.noise == "furniture" for ln in run(lines, settings, template).lines)


def test_signature_and_title_next_to_navigation_stay(settings, template) -> None:
    lines = [
        "某县人民政府",
        "2021年1月24日",
        "通知公告",
        "关于开展安全生产专项检查的通知 [2021-10-12]",
        "安全生产工作推进会召开 [2021-11-25]",
        "市领导调研森林防火工作 [2021-03-02]",
        "2022年政府信息公开工作年度报告",
    ]
    doc = run(lines, settings, template)
    assert [ln.noise for ln in doc.lines] == [None, None, *["navigation"] * 4, None]
