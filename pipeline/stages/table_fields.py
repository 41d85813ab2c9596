"""table_fields: map rebuilt tables onto the template's keys and make one Field per cell.

- Format (2019/2021) is read from the table itself: table 二's column headers, table 三's rows.
  A 2019 table 二 fills `active_disclosure.v2019`; only cells with a true 2021 counterpart
  (tables.yaml `maps_to_2021`) are copied to 2021 keys, the others stay `missing`.
- Rows are aligned to the template's rows by label (fuzzy, enumerators compared apart) with a
  monotone alignment: template order is fixed, so a weak label can only land between its
  neighbours.
- Columns: a row with exactly as many cells as the template has columns is certain. A row
  with more or fewer, or whose first cells are blank separators, is placed as best it can be and
  marked `position_uncertain` (record reason `ambiguous_columns`): its values are not presented
  as certain.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz

from ..align import monotone_alignment
from ..cells import confusable, read_cell
from ..datamodel.base import BBox, Feature, Method
from ..datamodel.document import (
    CellObs,
    ReportDoc,
    Slot,
    Table,
    TableFormat,
    TableReading,
    TableRow,
)
from ..datamodel.record import ReportField, Semantic, TemplateInfo
from ..decode import Decoder, Decoding, GridSpec, RowShape, Token, table_tokens
from ..settings import DecoderSettings, Settings, TableSettings
from ..template import RowSpec, Template
from ..template.loader import Format
from ..textnorm import match_key, split_enumerator
from .base import Stage

METHOD = {
    "html": Method.table_html,
    "flattened_text": Method.table_flattened_text,
    "text_layer": Method.table_text_layer,
    "ocr": Method.table_ocr_lines,
    "grid_text_layer": Method.table_grid_text_layer,
    "grid_ocr": Method.table_grid_ocr,
}
GRID_SOURCES = ("html", "grid_text_layer", "grid_ocr")
# (relations held - 2 x failed, cells with a value, relations failed): a reading with more
# evidence, then more cells, is the better one
Quality = tuple[int, int, int]


class Match(NamedTuple):
    row: int  # index of the observed row
    spec: int  # index of the template row
    score: float  # 0-100 label score
    ambiguous: bool  # another template row fits the label about as well


@dataclass
class _Fit:
    cells: list[CellObs | None]  # None: no cell at this position in the source
    certain: bool


def fit_columns(row: TableRow, n: int, grid: bool) -> _Fit:
    """Place a row's cells into n columns (see the module docstring for the rules)."""
    cells: list[CellObs | None] = list(row.cells)
    lead = 0
    while lead < len(cells) and not (cells[lead] and cells[lead].raw):  # type: ignore[union-attr]
        lead += 1
    certain = True
    if len(cells) > n:
        drop = min(lead, len(cells) - n)  # blank separators left of the data are stub residue
        cells, lead = cells[drop:], lead - drop
        if len(cells) > n:
            cells, certain = cells[-n:], False
    elif len(cells) < n:
        certain = False
        if row.trailing_blanks >= n - len(cells):
            cells = cells + [CellObs(raw="") for _ in range(n - len(cells))]
        else:
            pad: list[CellObs | None] = [None] * (n - len(cells))
            cells = pad + cells
    if lead and not grid and any(c and c.raw for c in cells):
        certain = False  # leading blanks kept as positions: were they cells or stub residue?
    return _Fit(cells=cells, certain=certain)


def column_anchors(
    header_cells: list[CellObs],
    sequence: list[list[str]],
    min_score: float,
    label_score: LabelScorer,
) -> list[float] | None:
    """x-centres of the expected columns, from the header cells that name them.

    `sequence` lists each column's labels left to right (table 四 repeats 结果维持 … three
    times). Header cells that are (part of) a column label are stacked when they sit above one
    another (a label wrapped over lines, or printed one character per line), and the stacks are
    aligned to the sequence in order. None unless every column is found.
    """
    keys = [[match_key(x) for x in labels] for labels in sequence]
    allowed = {k for labels in keys for k in labels}

    def is_part(text: str) -> bool:
        slack = label_score.s.anchor_label_slack
        return any(
            text in lab or (lab in text and len(text) <= len(lab) + slack) for lab in allowed
        )

    boxed = [(c, c.bbox) for c in header_cells if c.bbox and c.raw and is_part(match_key(c.raw))]
    stacks: list[list[tuple[CellObs, BBox]]] = []
    for cell, box in sorted(boxed, key=lambda cb: cb[1].cx):
        for stack in stacks:
            top = stack[-1][1]
            overlap = min(top.x1, box.x1) - max(top.x0, box.x0)
            if overlap > 0.5 * min(top.width, box.width):
                stack.append((cell, box))
                break
        else:
            stacks.append([(cell, box)])
    texts = ["".join(c.raw for c, b in sorted(st, key=lambda cb: cb[1][1])) for st in stacks]
    centres = [statistics.mean(b.cx for _, b in st) for st in stacks]
    # monotone alignment of the stacks (left to right) to the expected columns
    n = len(keys)
    score = [[max(label_score(match_key(s), k) for k in ks) for ks in keys] for s in texts]
    found = {j: centres[i] for i, j in monotone_alignment(score, min_score)}
    if len(found) != n:
        return None
    anchors = [found[k] for k in range(n)]
    return anchors if all(a < b for a, b in itertools.pairwise(anchors)) else None


def place_by_anchor(row: TableRow, anchors: list[float], tolerance: float) -> _Fit | None:
    """Put each value cell under the column whose header it sits beneath; an empty column is a
    blank cell (the source printed nothing there). None when a value cell has no box."""
    values = [(c, c.bbox) for c in row.cells if c.raw and c.bbox is not None]
    if not values or len(values) != sum(1 for c in row.cells if c.raw):
        return None
    spacing = min(b - a for a, b in itertools.pairwise(anchors)) if len(anchors) > 1 else 1e9
    slots: list[CellObs | None] = [None] * len(anchors)
    certain = True
    for cell, box in values:
        x = box.cx
        k = min(range(len(anchors)), key=lambda i: abs(anchors[i] - x))
        if abs(anchors[k] - x) > tolerance * spacing or slots[k] is not None:
            certain = False  # a value between columns, or two values under one header
            continue
        slots[k] = cell
    first, box = values[0]
    half = spacing / 4 if len(anchors) > 1 else box.width
    cells: list[CellObs | None] = [
        c
        if c is not None
        else CellObs(raw="", line_id=first.line_id, bbox=(a - half, box.y0, a + half, box.y1))
        for c, a in zip(slots, anchors, strict=True)
    ]
    return _Fit(cells=cells, certain=certain)


@lru_cache(maxsize=1 << 16)
def _split(key: str) -> tuple[str | None, str]:
    return split_enumerator(key)


@lru_cache(maxsize=1 << 16)
def _key(text: str) -> str:
    return match_key(text)


class LabelScorer:
    """0-100: body similarity of two match keys, enumerators (1. / （三）) compared apart.

    A label longer than the template's may hold it with extra words (a group stub glued to it):
    then the best partial match counts, scaled by `label_partial_weight`, for template labels
    of at least `label_partial_min_chars`; different enumerators cost
    `label_enumerator_penalty`. Cached: the same labels recur in every report and in both
    format alignments."""

    def __init__(self, settings: TableSettings) -> None:
        self.s = settings
        self.score = lru_cache(maxsize=1 << 16)(self._score)

    def __call__(self, observed: str, spec: str) -> float:
        return self.score(observed, spec)

    def _score(self, observed: str, spec: str) -> float:
        s = self.s
        tok_o, body_o = _split(observed)
        tok_s, body_s = _split(spec)
        score = fuzz.ratio(body_o, body_s)
        if len(body_s) >= s.label_partial_min_chars and len(body_o) > len(body_s):
            score = max(score, s.label_partial_weight * fuzz.partial_ratio(body_s, body_o))
        if tok_o and tok_s and tok_o != tok_s:
            score -= s.label_enumerator_penalty
        return float(score)


class TableFieldsOptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    tables: TableSettings
    decoder: DecoderSettings


class TableFields(Stage[TableFieldsOptions]):
    name = "table_fields"
    reads = frozenset({Slot.tables, Slot.lines, Slot.line_text, Slot.sections})
    writes = frozenset({Slot.table_fields})

    def __init__(self, options: TableFieldsOptions, template: Template) -> None:
        super().__init__(options)
        self.settings = options.tables
        self.label_score = LabelScorer(options.tables)
        self._specs: dict[tuple[str, Format], GridSpec] = {}
        self.decoder = options.decoder
        self.template = template
        self.t = template.tables
        self.group_keys = [match_key(lab) for g in self.t.applications.groups for lab in g.labels]
        self.spec_keys: dict[str, list[str]] = {}
        self.paths_2021: dict[str, list[str]] = {}  # each table's record paths, 2021 keys
        for path in template.table_field_paths():
            if ".v2019." not in path:
                self.paths_2021.setdefault(path.split(".")[0], []).append(path)

    @classmethod
    def options_from(cls, settings: Settings) -> TableFieldsOptions:
        return TableFieldsOptions(tables=settings.tables, decoder=settings.decoder)

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        by_kind: dict[str, Table] = {}
        for table in doc.tables:
            if table.kind != "unknown" and table.kind not in by_kind:
                by_kind[table.kind] = table
        formats: list[tuple[Format, float]] = []
        if "active_disclosure" in by_kind:
            formats.append(self._active_disclosure(doc, by_kind["active_disclosure"]))
        if "applications" in by_kind:
            formats.append(self._applications(doc, by_kind["applications"]))
        if "review_litigation" in by_kind:
            self._review_litigation(doc, by_kind["review_litigation"])
        self._flag_unread_tables(doc, set(by_kind))
        if formats:
            version, conf = formats[0]
            agree = all(f == version for f, _ in formats)
            doc.template = TemplateInfo(version=version, confidence=conf if agree else conf * 0.6)
        return doc

    # ---- shared ------------------------------------------------------------------------------
    def _candidates(self, row: TableRow) -> set[str]:
        """Match keys a row's label is compared by: the whole label, the label without the
        group stubs (（三）不予公开 ...), and the innermost stub cell."""
        full = match_key(row.label)
        stripped = full
        for g in self.group_keys:
            stripped = stripped.replace(g, "")
        candidates = {c for c in (full, stripped) if c}
        if row.label_cells:
            candidates.add(match_key(row.label_cells[-1]))
        return candidates

    def _row_label_score(self, candidates: set[str], spec: RowSpec) -> float:
        spec_keys = self.spec_keys.get(spec.key + "|".join(spec.labels))
        if spec_keys is None:
            spec_keys = [match_key(x) for x in spec.labels]
            self.spec_keys[spec.key + "|".join(spec.labels)] = spec_keys
        return max((self.label_score(c, lab) for c in candidates for lab in spec_keys), default=0.0)

    def _align(self, rows: list[TableRow], specs: list[RowSpec]) -> list[Match]:
        """Monotone alignment of observed rows to template rows maximising the label score.

        A match is ambiguous when the row's label fits another template row within
        `ambiguity_margin` (e.g. two labels glued into one row by a misread line)."""
        floor = self.settings.min_label_score
        cands = [self._candidates(r) for r in rows]
        score = [[self._row_label_score(c, s) for s in specs] for c in cands]
        pairs: list[Match] = []
        for i, j in monotone_alignment(score, floor):
            take = score[i][j]
            rivals = [
                score[i][k] for k in range(len(specs)) if k != j and specs[k].key != specs[j].key
            ]
            ambiguous = max(rivals, default=0.0) >= max(
                floor, take - self.settings.ambiguity_margin
            )
            pairs.append(Match(i, j, take, ambiguous))
        return pairs

    def _emit(
        self,
        doc: ReportDoc,
        table: Table,
        row: TableRow,
        paths: list[str],
        row_score: float,
        anchors: list[float] | None = None,
        ambiguous: bool = False,
        out: dict[str, ReportField] | None = None,
    ) -> None:
        """The row's cells as fields of `paths` (into `out`, by default the document's)."""
        out = doc.fields if out is None else out
        grid = table.source in GRID_SOURCES
        if grid:
            anchors = None  # the rules fix the columns
        fit = place_by_anchor(row, anchors, self.settings.anchor_tolerance) if anchors else None
        if fit is None:
            fit = fit_columns(row, len(paths), grid)
        evidence_line = row.line_ids[-1] if row.line_ids else None
        if grid:
            row_text = " | ".join([row.label, *(c.raw for c in row.cells)])
        else:
            row_text = doc.line(evidence_line).text if evidence_line else row.label
        for path, cell in zip(paths, fit.cells, strict=True):
            features = {
                Feature.label_score: row_score / 100,
                Feature.position_uncertain: float(not fit.certain),
                Feature.label_ambiguous: float(ambiguous),
            }
            if cell is None:
                out[path] = ReportField(
                    method=METHOD[table.source],
                    evidence=doc.evidence(evidence_line, row_text),
                    features=features,
                )
                continue
            out[path] = self._cell_field(doc, table, cell, evidence_line, row_text, features)

    @staticmethod
    def _cell_field(
        doc: ReportDoc,
        table: Table,
        cell: CellObs,
        evidence_line: int | None,
        row_text: str,
        features: dict[Feature, float],
    ) -> ReportField:
        """One read cell as a field: its value and what the reading says about it."""
        value, semantic = read_cell(cell.raw)
        features.update({Feature(k): v for k, v in cell.grid.items()})
        if table.source in ("ocr", "grid_ocr"):
            # OCR evidence: how sure the engine was, and whether "blank" may be a missed digit
            features[Feature.ocr_confidence] = (
                cell.confidence if cell.confidence is not None else 1.0
            )
            features[Feature.ocr_blank] = float(semantic == Semantic.blank)
        if confusable(cell.raw):
            features[Feature.ocr_confusable] = 1.0
        if semantic == Semantic.text:
            features[Feature.not_a_number] = 1.0  # every template cell is a count or amount
        return ReportField(
            value=value,
            raw=cell.raw,
            semantic=semantic,
            method=METHOD[table.source],
            evidence=doc.evidence(cell.line_id or evidence_line, row_text, cell.bbox),
            features=features,
        )

    def _flag_unread_tables(self, doc: ReportDoc, read: set[str]) -> None:
        """A section that holds a statutory table was found but its table was not read: its
        values are unknown, not absent, so they go to review. (A report without the section at
        all, e.g. no 复议/诉讼 part, is not flagged.)"""
        found = {s.key for s in doc.sections if s.heading is not None}
        for kind in ("active_disclosure", "applications", "review_litigation"):
            if kind in read or kind not in found:
                continue
            for path in self.paths_2021[kind]:
                doc.fields.setdefault(path, ReportField(features={Feature.table_not_found: 1.0}))

    def _mark_rows_not_found(self, doc: ReportDoc, paths: list[str]) -> None:
        for path in paths:
            if path not in doc.fields:
                doc.fields[path] = ReportField(features={Feature.row_not_found: 1.0})

    # ---- table 二 -------------------------------------------------------------------------------
    def _active_disclosure(self, doc: ReportDoc, table: Table) -> tuple[Format, float]:
        spec = self.t.active_disclosure
        header = match_key(table.header_text + "".join(r.label for r in table.rows))
        hits = {
            f: sum(1 for w in s.detect if match_key(w) in header) for f, s in spec.formats.items()
        }
        data_rows = [r for r in table.rows if r.cells]
        if hits["2019"] != hits["2021"]:
            fmt: Format = max(hits, key=lambda f: hits[f])
        else:  # no header: the format whose rows align best
            totals = {
                f: sum(m.score for m in self._align(data_rows, spec.formats[f].rows))
                for f in spec.formats
            }
            fmt = "2019" if totals["2019"] > totals["2021"] else "2021"
        total_hits = hits["2019"] + hits["2021"]
        conf = hits[fmt] / total_hits if total_hits else 0.5
        reading = self._reading(doc, table, fmt)
        layout = spec.formats[fmt]
        prefix = (
            f"active_disclosure.{layout.record_block}"
            if layout.record_block
            else "active_disclosure"
        )
        pairs = self._align(data_rows, layout.rows)
        all_paths: list[str] = []
        for rs in layout.rows:
            all_paths += (
                [f"{prefix}.{rs.key}.{c}" for c in rs.columns]
                if rs.columns
                else [f"{prefix}.{rs.key}"]
            )
        regular: dict[str, ReportField] = {}
        for oi, si, score, ambiguous in pairs:
            rs = layout.rows[si]
            paths = (
                [f"{prefix}.{rs.key}.{c}" for c in rs.columns]
                if rs.columns
                else [f"{prefix}.{rs.key}"]
            )
            self._emit(doc, table, data_rows[oi], paths, score, ambiguous=ambiguous, out=regular)
        doc.fields.update(self._better(doc, table, "active_disclosure", fmt, regular, reading))
        self._mark_rows_not_found(doc, all_paths)
        for src, dst in layout.maps_to_2021.items():
            doc.fields[f"active_disclosure.{dst}"] = doc.fields[f"{prefix}.{src}"].model_copy(
                deep=True
            )
        self._report(reading, data_rows, pairs, len(layout.rows))
        return fmt, conf

    # ---- table 三 -------------------------------------------------------------------------------
    def _applications(self, doc: ReportDoc, table: Table) -> tuple[Format, float]:
        spec = self.t.applications
        data_rows = [r for r in table.rows if r.cells]
        aligned = {f: self._align(data_rows, spec.rows_for(f)) for f in ("2021", "2019")}
        totals = {f: sum(m.score for m in p) for f, p in aligned.items()}
        fmt: Format = "2019" if totals["2019"] > totals["2021"] else "2021"
        reading = self._reading(doc, table, fmt)
        rows = spec.rows_for(fmt)
        cols = [c.key for c in spec.columns]
        anchors = column_anchors(
            table.header_cells,
            [c.labels for c in spec.columns],
            self.settings.anchor_min_score,
            self.label_score,
        )
        if table.header_cells and anchors is None:
            reading.notes.append("column headers not all found: columns placed by count")
        regular: dict[str, ReportField] = {}
        for oi, si, score, ambiguous in aligned[fmt]:
            paths = [f"applications.{rows[si].key}.{c}" for c in cols]
            self._emit(doc, table, data_rows[oi], paths, score, anchors, ambiguous, regular)
        self._report(reading, data_rows, aligned[fmt], len(rows))
        # a row only this format has (逾期不补正 in 2021), named by its label: the labels settle
        # the format, and the decoder may not read the table in the other one
        other: Format = "2019" if fmt == "2021" else "2021"
        settled = any(
            m.score >= self.settings.min_label_score
            and not m.ambiguous
            and other not in (rows[m.spec].formats or [other])
            for m in aligned[fmt]
        )
        doc.fields.update(self._better(doc, table, "applications", fmt, regular, reading, settled))
        fmt = reading.format if reading.format != "unknown" else fmt
        rows = spec.rows_for(fmt)
        self._mark_rows_not_found(doc, [f"applications.{r.key}.{c}" for r in rows for c in cols])
        margin = abs(totals["2021"] - totals["2019"]) / max(totals["2021"], totals["2019"], 1)
        return fmt, min(1.0, 0.5 + 10 * margin)

    # ---- table 四 -------------------------------------------------------------------------------
    def _review_litigation(self, doc: ReportDoc, table: Table) -> None:
        spec = self.t.review_litigation
        paths = [f"review_litigation.{g.key}.{c.key}" for g in spec.groups for c in spec.columns]
        data_rows = [r for r in table.rows if r.cells]
        if any(any(c.raw for c in r.cells) for r in data_rows):
            # a row of empty cells between rows with values is a spacer, not data
            data_rows = [r for r in data_rows if r.label_cells or any(c.raw for c in r.cells)]
        if not data_rows:
            return
        merged = TableRow(
            label_cells=[lab for r in data_rows for lab in r.label_cells],
            cells=[c for r in data_rows for c in r.cells],
            line_ids=[i for r in data_rows for i in r.line_ids],
            trailing_blanks=data_rows[-1].trailing_blanks,
        )
        header = match_key(table.header_text)
        group_hits = sum(1 for g in spec.groups for lab in g.labels if match_key(lab) in header)
        row_score = 100.0 if group_hits == len(spec.groups) else 80.0
        sequence = [c.labels for _ in spec.groups for c in spec.columns]
        anchors = column_anchors(
            table.header_cells, sequence, self.settings.anchor_min_score, self.label_score
        )
        regular: dict[str, ReportField] = {}
        self._emit(doc, table, merged, paths, row_score, anchors, out=regular)
        reading = self._reading(doc, table, "unknown")
        reading.confidence = row_score / 100
        doc.fields.update(self._better(doc, table, "review_litigation", "2021", regular, reading))
        if len(merged.cells) != len(paths):
            reading.notes.append(f"{len(merged.cells)} cells for {len(paths)} columns")

    # ---- the template-constrained decoder ------------------------------------------------------
    def _grid_spec(self, kind: str, fmt: Format) -> GridSpec:
        if (kind, fmt) not in self._specs:
            self._specs[kind, fmt] = self._make_grid_spec(kind, fmt)
        return self._specs[kind, fmt]

    def _make_grid_spec(self, kind: str, fmt: Format) -> GridSpec:
        prefix = kind
        if kind == "applications":
            apps = self.t.applications
            columns = [c.key for c in apps.columns]
            rows = [RowShape(r.key, r.labels, columns, True) for r in apps.rows_for(fmt)]
        elif kind == "review_litigation":
            rl = self.t.review_litigation
            columns = [c.key for c in rl.columns]
            rows = [RowShape(g.key, g.labels, columns, True) for g in rl.groups]
        else:  # table 二: rows of three document counts or one figure, nothing adds up
            layout = self.t.active_disclosure.formats[fmt]
            prefix = ".".join(filter(None, [kind, layout.record_block]))
            rows = [RowShape(r.key, r.labels, r.columns or [""], False) for r in layout.rows]
        relations = [
            b
            for rule in self.template.rules
            if rule.kind == "equation"
            for b in self.template.bindings(rule, fmt)
            if all(p.startswith(kind + ".") for p in b.lhs + b.rhs)
        ]
        return GridSpec(prefix=prefix, rows=rows, relations=relations)

    def _decode(
        self, doc: ReportDoc, table: Table, kind: str, fmt: Format, settled: bool = False
    ) -> tuple[dict[str, ReportField], Quality, Format, str] | None:
        """The table read by the decoder (pipeline/decode.py) from its stream of labels and
        values: (fields, quality, format, note). The format the labels gave is tried first;
        the other one only when the labels did not settle it and it decodes with fewer failed
        relations (a 2021 table whose split cells broke its sums is no 2019 table)."""
        tokens = self._header_tokens(doc, table) + table_tokens(table.rows)
        partial = table.source not in GRID_SOURCES  # text may have dropped blank cells
        other: Format = "2019" if fmt == "2021" else "2021"
        formats = (fmt, other) if kind == "applications" and not settled else (fmt,)
        found: list[tuple[Quality, float, Format, Decoder, Decoding]] = []
        for fmt in formats:
            spec = self._grid_spec(kind, fmt)
            row_keys = [[match_key(lab) for lab in shape.labels] for shape in spec.rows]

            def score(text: str, row: int, row_keys: list[list[str]] = row_keys) -> float:
                key = _key(text)
                return max(self.label_score(key, lab) for lab in row_keys[row])

            decoder = Decoder(spec, self.decoder, score)
            decoding = decoder.decode(tokens, partial)
            if decoding is not None:
                filled = sum(spec.width(seg.row) for seg in decoding.segments)
                evidence = decoding.held - 2 * decoding.failed
                quality = (evidence, filled, decoding.failed)
                found.append((quality, decoding.score, fmt, decoder, decoding))
                if decoding.failed == 0:
                    break  # the labels' format decodes consistently: no need for the other
        if not found:
            return None
        labels_format = found[0]
        quality, _, fmt, decoder, decoding = min(
            found, key=lambda f: (f[0][2], f is not labels_format)
        )  # fewer failed relations, then the labels' format
        if not any(seg.label for seg in decoding.segments):
            return None  # no label names any row: the template's order alone is no table
        spec = decoder.spec
        doubtful = decoder.doubtful(decoding)
        out: dict[str, ReportField] = {}
        for seg in decoding.segments:
            by_col = dict(zip(seg.columns, seg.values, strict=True))
            row_text = " | ".join(tok.cell.raw for tok in seg.values if tok.cell is not None)
            for col in range(spec.width(seg.row)):
                path = spec.path(seg.row, col)
                features: dict[Feature, float] = {Feature.decoded: 1.0}
                if seg.label:
                    features[Feature.label_score] = seg.label / 100
                else:
                    features[Feature.unlabelled_row] = 1.0
                if path in doubtful:
                    features[Feature.decoder_ambiguous] = 1.0
                token = by_col.get(col)
                if token is None or token.cell is None:  # a blank the source did not print
                    first = seg.values[0].cell
                    line = first.line_id if first is not None else None
                    features[Feature.dropped_blank] = 1.0
                    out[path] = ReportField(
                        value=0,
                        raw="",
                        semantic=Semantic.blank,
                        method=METHOD[table.source],
                        evidence=doc.evidence(line, row_text),
                        features=features,
                    )
                    continue
                cell = token.cell
                out[path] = self._cell_field(doc, table, cell, cell.line_id, row_text, features)
        note = (
            f"decoded by the template: {len(decoding.segments)} rows, "
            f"{decoding.held} of {decoding.assessable} relations hold"
            + (f", {len(decoding.dropped)} values left out" if decoding.dropped else "")
        )
        return out, quality, fmt, note

    def _better(
        self,
        doc: ReportDoc,
        table: Table,
        kind: str,
        fmt: Format,
        regular: dict[str, ReportField],
        reading: TableReading,
        settled: bool = False,
    ) -> dict[str, ReportField]:
        """The reading of the table's own rows, or the decoder's when that one broke: the
        decoder is the fallback for a table whose structure did not survive extraction (cells
        not where the template has them, rows not found, relations failing); a whole,
        consistent reading stands. The decoder's replaces it when its relations say more (held
        minus twice failed), or as much with more cells (`reading` notes which, and its
        format; `settled`: the labels fixed the format, the decoder keeps it)."""
        quality = self._quality(regular, kind, fmt)
        spec = self._grid_spec(kind, fmt)
        cells = sum(spec.width(j) for j in range(len(spec.rows)))
        whole = quality[1] == cells and not any(
            f.features.get(Feature.position_uncertain) for f in regular.values()
        )  # every cell of every template row read, each where the source put it
        if whole and quality[2] == 0:
            return regular
        decoded = self._decode(doc, table, kind, fmt, settled)
        if decoded is None or decoded[1][:2] <= quality[:2]:
            return regular
        fields, _, decoded_fmt, note = decoded
        if reading.format != "unknown":
            reading.format = decoded_fmt
        reading.notes = [note]
        return fields

    @staticmethod
    def _header_tokens(doc: ReportDoc, table: Table) -> list[Token]:
        """The label lines of a rebuilt text table above its first row of values (the header,
        and a first row's label torn from its numbers), as label tokens in reading order."""
        if table.source in GRID_SOURCES or not table.rows or not table.rows[0].line_ids:
            return []
        first = min(table.rows[0].line_ids)
        texts = (doc.line(i).text for i in table.line_ids if i < first)
        return [
            Token(label=cell, cell=None)
            for text in texts
            for cell in (c.strip() for c in re.split(r"[\t|]", text))
            if cell
        ]

    def _quality(self, fields: dict[str, ReportField], kind: str, fmt: Format) -> Quality:
        """What the relations say of a reading (held - 2 x failed), its cells with a value, and
        its failed relations."""
        held = failed = 0
        for b in self._grid_spec(kind, fmt).relations:
            got = [fields.get(p) for p in b.lhs + b.rhs]
            if any(f is None or not isinstance(f.value, int | float) for f in got):
                continue
            numbers = [
                float(f.value) for f in got if f is not None and isinstance(f.value, int | float)
            ]
            left, right = sum(numbers[: len(b.lhs)]), sum(numbers[len(b.lhs) :])
            if abs(left - right) < 1e-6:
                held += 1
            else:
                failed += 1
        filled = sum(1 for f in fields.values() if f.semantic != Semantic.missing)
        return (held - 2 * failed, filled, failed)

    @staticmethod
    def _report(
        reading: TableReading, rows: list[TableRow], pairs: list[Match], n_spec: int
    ) -> None:
        matched = {m.row for m in pairs}
        for i, r in enumerate(rows):
            if i not in matched:
                reading.notes.append(f"row not matched to the template: {r.label[:40]!r}")
        mean = sum(m.score for m in pairs) / (100 * len(pairs)) if pairs else 0.0
        reading.confidence = round(len(pairs) / n_spec * mean, 3)

    @staticmethod
    def _reading(doc: ReportDoc, table: Table, fmt: TableFormat) -> TableReading:
        reading = TableReading(table_id=table.id, kind=table.kind, format=fmt)
        doc.table_readings.append(reading)
        return reading


__all__ = ["Semantic", "TableFields", "fit_columns"]
