"""Property-based tests (hypothesis) of the text parsers and table mappers (issue #8).

1. Arbitrary text never raises: the cell and numeral helpers, the flattened-row parser, every
   text stage called directly (not through the runner, which would turn a raise into a
   `stage_error`), and ingest on arbitrary bytes.
2. Numbers that satisfy the 勾稽 relations of rules.yaml, written into table 三 and table 四
   the way web extractions flatten them (tab- or space-separated cells under the template's row
   labels), are read back unchanged and every relation passes.

Example counts and deadlines live in one place: the `nianbao` profile in conftest.py.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from nianbao.cells import confusable, is_value_cell, read_cell
from nianbao.datamodel.document import Line, ReportDoc
from nianbao.datamodel.record import Source
from nianbao.runner import Pipeline
from nianbao.stages.tables import parse_row, split_cells
from nianbao.template import load_template
from nianbao.textnorm import (
    clean_line,
    enumerator_value,
    match_key,
    parse_number,
    split_enumerator,
)

TEMPLATE = load_template()
APPS = TEMPLATE.tables.applications
RL = TEMPLATE.tables.review_litigation
SECTIONS = [s.canonical for s in TEMPLATE.sections]

# Pieces that lead the parsers deep into their branches: headings, row labels, numerals,
# separators, units, not-applicable marks, full-width digits.
FRAGMENTS = [
    *SECTIONS,
    *(label for row in APPS.rows for label in row.labels),
    *(label for col in APPS.columns for label in col.labels),
    *(label for g in RL.groups for label in g.labels),
    *(label for c in RL.columns for label in c.labels),
    "\t", "  ", " ", "\n", "0", "18", "１２", "3.5", "1,024", "十九", "两", "〇", "/", "—", "-",
    "件", "万元", "（一）", "(二)", "1.", "三、", "第二十条第（一）项", "年", "2021", "月", "日",
    "\ufffd", "\x00", "\u3000", "\xa0", "|", "：",
]  # fmt: skip
pieces = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12))
texts = st.lists(pieces, max_size=60).map("".join)
documents = st.lists(texts, max_size=40).map("\n".join)


# ---- 1. arbitrary text never raises ----------------------------------------------------------
@given(texts)
def test_cell_and_numeral_helpers_never_raise(text: str) -> None:
    _value, semantic = read_cell(text)
    assert semantic is not None
    is_value_cell(text, blank_ok=True)
    confusable(text)
    parse_number(text)
    token, rest = split_enumerator(text)
    enumerator_value(token)
    assert isinstance(clean_line(text), str) and isinstance(match_key(text), str)
    assert rest in text


@given(st.integers(min_value=0, max_value=10**9))
def test_integers_read_back_from_cells_and_numerals(n: int) -> None:
    assert read_cell(str(n))[0] == n
    assert parse_number(str(n)) == n
    assert read_cell(f" {n} ")[0] == n


@given(texts)
def test_flattened_row_parser_never_raises(text: str) -> None:
    split_cells(text)
    row = parse_row(Line(id=1, raw=text, text=clean_line(text)), 3)
    if row is not None:
        assert row.line_ids == [1]


@given(documents)
def test_text_stages_never_raise_on_arbitrary_lines(pipeline: Pipeline, text: str) -> None:
    doc = ReportDoc(source=Source(path="arbitrary.txt"))
    doc.lines = [Line(id=i, raw=raw) for i, raw in enumerate(text.splitlines(), 1)]
    for stage in pipeline.stages:  # called directly: a raise fails the test
        doc = stage(doc)
    record = pipeline.assemble(doc)
    assert record.status.value in ("ok", "partial", "failed")


@given(st.binary(max_size=3000), st.sampled_from([".txt", ".html", ".md", ""]))
def test_ingest_of_arbitrary_bytes_gives_one_record(
    pipeline: Pipeline, data: bytes, suffix: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        doc = pipeline.ingest(path)  # raises nothing
        record = pipeline.run(path)
    assert record.source.path == str(path)
    if doc.fatal:
        assert record.status.value == "failed" and record.errors


# ---- 2. consistent numbers round-trip through flattened text --------------------------------
def _applications_2021() -> tuple[list[str], list[str], list[str]]:
    rows = [r.key for r in APPS.rows if not r.formats or "2021" in r.formats]
    leaves = [r.key for r in APPS.rows if r.leaf and (not r.formats or "2021" in r.formats)]
    applicants = [c.key for c in APPS.columns if not c.is_total]
    return rows, leaves, applicants


ROWS, LEAVES, APPLICANTS = _applications_2021()
LABEL = {r.key: r.labels[0] for r in APPS.rows if not r.formats or "2021" in r.formats}
small = st.integers(min_value=0, max_value=40)


@st.composite
def consistent_tables(draw: st.DrawFn) -> dict[str, int]:
    """Table 三 and 四 values satisfying t3_column_balance, t3_column_total, t3_row_total and
    t4_group_total: leaves are drawn, everything else follows from the relations."""
    values: dict[str, int] = {}
    for col in APPLICANTS:
        leaves = {leaf: draw(st.integers(0, 30) if leaf == LEAVES[0] else small) for leaf in LEAVES}
        total = sum(leaves.values())
        forward = draw(small)
        over = draw(st.integers(0, total + forward))
        values |= {f"applications.{leaf}.{col}": v for leaf, v in leaves.items()}
        values[f"applications.total.{col}"] = total
        values[f"applications.carried_forward.{col}"] = forward
        values[f"applications.carried_over.{col}"] = over
        values[f"applications.new.{col}"] = total + forward - over
    for row in ROWS:
        values[f"applications.{row}.total"] = sum(
            values[f"applications.{row}.{c}"] for c in APPLICANTS
        )
    parts = [c.key for c in RL.columns if not c.is_total]
    for group in RL.groups:
        counts = {p: draw(small) for p in parts}
        values |= {f"review_litigation.{group.key}.{p}": v for p, v in counts.items()}
        values[f"review_litigation.{group.key}.total"] = sum(counts.values())
    return values


def flattened_report(values: dict[str, int], sep: str) -> str:
    """A minimal report whose tables are flattened the way web extractions are: one line per
    row, the row's label then its cells separated by `sep`."""
    cols = [c.key for c in APPS.columns]
    header = sep.join(c.labels[0] for c in APPS.columns)
    lines = [
        "某某市某某局2021年政府信息公开工作年度报告",
        SECTIONS[0],
        "本机关认真贯彻落实《中华人民共和国政府信息公开条例》。",
        SECTIONS[1],
        "本年度主动公开政府信息情况见下表。",
        SECTIONS[2],
        f"申请人情况{sep}{header}",
    ]
    for row in ROWS:
        cells = sep.join(str(values[f"applications.{row}.{c}"]) for c in cols)
        lines.append(f"{LABEL[row]}{sep}{cells}")
    lines.append(SECTIONS[3])
    group_labels = sep.join(g.labels[0] for g in RL.groups)
    lines.append(group_labels)
    lines.append(sep.join(c.labels[0] for _ in RL.groups for c in RL.columns))
    lines.append(
        sep.join(
            str(values[f"review_litigation.{g.key}.{c.key}"]) for g in RL.groups for c in RL.columns
        )
    )
    lines += [SECTIONS[4], "无。", SECTIONS[5], "无。", "某某市某某局", "2022年1月20日"]
    return "\n".join(lines) + "\n"


@given(consistent_tables(), st.sampled_from(["\t", " ", "  "]))
def test_consistent_numbers_round_trip_through_flattened_text(
    pipeline: Pipeline, values: dict[str, int], sep: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.txt"
        path.write_text(flattened_report(values, sep), encoding="utf-8")
        record = pipeline.run(path)
    assert record.status.value == "ok", record.errors
    read = {p: record.get(p).value for p in values}
    assert read == values
    failed = [c.rule for c in record.checks if c.passed is False]
    assert not failed
