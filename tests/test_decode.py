"""The template-constrained table decoder (pipeline/decode.py) on token streams written the way
torn extractions print tables."""

from __future__ import annotations

import pytest
from nianbao.datamodel.document import CellObs, TableRow
from nianbao.decode import Decoder, GridSpec, RowShape, Token, table_tokens
from nianbao.settings import DecoderSettings, Settings
from nianbao.stages.table_fields import LabelScorer
from nianbao.template import Template
from nianbao.textnorm import match_key

APPLICANTS = [
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_services",
    "other_org",
    "total",
]


def _spec(template: Template, fmt: str = "2021") -> GridSpec:
    apps = template.tables.applications
    rows = [RowShape(r.key, r.labels, APPLICANTS, True) for r in apps.rows_for(fmt)]  # type: ignore[arg-type]
    relations = [
        b
        for rule in template.rules
        if rule.kind == "equation"
        for b in template.bindings(rule, fmt)  # type: ignore[arg-type]
        if all(p.startswith("applications.") for p in b.lhs + b.rhs)
    ]
    return GridSpec(prefix="applications", rows=rows, relations=relations)


def _decoder(template: Template, settings: Settings, spec: GridSpec) -> Decoder:
    scorer = LabelScorer(settings.tables)
    keys = [[match_key(lab) for lab in shape.labels] for shape in spec.rows]

    def score(text: str, row: int) -> float:
        return max(scorer(match_key(text), lab) for lab in keys[row])

    return Decoder(spec, settings.decoder, score)


def _stream(*items: str | int) -> list[Token]:
    """Labels as str, values as int (one token each), in reading order."""
    rows = [
        TableRow(label_cells=[i], cells=[], line_ids=[])
        if isinstance(i, str)
        else TableRow(label_cells=[], cells=[CellObs(raw=str(i))], line_ids=[])
        for i in items
    ]
    return table_tokens(rows)


def _consistent_rows() -> list[list[int]]:
    """Table 三 (2021) values that satisfy every relation: 25 rows of 7."""
    leaves = 21
    rows = [[0] * 7 for _ in range(25)]
    for n in range(leaves):  # leaf rows 2..22
        rows[2 + n] = [(n * 3 + k) % 4 for k in range(6)] + [0]
    for r in rows:
        r[6] = sum(r[:6])
    total = [sum(rows[2 + n][k] for n in range(leaves)) for k in range(7)]
    rows[23] = total  # （七）总计
    rows[24] = [1, 0, 0, 0, 0, 0, 1]  # 四、结转下年度
    rows[1] = [2, 0, 0, 0, 0, 0, 2]  # 二、上年结转
    rows[0] = [total[k] + rows[24][k] - rows[1][k] for k in range(7)]  # 一 + 二 = 七 + 四
    return rows


def test_a_torn_table_of_label_lines_and_number_rows_decodes_exactly(
    template: Template, settings: Settings
) -> None:
    spec = _spec(template)
    rows = _consistent_rows()
    labels = [shape.labels[0] for shape in spec.rows]
    items: list[str | int] = ["申请人情况", "自然人", "商业企", "业"]  # a header cut mid-word
    for k, (label, values) in enumerate(zip(labels, rows, strict=True)):
        if k % 3 != 1:  # every third row prints no label at all
            items.append(label[: len(label) // 2 + 2])  # labels torn in two ...
            items.append(label[len(label) // 2 + 2 :])
        items += values
    decoding = _decoder(template, settings, spec).decode(_stream(*items), partial=True)
    assert decoding is not None
    assert decoding.failed == 0 and decoding.held == decoding.assessable == 7 + 7 + 25
    cells = decoding.cells(spec)
    for r, values in enumerate(rows):
        got = [cells[spec.path(r, c)] for c in range(7)]
        assert [t.number if t else 0 for t in got] == values, spec.rows[r].key
    assert not _decoder(template, settings, spec).doubtful(decoding)


def test_rows_that_dropped_their_blank_cells_are_placed_and_sent_to_review(
    template: Template, settings: Settings
) -> None:
    """Only 自然人 and 总计 printed (the 法人 columns left empty): 5 5 / 2 2 ... The values are
    placed in the left-most columns and the rows are ambiguous: a 法人 column would add up too."""
    spec = _spec(template)
    items: list[str | int] = [
        "一、本年新收政府信息公开申请数量",
        5,
        5,
        "二、上年结转政府信息公开申请数量",
        2,
        2,
    ]
    decoder = _decoder(template, settings, spec)
    decoding = decoder.decode(_stream(*items), partial=True)
    assert decoding is not None
    cells = decoding.cells(spec)
    assert cells["applications.new.natural_person"] is not None
    assert cells["applications.new.commercial"] is None  # a dropped blank
    assert cells["applications.new.total"].number == 5  # type: ignore[union-attr]
    assert "applications.new.natural_person" in decoder.doubtful(decoding)


def test_an_opening_cut_after_two_rows_decodes_only_those_rows(
    template: Template, settings: Settings
) -> None:
    spec = _spec(template)
    rows = _consistent_rows()
    items: list[str | int] = [
        "一、本年新收政府信息公开申请数量",
        *rows[0],
        "二、上年结转政府信息公开申请数量",
        *rows[1],
        "三、本年度办",
    ]
    decoding = _decoder(template, settings, spec).decode(_stream(*items), partial=True)
    assert decoding is not None
    assert [seg.row for seg in decoding.segments] == [0, 1]
    assert not decoding.dropped


def test_a_stray_number_is_left_out(template: Template, settings: Settings) -> None:
    spec = _spec(template)
    rows = _consistent_rows()
    items: list[str | int] = []
    for k, (shape, values) in enumerate(zip(spec.rows, rows, strict=True)):
        items += [shape.labels[0], *values]
        if k == 11:
            items += ["- 3 -"]  # a page number line is text, but a bare one is a number:
            items += [3]
    decoding = _decoder(template, settings, spec).decode(_stream(*items), partial=False)
    assert decoding is not None and decoding.failed == 0
    assert [t.number for t in decoding.dropped] == [3.0]


@pytest.mark.parametrize("empty_in_force", [True, False])
def test_table_two_rows_follow_their_labels_when_a_cell_is_empty(
    template: Template, settings: Settings, empty_in_force: bool
) -> None:
    layout = template.tables.active_disclosure.formats["2021"]
    spec = GridSpec(
        prefix="active_disclosure",
        rows=[RowShape(r.key, r.labels, r.columns or [""], False) for r in layout.rows],
        relations=[],
    )
    regulations = [0, 0] if empty_in_force else [0, 0, 4]
    items: list[str | int] = [
        "规章",
        *regulations,
        "行政规范性文件",
        5,
        12,
        8,
        "行政许可",
        30,
        "行政处罚",
        2,
        "行政强制",
        0,
        "行政事业性收费",
        0,
    ]
    decoding = _decoder(template, settings, spec).decode(_stream(*items), partial=True)
    assert decoding is not None
    cells = decoding.cells(spec)
    got = {p: (t.number if t else None) for p, t in cells.items()}
    assert got["active_disclosure.normative_documents.issued"] == 5
    assert got["active_disclosure.normative_documents.in_force"] == 8
    assert got["active_disclosure.licensing_decisions"] == 30
    assert got["active_disclosure.regulations.in_force"] == (None if empty_in_force else 4)


def test_decoder_settings_have_the_documented_defaults() -> None:
    s = DecoderSettings()
    assert s.full_row > s.partial_row > 0 > s.row_sum_fails and s.skip_row < s.drop_value
