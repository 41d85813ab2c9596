"""Extraction noise: the errors real inputs carry, applied to a generated document's text.

Why: a confidence that means what it says must be fitted and tested on fields that are
sometimes wrong. Clean generated reports parse without a single wrong field, so the labelled
documents for calibration and the held-out report get the errors OCR and web extraction make,
applied to the rendered tables and prose BEFORE parsing, with the truth left unchanged:

- digit_confusion  one digit of a cell misread: 0<->8, 1<->7, 3->8, 5<->6, 1->l/I, 0->O/〇
- na_misread       the "/" of a not-applicable cell read as 1, a dash "—" as 一
- digit_dropped    a digit of a cell lost            - digit_doubled  a digit read twice
- cells_merged     two adjacent number cells joined (the separator lost): 12|5 -> 125
- cell_split       a number cell split in two: 125 -> 12|5
- blank_lost       an empty cell dropped (flattened web tables): the row's values shift left
- row_lost         a whole table row lost
- label_garbled    characters of a row label misread
- thousands_sep    a number >= 1000 printed with a thousands separator: 1234 -> 1,234
- prose_figure     a digit of a figure in the prose misread, dropped or doubled

Each document is clean with probability `clean_share`; otherwise every kind occurs with its own
probability (`rates`), 1..`max_events` times. The noise has its own random stream (seeded by
the document), so the document under it is the same as without noise.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

KINDS = (
    "digit_confusion",
    "na_misread",
    "digit_dropped",
    "digit_doubled",
    "cells_merged",
    "cell_split",
    "blank_lost",
    "row_lost",
    "label_garbled",
    "thousands_sep",
    "prose_figure",
)
CONFUSIONS = {
    "0": "8O〇",
    "8": "03",
    "1": "7lI",
    "7": "1",
    "3": "8",
    "5": "6",
    "6": "5",
}
NA_MISREADS = {"/": "1", "—": "一"}
GARBLE = "口日曰人入〇|l_"
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_DIGIT = re.compile(r"\d")


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Table:
    """A table as extracted: rows of cells in order; `header_rows` are never touched."""

    rows: list[list[Cell]]
    header_rows: int
    events: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class NoiseRates:
    clean_share: float
    max_events: int
    rates: Mapping[str, float]

    def __post_init__(self) -> None:
        unknown = set(self.rates) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown extraction-noise kinds: {sorted(unknown)}")


def _is_number(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text))


def _body(table: Table) -> list[tuple[int, int]]:
    """(row, cell) positions below the header rows."""
    return [
        (r, c) for r in range(table.header_rows, len(table.rows)) for c in range(len(table.rows[r]))
    ]


def _pick(rng: random.Random, table: Table, ok: Callable[[str], bool]) -> tuple[int, int] | None:
    cands = [(r, c) for r, c in _body(table) if ok(table.rows[r][c].text)]
    return rng.choice(cands) if cands else None


def _confuse(text: str, rng: random.Random) -> str | None:
    spots = [i for i, ch in enumerate(text) if ch in CONFUSIONS]
    if not spots:
        return None
    i = rng.choice(spots)
    return text[:i] + rng.choice(CONFUSIONS[text[i]]) + text[i + 1 :]


def _drop_digit(text: str, rng: random.Random) -> str | None:
    spots = [m.start() for m in _DIGIT.finditer(text)]
    if len(spots) < 2:  # a lone digit lost is a blank cell, not a misread number
        return None
    i = rng.choice(spots)
    return text[:i] + text[i + 1 :]


def _double_digit(text: str, rng: random.Random) -> str | None:
    spots = [m.start() for m in _DIGIT.finditer(text)]
    if not spots:
        return None
    i = rng.choice(spots)
    return text[: i + 1] + text[i:]


def _cell_edit(table: Table, rng: random.Random, kind: str) -> bool:
    edit = {
        "digit_confusion": (_confuse, lambda t: any(ch in CONFUSIONS for ch in t)),
        "digit_dropped": (_drop_digit, lambda t: len(_DIGIT.findall(t)) >= 2),
        "digit_doubled": (_double_digit, lambda t: True),
    }
    if kind in edit:
        fn, can = edit[kind]
        at = _pick(rng, table, lambda t: _is_number(t) and can(t))
        new = fn(table.rows[at[0]][at[1]].text, rng) if at else None
    elif kind == "na_misread":
        at = _pick(rng, table, lambda t: t in NA_MISREADS)
        new = NA_MISREADS[table.rows[at[0]][at[1]].text] if at else None
    elif kind == "thousands_sep":
        at = _pick(rng, table, lambda t: t.isdigit() and len(t) >= 4)
        new = f"{int(table.rows[at[0]][at[1]].text):,}" if at else None
    else:  # label_garbled: the first cell of a body row that has words
        at = _pick(rng, table, lambda t: len(t) >= 4 and not _is_number(t))
        new = None
        if at:
            chars = list(table.rows[at[0]][at[1]].text)
            for _ in range(rng.randint(1, 2)):
                chars[rng.randrange(len(chars))] = rng.choice(GARBLE)
            new = "".join(chars)
    if at is None or new is None or new == table.rows[at[0]][at[1]].text:
        return False
    table.rows[at[0]][at[1]].text = new
    return True


def _structural(table: Table, rng: random.Random, kind: str) -> bool:
    rows = table.rows
    if kind == "cells_merged":
        pairs = [
            (r, c)
            for r, c in _body(table)
            if c + 1 < len(rows[r])
            and _is_number(rows[r][c].text)
            and _is_number(rows[r][c + 1].text)
        ]
        if not pairs:
            return False
        r, c = rng.choice(pairs)
        a, b = rows[r][c], rows[r].pop(c + 1)
        a.text += b.text
        a.colspan += b.colspan
        return True
    if kind == "cell_split":
        at = _pick(rng, table, lambda t: t.isdigit() and len(t) >= 2)
        if at is None:
            return False
        r, c = at
        text = rows[r][c].text
        cut = rng.randint(1, len(text) - 1)
        rows[r][c].text = text[:cut]
        rows[r].insert(c + 1, Cell(text[cut:]))
        return True
    if kind == "blank_lost":
        at = _pick(rng, table, lambda t: t == "")
        if at is None:
            return False
        del rows[at[0]][at[1]]
        return True
    # row_lost: a body row no rowspan reaches into or out of
    spanned: set[int] = set()
    for r, row in enumerate(rows):
        for cell in row:
            spanned.update(range(r + 1, r + cell.rowspan))
            if cell.rowspan > 1:
                spanned.add(r)
    cands = [r for r in range(table.header_rows, len(rows)) if r not in spanned]
    if not cands:
        return False
    del rows[rng.choice(cands)]
    return True


def prose_edit(text: str, rng: random.Random) -> str | None:
    """A figure in a prose line misread, dropped or doubled; None when it has no figure."""
    spots = list(_NUMBER.finditer(text))
    if not spots:
        return None
    m = rng.choice(spots)
    edit = rng.choice([_confuse, _drop_digit, _double_digit])
    new = edit(m.group(), rng)
    if new is None:
        return None
    return text[: m.start()] + new + text[m.end() :]


def apply(
    rates: NoiseRates, rng: random.Random, tables: list[Table], prose: list[list[str]]
) -> list[str]:
    """Edit `tables` and the prose lines (lists of lines, edited in place); returns the events
    (kind:where) that happened. A kind that finds nothing to act on is skipped."""
    if rng.random() < rates.clean_share:
        return []
    events: list[str] = []
    for kind in KINDS:
        if rng.random() >= rates.rates.get(kind, 0.0):
            continue
        for _ in range(rng.randint(1, rates.max_events)):
            if kind == "prose_figure":
                spots = [(i, j) for i, ls in enumerate(prose) for j in range(len(ls))]
                rng.shuffle(spots)
                for i, j in spots:
                    new = prose_edit(prose[i][j], rng)
                    if new is not None:
                        prose[i][j] = new
                        events.append(f"{kind}:prose")
                        break
                continue
            if not tables:
                break
            t = rng.randrange(len(tables))
            cell_kinds = ("cells_merged", "cell_split", "blank_lost", "row_lost")
            act = _structural if kind in cell_kinds else _cell_edit
            if act(tables[t], rng, kind):
                events.append(f"{kind}:table{t}")
    return events
