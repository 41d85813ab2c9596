"""layout: page fragments (text-layer runs or OCR lines) -> lines in reading order.

Per page:
1. Order: fragment centres are rotated by the page's residual skew (median fragment angle), then
   grouped into rows by vertical overlap, and each row sorted left to right. We order boxes
   ourselves: an engine's own sort splits the rows of a skewed table.
2. Cells: within a row, a gap wider than `cell_gap_chars` character heights starts a new cell,
   written as a tab, so a table row reads like a tab-separated extraction and the tables stage
   treats both alike.
3. Columns: in a run of rows that end in numbers, the numbers' x-centres are clustered into
   columns and a row missing a column gets an empty cell there (a blank cell in a ruled table).
4. Paragraphs: a prose row that reaches the right margin continues on the next row unless that
   one starts indented or with an enumerator; wrapped rows are joined without spaces.
Across pages: rows in the top/bottom margin band whose text (digits ignored) recurs on other
pages are running headers/footers (noise); a paragraph that fills the last row of a page
continues on the next page.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import statistics
from dataclasses import dataclass, field

from ..cells import is_value_cell
from ..datamodel.base import BBox
from ..datamodel.document import Fragment, Line, PageDoc, ReportDoc, Slot
from ..settings import LayoutSettings, Settings
from ..textnorm import ENUMERATOR
from .base import Stage

_ASCII_END = re.compile(r"[A-Za-z0-9%.]$")
_ASCII_START = re.compile(r"^[A-Za-z0-9(]")
_DIGITS = re.compile(r"\d+")
# Full-width punctuation carries its own white space: a gap next to it is inside a sentence
# (办法》， 2022年…; 100% ，办理…), never a cell boundary: no cell starts with "，", and a
# label cell that ends with one is followed by a value.
_OPENS_NO_CELL = re.compile(r"^[，。、；：）》”]")
_ENDS_CLAUSE = re.compile(r"[，。、；：《（“]$")


@dataclass
class _Row:
    frags: list[Fragment]
    page: int
    cells: list[str] = field(default_factory=list)
    boxes: list[BBox] = field(default_factory=list)  # one per cell
    confidences: list[float] = field(default_factory=list)  # one per cell

    @property
    def bbox(self) -> BBox:
        return BBox.enclosing([f.bbox for f in self.frags])

    @property
    def text(self) -> str:
        return "\t".join(self.cells)

    @property
    def confidence(self) -> float:
        return min(f.confidence for f in self.frags)


def _char_height(frags: list[Fragment], s: LayoutSettings) -> float:
    """Median height of multi-character fragments (punctuation boxes are tiny, so skip them)."""
    heights = [f.bbox.height for f in frags if len(f.text.strip()) >= s.height_min_chars]
    heights = heights or [f.bbox.height for f in frags]
    return statistics.median(heights) if heights else s.fallback_char_px


def _skew(frags: list[Fragment], s: LayoutSettings) -> float:
    """The median baseline angle of long fragments (short ones' angles are noise)."""
    angles = [f.angle for f in frags if f.bbox.width > s.skew_min_aspect * f.bbox.height]
    return statistics.median(angles) if angles else 0.0


def _join(a: str, b: str) -> str:
    return a + (" " if _ASCII_END.search(a) and _ASCII_START.match(b) else "") + b


class Layout(Stage[LayoutSettings]):
    name = "layout"
    reads = frozenset({Slot.pages})
    # lines it makes; running headers and footers are marked noise where it finds them (a
    # pattern across pages only layout sees)
    writes = frozenset({Slot.lines, Slot.line_text})

    def __init__(self, options: LayoutSettings) -> None:
        super().__init__(options)
        self.s = options

    @classmethod
    def options_from(cls, settings: Settings) -> LayoutSettings:
        return settings.layout

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        if not doc.pages:
            return doc  # text and HTML input arrive as lines already
        pages = [self._rows(p) for p in doc.pages]
        running = self._take_running(pages, doc.pages)
        lines: list[Line] = []
        carry: Line | None = None
        for page, rows in zip(doc.pages, pages, strict=True):
            body = [r for r in rows if r is not None]
            left, right, ch = self._margins(body, page)
            lead = max(ch, _leading(body))
            for i, row in enumerate(body):
                line = Line(
                    id=len(lines) + 1,
                    raw=row.text,
                    page=row.page,
                    bbox=row.bbox,
                    confidence=row.confidence,
                    cell_boxes=row.boxes,
                    cell_confidences=row.confidences,
                )
                prev = carry if i == 0 else (lines[-1] if lines else None)
                if prev is not None and self._continues(prev, row, left, right, ch, lead, i == 0):
                    prev.raw = _join(prev.raw, row.text)
                    prev.confidence = min(prev.confidence or 1.0, row.confidence)
                    if prev.page == row.page and prev.bbox is not None:
                        prev.bbox = prev.bbox.union(row.bbox)  # a paragraph's box on its page
                    continue
                lines.append(line)
            carry = lines[-1] if lines and body and self._fills(lines[-1], right, ch) else None
        doc.lines = lines + _noise_lines(running, len(lines))
        return doc

    # ---- one page --------------------------------------------------------------------------
    def _rows(self, page: PageDoc) -> list[_Row | None]:
        frags = [f for f in page.fragments if f.text.strip()]
        if not frags:
            return []
        ch = _char_height(frags, self.s)
        angle = math.radians(_skew(frags, self.s))
        cx, cy = page.width / 2, page.height / 2

        def level_y(f: Fragment) -> float:
            x = f.bbox.cx - cx
            y = f.bbox.cy - cy
            return -x * math.sin(angle) + y * math.cos(angle)

        # Rows by vertical overlap with the row's band (levelled coordinates): a full stop or a
        # comma sits low in its line but inside the band. Tall boxes (vertical stub text) join
        # the row they overlap most but never widen its band.
        rows: list[list[Fragment]] = []
        bands: list[tuple[float, float]] = []
        for f in sorted(frags, key=level_y):
            y = level_y(f)
            h = max(f.bbox.height, 1.0)
            top, bottom = y - h / 2, y + h / 2
            if bands:
                b_top, b_bottom = bands[-1]
                overlap = min(bottom, b_bottom) - max(top, b_top)
                if overlap >= self.s.row_overlap * min(h, b_bottom - b_top):
                    rows[-1].append(f)
                    if h <= self.s.tall_chars * ch:
                        bands[-1] = (min(top, b_top), max(bottom, b_bottom))
                    continue
            rows.append([f])
            bands.append((top, bottom) if h <= self.s.tall_chars * ch else (y - ch / 2, y + ch / 2))
        # pdfium already ends a text-layer run at a cell or line boundary, so two runs side by side
        # are two cells unless they touch; OCR boxes of one line are often split, so they need a
        # real gap before they count as two cells
        gap = self.s.cell_gap_chars if page.source == "ocr" else self.s.text_layer_cell_gap_chars
        out: list[_Row | None] = []
        for frs in rows:
            frs = _reading_order(frs)
            cells, boxes, confs = self._cells(frs, ch, gap)
            out.append(_Row(frs, page.number, cells, boxes, confs))
        self._snap_columns([r for r in out if r is not None], ch, gap)
        return out

    def _cells(
        self, frags: list[Fragment], ch: float, gap_chars: float
    ) -> tuple[list[str], list[BBox], list[float]]:
        """Fragments of one row joined into cells (a wide gap starts a new cell unless
        punctuation explains it: `_mid_sentence`): text, box and the lowest confidence of each."""
        if not frags:
            return [], [], []
        runs: list[list[Fragment]] = [[frags[0]]]
        for a, b in itertools.pairwise(frags):
            if b.bbox.x0 - a.bbox.x1 > gap_chars * ch:
                runs.append([b])
            else:
                runs[-1].append(b)
        cells: list[str] = []
        boxes: list[BBox] = []
        confs: list[float] = []
        for run in runs:
            text = functools.reduce(_join, (f.text for f in run))
            box = functools.reduce(BBox.union, (f.bbox for f in run))
            conf = min(f.confidence for f in run)
            if cells and _mid_sentence(cells[-1], text):
                cells[-1], boxes[-1] = _join(cells[-1], text), boxes[-1].union(box)
                confs[-1] = min(confs[-1], conf)
            else:
                cells.append(text)
                boxes.append(box)
                confs.append(conf)
        return cells, boxes, confs

    def _snap_columns(self, rows: list[_Row], ch: float, gap: float) -> None:
        """Give rows in a run of numeric rows one cell per column, blanks where a box is missing."""
        run: list[_Row] = []

        def numeric_tail(row: _Row) -> list[Fragment]:
            tail: list[Fragment] = []
            for f in reversed(row.frags):
                if not is_value_cell(f.text, blank_ok=False):
                    break
                tail.append(f)
            return tail[::-1]

        def close() -> None:
            if len(run) >= self.s.snap_min_rows:
                xs = sorted(f.bbox.cx for r in run for f in numeric_tail(r))
                columns: list[list[float]] = [[xs[0]]]
                for x in xs[1:]:
                    if x - columns[-1][-1] > self.s.column_gap_chars * ch:
                        columns.append([x])
                    else:
                        columns[-1].append(x)
                centres = [statistics.mean(c) for c in columns]
                for row in run:
                    tail = numeric_tail(row)
                    _, top, _, bottom = row.bbox
                    slots = [""] * len(centres)
                    # an empty slot still gets a box: where the blank cell is on the page
                    slot_boxes = [BBox(c - ch, top, c + ch, bottom) for c in centres]
                    slot_confs = [1.0] * len(centres)  # a blank slot: nothing was read there
                    filled: set[int] = set()
                    for f in tail:
                        x = f.bbox.cx
                        k = min(range(len(centres)), key=lambda i: abs(centres[i] - x))
                        slots[k] += f.text
                        slot_boxes[k] = f.bbox if k not in filled else slot_boxes[k].union(f.bbox)
                        slot_confs[k] = (
                            min(slot_confs[k], f.confidence) if k in filled else f.confidence
                        )
                        filled.add(k)
                    head = row.frags[: len(row.frags) - len(tail)]
                    labels, label_boxes, label_confs = self._cells(head, ch, gap)
                    row.cells = [*labels, *slots]
                    row.boxes = [*label_boxes, *slot_boxes]
                    row.confidences = [*label_confs, *slot_confs]
            run.clear()

        for row in rows:
            if numeric_tail(row):
                run.append(row)
            else:
                close()
        close()

    def _margins(self, rows: list[_Row], page: PageDoc) -> tuple[float, float, float]:
        prose = [r for r in rows if len(r.cells) == 1] or rows
        frags = [f for r in rows for f in r.frags]
        ch = _char_height(frags, self.s) if rows else self.s.fallback_char_px
        if not prose:
            return 0.0, float(page.width), ch
        lefts = sorted(r.bbox.x0 for r in prose)
        rights = sorted(r.bbox.x1 for r in prose)
        return lefts[len(lefts) // 10], rights[int(len(rights) * 0.9)], ch

    def _fills(self, line: Line, right: float, ch: float) -> bool:
        return (
            line.bbox is not None
            and "\t" not in line.raw
            and line.bbox.x1 >= right - self.s.right_margin_chars * ch
        )

    def _continues(
        self,
        prev: Line,
        row: _Row,
        left: float,
        right: float,
        ch: float,
        lead: float,
        new_page: bool,
    ) -> bool:
        """Does `row` continue the paragraph of `prev`? `lead`: the page's usual gap between
        rows, at least a character height (28 pt leading on 16 pt type leaves more than one)."""
        if "\t" in prev.raw or len(row.cells) > 1 or prev.bbox is None:
            return False
        if not self._fills(prev, right, ch):
            return False
        if ENUMERATOR.match(row.text):
            return False
        if row.bbox.x0 > left + self.s.indent_chars * ch:
            return False  # an indented first line starts a new paragraph
        # on a new page the gap is the page break, not a paragraph end
        return new_page or row.bbox.y0 - prev.bbox.y1 <= self.s.paragraph_gap_lines * lead

    # ---- across pages ----------------------------------------------------------------------
    def _take_running(self, pages: list[list[_Row | None]], infos: list[PageDoc]) -> list[_Row]:
        """Take running headers/footers out of the pages (None in their place); return them."""
        running: list[_Row] = []
        bands: dict[str, int] = {}
        keyed: list[list[tuple[int, str]]] = []
        for rows, info in zip(pages, infos, strict=True):
            keys = []
            for i, row in enumerate(rows):
                if row is None:
                    continue
                y0, y1 = row.bbox.y0, row.bbox.y1
                band = self.s.margin_band * info.height
                if y1 < band or y0 > info.height - band:
                    key = _DIGITS.sub("#", row.text.replace(" ", ""))
                    keys.append((i, key))
                    bands[key] = bands.get(key, 0) + 1
            keyed.append(keys)
        for rows, keys in zip(pages, keyed, strict=True):
            for i, key in keys:
                if bands[key] >= 2 and len(pages) >= 2:
                    row = rows[i]
                    assert row is not None
                    running.append(row)
                    rows[i] = None
        return running


def _mid_sentence(left: str, right: str) -> bool:
    """A gap between `left` and `right` that punctuation explains (see _OPENS_NO_CELL)."""
    if _OPENS_NO_CELL.match(right):
        return True
    return bool(_ENDS_CLAUSE.search(left)) and not is_value_cell(right, blank_ok=False)


def _leading(rows: list[_Row]) -> float:
    """The median vertical gap between consecutive prose rows of a page (0 if none)."""
    prose = [r for r in rows if len(r.cells) == 1]
    gaps = [b.bbox.y0 - a.bbox.y1 for a, b in itertools.pairwise(prose) if b.bbox.y0 > a.bbox.y1]
    return statistics.median(gaps) if gaps else 0.0


def _reading_order(frags: list[Fragment]) -> list[Fragment]:
    """Fragments of one row left to right; fragments stacked in one column (a header label
    wrapped over lines: 法律 above 服务 above 机构) top to bottom, whatever their small
    left-edge differences. Stacked: overlapping by more than half the narrower's width."""
    out: list[Fragment] = []
    stack: list[Fragment] = []
    for f in sorted(frags, key=lambda f: f.bbox.x0):
        if stack:
            x0, x1 = min(g.bbox.x0 for g in stack), max(g.bbox.x1 for g in stack)
            width = min(f.bbox.width, stack[-1].bbox.x1 - stack[-1].bbox.x0)
            if min(x1, f.bbox.x1) - max(x0, f.bbox.x0) > 0.5 * width:
                stack.append(f)
                continue
            out += sorted(stack, key=lambda g: g.bbox.y0)
        stack = [f]
    return out + sorted(stack, key=lambda g: g.bbox.y0)


def _noise_lines(running: list[_Row], start: int) -> list[Line]:
    """Running headers/footers as lines marked noise, numbered after the body lines."""
    return [
        Line(
            id=start + k + 1,
            raw=row.text,
            page=row.page,
            bbox=row.bbox,
            noise="running_header",
            confidence=row.confidence,
        )
        for k, row in enumerate(running)
    ]
