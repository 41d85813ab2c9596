"""Table renderings in the shapes real pages take (issue #13; the shapes and their rates are
described in pipeline/synth/shapes.py): web-page HTML with blank cells and real spans,
converter markdown (one pipe table, or one per row under a made-up header), torn text whose
labels come apart from the numbers, a table broken over pages with the page's furniture
between its parts. Each takes a `noise.Table` (cells after extraction noise) and the document's
random stream; the truth is unchanged by the rendering.
"""

from __future__ import annotations

import html
import itertools
import random
import re
from dataclasses import dataclass, replace

from . import noise
from .model import Grid
from .shapes import REPORT, weighted

# ---- table renderings -------------------------------------------------------------------------
_CJK = re.compile(r"[\u4e00-\u9fff]")
_AMOUNT = re.compile(r"^[\d.,]+元$")


def is_label(text: str) -> bool:
    return bool(_CJK.search(text)) and text not in ("一", "—") and not _AMOUNT.match(text)


def grid_table(grid: Grid) -> noise.Table:
    """The grid as a web page's table: rows of cells with their spans."""
    rows = [
        [
            noise.Cell(c.text.replace("\n", ""), c.rowspan, c.colspan)
            for c in sorted((c for c in grid.cells if c.row == r), key=lambda c: c.col)
        ]
        for r in range(grid.n_rows)
    ]
    return noise.Table(rows, grid.header_rows)


def _br(text: str, rng: random.Random, mark: str) -> str:
    """A long header word broken where a narrow cell wraps it."""
    if len(text) < 4 or rng.random() < 0.5:
        return text
    k = rng.randint(2, len(text) - 2)
    return text[:k] + mark + text[k:]


@dataclass
class HtmlStyle:
    empty: str  # what an empty cell holds
    wrap: bool  # cell text inside <p><span>
    br_headers: bool
    vertical_br: bool


def html_style(rng: random.Random) -> HtmlStyle:
    return HtmlStyle(
        empty=rng.choice(["", "", "&nbsp;", "<p>&nbsp;</p>"]),
        wrap=rng.random() < 0.4,
        br_headers=rng.random() < 0.5,
        vertical_br=rng.random() < 0.4,
    )


def html_table(table: noise.Table, st: HtmlStyle, rng: random.Random) -> str:
    out = ['<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse">']
    out.append("<tbody>")
    for r, row in enumerate(table.rows):
        tds = []
        for c in row:
            attrs = ""
            if c.rowspan > 1:
                attrs += f' rowspan="{c.rowspan}"'
            if c.colspan > 1:
                attrs += f' colspan="{c.colspan}"'
            text = html.escape(c.text)
            if c.rowspan > 6 and st.vertical_br and is_label(c.text):
                text = "<br/>".join(text)
            elif r < table.header_rows and st.br_headers and is_label(c.text):
                text = _br(text, rng, "<br/>")
            if not text:
                text = st.empty
            elif st.wrap:
                text = f'<p style="text-align:center"><span>{text}</span></p>'
            tds.append(f"<td{attrs}>{text}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def matrix(table: noise.Table, repeat: bool) -> list[list[tuple[str, bool]]]:
    """The table laid out in columns: (text, is a cell's own position) per position; a merged
    cell's other positions are empty or (`repeat`, labels only) repeat its text."""
    grid: dict[tuple[int, int], tuple[str, bool]] = {}
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in grid:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    own = dr == 0 and dc == 0
                    same = own or (repeat and is_label(cell.text))
                    grid[(r + dr, c + dc)] = (cell.text if same else "", own)
            c += cell.colspan
    if not grid:
        return []
    n_rows = max(r for r, _ in grid) + 1
    n_cols = max(c for _, c in grid) + 1
    return [[grid.get((r, c), ("", False)) for c in range(n_cols)] for r in range(n_rows)]


@dataclass
class MdStyle:
    blank: str  # "-" or ""
    repeat: bool  # merged labels repeated in every row they span
    br: bool
    table_titles: bool
    heading: str  # "##", "**" or "" for the section headings


def md_style(rng: random.Random) -> MdStyle:
    return MdStyle(
        blank=rng.choice(["-", "-", ""]),
        repeat=rng.random() < 0.4,
        br=rng.random() < 0.4,
        table_titles=rng.random() < 0.5,
        heading=rng.choice(["##", "##", "**", ""]),
    )


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def md_table(table: noise.Table, st: MdStyle, rng: random.Random) -> list[str]:
    """One pipe table; the first row is the header the converter underlines."""
    rows = []
    for r, row in enumerate(matrix(table, st.repeat)):
        cells = []
        for text, own in row:
            if own and text == "" and r >= table.header_rows:
                text = st.blank
            elif st.br and is_label(text) and len(text) > 8 and rng.random() < 0.3:
                text = _br(text, rng, "<br>")
            cells.append(text)
        rows.append(_md_row(cells))
    if not rows:
        return []
    width = rows[0].count("|") - 1
    return [rows[0], _md_row(["---"] * width), *rows[1:]]


MD_HEADER = ["类别", "数据1", "数据2", "数据3", "数据4", "数据5", "数据6", "总计"]


def _split_row(row: list[noise.Cell]) -> tuple[list[noise.Cell], list[noise.Cell]]:
    labels = [c for c in row if is_label(c.text)]
    values = [c for c in row if not is_label(c.text)]
    return labels, values


def md_rows_table(table: noise.Table, st: MdStyle, rng: random.Random) -> list[str]:
    """Table 三 the way some converters give it: every body row its own pipe table under a
    made-up header, the row groups as ###/#### headings."""
    out: list[str] = []
    head = [_md_row(MD_HEADER), _md_row(["---"] * len(MD_HEADER))]
    if table.header_rows and rng.random() < 0.6:  # the header rows as one row, labels only
        lay = matrix(replace(table, rows=table.rows[: table.header_rows]), False)
        cols = [
            next((row[c][0] for row in reversed(lay) if row[c][1]), None)
            for c in range(len(lay[0]) if lay else 0)
        ]
        out += [*head, _md_row([t for t in cols if t is not None]), ""]
    for row in table.rows[table.header_rows :]:
        labels, values = _split_row(row)
        groups = [c for c in labels if c.rowspan > 1]
        leaf = [c for c in labels if c.rowspan == 1]
        for g in sorted(groups, key=lambda c: -c.rowspan):
            out += [("### " if g.rowspan > 8 else "#### ") + g.text, ""]
        label = leaf[-1].text if leaf else ""
        cells = [v.text or st.blank for v in values]
        out += [*head, _md_row([label, *cells]), ""]
    return out


@dataclass
class TornStyle:
    sep: str
    drop_blanks: bool
    pipes: float  # share of rows written as pipe fragments (or one cell a line)
    pipe_form: str  # "row" (a | b |) | "cells" (a | / b |) | "bare" (| / a / b) | "lines" (a / b)
    cut_words: float  # share of header words cut mid-word
    modes: dict[str, float]


def torn_style(rng: random.Random) -> TornStyle:
    pipes = rng.choice([0.0, 0.0, 0.3, 1.0])
    return TornStyle(
        sep=rng.choice(["\t", " ", "  "]),
        drop_blanks=rng.random() < 0.5,
        pipes=pipes,
        pipe_form=rng.choice(["row", "cells", "bare", "lines"]),
        cut_words=rng.uniform(0.3, 0.9),
        modes={
            "inline": rng.uniform(0.2, 0.5),
            "label_line": rng.uniform(0.1, 0.3),
            "split_label": rng.uniform(0.1, 0.3),
            "no_label": rng.uniform(0.05, 0.25),
        },
    )


def _fragments(text: str, n: int, rng: random.Random) -> list[str]:
    """`text` cut into at most n pieces (at least one character each)."""
    n = max(1, min(n, len(text)))
    cuts = sorted(rng.sample(range(1, len(text)), n - 1)) if n > 1 else []
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def torn_table(table: noise.Table, st: TornStyle, rng: random.Random) -> list[str]:
    """Flattened text whose labels and numbers have come apart (see the module docstring)."""
    out: list[str] = []
    for row in table.rows[: table.header_rows]:
        if rng.random() < st.pipes:  # a header row as one pipe fragment
            out.append(" | ".join(c.text for c in row if c.text) + " |")
            continue
        for c in row:
            if not c.text:
                continue
            if len(c.text) >= 4 and rng.random() < st.cut_words:
                out += _fragments(c.text, 2 if len(c.text) < 16 else 3, rng)
            else:
                out.append(c.text)
    body = table.rows[table.header_rows :]
    pending: dict[int, list[str]] = {}  # row index -> group label fragments printed before it
    for i, row in enumerate(body):
        for g in (c for c in row if c.rowspan > 1 and is_label(c.text)):
            span = min(g.rowspan, len(body) - i)
            pieces = _fragments(g.text, rng.randint(1, min(span, 5)), rng)
            at = sorted(rng.sample(range(span), len(pieces)))
            for k, frag in zip(at, pieces, strict=True):
                pending.setdefault(i + k, []).append(frag)
    for i, row in enumerate(body):
        out += pending.get(i, [])
        leaf = [c.text for c in row if c.rowspan == 1 and is_label(c.text)]
        values = [c.text for c in row if not is_label(c.text)]
        if st.drop_blanks:
            values = [v for v in values if v]
        if not values:  # a row of labels only (table 二's block titles and headers)
            out += leaf if rng.random() < 0.5 else [st.sep.join(leaf)]
            continue
        label = "".join(leaf)
        if rng.random() < st.pipes:
            cells = ([label] if label else []) + values
            if st.pipe_form == "row":
                out.append(" | ".join(cells) + " |")
            elif st.pipe_form == "cells":
                out += [f"{c} |" if c else "|" for c in cells]
            elif st.pipe_form == "bare":
                out.append("|")
                out += cells
            else:  # one cell a paragraph, no pipes at all
                out += cells
            continue
        mode = weighted(rng, st.modes) if label else "no_label"
        nums = st.sep.join(values)
        if mode == "inline":
            out.append(f"{label}{st.sep}{nums}" if nums else label)
        elif mode == "label_line":
            out += [label, nums] if nums else [label]
        elif mode == "split_label" and len(label) >= 6:
            k = rng.randint(2, len(label) - 2)
            out += [label[:k], nums, label[k:]] if nums else [label[:k], label[k:]]
        else:
            out += [nums] if nums else []
    return out


# ---- a table broken over pages ----------------------------------------------------------------
def page_parts(table: noise.Table, rng: random.Random) -> list[noise.Table]:
    """Table 三 as printed over a page break and extracted page by page: the first part only
    its header rows and none, one or two body rows (the foot of a page), the rest on the next
    page, with its header rows repeated or not. Never through a merged cell."""
    head = table.header_rows
    free = 0  # leading body rows no merged cell runs through
    for row in table.rows[head:]:
        if any(c.rowspan > 1 for c in row):
            break
        free += 1
    k = rng.randint(0, min(2, free))
    first = noise.Table(table.rows[: head + k], head)
    rest = table.rows[head + k :]
    if rng.random() < 0.5:
        return [first, noise.Table(table.rows[:head] + rest, head)]
    return [first, noise.Table(rest, 0)]


def page_furniture(rng: random.Random, year: int) -> list[str]:
    """What a text extraction prints where a page ends and the next begins."""
    n = rng.randint(2, 6)
    foot = rng.choice([f"- {n} -", f"第{n}页 共{n + rng.randint(1, 5)}页", f"{n}", "\f"])
    head = rng.choice(["", f"{year}年{REPORT}", "政府信息公开工作年度报告"])
    return [x for x in (foot, head) if x]
