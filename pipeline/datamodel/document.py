"""The document model that flows through the stages (ingest -> ... -> assemble).

Each stage receives a `ReportDoc`, fills the slots it owns (`Slot`; pipeline/stages/base.py
declares each stage's reads and writes, and a strict pipeline checks them) and returns it.
`errors` and `timings_ms` are logs every stage may append to.

Text lines keep their position (`Line.id`, 1-based) so every field can point back at its
evidence. Noise is marked, never deleted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from .base import BBox, ErrorCode, Feature, Method
from .record import (
    CheckRecord,
    ErrorItem,
    Evidence,
    ReportField,
    Semantic,
    Source,
    TemplateInfo,
)

TableKind = Literal["active_disclosure", "applications", "review_litigation", "unknown"]


class Fragment(BaseModel):
    """A run of text on one line with its box: a text-layer run or one OCR line."""

    text: str
    bbox: BBox  # pixels of the page image at PageDoc.dpi, origin top-left
    confidence: float = 1.0
    angle: float = 0.0  # degrees of the text baseline against the x axis (OCR polygons)


class CellPart(BaseModel):
    """A piece of text inside a grid cell: a whole fragment, or the share of one that crossed
    a rule (split by character position)."""

    text: str
    bbox: BBox
    confidence: float = 1.0


class GridCell(BaseModel):
    """One cell of a ruled grid: its place (with spans), box, and what was read in it."""

    row: int  # top elementary row (0-based)
    col: int  # left elementary column
    rowspan: int = 1
    colspan: int = 1
    bbox: BBox  # page pixels, the cell's rules
    parts: list[CellPart] = []  # text pieces inside, reading order
    text: str = ""  # the parts joined (or the re-read text)
    confidence: float | None = None  # lowest confidence of the parts (None: text layer)
    split: bool = False  # a fragment crossing a rule was cut to fill it
    reread: bool = False  # text comes from re-reading the cell's crop
    reread_disagrees: bool = False  # the page reading and the crop re-read differ in value
    slash_like: bool = False  # read as 1, but its one mark leans like the "/" of n/a
    inferred_rule: bool = False  # a side of it is a rule the grid lacked (split by text lines)

    @property
    def empty(self) -> bool:
        return not self.text.strip()


class TableGrid(BaseModel):
    """A ruled table found on a page: elementary row/column boundaries and merged cells."""

    page: int
    bbox: BBox
    rows: list[float]  # y of the horizontal boundaries, top to bottom (len = rows + 1)
    cols: list[float]  # x of the vertical boundaries, left to right (len = cols + 1)
    cells: list[GridCell] = []
    # OpenCV rule detection, camelot lattice, or the PDF's path objects (text-layer pages)
    source: Literal["lines", "camelot_lattice", "pdf_vector"]
    report: dict[str, float] = {}  # parsing report (accuracy, camelot's whitespace; 0..1)
    # sides printed without a closing rule ("top", "bottom", "left", "right"): the boundary
    # there is where the cross rules end (a table cut by the page end)
    open_ends: list[str] = []


class ImageRegion(BaseModel):
    """An image object on a text-layer PDF page (issue #18): where it is, how many pixels it
    has, and whether it was read as a scanned region (OCR fragments and grids in page pixels
    join the page's text-layer runs and grids) or skipped (a logo, photo or stamp: no OCR)."""

    bbox: BBox  # page pixels at PageDoc.dpi, origin top-left
    pixels: tuple[int, int] = (0, 0)  # the image's own width and height
    read: bool = False  # rendered at the page dpi and OCR'd
    note: str = ""  # why it was read or skipped
    fragments: int = 0  # OCR lines it gave (after those the text layer already had)
    grids: int = 0  # ruled grids found in it
    ocr_confidence: float | None = None  # mean over its OCR lines


class PageDoc(BaseModel):
    """One page of a PDF or image: how it was read and the fragments read from it.

    The page image itself is never kept: it is rendered, prepared, read and dropped."""

    number: int  # 1-based
    width: int  # pixels at `dpi`, after any rotation the page needed
    height: int
    dpi: int
    source: Literal["text_layer", "ocr"]
    note: str = ""  # why the text layer was or was not used
    rotation: int = 0  # degrees the page was turned (0/90/180/270) to read upright
    skew: float = 0.0  # degrees of small-angle deskew applied
    ocr_confidence: float | None = None  # mean over the page's OCR lines
    fragments: list[Fragment] = []
    grids: list[TableGrid] = []  # ruled tables found on the page (stages/pages.py)
    images: list[ImageRegion] = []  # text-layer pages: the image objects on it (issue #18)


class Line(BaseModel):
    id: int  # 1-based, in input order; stable through every stage
    raw: str  # as found
    text: str = ""  # normalised by the clean stage
    page: int | None = None
    bbox: BBox | None = None
    noise: str | None = None  # why the clean stage set it aside (navigation, furniture, ...)
    table_ref: int | None = None  # this line stands for Table.id (HTML tables)
    confidence: float | None = None  # OCR: the lowest confidence of the fragments it joins
    cell_boxes: list[BBox] | None = None  # one box per tab-separated cell (layout input)
    cell_confidences: list[float] | None = None  # OCR confidence per cell (layout input)


class Heading(BaseModel):
    section: int  # 1..6, decided by the heading's body, not by its numeral
    line_ids: list[int]
    found_text: str
    numeral: int | None = None  # the number printed before the heading, if any
    score: float  # 0..1, fuzzy match against the template's headings
    notes: list[str] = []


class Section(BaseModel):
    number: int
    key: str
    canonical: str
    heading: Heading | None = None
    line_ids: list[int] = []  # body lines (noise and table lines excluded from `text`)
    text: str = ""
    confidence: float = 0.0


class CellObs(BaseModel):
    """One observed cell of a table row: its text and where it came from."""

    raw: str
    line_id: int | None = None
    bbox: BBox | None = None
    confidence: float | None = None  # OCR confidence of the fragment(s) it came from
    # grid tables: how the cell was read (features for the confidence)
    grid: dict[str, float] = {}


class TableRow(BaseModel):
    label_cells: list[str]  # stub cells left of the data, outermost group first
    cells: list[CellObs]  # data cells, blanks kept as positions where the source has them
    line_ids: list[int]
    trailing_blanks: int = 0  # blank cells after the last value (trimmed; a trailing
    # separator may or may not stand for an empty cell)

    @property
    def label(self) -> str:
        return "".join(self.label_cells)


class Table(BaseModel):
    """A statutory table as rebuilt by the tables stage (its one owner)."""

    id: int
    # html: a real grid; flattened_text: tab/space-separated text; text_layer / ocr: rows
    # rebuilt by layout from a PDF text layer or OCR lines (cells carry page boxes)
    # grid_text_layer / grid_ocr: cells of ruled grids (TableGrid), text from the layer or OCR
    source: Literal["html", "flattened_text", "text_layer", "ocr", "grid_text_layer", "grid_ocr"]
    kind: TableKind = "unknown"
    header_text: str = ""  # header rows joined, used to detect the template format
    header_cells: list[CellObs] = []  # header cells with boxes: they anchor the columns
    rows: list[TableRow] = []
    section: int | None = None
    line_ids: list[int] = []
    notes: list[str] = []  # what rebuilding noticed (rules inferred, parts joined)
    pages: list[int] = []  # grid tables: the pages the table spans (a table broken over pages)


TableFormat = Literal["2019", "2021", "unknown"]


class TableReading(BaseModel):
    """How table_fields mapped one table onto the template (its slot, beside `tables`)."""

    table_id: int
    kind: TableKind
    format: TableFormat = "unknown"
    notes: list[str] = []  # what the mapping could not place (unmatched rows, short rows)
    confidence: float = 0.0  # share of template rows found x mean label score


class Repair(BaseModel):
    """The value the 勾稽 relations imply for an OCR-misread cell (stages/checks.py)."""

    value: int | float
    rules: list[str]  # the checks it repairs

    def apply(self, field: ReportField) -> ReportField:
        """A copy of `field` carrying the implied value (raw keeps what was read)."""
        out = field.model_copy(deep=True)
        out.value = self.value
        out.semantic = Semantic.zero if self.value == 0 else Semantic.number
        out.method = Method.repaired_consistency
        return out


class Relations(BaseModel):
    """What the 勾稽 checks say about one field (stages/checks.py writes, score reads)."""

    features: dict[Feature, float] = {}  # checks_passed/failed, exonerated, position_confirmed
    reasons: list[str] = []  # review reasons (check_failed:<rule>, repaired_consistency:...)
    repair: Repair | None = None


class Slot(StrEnum):
    """The parts of a ReportDoc a stage may write. Each has one owner per input kind (lines:
    ingest for text and HTML, layout for pages); `errors` and `timings_ms` are shared logs."""

    source = "source"
    pages = "pages"
    lines = "lines"  # Line ids, raw text, page, boxes
    line_text = "line_text"  # Line.text and Line.noise (clean)
    source_tables = "source_tables"  # HTML tables as the page has them (ingest)
    headings = "headings"
    sections = "sections"  # sections, front matter, lines the classifier set aside
    tables = "tables"
    table_fields = "table_fields"  # fields of tables 二/三/四, table readings, template
    meta_fields = "meta_fields"
    item_fields = "item_fields"  # fields of items, prose figures
    checks = "checks"  # checks and each field's relations
    scored = "scored"  # the final fields: confidence, review


TABLE_BLOCKS = ("active_disclosure", "applications", "review_litigation")


class ReportDoc(BaseModel):
    source: Source
    pages: list[PageDoc] = []  # PDF and image input; text and HTML have none
    lines: list[Line] = []
    source_tables: list[Table] = []  # HTML tables as ingest found them (grids, unclassified)
    tables: list[Table] = []
    headings: list[Heading] = []
    sections: list[Section] = []
    front_matter: list[int] = []  # line ids before the first heading/section (title, preamble)
    set_aside: list[int] = []  # line ids the passage classifier called noise (sections)
    template: TemplateInfo = Field(default_factory=TemplateInfo)
    table_readings: list[TableReading] = []
    # extracted values, path -> Field; a stage writes only its own prefixes (tables: table
    # blocks, meta: meta.*, items: items.*)
    fields: dict[str, ReportField] = {}
    # Figures the prose states for a table path (本年新收申请18件): compared with the table by the
    # checks stage, and used for the field when the table has none.
    prose_figures: dict[str, ReportField] = {}
    checks: list[CheckRecord] = []
    relations: dict[str, Relations] = {}
    scored: dict[str, ReportField] = {}  # every record field, scored (score)
    errors: list[ErrorItem] = []
    timings_ms: dict[str, float] = {}
    fatal: bool = False  # no usable content: later stages have nothing to do

    def line(self, line_id: int) -> Line:
        return self.lines[line_id - 1]

    def page(self, number: int) -> PageDoc | None:
        """The page numbered `number` (1-based) if it was read: refused and failed pages are
        not in `pages`, so never index `pages` by number."""
        return next((p for p in self.pages if p.number == number), None)

    def body_lines(self) -> list[Line]:
        """Lines that are report content (not noise, not set aside by the classifier)."""
        aside = set(self.set_aside)
        return [ln for ln in self.lines if ln.noise is None and ln.id not in aside]

    def prose_line_ids(self, section: Section) -> list[int]:
        """A section's lines that are prose: not noise, not part of a table, not an HTML table."""
        in_tables = {i for t in self.tables for i in t.line_ids}
        return [
            i
            for i in section.line_ids
            if i not in in_tables and self.line(i).table_ref is None and self.line(i).text
        ]

    def reading(self, kind: str) -> TableReading | None:
        """The reading of the first table of `kind` that table_fields mapped."""
        return next((r for r in self.table_readings if r.kind == kind), None)

    def values(self) -> dict[str, ReportField]:
        """The extracted fields with the prose figures filling table paths the tables left
        empty (the record contract: a figure the prose states fills the missing field)."""
        out = dict(self.fields)
        for path, figure in self.prose_figures.items():
            current = out.get(path)
            if current is None or current.semantic == "missing":
                out[path] = figure
        return out

    def judged(self) -> dict[str, ReportField]:
        """The extracted fields (`values`) as the checks judged them: copies with each field's
        relations applied (their features and review reasons, a repair's value). Not scored:
        that is the score stage's."""
        out: dict[str, ReportField] = {}
        for path, f in self.values().items():
            rel = self.relations.get(path)
            field = rel.repair.apply(f) if rel and rel.repair else f.model_copy(deep=True)
            if rel is not None:
                field.features.update(rel.features)
                field.review.reasons += rel.reasons
            out[path] = field
        return out

    def evidence(self, line_id: int | None, text: str | None, bbox: BBox | None = None) -> Evidence:
        """Evidence pointing at a line: its page and box (or a cell's box inside it)."""
        if line_id is None:
            return Evidence(text=text)
        line = self.line(line_id)
        return Evidence(line=line_id, page=line.page, bbox=bbox or line.bbox, text=text)

    def fail(
        self,
        stage: str,
        code: ErrorCode,
        message: str,
        *,
        fatal: bool = False,
        page: int | None = None,
        traceback: str | None = None,
    ) -> None:
        """Record an error (a warning when not `fatal`: the document goes on, status partial)."""
        self.errors.append(
            ErrorItem(stage=stage, code=code, message=message, page=page, traceback=traceback)
        )
        self.fatal = self.fatal or fatal


def _digest(data: object) -> str:
    return hashlib.blake2b(
        json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode(), digest_size=16
    ).hexdigest()


def _fields(doc: ReportDoc, prefixes: tuple[str, ...]) -> object:
    return {p: f.model_dump(mode="json") for p, f in doc.fields.items() if p.startswith(prefixes)}


_PAGE_FACTS = {"pages", "dpi", "input_kind"}
_SLOT_VIEWS: dict[Slot, Callable[[ReportDoc], object]] = {
    # the page facts of the source (page count, dpi, text layer or scan) are the pages stage's
    Slot.source: lambda d: d.source.model_dump(mode="json", exclude=_PAGE_FACTS),
    Slot.pages: lambda d: (
        [p.model_dump(mode="json") for p in d.pages],
        d.source.model_dump(mode="json", include=_PAGE_FACTS),
    ),
    Slot.lines: lambda d: [ln.model_dump(mode="json", exclude={"text", "noise"}) for ln in d.lines],
    Slot.line_text: lambda d: [(ln.text, ln.noise) for ln in d.lines],
    Slot.source_tables: lambda d: [t.model_dump(mode="json") for t in d.source_tables],
    Slot.headings: lambda d: [h.model_dump(mode="json") for h in d.headings],
    Slot.sections: lambda d: (
        [s.model_dump(mode="json") for s in d.sections],
        d.front_matter,
        d.set_aside,
    ),
    Slot.tables: lambda d: [t.model_dump(mode="json") for t in d.tables],
    Slot.table_fields: lambda d: (
        _fields(d, tuple(f"{b}." for b in TABLE_BLOCKS)),
        [r.model_dump(mode="json") for r in d.table_readings],
        d.template.model_dump(mode="json"),
    ),
    Slot.meta_fields: lambda d: _fields(d, ("meta.",)),
    Slot.item_fields: lambda d: (
        _fields(d, ("items.",)),
        {p: f.model_dump(mode="json") for p, f in d.prose_figures.items()},
    ),
    Slot.checks: lambda d: (
        [c.model_dump(mode="json") for c in d.checks],
        {p: r.model_dump(mode="json") for p, r in d.relations.items()},
    ),
    Slot.scored: lambda d: {p: f.model_dump(mode="json") for p, f in d.scored.items()},
}


def slot_digests(doc: ReportDoc) -> dict[Slot, str]:
    """A digest of each slot: comparing two tells which slots a stage wrote (strict mode)."""
    return {slot: _digest(view(doc)) for slot, view in _SLOT_VIEWS.items()}
