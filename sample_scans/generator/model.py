"""The report as data: text runs, ruled-table grids, typeset blocks and the report itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sample_scans.generator.specs import Spec


# ---- text runs, blocks ---------------------------------------------------------------------
@dataclass(frozen=True)
class Run:
    """A piece of text in one font; `tag` names the truth path (or heading) it prints."""

    text: str
    font: str = "song"
    tag: str | None = None


@dataclass
class Cell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    font: str = "song"
    size: float = 9.0
    align: str = "c"  # c | l
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
    kind: str  # title | heading | para | table | signature | space
    runs: list[Run] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    grid: Grid | None = None


# ---- the report as data ----------------------------------------------------------------------
@dataclass
class Report:
    spec: Spec
    meta: dict[str, Any]
    values: dict[str, Any]  # printed values by contract path (None: missing or "/")
    printed: dict[str, str]  # cell text as printed, by path
    items_raw: dict[str, str]
    prose_figures: dict[str, int]
    notes: list[str]
    blocks: list[Block] = field(default_factory=list)
    sections: list[int] = field(default_factory=list)
