"""tables: rebuild the statutory tables from the report's lines.

HTML tables arrive from ingest already as grids (rowspan/colspan expanded). Flattened text
(a poor extraction: cells run together on lines, tab- or space-separated, labels broken across
lines) is rebuilt here, section by section: the table region runs from the first line with
values to the last, extended upwards over header lines; every line with values becomes a
TableRow, label-only lines in between carry header text or a label broken over lines.

Which statutory table a table is comes from its content (the template's labels), with the
section it sits in as the tie-breaker. Mapping rows onto template keys is the next stage's job.

PDFs and scans whose pages carry ruled grids (stages/pages.py) get their tables from the grids
(stages/grid_tables.py): cells, spans and boxes come from the rules, not from gaps in the text;
a section whose table came from a grid is not rebuilt from its lines.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from ..cells import is_value_cell
from ..datamodel.document import (
    CellObs,
    Line,
    ReportDoc,
    Slot,
    Table,
    TableGrid,
    TableKind,
    TableRow,
)
from ..settings import GridSettings, Settings, TableSettings
from ..template import Template
from ..textnorm import match_key
from .base import Stage
from .grid_tables import GridTableBuilder, grid_text

KINDS: tuple[TableKind, ...] = ("active_disclosure", "applications", "review_litigation")
_SEPARATED = re.compile(r"[\t|]")


def split_cells(text: str) -> tuple[list[str], bool]:
    """Cells of a line and whether they were separator-delimited (blanks kept as positions)."""
    if _SEPARATED.search(text.strip(" ")):
        return [c.strip() for c in _SEPARATED.split(text)], True
    return text.split(), False


def parse_row(line: Line, max_labels: int) -> TableRow | None:
    """A TableRow when the line ends with at least one value cell, else None. A separated
    label (at most `max_labels` cells) whose cells are all empty (| 1.属于国家秘密 | - | - | … |,
    a row with nothing to report) is a row of blanks: its cells are positions the source
    printed."""
    cells, separated = split_cells(line.text)
    # tabs: cells of a real row (a markdown row is tabs after clean); a run of pipes after a
    # label in flattened web text ("申请人情况 | |||||") is what was left of merged cells
    if separated and "|" not in line.text and _blank_row(cells, max_labels):
        label = [c for c in cells if c]
        return TableRow(
            label_cells=label,
            cells=[CellObs(raw="", line_id=line.id) for c in cells[cells.index(label[-1]) + 1 :]],
            line_ids=[line.id],
        )
    trailing = 0
    while cells and not cells[-1]:
        cells.pop()
        trailing += 1
    i = len(cells)
    while i > 0 and is_value_cell(cells[i - 1], blank_ok=separated):
        i -= 1
    values = cells[i:]
    if not any(values):
        return None
    labels = [c for c in cells[:i] if c]
    boxes = line.cell_boxes if line.cell_boxes and len(line.cell_boxes) >= len(cells) else None
    confs = line.cell_confidences if boxes and line.cell_confidences else None
    return TableRow(
        label_cells=labels,
        cells=[
            CellObs(
                raw=v,
                line_id=line.id,
                bbox=boxes[i + k] if boxes else None,
                confidence=confs[i + k] if confs else None,
            )
            for k, v in enumerate(values)
        ],
        line_ids=[line.id],
        trailing_blanks=trailing if separated else 0,
    )


class TablesOptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    tables: TableSettings
    grid: GridSettings | None = None  # None: ruled grids are not used (text rows only)


class Tables(Stage[TablesOptions]):
    name = "tables"
    reads = frozenset({Slot.source_tables, Slot.pages, Slot.lines, Slot.line_text, Slot.sections})
    writes = frozenset({Slot.tables})

    def __init__(self, options: TablesOptions, template: Template) -> None:
        super().__init__(options)
        self.settings = options.tables
        grid = options.grid
        self.grids = GridTableBuilder(grid) if grid is not None and grid.enabled else None
        tables = template.tables
        ad, apps, rl = tables.active_disclosure, tables.applications, tables.review_litigation
        vocab: dict[TableKind, set[str]] = {
            "active_disclosure": {
                *(lab for f in ad.formats.values() for r in f.rows for lab in r.labels),
                *(w for f in ad.formats.values() for w in f.detect),
            },
            "applications": {
                *(lab for r in apps.rows for lab in r.labels),
                *(lab for c in apps.columns if not c.is_total for lab in c.labels),
            },
            "review_litigation": {
                *(lab for g in rl.groups for lab in g.labels),
                *(lab for c in rl.columns if not c.is_total for lab in c.labels),
            },
        }
        self.vocab: dict[TableKind, set[str]] = {
            k: {match_key(w) for w in v} for k, v in vocab.items() if k in KINDS
        }
        self.section_kind: dict[int, TableKind] = {
            s.number: k for s in template.sections for k in KINDS if s.key == k
        }

    @classmethod
    def options_from(cls, settings: Settings) -> TablesOptions:
        return TablesOptions(tables=settings.tables, grid=settings.grid)

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        section_of = {lid: s.number for s in doc.sections for lid in s.line_ids}
        doc.tables = [t.model_copy(deep=True) for t in doc.source_tables]
        for table in doc.tables:  # HTML tables, already grids
            table.section = section_of.get(table.line_ids[0]) if table.line_ids else None
            table.header_text = "".join(r.label for r in table.rows if not r.cells)
            table.kind = self._classify(table)
        doc.tables = _join_continued(doc.tables)
        if self.grids is not None and any(p.grids for p in doc.pages):
            for table in self.grids.build(doc, len(doc.tables) + 1, self._same_table):
                ids = [i for i in table.line_ids if i in section_of]
                table.section = section_of[ids[0]] if ids else None
                table.kind = self._classify(table)
                if table.kind != "unknown":
                    table.id = len(doc.tables) + 1
                    doc.tables.append(table)
        html_sections = {t.section for t in doc.tables if t.kind != "unknown"}
        for section in doc.sections:
            if section.number in self.section_kind and section.number not in html_sections:
                rebuilt = self._rebuild(doc, section.line_ids, len(doc.tables) + 1)
                if rebuilt is not None:
                    rebuilt.section = section.number
                    rebuilt.kind = self._classify(rebuilt)
                    doc.tables.append(rebuilt)
        return doc

    def _same_table(self, first: TableGrid, then: TableGrid) -> bool:
        """A grid continuing another unless their contents name two different tables."""
        kinds = [self._classify_text(match_key(grid_text(g)), None) for g in (first, then)]
        return "unknown" in kinds or kinds[0] == kinds[1]

    def _classify(self, table: Table) -> TableKind:
        text = match_key(table.header_text + "".join(r.label for r in table.rows))
        return self._classify_text(text, table.section)

    def _classify_text(self, text: str, section: int | None) -> TableKind:
        scores = {k: sum(1 for w in words if w in text) for k, words in self.vocab.items()}
        best: TableKind = max(scores, key=lambda k: scores[k])
        by_section = self.section_kind.get(section or 0)
        if by_section and scores[by_section] == scores[best]:
            best = by_section
        if scores[best] == 0:
            # Table 四's data row has no labels: a section-四 table of numbers is table 四.
            return by_section or "unknown"
        return best

    def _rebuild(self, doc: ReportDoc, line_ids: list[int], table_id: int) -> Table | None:
        lines = [doc.line(i) for i in line_ids if doc.line(i).text]
        rows = [parse_row(ln, self.settings.blank_row_max_labels) for ln in lines]
        value_at = [
            i
            for i, r in enumerate(rows)
            if r is not None
            and sum(1 for c in r.cells if c.raw) >= self.settings.min_values_for_row
        ]
        if not value_at:
            return None
        start, end = value_at[0], value_at[-1]
        while start > 0 and _header_like(
            lines[start - 1].text, self.settings.header_line_max_chars
        ):
            start -= 1
        # by number: refused or failed pages are not in doc.pages
        page_sources = {p.source for ln in lines if ln.page and (p := doc.page(ln.page))}
        source = "ocr" if "ocr" in page_sources else "text_layer" if page_sources else None
        table = Table(id=table_id, source=source or "flattened_text")
        header: list[str] = []
        pending: list[Line] = []  # label-only lines waiting for the row they belong to
        seen_values = False
        for line, row in zip(lines[start : end + 1], rows[start : end + 1], strict=True):
            table.line_ids.append(line.id)
            if row is None:
                header.append(line.text.replace("\t", "").strip())
                table.header_cells += _header_cells(line)
                if seen_values or not _SEPARATED.search(line.text):
                    pending.append(line)
                continue
            seen_values = True
            if pending:
                row.label_cells = [*(p.text.strip() for p in pending), *row.label_cells]
                row.line_ids = [*(p.id for p in pending), *row.line_ids]
                pending = []
            table.rows.append(row)
        table.header_text = "".join(header)
        return table


def _join_continued(tables: list[Table]) -> list[Table]:
    """HTML tables with a table broken over pages joined back: a page converted to HTML keeps
    the break as two <table>s (table 三's header and first row, the page's foot and head as
    paragraphs, then the other rows). A table continues the one before it when it starts with
    a row of values (no header of its own), in the same section, naming no other table."""
    out: list[Table] = []
    for table in tables:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind != "unknown"
            and table.kind in (prev.kind, "unknown")
            and table.section in (prev.section, None)
            and table.rows
            and table.rows[0].cells
        ):
            prev.rows += table.rows
            prev.line_ids += table.line_ids
            prev.notes.append(
                f"joined with the table after it (a page break): {len(table.rows)} rows"
            )
            continue
        out.append(table)
    for i, table in enumerate(out, start=1):
        table.id = i
    return out


def _blank_row(cells: list[str], max_labels: int) -> bool:
    """A label (one cell, or group stub cells and a row label, side by side) followed by at
    least two empty cells and nothing else: a table row whose every cell was left blank. Labels
    with empty cells between them (行政复议 | | | | 行政诉讼 | …) are a header, not a row."""
    filled = [k for k, c in enumerate(cells) if c]
    if not filled or len(cells) - filled[-1] - 1 < 2:
        return False
    side_by_side = filled == list(range(filled[0], filled[-1] + 1))
    return (
        side_by_side
        and len(filled) <= max_labels
        and all(not is_value_cell(cells[k], blank_ok=False) for k in filled)
    )


def _header_cells(line: Line) -> list[CellObs]:
    """A header line's cells with their page boxes (only lines that layout gave boxes)."""
    cells = line.text.split("\t")
    if not line.cell_boxes or len(line.cell_boxes) != len(cells):
        return []
    return [
        CellObs(raw=c.strip(), line_id=line.id, bbox=box)
        for c, box in zip(cells, line.cell_boxes, strict=True)
        if c.strip()
    ]


def _header_like(text: str, max_chars: int) -> bool:
    """A line that can belong to a table's header: separated cells, or short with no sentence."""
    if _SEPARATED.search(text.strip(" ")):
        return True
    return len(text) <= max_chars and "。" not in text
