"""Grid tables: grids on PageDocs -> Tables (joins over pages, missing rules, the stub)."""

from __future__ import annotations

import pytest
from nianbao.datamodel.document import CellPart, GridCell, PageDoc, ReportDoc, TableGrid
from nianbao.datamodel.record import Source
from nianbao.engines.tables.grid import build_grid
from nianbao.runner import Pipeline
from nianbao.settings import Settings
from nianbao.stages.grid_tables import GridTableBuilder, split_merged_rows
from nianbao.template import Template

BBox = tuple[float, float, float, float]


def grid_of(page: int, top: float, texts: list[list[str]], widths: list[float]) -> TableGrid:
    """A fully ruled grid whose cell (i, j) holds texts[i][j] (a text-layer part)."""
    rows = [top + 40.0 * i for i in range(len(texts) + 1)]
    cols = [100.0]
    for w in widths:
        cols.append(cols[-1] + w)
    grid = build_grid(
        rows, cols, lambda i, j: True, lambda i, j: True, page=page, source="camelot_lattice"
    )
    for cell in grid.cells:
        text = texts[cell.row][cell.col]
        if text:
            x0, y0, x1, y1 = cell.bbox
            cell.parts = [CellPart(text=text, bbox=(x0 + 5, y0 + 10, x1 - 5, y1 - 10))]
            cell.text = text
    return grid


def page_doc(number: int, grids: list[TableGrid]) -> PageDoc:
    return PageDoc(
        number=number, width=1654, height=2339, dpi=200, source="text_layer", grids=grids
    )


HEADER = ["", "自然人", "商业企业", "总计"]
WIDTHS = [400.0, 100.0, 100.0, 100.0]


def same(a: TableGrid, b: TableGrid) -> bool:
    return True


def test_a_table_broken_over_pages_is_joined_and_its_repeated_header_dropped(
    settings: Settings,
) -> None:
    first = grid_of(
        3,
        1900.0,
        [
            HEADER,
            ["一、本年新收政府信息公开申请数量", "5", "1", "6"],
            ["（一）予以公开", "2", "", "2"],
        ],
        WIDTHS,
    )
    cont = grid_of(4, 200.0, [HEADER, ["（七）总计", "5", "1", "6"]], WIDTHS)
    doc = ReportDoc(source=Source(path="t.pdf"), pages=[page_doc(3, [first]), page_doc(4, [cont])])
    tables = GridTableBuilder(settings.grid).build(doc, 1, same)
    assert len(tables) == 1
    table = tables[0]
    assert table.pages == [3, 4]
    assert [r.label for r in table.rows] == [
        "一、本年新收政府信息公开申请数量",
        "（一）予以公开",
        "（七）总计",
    ]
    assert [c.raw for c in table.rows[1].cells] == ["2", "", "2"]  # the blank keeps its place
    assert table.header_text.count("自然人") == 1


def test_grids_naming_different_tables_are_not_joined(settings: Settings) -> None:
    first = grid_of(2, 1900.0, [["规章", "1", "2", "3"]], WIDTHS)
    then = grid_of(3, 200.0, [HEADER, ["（七）总计", "5", "1", "6"]], WIDTHS)
    doc = ReportDoc(source=Source(path="t.pdf"), pages=[page_doc(2, [first]), page_doc(3, [then])])
    tables = GridTableBuilder(settings.grid).build(doc, 1, lambda a, b: False)
    assert [t.pages for t in tables] == [[2], [3]]


def test_a_grid_far_from_the_page_end_is_not_continued(settings: Settings) -> None:
    first = grid_of(3, 300.0, [HEADER, ["一、本年新收", "5", "1", "6"]], WIDTHS)
    cont = grid_of(4, 200.0, [["（七）总计", "5", "1", "6"]], WIDTHS)
    doc = ReportDoc(source=Source(path="t.pdf"), pages=[page_doc(3, [first]), page_doc(4, [cont])])
    assert len(GridTableBuilder(settings.grid).build(doc, 1, same)) == 2


def test_a_missing_rule_splits_the_row_and_marks_it(settings: Settings) -> None:
    # rows 1 and 2 of the source share one grid row: their rule was not found
    grid = build_grid(
        [0.0, 40.0, 120.0],
        [0.0, 300.0, 400.0, 500.0, 600.0],
        lambda i, j: True,
        lambda i, j: True,
        page=1,
        source="lines",
    )

    def put(cell: GridCell, *lines: tuple[str, float]) -> None:
        x0, _, x1, _ = cell.bbox
        cell.parts = [CellPart(text=t, bbox=(x0 + 5, y, x1 - 5, y + 20)) for t, y in lines]
        cell.text = "".join(t for t, _ in lines)

    cells = {(c.row, c.col): c for c in grid.cells}
    put(cells[0, 1], ("自然人", 10))
    put(cells[0, 2], ("其他", 10))
    put(cells[1, 0], ("1.属于国家秘密", 50), ("2.其他法律行政法规禁止公开", 90))
    put(cells[1, 1], ("3", 50), ("4", 90))
    put(cells[1, 2], ("0", 50), ("1", 90))
    put(cells[1, 3], ("3", 50), ("5", 90))
    put(cells[0, 3], ("总计", 10))
    assert split_merged_rows(grid, settings.grid.digit_column_share) == 1
    doc = ReportDoc(source=Source(path="t.png"), pages=[page_doc(1, [grid])])
    table = GridTableBuilder(settings.grid).build(doc, 1, same)[0]
    assert [r.label for r in table.rows] == ["1.属于国家秘密", "2.其他法律行政法规禁止公开"]
    assert [[c.raw for c in r.cells] for r in table.rows] == [["3", "0", "3"], ["4", "1", "5"]]
    assert all(c.grid["inferred_rule"] == 1.0 for r in table.rows for c in r.cells)


def test_a_row_cut_by_the_page_break_is_one_row_with_its_label_joined(
    settings: Settings,
) -> None:
    # the label begins in the open last row of page 3 (no values there) and ends in the first
    # row of page 4, which holds the values
    first = grid_of(
        3,
        1900.0,
        [
            HEADER,
            ["4.无正当理由大量反复申请", "0", "0", "0"],
            ["5.要求行政机关确认或重新", "", "", ""],
        ],
        WIDTHS,
    )
    first.open_ends = ["bottom"]
    cont = grid_of(
        4, 200.0, [["出具已获取信息", "1", "0", "1"], ["（六）其他处理", "2", "0", "2"]], WIDTHS
    )
    doc = ReportDoc(source=Source(path="t.pdf"), pages=[page_doc(3, [first]), page_doc(4, [cont])])
    table = GridTableBuilder(settings.grid).build(doc, 1, same)[0]
    assert [r.label for r in table.rows] == [
        "4.无正当理由大量反复申请",
        "5.要求行政机关确认或重新出具已获取信息",
        "（六）其他处理",
    ]
    assert [c.raw for c in table.rows[1].cells] == ["1", "0", "1"]


def test_the_label_rest_of_a_cut_row_continues_the_previous_row(settings: Settings) -> None:
    # the values are in the part on page 3; page 4's grid opens (no top rule) with the label's
    # rest and no values: not a header, not a row of blanks
    first = grid_of(3, 1900.0, [HEADER, ["5.要求行政机关确认或重新", "1", "0", "1"]], WIDTHS)
    cont = grid_of(
        4, 200.0, [["出具已获取信息", "", "", ""], ["（六）其他处理", "2", "0", "2"]], WIDTHS
    )
    cont.open_ends = ["top"]
    doc = ReportDoc(source=Source(path="t.pdf"), pages=[page_doc(3, [first]), page_doc(4, [cont])])
    table = GridTableBuilder(settings.grid).build(doc, 1, same)[0]
    assert [r.label for r in table.rows] == [
        "5.要求行政机关确认或重新出具已获取信息",
        "（六）其他处理",
    ]
    assert "出具已获取信息" not in table.header_text


def test_a_misread_number_in_the_only_data_row_does_not_turn_its_column_into_a_label(
    settings: Settings,
) -> None:
    # table 四 has one data row: its first column's only number, misread "0)", used to make
    # that column part of the stub, so the row lost a cell and the rest shifted
    header = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    grid = grid_of(4, 400.0, [header, ["0)", "0", "1", "0)", "1"]], [120.0] * 5)
    doc = ReportDoc(source=Source(path="t.png"), pages=[page_doc(4, [grid])])
    table = GridTableBuilder(settings.grid).build(doc, 1, same)[0]
    assert len(table.rows) == 1
    assert table.rows[0].label_cells == []
    assert [c.raw for c in table.rows[0].cells] == ["0)", "0", "1", "0)", "1"]


# ---- whole documents (text-layer PDFs: camelot lattice) ----------------------------------------


@pytest.mark.slow
def test_page_broken_table_three_is_joined_in_a_real_run(pipeline: Pipeline) -> None:
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "sample_scans" / "pdf"
    doc, record = pipeline.run_doc(root / "nanxi-county-2022.pdf")
    apps = [t for t in doc.tables if t.kind == "applications"]
    assert len(apps) == 1 and apps[0].pages == [3, 4] and apps[0].source == "grid_text_layer"
    truth = json.loads((root / "nanxi-county-2022.truth.json").read_text(encoding="utf-8"))
    wrong = [
        p
        for p, v in truth["values"].items()
        if p.startswith("applications.") and record.get(p).value != v
    ]
    assert wrong == []
    # the rows of the continuation page come after (七)总计's leaves, with nothing shifted
    assert record.get("applications.other.other.total").evidence.page == 4


@pytest.mark.slow
def test_a_2019_table_two_is_not_mapped_onto_2021_keys(
    pipeline: Pipeline, template: Template
) -> None:
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "sample_scans" / "pdf" / "guojia-biaozhun-2019.pdf"
    doc, record = pipeline.run_doc(path)
    reading = next(r for r in doc.table_readings if r.kind == "active_disclosure")
    assert reading.format == "2019" and record.template.version == "2019"
    v2019 = record.active_disclosure.v2019
    assert v2019 is not None and v2019.regulations.new_made.value is not None
    # 2021 keys without a true 2019 counterpart stay missing
    for key in ("regulations.issued", "regulations.repealed", "normative_documents.in_force"):
        assert record.get(f"active_disclosure.{key}").semantic == "missing"
    # ... and those with one carry the 2019 cell
    assert (
        record.get("active_disclosure.licensing_decisions").value == v2019.licensing.processed.value
    )
