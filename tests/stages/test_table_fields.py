"""table_fields: rebuilt tables -> template keys, formats, positions and readings."""

from __future__ import annotations

import random

from nianbao.datamodel.base import Feature, Method
from nianbao.datamodel.document import (
    CellObs,
    Heading,
    ReportDoc,
    Section,
    Table,
    TableRow,
)
from nianbao.datamodel.record import Semantic, Source
from nianbao.settings import Settings
from nianbao.stages.table_fields import TableFields
from nianbao.template import Template

APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def _row(label: str, raws: list[str], trailing: int = 0) -> TableRow:
    return TableRow(
        label_cells=[label],
        cells=[CellObs(raw=r) for r in raws],
        line_ids=[],
        trailing_blanks=trailing,
    )


def _doc(*tables: Table) -> ReportDoc:
    doc = ReportDoc(source=Source(path="t.txt"))
    doc.tables = list(tables)
    return doc


def _run(settings: Settings, template: Template, doc: ReportDoc) -> ReportDoc:
    return TableFields(TableFields.options_from(settings), template)(doc)


def test_table_three_rows_find_their_template_rows_in_order(
    settings: Settings, template: Template
) -> None:
    table = Table(
        id=1,
        source="html",
        kind="applications",
        rows=[
            _row("一、本年新收政府信息公开申请数量", ["5", "0", "0", "0", "0", "1", "6"]),
            _row("二、上年结转政府信息公开申请数量", ["1", "0", "0", "0", "0", "0", "1"]),
            _row("（一）予以公开", ["3", "", "", "", "", "1", "4"]),
            _row("四、结转下年度继续办理", ["0", "0", "0", "0", "0", "0", "0"]),
        ],
    )
    doc = _run(settings, template, _doc(table))
    new = doc.fields["applications.new.total"]
    assert new.value == 6 and new.method == Method.table_html
    assert new.features[Feature.label_score] == 1.0
    blank = doc.fields["applications.disclosed.commercial"]
    assert blank.value == 0 and blank.semantic == Semantic.blank  # an empty <td> is a 0
    assert doc.fields["applications.carried_forward.natural_person"].value == 0
    # rows the table lacks are unread, not absent
    assert doc.fields["applications.partially_disclosed.total"].features[Feature.row_not_found]
    (reading,) = doc.table_readings
    assert reading.table_id == 1 and reading.format == "2021"
    assert doc.template.version == "2021"


def test_a_text_row_short_of_cells_is_decoded_and_sent_to_review(
    settings: Settings, template: Template
) -> None:
    """Three values for seven columns (blank cells dropped by the extraction): 5 + 1 = 6 says
    the last is the total; which organisations the 5 and the 1 are is not printed. The decoder
    places them left-most (blank 法人 columns are far more common than a blank 自然人) and the
    row goes to review, its cells marked as decoded and their blanks as inferred."""
    table = Table(
        id=1,
        source="flattened_text",
        kind="applications",
        rows=[_row("一、本年新收政府信息公开申请数量", ["5", "1", "6"])],
    )
    doc = _run(settings, template, _doc(table))
    values = [
        doc.fields[f"applications.new.{c}"].value
        for c in ("natural_person", "commercial", "research", "total")
    ]
    assert values == [5, 1, 0, 6]
    research = doc.fields["applications.new.research"]
    assert research.features[Feature.dropped_blank] == 1.0
    assert all(
        doc.fields[f"applications.new.{c}"].features[Feature.decoder_ambiguous] == 1.0
        for c in ("natural_person", "commercial", "total")
    )


def test_header_cells_anchor_columns_so_blank_cells_keep_their_place(
    settings: Settings, template: Template
) -> None:
    xs = [100.0 * (k + 1) for k in range(7)]
    header = [
        CellObs(raw=label, bbox=(x - 30, 10, x + 30, 30))
        for label, x in zip(APPLICANTS, xs, strict=True)
    ]
    # a text row with only 自然人 and 总计 printed: two values, under their headers
    row = TableRow(
        label_cells=["一、本年新收政府信息公开申请数量"],
        cells=[CellObs(raw="5", bbox=(95, 50, 105, 60)), CellObs(raw="5", bbox=(695, 50, 705, 60))],
        line_ids=[],
    )
    table = Table(id=1, source="text_layer", kind="applications", header_cells=header, rows=[row])
    doc = _run(settings, template, _doc(table))
    values = [
        doc.fields[f"applications.new.{c}"].value for c in ("natural_person", "research", "total")
    ]
    assert values == [5, 0, 5]
    assert not doc.fields["applications.new.total"].features[Feature.position_uncertain]


def test_a_2019_table_two_fills_its_own_block_and_only_true_counterparts(
    settings: Settings, template: Template
) -> None:
    table = Table(
        id=1,
        source="html",
        kind="active_disclosure",
        header_text="信息内容本年新制作数量本年新公开数量对外公开总数量",
        rows=[
            _row("规章", ["0", "0", "3"]),
            _row("规范性文件", ["2", "2", "15"]),
            _row("行政许可", ["120", "5", "7"]),
        ],
    )
    doc = _run(settings, template, _doc(table))
    assert doc.table_readings[0].format == "2019"
    assert doc.fields["active_disclosure.v2019.normative_documents.new_published"].value == 2
    assert "active_disclosure.normative_documents.repealed" not in doc.fields
    assert doc.fields["active_disclosure.licensing_decisions"].value == (
        doc.fields["active_disclosure.v2019.licensing.processed"].value
    )


def test_a_section_with_a_heading_but_no_table_is_unread_not_absent(
    settings: Settings, template: Template
) -> None:
    doc = _doc()
    doc.sections = [
        Section(
            number=4,
            key="review_litigation",
            canonical="四、政府信息公开行政复议、行政诉讼情况",
            heading=Heading(section=4, line_ids=[1], found_text="四、", score=1.0),
        )
    ]
    doc = _run(settings, template, doc)
    field = doc.fields["review_litigation.review.total"]
    assert field.value is None and field.features[Feature.table_not_found] == 1.0
    assert "applications.new.total" not in doc.fields  # no 三 heading: nothing claimed


def test_a_2021_table_whose_split_cell_breaks_its_sums_stays_2021(
    settings: Settings, template: Template
) -> None:
    """A web table with the 2021 rows (逾期不补正 named by its label), one total printed with a
    thousands separator and one cell split in two by the extraction (14 -> 1 | 4): its
    relations fail, so the decoder is asked, but it may not read the table in the 2019
    format, whose missing rows would then count as certainly absent (wrong values no one
    reviews). (A generated held-out document did exactly that.)"""
    printed = """\
        1483 114 10 12 47 43 1,709 | 9 6 0 1 1 0 17 | 555 39 5 4 17 20 640 |
        147 11 1 2 4 4 169 | 3 0 0 0 0 0 3 | 15 4 1 0 0 2 22 | 3 1 0 0 0 0 4 |
        18 2 0 0 1 0 21 | 15 2 0 0 0 0 17 | 21 3 0 0 0 0 24 | 11 2 0 0 1 0 1 4 |
        49 4 0 0 0 1 54 | 375 27 2 2 12 11 429 | 26 4 0 1 1 1 33 | 24 1 0 1 0 1 27 |
        50 2 0 0 3 0 55 | 28 1 0 0 2 0 31 | 5 0 0 0 0 0 5 | 7 1 0 1 0 1 10 |
        20 0 0 1 0 0 21 | 45 4 0 0 2 0 51 | 8 0 0 1 1 1 11 | 55 6 0 0 2 1 64 |
        1480 114 9 13 46 43 1705 | 12 6 1 0 2 0 21"""
    values = [row.split() for row in printed.split("|")]
    specs = template.tables.applications.rows_for("2021")
    assert len(values) == len(specs)
    rows = [_row(spec.labels[0], raws) for spec, raws in zip(specs, values, strict=True)]
    doc = _run(settings, template, _doc(Table(id=1, source="html", kind="applications", rows=rows)))
    (reading,) = doc.table_readings
    assert reading.format == "2021" and doc.template.version == "2021"
    overdue = doc.fields["applications.other.overdue_correction.total"]
    assert overdue.value == 51 and not overdue.features.get(Feature.not_in_format)


def test_rows_of_numbers_no_label_names_are_not_decoded_into_a_table(
    settings: Settings, template: Template
) -> None:
    """A sheet of random numbers (a header 列1 … 列6) that the sections put where a statutory
    table would be: no label names any row, so the template's order alone does not make it
    table 二 or 三 (and the document is then no report, not a report of made-up figures)."""
    rng = random.Random(3)
    rows = [
        TableRow(
            label_cells=[],
            cells=[CellObs(raw=str(rng.randint(0, 99999))) for _ in range(6)],
            line_ids=[],
        )
        for _ in range(40)
    ]
    for kind in ("active_disclosure", "applications"):
        table = Table(
            id=1,
            source="flattened_text",
            kind=kind,
            header_text="列1列2列3列4列5列6",
            rows=rows,
        )
        doc = _run(settings, template, _doc(table))
        placed = [p for p, f in doc.fields.items() if f.value is not None]
        assert placed == [], kind
