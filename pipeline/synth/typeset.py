"""Typesetting with reportlab: fonts, line breaking, pages, ruled tables, the text-layer PDF."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .model import Block, Cell, Grid, Report, Run
from .prose import REPORT_TITLE
from .specs import STYLES, Font, Style

# ---- fonts ---------------------------------------------------------------------------------
# Official reports set the body in 仿宋, level-1 headings in 黑体, （一） sub-headings in 楷体
# and the title in 方正小标宋. These free Debian fonts are the closest TrueType stand-ins.
FONT_FILES: dict[Font, tuple[str, int, str]] = {  # file, index in the collection, apt package
    "song": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0, "fonts-arphic-uming"),
    "kai": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0, "fonts-arphic-ukai"),
    "hei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, "fonts-wqy-zenhei"),
}


def register_fonts() -> None:
    """Register the three CJK fonts with reportlab; fail with the apt package names if absent."""
    missing = [pkg for path, _, pkg in FONT_FILES.values() if not Path(path).exists()]
    if missing:
        raise RuntimeError(f"CJK fonts missing: apt-get install {' '.join(sorted(set(missing)))}")
    for name, (path, index, _) in FONT_FILES.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))


# ---- typesetting ---------------------------------------------------------------------------
PAGE_W, PAGE_H = A4
NO_LINE_START = set("，。、；：？！）》」』”’%．.,;:)")
ASCII_WORD = re.compile(r"[0-9A-Za-z.%@/+\-]+")
Token = tuple[str, Font, str | None]  # a line-breaking unit: text, font, truth tag


def text_width(style: Style) -> float:
    return PAGE_W - style.margins[0] - style.margins[1]


def _tokens(runs: list[Run]) -> Iterator[Token]:
    """Break runs into line-breaking units: one CJK character, or a whole ASCII word/number."""
    for run in runs:
        pos = 0
        while pos < len(run.text):
            m = ASCII_WORD.match(run.text, pos)
            if m:
                yield m.group(), run.font, run.tag
                pos = m.end()
            else:
                yield run.text[pos], run.font, run.tag
                pos += 1


def _width(text: str, font: Font, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def wrap_cell(text: str, font: Font, size: float, width: float) -> list[str]:
    lines: list[str] = []
    cur = ""
    for tok, _, _ in _tokens([Run(text, font)]):
        if cur and _width(cur + tok, font, size) > width and tok not in NO_LINE_START:
            lines.append(cur)
            cur = tok
        else:
            cur += tok
    if cur:
        lines.append(cur)
    return lines or [""]


@dataclass
class PageRecord:
    parts: list[str] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", "", "".join(self.parts))


class Composer:
    """Lays blocks out on A4 pages with reportlab, recording each page's text and the truth
    paths printed on it (for per-page truth, CER measurement and single-page images)."""

    PAD = 2.5

    def __init__(self, path: Path, style: Style, title: str) -> None:
        self.c = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
        self.c.setTitle(title)
        self.c.setAuthor("nianbao sample_scans")
        self.c.setCreator("nianbao sample_scans/generate.py")
        self.s = style
        self.left, self.right, self.top, self.bottom = style.margins
        self.width = PAGE_W - self.left - self.right
        self.pages: list[PageRecord] = [PageRecord()]
        self.y = PAGE_H - self.top
        self.table_pages: dict[str, list[int]] = {}
        # mixed pages (synth/mixed.py): a picture to draw instead of a table part (page number,
        # its box in points: left, bottom, right, top; None: draw the table), and a stamp
        # image drawn over the signature
        self.picture: Callable[[int, tuple[float, float, float, float]], Any] | None = None
        self.stamp: Any = None

    # -- pages ----------------------------------------------------------------------------
    @property
    def page(self) -> PageRecord:
        return self.pages[-1]

    def room(self) -> float:
        return self.y - self.bottom

    def new_page(self) -> None:
        self._footer()
        self.c.showPage()
        self.pages.append(PageRecord())
        self.y = PAGE_H - self.top

    def _footer(self) -> None:
        n = len(self.pages)
        if self.s.page_numbers == "none":
            return
        text = f"- {n} -"
        self.c.setFont("song", 14)
        w = _width(text, "song", 14)
        if self.s.page_numbers == "center":
            x = (PAGE_W - w) / 2
        else:  # 公文 style: odd pages right, even pages left
            x = PAGE_W - self.right - w - 14 if n % 2 else self.left + 14
        self.c.drawString(x, self.bottom - 40, text)
        self.page.parts.append(text)

    def finish(self) -> None:
        self._footer()
        self.c.save()

    # -- text -----------------------------------------------------------------------------
    def _draw_line(
        self,
        toks: list[Token],
        x: float,
        base: float,
        size: float,
        char_space: float = 0.0,
        stroke: bool = False,
    ) -> None:
        # The text render mode belongs to the graphics state and outlives the text object, so a
        # stroked (bold) line is drawn inside save/restore or all later text would turn bold.
        if stroke:
            self.c.saveState()
            self.c.setLineWidth(size * 0.03)
        t = self.c.beginText(x, base)
        t.setCharSpace(char_space)
        if stroke:
            t.setTextRenderMode(2)
        font = None
        for tok, f, tag in toks:
            if f != font:
                t.setFont(f, size)
                font = f
            t.textOut(tok)
            if tag:
                self.page.tags.add(tag)
        self.c.drawText(t)
        if stroke:
            self.c.restoreState()
        self.page.parts.append("".join(tok for tok, _, _ in toks))

    def paragraph(
        self,
        runs: list[Run],
        indent_chars: float = 2,
        size: float | None = None,
        keep_lines: int = 1,
    ) -> None:
        size = size or self.s.body_size
        lines = self._break(runs, size, indent_chars * size)
        if self.room() < self.s.line_h * min(keep_lines, len(lines)):
            self.new_page()
        for i, (toks, natural) in enumerate(lines):
            if self.room() < self.s.line_h:
                self.new_page()
            x = self.left + (indent_chars * size if i == 0 else 0)
            avail = self.width - (x - self.left)
            chars = sum(len(tok) for tok, _, _ in toks)
            last = i == len(lines) - 1
            cs = (
                0.0
                if last or chars < 2
                else max(0.0, min((avail - natural) / (chars - 1), size * 0.5))
            )
            base = self.y - self.s.line_h * 0.5 - size * 0.35
            self._draw_line(toks, x, base, size, cs)
            self.y -= self.s.line_h

    def _break(
        self, runs: list[Run], size: float, first_indent: float
    ) -> list[tuple[list[Token], float]]:
        lines: list[tuple[list[Token], float]] = []
        cur: list[Token] = []
        w = 0.0
        avail = self.width - first_indent
        for tok, font, tag in _tokens(runs):
            tw = _width(tok, font, size)
            if cur and w + tw > avail + 0.01 and tok not in NO_LINE_START:
                lines.append((cur, w))
                cur, w, avail = [], 0.0, self.width
            cur.append((tok, font, tag))
            w += tw
        if cur:
            lines.append((cur, w))
        return lines

    def title(self, lines: list[str]) -> None:
        # A long one-line title shrinks to the text width, as word processors' "fit" does.
        size = min(self.s.title_size, *(self.width / _width(line, "song", 1) for line in lines))
        self.y -= size * 0.6
        for line in lines:
            w = _width(line, "song", size)
            self._draw_line(
                [(line, "song", "meta:title")], (PAGE_W - w) / 2, self.y - size, size, stroke=True
            )
            self.y -= size * 1.6
        self.y -= size * 0.9

    def heading(self, runs: list[Run], next_block: Block | None) -> None:
        need = self.s.line_h * 3
        if next_block is not None and next_block.kind == "table" and next_block.grid is not None:
            need = self.s.line_h + self._first_chunk_need(next_block.grid)
        if self.room() < need:
            self.new_page()
        self.paragraph(runs, indent_chars=2, size=self.s.head_size)

    def signature(self, lines: list[str]) -> None:
        size = self.s.body_size
        if self.room() < self.s.line_h * 4:
            self.new_page()
        self.y -= self.s.line_h
        for line in lines:
            w = _width(line, "song", size)
            self._draw_line(
                [(line, "song", "meta:signature")],
                self.left + self.width - w - 2 * size,
                self.y - self.s.line_h * 0.5 - size * 0.35,
                size,
            )
            self.y -= self.s.line_h
        if self.stamp is not None:  # white is see-through, as a seal's paper is
            seal = 120.0  # points: a 42 mm seal, over the agency's name and the date
            x = self.left + self.width - seal - 3 * size
            self.c.drawImage(
                self.stamp,
                x,
                self.y - seal * 0.2,
                seal,
                seal,
                mask=[235, 255, 235, 255, 235, 255],
            )

    # -- tables ---------------------------------------------------------------------------
    def _cell_width(self, g: Grid, cell: Cell) -> float:
        return sum(g.col_widths[cell.col : cell.col + cell.colspan])

    def _line_h(self, cell: Cell) -> float:
        return cell.size * 1.3

    def _needed(self, g: Grid, cell: Cell) -> float:
        if cell.vertical:
            return len(cell.text) * cell.size * 1.15 + 2 * self.PAD
        lines = wrap_cell(cell.text, cell.font, cell.size, self._cell_width(g, cell) - 2 * self.PAD)
        return len(lines) * self._line_h(cell) + 2 * self.PAD + 2

    def row_heights(self, g: Grid) -> list[float]:
        h = [self.s.min_row] * g.n_rows
        for cell in sorted(g.cells, key=lambda c: c.rowspan):
            need = self._needed(g, cell)
            span = range(cell.row, cell.row + cell.rowspan)
            have = sum(h[r] for r in span)
            if need > have:
                if cell.rowspan == 1:
                    h[cell.row] = need
                else:
                    extra = (need - have) / cell.rowspan
                    for r in span:
                        h[r] += extra
        return h

    def _first_chunk_need(self, g: Grid) -> float:
        h = self.row_heights(g)
        if g.keep_together:
            return sum(h)
        r = 0
        while r in g.keep_with_next and r + 1 < g.n_rows:
            r += 1
        return sum(h[: r + 2])

    def _paginate(
        self, g: Grid, h: list[float], first_room: float, page_room: float
    ) -> list[tuple[int, int]]:
        chunks: list[tuple[int, int]] = []
        r, room = 0, first_room
        header_h = sum(h[: g.header_rows])
        while r < g.n_rows:
            start, used = r, (header_h if chunks and g.repeat_header else 0.0)
            while r < g.n_rows:
                k = r
                while k in g.keep_with_next and k + 1 < g.n_rows:
                    k += 1
                block = sum(h[r : k + 1])
                if used + block <= room:
                    used += block
                    r = k + 1
                elif r == start and not chunks and room < page_room:
                    break  # nothing fits on this page: caller starts a new page
                elif r == start:
                    used += block  # taller than a page: let it overflow rather than loop
                    r = k + 1
                else:
                    break
            if r == start:
                return []
            chunks.append((start, r))
            room = page_room
        return chunks

    def table(self, g: Grid) -> None:
        h = self.row_heights(g)
        page_room = PAGE_H - self.top - self.bottom
        if g.keep_together and sum(h) <= page_room and sum(h) > self.room():
            self.new_page()
        chunks = self._paginate(g, h, self.room(), page_room)
        if not chunks:
            self.new_page()
            chunks = self._paginate(g, h, self.room(), page_room)
        owner = {}
        for idx, cell in enumerate(g.cells):
            overlaps = [min(e, cell.row + cell.rowspan) - max(s, cell.row) for s, e in chunks]
            owner[idx] = max(range(len(chunks)), key=lambda i: (overlaps[i], -i))
        pages = []
        for ci, (s, e) in enumerate(chunks):
            if ci:
                self.new_page()
            pages.append(len(self.pages))
            rows = list(range(s, e))
            if ci and g.repeat_header:
                rows = list(range(g.header_rows)) + rows
            self._draw_chunk(g, h, rows, ci, owner)
        self.table_pages[g.kind] = pages
        self.y -= self.s.line_h * 0.4

    def _draw_chunk(
        self, g: Grid, h: list[float], rows: list[int], ci: int, owner: dict[int, int]
    ) -> None:
        c = self.c
        top: dict[int, float] = {}
        y = self.y
        for r in rows:
            top[r] = y
            y -= h[r]
        bottom_of = {r: top[r] - h[r] for r in rows}
        xs = list(itertools.accumulate([self.left, *g.col_widths]))
        visible = []
        for idx, cell in enumerate(g.cells):
            span = [r for r in range(cell.row, cell.row + cell.rowspan) if r in top]
            if not span:
                continue
            repeated = cell.row < g.header_rows and ci > 0 and g.repeat_header
            draw_text = repeated or owner[idx] == ci
            box = (xs[cell.col], bottom_of[span[-1]], xs[cell.col + cell.colspan], top[span[0]])
            visible.append((span[0], cell.col, idx, cell, box, draw_text))
        if self.picture is not None and visible:
            pad = 2.0
            box = (xs[0] - pad, y - pad, xs[-1] + pad, self.y + pad)
            image = self.picture(len(self.pages), box)
            if isinstance(image, tuple):  # a picture of another box (the whole page)
                image, box = image
            if image is not None:  # the table part as a picture: no text, no rules
                c.drawImage(image, box[0], box[1], box[2] - box[0], box[3] - box[1])
                for *_, cell, _, _ in visible:
                    if cell.tag:
                        self.page.tags.add(cell.tag)
                self.y = y
                return
        for *_, cell, (x0, y0, x1, y1), _ in visible:
            if cell.shade and self.s.shade:
                c.setFillColorRGB(*self.s.shade)
                c.rect(x0, y0, x1 - x0, y1 - y0, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        for _, _, _, cell, box, draw_text in sorted(visible, key=lambda v: (v[0], v[1])):
            if cell.tag:
                self.page.tags.add(cell.tag)
            if draw_text and cell.text:
                self._cell_text(cell, box)
        if self.s.border > 0:  # reportlab draws a hairline for width 0
            c.setLineWidth(self.s.border)
            c.setStrokeColorRGB(0, 0, 0)
            for *_, (x0, y0, x1, y1), _ in visible:
                c.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
        self.y = y

    def _cell_text(self, cell: Cell, box: tuple[float, float, float, float]) -> None:
        x0, y0, x1, y1 = box
        size = cell.size
        if cell.vertical:
            step = size * 1.15
            ytop = (y0 + y1) / 2 + len(cell.text) * step / 2
            for k, ch in enumerate(cell.text):
                w = _width(ch, cell.font, size)
                self._draw_line(
                    [(ch, cell.font, None)],
                    (x0 + x1 - w) / 2,
                    ytop - (k + 1) * step + size * 0.2,
                    size,
                )
            return
        lines = wrap_cell(cell.text, cell.font, size, x1 - x0 - 2 * self.PAD)
        lh = self._line_h(cell)
        ytop = (y0 + y1) / 2 + len(lines) * lh / 2
        for k, line in enumerate(lines):
            w = _width(line, cell.font, size)
            x = x0 + self.PAD if cell.align == "l" else (x0 + x1 - w) / 2
            self._draw_line(
                [(line, cell.font, None)],
                x,
                ytop - (k + 1) * lh + (lh - size) / 2 + size * 0.15,
                size,
            )


def render_pdf(
    rep: Report,
    path: Path,
    style: Style | None = None,
    picture: Callable[[int, tuple[float, float, float, float]], Any] | None = None,
    stamp: Any = None,
) -> Composer:
    """Typeset a report into a text-layer PDF; returns the composer with per-page records.
    `style` overrides the spec's (benchmarks/tables.py renders borderless tables this way);
    `picture` and `stamp` make mixed pages (synth/mixed.py: Composer.picture, .stamp)."""
    register_fonts()
    style = style or STYLES[rep.spec.style]
    comp = Composer(path, style, f"{rep.spec.agency}{rep.spec.year}{REPORT_TITLE}")
    comp.picture, comp.stamp = picture, stamp
    for i, block in enumerate(rep.blocks):
        nxt = rep.blocks[i + 1] if i + 1 < len(rep.blocks) else None
        if block.kind == "title":
            comp.title(block.lines)
        elif block.kind == "heading":
            comp.heading(block.runs, nxt)
        elif block.kind == "para":
            comp.paragraph(block.runs)
        elif block.kind == "table" and block.grid is not None:
            comp.table(block.grid)
        elif block.kind == "signature":
            comp.signature(block.lines)
    comp.finish()
    return comp
