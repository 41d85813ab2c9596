"""Template-constrained decoding of a statutory table from a stream of labels and values.

Poor extractions tear a table apart: labels on lines of their own, the vertical group label cut
into pieces between rows, rows of numbers with no label, one cell per line, blank cells dropped.
What survives is the ORDER: the values still come row by row, column by column, in the
template's order. The decoder finds the assignment of the values to the template's cells that
best agrees with the label evidence and with the 勾稽 relations:

1. Segmentation (dynamic programming over values x template rows): each template row takes the
   next k values (all its columns, or, where blanks were dropped, 2..k-1 applicants and its
   total), or is skipped; a value may be dropped as noise. A row whose total equals the sum of
   its other values scores; a label in the gap before a row that names it scores, one that
   names another row costs. The two best segmentations are kept: their difference is the
   decoding's margin.
2. Columns of partial rows (a beam over the few rows that lost blanks): which applicant columns
   the printed values are in, chosen by the column relations (一+二 = 七+四 per column, 七 = the
   sum of the leaf rows); ties go to the left-most columns (blank cells are the right-hand
   organisations far more often than 自然人). Such a row is always marked ambiguous (sent to
   review) unless its values are all zero: the relations bound column sums only.
3. Every relation of the template is evaluated on the result: held, failed, not assessable.

The weights are configs `decoder:`. Pure functions and small data classes: no stage state; the
table_fields stage decides when a decoding replaces the reading of the table's own structure.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from .cells import read_cell
from .datamodel.document import CellObs, TableRow
from .datamodel.record import Semantic
from .settings import DecoderSettings
from .template.loader import Binding

_VALUE_SEMANTICS = {Semantic.number, Semantic.zero, Semantic.blank, Semantic.not_applicable}


@dataclass(frozen=True)
class Token:
    """One piece of a table region in reading order: a label text or a value cell."""

    label: str | None  # label text (None for a value)
    cell: CellObs | None  # value cell (None for a label)
    number: float = 0.0  # a value's number (blank and "/" count 0 in the relations)

    @property
    def is_value(self) -> bool:
        return self.cell is not None


def table_tokens(rows: list[TableRow]) -> list[Token]:
    """A table's rows as one stream: each row's label cells, then its value cells."""
    out: list[Token] = []
    for row in rows:
        out += [Token(label=text, cell=None) for text in row.label_cells if text.strip()]
        for cell in row.cells:
            value, semantic = read_cell(cell.raw)
            if semantic not in _VALUE_SEMANTICS:
                out.append(Token(label=cell.raw, cell=None))  # text in a value position
                continue
            number = float(value) if isinstance(value, int | float) else 0.0
            out.append(Token(label=None, cell=cell, number=number))
    return out


@dataclass(frozen=True)
class RowShape:
    """One template row: its key, labels and columns in order (a row with a single unnamed
    value has one column ""), and whether its last column is the total of the others."""

    key: str
    labels: list[str]
    columns: list[str]
    total: bool


@dataclass(frozen=True)
class GridSpec:
    """A template table as the decoder sees it: its rows in order and the equations over its
    paths."""

    prefix: str  # "applications"
    rows: list[RowShape]
    relations: list[Binding]

    def path(self, row: int, col: int) -> str:
        shape = self.rows[row]
        column = shape.columns[col]
        return f"{self.prefix}.{shape.key}.{column}" if column else f"{self.prefix}.{shape.key}"

    def width(self, row: int) -> int:
        return len(self.rows[row].columns)


@dataclass
class Segment:
    """The values one template row took."""

    row: int
    values: list[Token]
    columns: list[int]  # column index of each value
    label: float = 0.0  # 0..100: how well a label in front of the row named it (0: none)
    ambiguous: bool = False  # another choice of columns satisfies the relations as well


@dataclass
class Decoding:
    segments: list[Segment]
    score: float
    runner_up: float | None  # score of the best segmentation that differs
    dropped: list[Token] = field(default_factory=list)
    rival: list[Segment] = field(default_factory=list)  # that segmentation
    held: int = 0  # relations that hold on the decoded values
    failed: int = 0
    assessable: int = 0

    @property
    def margin(self) -> float:
        return math.inf if self.runner_up is None else self.score - self.runner_up

    def cells(self, spec: GridSpec, rival: bool = False) -> dict[str, Token | None]:
        """path -> its value token (None: a blank the source dropped) for every decoded row
        (of the runner-up segmentation with `rival`)."""
        out: dict[str, Token | None] = {}
        for seg in self.rival if rival else self.segments:
            by_col = dict(zip(seg.columns, seg.values, strict=True))
            for col in range(spec.width(seg.row)):
                out[spec.path(seg.row, col)] = by_col.get(col)
        return out


# ---- 1. segmentation --------------------------------------------------------------------------

_Back = tuple[int, int, str, int] | None  # (prev i, prev j, move, k)


class Decoder:
    def __init__(
        self,
        spec: GridSpec,
        settings: DecoderSettings,
        label_score: Callable[[str, int], float],
    ) -> None:
        """`label_score(text, row)`: 0..100, how well a label text names template row `row`."""
        self.spec = spec
        self.s = settings
        self.label_score = label_score

    def decode(self, tokens: list[Token], partial: bool) -> Decoding | None:
        """The best decoding of `tokens`, or None when there are no values. `partial`: the
        source may have dropped blank cells (text without separators), so a row may print
        fewer values than it has columns."""
        values = [k for k, t in enumerate(tokens) if t.is_value]
        if not values:
            return None
        anchors = self._anchors(tokens, values)
        decoding = self._segment(tokens, values, anchors, partial=False)
        if decoding is None:
            return None
        self._relations(decoding)
        unchecked = not all(shape.total for shape in self.spec.rows)
        if partial and (decoding.failed or decoding.dropped or unchecked):
            # rows that print every column do not explain the values (or nothing adds up to
            # tell): try rows that dropped their blank cells (a larger search, only then)
            wider = self._segment(tokens, values, anchors, partial=True)
            if wider is not None:
                self._columns(wider)
                self._relations(wider)
                rank = (wider.failed, len(wider.dropped), -wider.score)
                if rank < (decoding.failed, len(decoding.dropped), -decoding.score):
                    decoding = wider
        return decoding

    def _anchors(self, tokens: list[Token], values: list[int]) -> list[list[tuple[int, float]]]:
        """For each value i: the (row, score) of the labels between value i-1 and value i."""
        n_rows = len(self.spec.rows)
        named: dict[str, tuple[int, float]] = {}  # label text -> the row it names best
        out: list[list[tuple[int, float]]] = []
        prev = -1
        for pos in values:
            found: list[tuple[int, float]] = []
            for tok in tokens[prev + 1 : pos]:
                if tok.label is None:
                    continue
                if tok.label not in named:
                    scores = [self.label_score(tok.label, r) for r in range(n_rows)]
                    best = max(range(n_rows), key=lambda r: scores[r])
                    named[tok.label] = (best, scores[best])
                row, score = named[tok.label]
                if score >= self.s.min_label_score:
                    found.append((row, score))
            out.append(found)
            prev = pos
        return out

    def _label_gain(self, anchors: list[tuple[int, float]], row: int) -> float:
        """A label in front of the row that names it scores; labels that name others cost."""
        if not anchors:
            return 0.0
        named = [sc for r, sc in anchors if r == row]
        return self.s.label * max(named) / 100 if named else self.s.other_label

    def _segment(
        self,
        tokens: list[Token],
        values: list[int],
        anchors: list[list[tuple[int, float]]],
        partial: bool,
    ) -> Decoding | None:
        """Two-best dynamic programme over (values consumed, template rows done)."""
        s = self.s
        spec = self.spec
        n_vals, n_rows = len(values), len(spec.rows)
        nums = [tokens[v].number for v in values]
        prefix = [0.0, *itertools.accumulate(nums)]

        # each row's sizes: all its columns, or (text that dropped blanks) 2..all-1 values of a
        # row whose last column is its total
        def row_sizes(j: int) -> list[int]:
            width, total = spec.width(j), spec.rows[j].total
            if not partial:
                return [width]
            least = 2 if total else 1  # a total and at least one value it adds up
            return [width, *range(width - 1, least - 1, -1)]

        sizes = [row_sizes(j) for j in range(n_rows)]

        def gain(i: int, k: int, j: int) -> float | None:
            if i + k > n_vals:
                return None
            if not spec.rows[j].total:  # nothing to add up: the order and labels decide
                return s.unchecked_row if k == spec.width(j) else s.partial_unchecked
            rest = prefix[i + k - 1] - prefix[i]
            adds_up = abs(nums[i + k - 1] - rest) < 1e-6
            full = s.full_row if k == spec.width(j) else s.partial_row
            return full if adds_up else s.row_sum_fails

        labels = [[self._label_gain(anchors[i], j) for j in range(n_rows)] for i in range(n_vals)]
        takes = [
            [
                [(k, g, f"take{k}") for k in sizes[j] if (g := gain(i, k, j)) is not None]
                for j in range(n_rows)
            ]
            for i in range(n_vals)
        ]
        # best[i][j]: the two best (score, back) entries, best first
        best: list[list[list[tuple[float, _Back]]]] = [
            [[] for _ in range(n_rows + 1)] for _ in range(n_vals + 1)
        ]
        best[0][0] = [(0.0, None)]

        def push(cell: list[tuple[float, _Back]], score: float, back: _Back) -> None:
            if len(cell) < 2:
                cell.append((score, back))
                if len(cell) == 2 and score > cell[0][0]:
                    cell.reverse()
            elif score > cell[1][0]:
                if score > cell[0][0]:
                    cell[1] = cell[0]
                    cell[0] = (score, back)
                else:
                    cell[1] = (score, back)

        drop, skip_row = s.drop_value, s.skip_row
        for i in range(n_vals + 1):
            row = best[i]
            last = i == n_vals
            skip = 0.0 if last else skip_row  # the tail of a cut table is free
            nxt = best[i + 1] if not last else None
            options = takes[i] if not last else []
            lab_i = labels[i] if not last else None
            for j in range(n_rows + 1):
                entries = row[j]
                if not entries:
                    continue
                more = j < n_rows
                for rank, (score, _) in enumerate(entries):
                    if nxt is not None:  # a value that belongs to no row (page number, noise)
                        push(nxt[j], score + drop, (i, j, "drop", rank))
                    if more:
                        push(row[j + 1], score + skip, (i, j, "skip", rank))
                        if lab_i is not None:
                            base = score + lab_i[j]
                            for k, g, move in options[j]:
                                push(best[i + k][j + 1], base + g, (i, j, move, rank))
        ends = sorted(
            ((e[0], j, r) for j in range(n_rows + 1) for r, e in enumerate(best[n_vals][j])),
            key=lambda e: -e[0],
        )
        if not ends:
            return None
        score, j_end, rank = ends[0]
        segments, dropped = self._trace(tokens, values, anchors, best, n_vals, j_end, rank)
        runner, rival = None, []
        for other, j, r in ends[1:]:
            alternative = self._trace(tokens, values, anchors, best, n_vals, j, r)[0]
            if alternative != segments:
                runner, rival = other, alternative
                break
        return Decoding(
            segments=segments, score=score, runner_up=runner, dropped=dropped, rival=rival
        )

    def _trace(
        self,
        tokens: list[Token],
        values: list[int],
        anchors: list[list[tuple[int, float]]],
        best: list[list[list[tuple[float, _Back]]]],
        i: int,
        j: int,
        rank: int,
    ) -> tuple[list[Segment], list[Token]]:
        segments: list[Segment] = []
        dropped: list[Token] = []
        back = best[i][j][rank][1]
        while back is not None:
            pi, pj, move, prank = back
            if move == "drop":
                dropped.append(tokens[values[pi]])
            elif move.startswith("take"):
                vals = [tokens[values[x]] for x in range(pi, i)]
                label = max((sc for r, sc in anchors[pi] if r == pj), default=0.0)
                width = self.spec.width(pj)
                if self.spec.rows[pj].total:
                    cols = [*range(len(vals) - 1), width - 1]
                else:
                    cols = list(range(len(vals)))
                segments.append(Segment(row=pj, values=vals, columns=cols, label=label))
            i, j, rank = pi, pj, prank
            back = best[i][j][rank][1]
        segments.reverse()
        dropped.reverse()
        return segments, dropped

    # ---- 2. columns of rows that dropped blanks ----------------------------------------------
    def _columns(self, decoding: Decoding) -> None:
        partial = [seg for seg in decoding.segments if len(seg.values) < self.spec.width(seg.row)]
        if not partial:
            return
        beam: list[tuple[list[list[int]], int]] = [([], 0)]  # (choices so far, prior cost)
        for seg in partial:
            last = self.spec.width(seg.row) - 1
            if self.spec.rows[seg.row].total:  # the last value is the total
                options = [
                    [*combo, last]
                    for combo in itertools.combinations(range(last), len(seg.values) - 1)
                ]
            else:
                options = [
                    list(c) for c in itertools.combinations(range(last + 1), len(seg.values))
                ]
            # prior: the left-most columns (blank cells are the later ones far more often)
            beam = [([*choice, opt], cost + sum(opt)) for choice, cost in beam for opt in options]
            beam.sort(key=lambda b: b[1])
            del beam[self.s.beam :]
        ranked = []
        for choice, cost in beam:
            for seg, cols in zip(partial, choice, strict=True):
                seg.columns = cols
            held, failed, _ = self._evaluate(decoding)
            ranked.append((failed - held, cost, choice))
        ranked.sort(key=lambda r: (r[0], r[1]))
        top = ranked[0]
        for seg, cols in zip(partial, top[2], strict=True):
            seg.columns = cols
        # Which organisations a row's printed values belong to is not printed: the relations
        # only bound column sums, and two rows swapping the same pair of columns keep every sum.
        # So a row that dropped blanks is ambiguous unless its values are all zero (they read
        # the same wherever they sit).
        for seg in partial:
            seg.ambiguous = any(tok.number for tok in seg.values)

    # ---- 3. relations --------------------------------------------------------------------------
    def _evaluate(self, decoding: Decoding) -> tuple[int, int, int]:
        cells = decoding.cells(self.spec)
        values = {p: (t.number if t is not None else 0.0) for p, t in cells.items()}
        held = failed = assessable = 0
        for b in self.spec.relations:
            paths = b.lhs + b.rhs
            if not all(p in values for p in paths):
                continue
            assessable += 1
            left = sum(values[p] for p in b.lhs)
            right = sum(values[p] for p in b.rhs)
            if math.isclose(left, right, abs_tol=1e-6):
                held += 1
            else:
                failed += 1
        return held, failed, assessable

    def _relations(self, decoding: Decoding) -> None:
        decoding.held, decoding.failed, decoding.assessable = self._evaluate(decoding)

    def doubtful(self, decoding: Decoding) -> set[str]:
        """Paths whose value is not settled: a row whose columns another choice fits as well,
        or, when the next-best segmentation scores within `min_margin`, every path it reads
        differently (rows of zeros placed one row apart read the same)."""
        out = {
            self.spec.path(seg.row, c)
            for seg in decoding.segments
            if seg.ambiguous
            for c in range(self.spec.width(seg.row))
        }
        if decoding.margin < self.s.min_margin:
            mine, theirs = decoding.cells(self.spec), decoding.cells(self.spec, rival=True)
            for path in mine.keys() | theirs.keys():
                if _number(mine, path) != _number(theirs, path):
                    out.add(path)
        return out


def _number(cells: dict[str, Token | None], path: str) -> float | None:
    """The value a decoding gives `path`: its token's, 0 for a dropped blank, None if absent."""
    if path not in cells:
        return None
    token = cells[path]
    return token.number if token is not None else 0.0


__all__ = ["Decoder", "Decoding", "GridSpec", "RowShape", "Segment", "Token", "table_tokens"]
