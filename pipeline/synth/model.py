"""The report as data: text runs, ruled-table grids, typeset blocks and the report itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypedDict

from .specs import Font, Spec

Value = int | float | None
"""A printed table or item value: a count, an amount (万元), or None for a "/" cell and for a
cell the report's format does not have."""


def count_at(values: dict[str, Value], path: str) -> int:
    """The value at `path`, which must be a count (table 三 and 四 cells, their totals)."""
    v = values[path]
    if not isinstance(v, int):
        raise TypeError(f"{path} is {v!r}, not a count")
    return v


BlockKind = Literal["title", "heading", "para", "table", "signature", "space"]


class Meta(TypedDict):
    """What the title and the signature say (the truth file's `meta`)."""

    agency: str | None
    year: int | None
    publish_date: str | None  # YYYY-MM-DD; None when the report is not signed


# ---- text runs, blocks ---------------------------------------------------------------------
@dataclass(frozen=True)
class Run:
    """A piece of text in one font; `tag` names the truth path (or heading) it prints."""

    text: str
    font: Font = "song"
    tag: str | None = None


@dataclass
class Cell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    font: Font = "song"
    size: float = 9.0
    align: Literal["c", "l"] = "c"  # centred | left
    shade: bool = False
    vertical: bool = False
    tag: str | None = None


@dataclass
class Grid:
    """A ruled table: merged cells as (row, col, rowspan, colspan), header rows, page policy."""

    kind: str
    col_widths: list[float]
    n_rows: int
    header_rows: int
    cells: list[Cell] = field(default_factory=list)
    keep_with_next: set[int] = field(default_factory=set)
    repeat_header: bool = False
    keep_together: bool = False


@dataclass
class Block:
    kind: BlockKind
    runs: list[Run] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    grid: Grid | None = None


# ---- the report as data ----------------------------------------------------------------------
@dataclass
class Report:
    spec: Spec
    meta: Meta
    values: dict[str, Value]  # printed values by contract path
    printed: dict[str, str]  # cell text as printed, by path
    items_raw: dict[str, str]
    prose_figures: dict[str, int]
    notes: list[str]
    blocks: list[Block] = field(default_factory=list)
    sections: list[int] = field(default_factory=list)
