"""tables: flattened lines and HTML grids -> TableRows; column fitting."""

from __future__ import annotations

from pathlib import Path

from nianbao.datamodel.document import CellObs, Line, PageDoc, ReportDoc, Section, TableRow
from nianbao.datamodel.record import Source
from nianbao.runner import Pipeline
from nianbao.settings import Settings
from nianbao.stages.table_fields import fit_columns
from nianbao.stages.tables import Tables, parse_row
from nianbao.template import Template


def test_parse_row_keeps_blank_positions_between_separators() -> None:
    row = parse_row(
        Line(id=1, raw="", text="一、本年新收政府信息公开申请数量\t39\t3\t\t\t1\t\t43"), 3
    )
    assert row is not None
    assert row.label_cells == ["一、本年新收政府信息公开申请数量"]
    assert [c.raw for c in row.cells] == ["39", "3", "", "", "1", "", "43"]


def test_parse_row_space_separated_and_label_only() -> None:
    row = parse_row(Line(id=1, raw="", text="（七）总计 18 0 0 0 0 0 18"), 3)
    assert row is not None and row.label == "（七）总计" and len(row.cells) == 7
    assert parse_row(Line(id=2, raw="", text="信息内容\t本年制发件数\t本年废止件数"), 3) is None


def _row(raws: list[str], trailing: int = 0) -> TableRow:
    return TableRow(
        label_cells=["x"],
        cells=[CellObs(raw=r) for r in raws],
        line_ids=[1],
        trailing_blanks=trailing,
    )


def test_fit_exact_count_is_certain_whatever_the_separator() -> None:
    assert fit_columns(_row(["18", "0", "0", "0", "0", "0", "18"]), 7, grid=False).certain


def test_fit_exact_and_stub_residue() -> None:
    fit = fit_columns(_row(["", "0", "1", "2", "3", "4", "5", "15"]), 7, grid=False)
    assert fit.certain and [c.raw for c in fit.cells if c] == ["0", "1", "2", "3", "4", "5", "15"]


def test_fit_short_row_is_uncertain() -> None:
    fit = fit_columns(_row(["1", "2", "3"]), 7, grid=False)
    assert not fit.certain and fit.cells[:4] == [None] * 4


def test_fit_leading_blanks_are_uncertain_in_text_but_not_in_a_grid() -> None:
    raws = [""] * 5 + ["0"] * 10
    assert not fit_columns(_row(raws), 15, grid=False).certain
    assert fit_columns(_row(raws), 15, grid=True).certain


HTML = """<html><body><p>三、收到和处理政府信息公开申请情况</p><table>
<tr><td rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>
<td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>5</td><td>1</td><td></td><td></td><td></td><td>2</td><td>8</td></tr>
<tr><td rowspan="4">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>3</td><td>1</td><td></td><td></td><td></td><td></td><td>4</td></tr>
<tr><td rowspan="3">（三）不予公开</td><td>1.属于国家秘密</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>2.其他法律行政法规禁止公开</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td><td>2</td></tr>
<tr><td>3.危及“三安全一稳定”</td><td>/</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
</table></body></html>"""


def test_html_rowspan_colspan_map_to_the_right_rows(pipeline: Pipeline, tmp_path: Path) -> None:
    path = tmp_path / "t3.html"
    path.write_text(HTML, encoding="utf-8")
    record = pipeline.run(path)
    apps = record.applications
    assert apps.new.other_org.value == 2 and apps.new.total.value == 8
    assert apps.new.research.semantic == "blank" and apps.new.research.value == 0
    assert apps.disclosed.natural_person.value == 3
    assert apps.not_disclosed.prohibited_by_law.other_org.value == 1
    assert apps.not_disclosed.prohibited_by_law.total.value == 2
    na = apps.not_disclosed.three_safety_one_stability.natural_person
    assert na.semantic == "not_applicable" and na.value is None and na.raw == "/"
    assert apps.disclosed.total.method == "table.html"


def test_a_refused_first_page_does_not_shift_the_pages_a_table_is_on(
    settings: Settings, template: Template
) -> None:
    """Refused or failed pages are not in doc.pages: page 2 is doc.pages[0] here. Tables look
    pages up by number (it used to index doc.pages by number - 1, which raised and lost the
    whole tables stage)."""
    rows = [
        "申请人情况\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计",
        "一、本年新收政府信息公开申请数量\t5\t0\t0\t0\t0\t0\t5",
        "二、上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1",
    ]
    doc = ReportDoc(source=Source(path="two-pages.pdf", input_kind="pdf_text"))
    doc.pages = [PageDoc(number=2, width=1654, height=2339, dpi=200, source="text_layer")]
    doc.lines = [Line(id=i, raw=r, text=r, page=2) for i, r in enumerate(rows, 1)]
    doc.sections = [
        Section(number=3, key="applications", canonical="三", line_ids=[1, 2, 3]),
    ]
    doc = Tables(Tables.options_from(settings), template)(doc)
    (table,) = doc.tables
    assert table.kind == "applications" and table.source == "text_layer"
    assert [r.cells[-1].raw for r in table.rows] == ["5", "1"]


def test_an_html_table_broken_over_a_page_is_joined(pipeline: Pipeline, tmp_path: Path) -> None:
    """A PDF page converted to HTML keeps its page break: table 三's header and first row in
    one <table>, the page's number and running title as paragraphs, the rest in another
    <table>. The rows after the break belong to the same table."""

    def tr(label: str, values: list[int]) -> str:
        return f"<tr><td>{label}</td>" + "".join(f"<td>{v}</td>" for v in values) + "</tr>"

    header = (
        "<tr><td rowspan='3'>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>"
        "<td colspan='7'>申请人情况</td></tr><tr><td rowspan='2'>自然人</td>"
        "<td colspan='5'>法人或其他组织</td><td rowspan='2'>总计</td></tr><tr><td>商业企业</td>"
        "<td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>"
    )
    html = (
        "<html><body><p>某县商务局2022年政府信息公开工作年度报告</p><p>三、收到和处理政府信息公开申请情况</p>"
        f"<table>{header}{tr('一、本年新收政府信息公开申请数量', [4, 1, 0, 0, 0, 0, 5])}</table>"
        "<p>3</p><p>政府信息公开工作年度报告</p><table>"
        + tr("二、上年结转政府信息公开申请数量", [1, 0, 0, 0, 0, 0, 1])
        + tr("（一）予以公开", [3, 1, 0, 0, 0, 0, 4])
        + tr("（七）总计", [3, 1, 0, 0, 0, 0, 4])
        + tr("四、结转下年度继续办理", [2, 0, 0, 0, 0, 0, 2])
        + "</table><p>四、政府信息公开行政复议、行政诉讼情况</p></body></html>"
    )
    path = tmp_path / "broken.html"
    path.write_text(html, encoding="utf-8")
    doc, record = pipeline.run_doc(path)
    (apps,) = [t for t in doc.tables if t.kind == "applications"]
    assert len([r for r in apps.rows if r.cells]) == 5
    assert record.applications.new.total.value == 5
    assert record.applications.carried_over.total.value == 1
    assert record.applications.carried_forward.natural_person.value == 2
