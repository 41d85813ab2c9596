"""The document model that flows through the stages (ingest -> ... -> assemble).

Each stage receives a `ReportDoc`, fills the slot it owns and returns it:

    ingest   -> source, lines (and tables, for HTML)       clean    -> Line.noise, Line.text
    headings -> headings                                   sections -> sections
    tables   -> tables (rebuilt from flattened text)       fields   -> fields, template
    checks   -> checks (and field review/confidence)       assemble -> ReportRecord (exported)

Text lines keep their position (`Line.id`, 1-based) so every field can point back at its
evidence. Noise is marked, never deleted.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from .record import (
    BBox,
    CheckRecord,
    ErrorItem,
    Evidence,
    ReportField,
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
    source: Literal["lines", "camelot_lattice"]  # OpenCV rule detection or camelot lattice
    report: dict[str, float] = {}  # camelot parsing report (accuracy, whitespace; 0..1)
    # sides printed without a closing rule ("top", "bottom", "left", "right"): the boundary
    # there is where the cross rules end (a table cut by the page end)
    open_ends: list[str] = []


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
    format: Literal["2019", "2021", "unknown"] = "unknown"
    notes: list[str] = []  # what the mapping could not place (unmatched rows, short rows)
    confidence: float = 0.0  # share of template rows found x mean label score
    pages: list[int] = []  # grid tables: the pages the table spans (a table broken over pages)


class ReportDoc(BaseModel):
    source: Source
    pages: list[PageDoc] = []  # PDF and image input; text and HTML have none
    lines: list[Line] = []
    tables: list[Table] = []
    headings: list[Heading] = []
    sections: list[Section] = []
    template: TemplateInfo = Field(default_factory=TemplateInfo)
    fields: dict[str, ReportField] = {}
    # Figures the prose states for a table path (本年新收申请18件): compared with the table by the
    # checks stage, and used for the field when the table has none.
    prose_figures: dict[str, ReportField] = {}
    checks: list[CheckRecord] = []
    errors: list[ErrorItem] = []
    timings_ms: dict[str, float] = {}
    fatal: bool = False  # no usable content: later stages have nothing to do

    def line(self, line_id: int) -> Line:
        return self.lines[line_id - 1]

    def body_lines(self) -> list[Line]:
        """Lines that are report content (not noise)."""
        return [ln for ln in self.lines if ln.noise is None]

    def prose_line_ids(self, section: Section) -> list[int]:
        """A section's lines that are prose: not noise, not part of a table, not an HTML table."""
        in_tables = {i for t in self.tables for i in t.line_ids}
        return [
            i
            for i in section.line_ids
            if i not in in_tables and self.line(i).table_ref is None and self.line(i).text
        ]

    def evidence(self, line_id: int | None, text: str | None, bbox: BBox | None = None) -> Evidence:
        """Evidence pointing at a line: its page and box (or a cell's box inside it)."""
        if line_id is None:
            return Evidence(text=text)
        line = self.line(line_id)
        return Evidence(line=line_id, page=line.page, bbox=bbox or line.bbox, text=text)

    def fail(
        self, stage: str, code: str, message: str, *, fatal: bool = False, page: int | None = None
    ) -> None:
        """Record an error (a warning when not `fatal`: the document goes on, status partial)."""
        self.errors.append(ErrorItem(stage=stage, code=code, message=message, page=page))
        self.fatal = self.fatal or fatal
