"""One settings model for the whole pipeline: every value has its default on its field, here or
in the section modules beside this one that it re-exports (settings_engines.py,
settings_train.py).

`Settings()` is the default configuration; configs/default.yaml (and configs/ocr/<kind>.yaml,
configs/train/default.yaml) list the same values with their comments for users to copy from,
and tests/test_settings.py fails when a file and the defaults here disagree. A user file passed
with --config (or $NIANBAO_CONFIG) is deep-merged over the defaults. Each stage receives only
its own sub-model; no stage imports this module's loader. Nothing here refers to a checkout:
model files are found through pipeline/paths.py.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, Field, PrivateAttr, ValidationError, model_validator

from .datamodel.base import Feature, Method
from .errors import ConfigError
from .paths import model_path
from .settings_base import _Section
from .settings_engines import (
    ImageSettings,
    LayoutSettings,
    PaddleOcrSettings,
    PrepareSettings,
    RapidOcrSettings,
    RenderSettings,
    TesseractOcrSettings,
)
from .settings_train import ExtractionNoiseSettings, ShapeSettings, TrainSettings

# The sections of the engines and of training live in settings_engines.py and settings_train.py
# (this file stays under the house's 800 lines); they are this module's names too.
__all__ = [
    "BatchSettings",
    "CalibrationSettings",
    "CleanSettings",
    "ConfidenceSettings",
    "ConfidenceWeights",
    "DbSettings",
    "DecoderSettings",
    "ExtractionNoiseSettings",
    "GridSettings",
    "HeadingSettings",
    "ImageSettings",
    "IngestSettings",
    "LayoutSettings",
    "LimitsSettings",
    "MetaSettings",
    "NlpSettings",
    "PaddleOcrSettings",
    "PrepareSettings",
    "RapidOcrSettings",
    "RenderSettings",
    "ReviewSettings",
    "SectionSettings",
    "Settings",
    "ShapeSettings",
    "TableSettings",
    "TesseractOcrSettings",
    "TrainSettings",
    "load_settings",
    "load_train_settings",
]


class IngestSettings(_Section):
    max_bytes: int = 52428800  # 50 MiB: larger text/HTML files are refused with an error record
    text_suffixes: list[str] = [".txt", ".text", ".md", ".markdown"]  # read as plain text
    html_suffixes: list[str] = [".html", ".htm", ".shtml", ".xhtml"]  # read as web pages
    # Share of characters that must decode cleanly for a file to count as text at all.
    min_clean_ratio: float = 0.9
    # Share of control characters above which a file is treated as binary.
    max_control_ratio: float = 0.02
    # readable Chinese: this share of ideographs are common ones (real text: >99% of ideographs
    # are among GB2312's 3,755 common ones)
    min_common_hanzi: float = 0.8
    other_encodings: list[str] = ["big5"]  # tried when UTF-8/GB18030 give rare characters
    # text with fewer ideographs than this share may be UTF-8/GBK decoded as cp1252/latin-1...
    mojibake_max_cjk_ratio: float = 0.05
    # ... and is repaired (error mojibake_repaired) when the re-reading has this many
    mojibake_min_cjk_ratio: float = 0.3
    # Hostile input (issue #8): HTML nested deeper than this is refused before it is walked
    # (walking it is quadratic); one HTML table expanding (rowspan x colspan) to more grid cells
    # than this is cut there.
    max_html_depth: int = 400
    max_table_cells: int = 20000
    # a text with more lines than this is refused (`too_large`): not a report (the longest
    # seen have ~3000)
    max_lines: int = 20000


class CleanSettings(_Section):
    nav_min_items: int = 3  # navigation items needed to call a run of short lines navigation
    short_line_max_chars: int = 24  # a line this short with no sentence punctuation may be nav
    pasted_min_labels: int = 2  # metadata labels (标题, 索引号, ...) that reveal a pasted page
    pasted_window: int = 6  # ... within this many lines


class HeadingSettings(_Section):
    min_score: float = 80  # 0..100, rapidfuzz ratio of a line's body against the heading
    max_chars: int = 48  # a heading line is short
    join_max_chars: int = 30  # a line this short may be the first half of a split heading


class TableSettings(_Section):
    min_label_score: float = 62  # 0..100, fuzzy score for a row label to match the template
    ambiguity_margin: float = 5  # another template row scoring this close: the match is ambiguous
    anchor_min_score: float = 60  # 0..100: a header stack must match its column label this well
    anchor_tolerance: float = 0.6  # share of the column spacing a value may sit off its column
    # 0..1: failed checks on cells read with this label score count as "source inconsistent"...
    clean_label_score: float = 0.9
    # 0..1: ... and an OCR'd cell with this confidence, neither cut nor re-read
    clean_ocr_confidence: float = 0.95
    min_values_for_row: int = 1  # a line needs this many value cells to be a table row
    # label matching (stages/table_fields.py LabelScorer): a label longer than the template's
    # may hold it plus other words; its partial match counts, scaled by this ...
    label_partial_weight: float = 0.9
    label_partial_min_chars: int = 4  # ... for template labels of at least this many characters
    label_enumerator_penalty: float = 10  # 0..100 points: "（三）" where the template has "（四）"
    anchor_label_slack: int = 2  # a header cell may hold a column label and this many characters
    header_line_max_chars: int = 30  # a shorter line without 。 may be part of a table header
    blank_row_max_labels: int = 3  # a row of blanks has at most this many label cells (stubs)


class GridSettings(_Section):
    """Ruled-grid tables (pipeline/engines/tables): detection, cell filling, re-reading.

    On scans the rules are found with OpenCV morphology after deskew; on text-layer PDFs they
    are read from the PDF's drawing (vector_source.py) or found by camelot lattice in a
    rendering. Lengths are in inches (scaled by the page dpi)."""

    enabled: bool = True  # read the statutory tables as ruled grids
    # text-layer PDFs: "vector" reads the rules from the PDF's path objects (nothing rendered),
    # "camelot" renders every page for camelot lattice (the comparison in benchmarks/text_layer.py)
    text_layer_source: Literal["vector", "camelot"] = "vector"
    # camelot lattice may run: as the text-layer source, and with "vector" on the pages it
    # cannot read (turned by /Rotate, rules drawn as an image)
    camelot: bool = True
    vector_max_grey: int = 235  # drawn ink lighter than this grey level (0-255) is no rule
    # a filled rectangle no thicker than this is a rule (thicker: cell shading)
    vector_max_rule_inches: float = 0.04
    # vector: a page with an image covering this share of it, holding at least
    # `raster_min_fragments` text-layer runs and no vector grid, goes to camelot
    raster_image_share: float = 0.03
    raster_min_fragments: int = 8
    # a text-layer page drawn with more path segments than this is not walked (bounded work on
    # a hostile file): camelot reads it; the real reports draw ~100-1,200 a page
    vector_max_segments: int = 200000
    # shorter dark runs are not rules (vertical glyph strokes of 10.5pt text are ~0.14in)
    min_rule_inches: float = 0.2
    rule_gap_inches: float = 0.04  # gaps up to this long inside a faint or broken rule are bridged
    threshold_block: int = 15  # adaptive threshold neighbourhood (odd, pixels)
    threshold_offset: float = -2  # ... and offset (how much darker than the neighbourhood)
    merge_inches: float = 0.03  # rule positions closer than this are one boundary
    min_cell_inches: float = 0.12  # no cell is thinner: closer rules are one boundary (the longer)
    edge_coverage: float = 0.5  # share of a cell side a rule must cover to separate two cells
    # this share of the side rules running on past the last cross rule (a table cut by the page
    # end): the open row (or column) is kept
    open_edge_share: float = 0.5
    min_rows: int = 2  # a grid needs this many rows and columns
    min_cols: int = 2
    cell_share: float = 0.7  # a fragment with this share of its area in one cell belongs to it
    reread: bool = True  # re-read doubtful digit cells from their crop (OCR pages)
    reread_below: float = 0.9  # OCR confidence under which a digit cell is re-read
    # crops from the page as scanned (deskewed, not denoised: a median erases thin strokes)
    reread_unfiltered: bool = True
    reread_min_confidence: float = 0.6  # a re-read counts only at this confidence or more
    # grey levels under a cell's background (median) that are ink (faded print, grey 120-140 on
    # 250, is ink: a fixed level is not)
    ink_contrast: int = 60
    # a cell with less ink than this share is blank (not re-read); a small digit in a wide
    # 150-dpi cell is 0.002
    min_ink_share: float = 0.001
    speck_share: float = 0.03  # marks under this share of the cell's largest are noise specks
    reread_pad_share: float = 0.25  # crop = the marks' box padded by this share of its height
    # ... enlarged to at least this height (PP-OCR recognisers read 48-pixel-high lines)
    reread_min_height_px: int = 48
    # a cell read as 1 whose mark leans more is a "/" (n/a): printed 1s lean <= 7 degrees after
    # deskew, "/" 25-30
    slash_lean_degrees: float = 15
    stroke_min_elongation: float = 0.8  # 0..1: a mark this elongated is a stroke (lean measurable)
    digit_column_share: float = 0.34  # a column is numeric when this share of its filled cells is
    # a grid ending within this of the page bottom may continue on the next page ...
    continuation_inches: float = 2.5
    # ... when the next page's first grid has these same left/right edges
    same_edge_inches: float = 0.15


class MetaSettings(_Section):
    """Agency, year and publish date (stages/meta.py, stages/agency.py)."""

    first_year: int = 1990  # a year a report (or a year its prose writes) can plausibly be ...
    last_year: int = 2100  # ... up to this one
    signature_lines: int = 8  # the last body lines searched for the signature (agency, date)
    head_lines: int = 40  # text lines before the first heading searched for the title, a name
    # line, page labels (发布机构：…) and the page-header date (发布时间：…)
    mention_lines: int = 60  # the first text lines searched for sentences naming the agency
    year_lines: int = 30  # the first body lines searched for a year when the title has none
    agency_min_chars: int = 2  # an agency name is at least this long (冲口街道, 自然资源部) ...
    agency_max_chars: int = 40  # ... and at most this long


class DecoderSettings(_Section):
    """The template-constrained table decoder (pipeline/decode.py): weights of its evidence
    and when its reading replaces the one the table's own structure gives."""

    min_label_score: float = 62.0  # 0..100: a label naming a template row at least this well
    full_row: float = 3.0  # a row printing all its columns whose total is the sum of the rest
    partial_row: float = 1.0  # ... a row that dropped blank cells, adding up
    row_sum_fails: float = -2.0  # a row whose total is not the sum of its other values
    unchecked_row: float = 1.5  # a row with no total to check (table 二): order and labels only
    partial_unchecked: float = 0.0  # ... such a row printing fewer values than it has columns
    label: float = 2.0  # times (score/100) of a label in front of a row that names it
    other_label: float = -1.0  # labels in front of a row that all name other rows
    skip_row: float = -4.0  # a template row the values skip (the tail of a cut table is free)
    drop_value: float = -3.0  # a value that belongs to no row (page number, noise)
    beam: int = 64  # column choices kept while placing the values of rows that dropped blanks
    min_margin: float = 2.0  # a decoding within this score of the next best is ambiguous


class NlpSettings(_Section):
    segmenter: Literal["jieba", "char"] = "jieba"  # spaCy's zh tokenizer: jieba (word) or char
    batch_size: int = 64  # texts per spaCy batch (speed only)


class ConfidenceWeights(_Section):
    """One weight per evidence feature (pipeline/confidence.py says what each measures).

    A field per feature, so a weight the code does not know, or a feature without a weight,
    fails when the settings load instead of silently scoring 0. Declared in the order the
    logistic sums them (the order keeps scores bit-identical). Three are not features
    themselves: `label_score` weighs (label_score - 1), `ocr_doubt` weighs (1 - ocr_confidence)
    and `parse_doubt` weighs (1 - parse_accuracy); `checks_passed` counts are capped."""

    label_score: float = 2.0  # times (score - 1): 0 for a perfect label, negative as it weakens
    position_uncertain: float = -4.0  # the cell's column was inferred, not fixed by the source
    checks_passed: float = 0.8  # per passed hard check the field is in (capped at 2)
    checks_failed: float = -3.5  # per failed hard check the field is in
    ocr_doubt: float = -4.0  # times (1 - OCR confidence of the cell)
    parse_doubt: float = -3.0  # times (1 - camelot parsing-report accuracy)
    approximate: float = -0.4  # 余, 多, 约: the value is the stated round figure
    chinese_numeral: float = -0.3
    conflict: float = -2.0  # other mentions in the document disagree
    corroborated: float = 1.0  # another source (signature, prose) agrees
    ocr_blank: float = -1.2  # nothing read in an OCR'd cell: blank, or a missed digit?
    ocr_confusable: float = -3.0  # 一 read as 1: plausible, never certain
    label_ambiguous: float = -3.0  # the row label fits two template rows about equally
    grid_cell: float = 0.6  # the cell's place comes from ruled lines, not text gaps
    cell_reread: float = -0.3  # read again from its crop: the page reading was doubtful
    cell_split: float = -0.8  # cut from an OCR line that crossed a rule
    inferred_rule: float = -3.0  # a missing rule was inferred from the text lines
    repaired: float = -3.0  # value implied by the 勾稽 relations, not read
    reread_disagrees: float = -3.0  # page OCR and the crop re-read read different values
    slash_like: float = -3.0  # read as 1, shaped like the "/" of a not-applicable cell
    exonerated: float = 4.5  # failed relations one way, a passing one the other: culprit elsewhere
    position_confirmed: float = 3.5  # an inferred column that every relation through it confirms
    late: float = -2.0  # publish date after the statutory deadline (sections.yaml)
    document_doubt: float = -1.0  # unchecked value in a document misread elsewhere (score.py)
    decoded: float = -0.5  # placed by the table decoder from the order of a torn table
    unlabelled_row: float = -0.5  # ... in a row no label in front of it named
    dropped_blank: float = -1.0  # a blank the source did not print, inferred from the row
    decoder_ambiguous: float = -3.0  # another decoding reads this cell otherwise (reviewed)
    agency_sentence: float = -1.5  # only a preamble sentence names the agency (reviewed)
    agency_label: float = -1.0  # only a page label (发布机构：…) names it (reviewed)
    agency_short_form: float = -2.0  # only a short form (市教育局) names it (reviewed)
    agency_resolved: float = -0.5  # one character of the title's name read as printed elsewhere
    agency_extended: float = -0.2  # a place-only name completed with its organ (X镇人民政府)
    zero_statement: float = -0.3  # a prose 0 from a statement (未收到申请), not a stated figure
    prose_inferred: float = -0.6  # a prose value following from others (行政诉讼0件 -> results)


class ConfidenceSettings(_Section):
    """Field confidence = sigmoid(method_bias[method] + sum(weights[f] * feature f)).

    The features are documented in pipeline/confidence.py; the weights are hand-set priors that
    order the fields, and the calibration (`calibration:`) maps the score to a probability."""

    method_bias: dict[Method, float] = {
        Method.table_html: 3.2,
        Method.table_flattened_text: 2.6,
        Method.table_text_layer: 3.0,
        Method.table_ocr_lines: 2.4,
        Method.table_grid_text_layer: 3.0,
        Method.table_grid_ocr: 2.4,
        Method.repaired_consistency: 0.0,
        Method.prose_matcher: 2.2,
        Method.meta_title: 2.8,
        Method.meta_signature: 2.4,
        Method.meta_text: 1.6,
        Method.meta_page_header: 2.0,  # a page-header date (发布时间：…) or label (发布机构：…)
    }
    weights: ConfidenceWeights = Field(default_factory=lambda: ConfidenceWeights())
    # below this a field is marked for review (chosen on the calibration split: `nianbao train
    # calibration` prints the trade-off)
    review_threshold: float = 0.992
    missing_confidence: float = 0.6  # confidence that an item absent from the text is truly absent
    # a row or table the report has, not read: the value is unknown
    unread_confidence: float = 0.05
    # absent because the table's detected format has no such cell
    not_in_format_confidence: float = 0.99
    # features showing a document was misread somewhere: its values that no relation checks get
    # `document_doubt` (stages/score.py; errors cluster by document)
    document_doubt_signals: list[Feature] = [
        Feature.checks_failed,
        Feature.position_uncertain,
        Feature.row_not_found,
        Feature.table_not_found,
        Feature.repaired,
        Feature.ocr_confusable,
        Feature.conflict,
        Feature.not_a_number,
        Feature.inferred_rule,
    ]
    document_doubt_label_score: float = 1.0  # ... or a row label matched below this (garbled)


class SectionSettings(_Section):
    """How headings and the learned passage classifier (pipeline/nlp/sections.py, trained by
    `nianbao train sections`) combine. Clean headings fix the boundaries; the classifier places
    lines where headings are missing, misnumbered or garbled; disagreement lowers confidence."""

    # dir of the passage classifier (relative: against the models dir); None: headings only
    model: str | None = "sections"
    clean_heading_score: float = 0.9  # 0..1: a heading this good, numbered right, is clean
    heading_weight: float = 6.0  # log-odds a heading that is not clean gives its section
    switch_penalty: float = 4.0  # log cost of starting a new section (against flicker)
    noise_probability: float = 0.5  # a line the classifier calls noise this surely is left out
    noise_max_chars: int = 60  # ... if it is no longer than this (long prose stays prose)
    batch_size: int = 256  # passages per classifier batch (speed only)

    _models_dir: str | None = PrivateAttr(default=None)  # Settings.models_dir, set by Settings

    def model_path(self) -> Path | None:
        """The classifier's directory (None: switched off)."""
        return model_path(self.model, self._models_dir) if self.model else None


class CalibrationSettings(_Section):
    """The map from raw evidence score to probability (pipeline/calibration.py), fitted by
    `nianbao train calibration` (isotonic, on labelled fields of generated reports)."""

    # JSON (relative: against the models dir); None: raw scores are used as they are
    path: str | None = "calibration.json"
    # what agreement across years raises a field's confidence by (pipeline/archive/agreement.py,
    # fitted by `nianbao train cross-year`; relative: against the models dir); None: nothing
    cross_year: str | None = "cross_year.json"
    bins: int = 10  # equal-width bins of the reliability table and the ECE
    precision_at: list[float] = [0.9, 0.95, 0.99]  # thresholds `nianbao eval` reports precision at

    _models_dir: str | None = PrivateAttr(default=None)  # Settings.models_dir, set by Settings

    def file_path(self) -> Path | None:
        """The calibration file (None: switched off)."""
        return model_path(self.path, self._models_dir) if self.path else None

    def cross_year_path(self) -> Path | None:
        """The cross-year agreement model (None: switched off)."""
        return model_path(self.cross_year, self._models_dir) if self.cross_year else None


class DbSettings(_Section):
    """Where `nianbao batch` writes and `nianbao export` reads (pipeline/db); --db overrides."""

    # SQLAlchemy URL (sqlite:///file.db, postgresql+psycopg://user:password@host:5432/dbname)
    # or a bare file path; SQLite needs no setup
    url: str = "sqlite:///nianbao.db"


class LimitsSettings(_Section):
    """Work bounded by input size (issue #15): each limit is checked before the work it bounds,
    and was set by measuring the worst input just under it (benchmarks/hostile.py)."""

    # a line longer than this is skipped (kept, marked noise, error `line_too_long`): no stage
    # reads it. Real pages have lines of up to ~60,000 characters (HTML without block tags)
    max_line_chars: int = 200000
    # a table row (a text line split at tabs or |, an HTML <tr>) keeps at most this many cells;
    # the statutory tables have at most 9 value columns
    max_row_cells: int = 200
    # an HTML page with more elements than this (counted on the raw text, before parsing) is
    # refused (`html_too_large`); real report pages have a few thousand
    max_html_elements: int = 60000
    # `nianbao extract`: a document taking longer than this gets a `failed` record (`timeout`)
    # and the next one runs; checked between Python steps (a running OCR call finishes first).
    # null: no limit. `batch` has its own (batch.timeout_s), enforced by killing the worker
    extract_timeout_s: float | None = 900


class BatchSettings(_Section):
    """`nianbao batch`: workers, isolation and streaming (pipeline/batch/)."""

    workers: int = 1  # local worker processes (--workers overrides)
    threads_per_worker: int | None = None  # OCR/BLAS threads per worker; None: cores // workers
    # one document's wall time before its worker is killed (error `timeout`)
    timeout_s: float = 900
    memory_limit_mb: int = 3000  # a worker whose RSS passes this is killed (error `memory_limit`)
    poll_interval_s: float = 0.2  # how often the supervisor checks time and memory of the workers
    read_ahead: int = 2  # documents prepared (read, hashed) per worker ahead of the one running
    # archive members larger than this (512 MiB) are refused (error `too_large`)
    max_member_bytes: int = 536870912
    dask_memory_limit_mb: int = (
        3000  # `--dask local`: each Dask worker's memory limit (nanny kills)
    )
    # Files a folder walk takes although nianbao cannot read them: each gets an error record
    # (unsupported_format), so a Word report in the archive is reported, not silently left out.
    # "": no suffix.
    also_take_suffixes: list[str] = [
        "", ".doc", ".docx", ".wps", ".ofd", ".rtf", ".xls", ".xlsx", ".et", ".gz", ".bz2",
        ".xz", ".rar", ".7z",
    ]  # fmt: skip
    # glibc malloc arenas per worker (mallopt; fewer arenas, less stranded heap); None: glibc's
    malloc_arena_max: int | None = 2
    malloc_trim: bool = True  # hand freed heap back to the OS after each document (malloc_trim)
    # A worker whose environment fixed glibc's malloc thresholds (the Dask nanny sets
    # MALLOC_TRIM_THRESHOLD_) gets this mmap threshold (glibc's dynamic ceiling, 32 MiB on
    # 64-bit) and twice it as trim threshold, instead of mapping every array over 128 KiB anew;
    # None: leave the environment's. Workers without such variables keep glibc's dynamic one.
    malloc_mmap_threshold_mb: int | None = 32


class ReviewSettings(_Section):
    """`nianbao review`: the local review page (pipeline/review/)."""

    # interface the page listens on (--host); anything not in `loopback_hosts` needs --token
    host: str = "127.0.0.1"
    port: int = 8765  # --port overrides
    loopback_hosts: list[str] = ["127.0.0.1", "localhost", "::1"]  # no token needed (this machine)
    # page-image pixels (at the record's dpi) shown left and right of the evidence box
    crop_margin_x_px: int = 420
    crop_margin_y_px: int = 160  # ... and above and below it (wide: the row's label shows)
    highlight_px: int = 4  # width of the box drawn around the evidence
    page_max_px: int = 1400  # the whole page ("page" view) is scaled down to this width
    page_cache: int = 4  # rendered pages kept in memory (moving between cells of one table)
    context_lines: int = 4  # text input: lines shown above and below the evidence line
    queue_limit: int = 500  # fields listed at once in the queue
    # a decision waits this long for a database another program keeps locked, then is refused
    # with a message (HTTP 503) instead of hanging
    busy_timeout_s: float = 5.0
    max_value_chars: int = 200  # a typed correction (or note) longer than this is refused
    # Queue filter -> the review reasons it selects (one ending in ":" is a prefix; one starting
    # with "method:" selects fields whose method starts with the rest).
    reason_groups: dict[str, list[str]] = {
        "low_confidence": ["low_confidence"],
        "failed_check": ["check_failed:"],
        "ambiguous_column": ["ambiguous_columns", "ambiguous_row"],
        "repaired_value": ["ocr_confusable", "method:repaired."],
        "conflict": ["conflicting_mentions"],
        "not_found": ["not_found", "row_not_found", "table_not_found"],
        "cross_year": ["cross_year_conflict:"],  # the archive's cross-year checks (issue #16)
    }


OcrSettings = Annotated[
    PaddleOcrSettings | RapidOcrSettings | TesseractOcrSettings, Field(discriminator="kind")
]


class Settings(_Section):
    """The whole configuration; `Settings()` is the default one (configs/default.yaml)."""

    ingest: IngestSettings = Field(default_factory=IngestSettings)
    render: RenderSettings = Field(default_factory=RenderSettings)
    images: ImageSettings = Field(default_factory=ImageSettings)  # images on text-layer pages
    prepare: PrepareSettings = Field(default_factory=PrepareSettings)
    layout: LayoutSettings = Field(default_factory=LayoutSettings)
    # OCR engine for scanned pages; each kind's defaults are on its model (configs/ocr/<kind>.yaml).
    # rapid (on OpenVINO when installed) read the scans about 3x faster than paddle at the same
    # CER and field accuracy (issue #17, benchmarks/ocr_speed.py); paddle stays supported
    ocr: OcrSettings = Field(default_factory=RapidOcrSettings)
    clean: CleanSettings = Field(default_factory=CleanSettings)
    headings: HeadingSettings = Field(default_factory=HeadingSettings)
    tables: TableSettings = Field(default_factory=TableSettings)
    grid: GridSettings = Field(default_factory=GridSettings)
    nlp: NlpSettings = Field(default_factory=NlpSettings)
    meta: MetaSettings = Field(default_factory=MetaSettings)
    decoder: DecoderSettings = Field(default_factory=DecoderSettings)
    confidence: ConfidenceSettings = Field(default_factory=ConfidenceSettings)
    db: DbSettings = Field(default_factory=DbSettings)
    batch: BatchSettings = Field(default_factory=BatchSettings)
    limits: LimitsSettings = Field(default_factory=LimitsSettings)
    review: ReviewSettings = Field(default_factory=ReviewSettings)
    sections: SectionSettings = Field(default_factory=SectionSettings)
    calibration: CalibrationSettings = Field(default_factory=CalibrationSettings)
    # The folder relative model paths (sections.model, calibration.path) resolve against (a
    # relative one: from the working directory); None: $NIANBAO_MODELS, else the models shipped
    # in the package (pipeline/paths.py). Where, not what: left out of the digest, which covers
    # the model files' bytes.
    models_dir: str | None = None

    _digest: str | None = PrivateAttr(default=None)  # settings are frozen: computed once

    @model_validator(mode="after")
    def _models_dir_to_parts(self) -> Settings:
        self._give_models_dir()
        return self

    def _give_models_dir(self) -> None:
        """The sub-models that name model files resolve them against `models_dir`; each gets
        its own copy, so a sub-model shared with other settings is never changed."""
        for name in ("sections", "calibration"):
            part = getattr(self, name).model_copy()
            part._models_dir = self.models_dir
            object.__setattr__(self, name, part)  # frozen: set once, while validating or copying

    def digest(self) -> str:
        """Hash of what decides a record: where it is stored, how it is scheduled, how many
        threads the OCR uses and where the model files lie do not (so a rerun with other
        --workers or --db resumes); the model files' bytes do."""
        if self._digest is None:
            self._digest = self._compute_digest()
        return self._digest

    def model_copy(self, *, update: Any = None, deep: bool = False) -> Settings:
        copy = super().model_copy(update=update, deep=deep)
        copy._digest = None  # an updated copy is another configuration
        copy._give_models_dir()  # an updated models_dir or sub-model resolves the same
        return copy

    def _compute_digest(self) -> str:
        dump = self.model_dump(mode="json")
        for key in _NOT_DIGESTED:
            dump.pop(key, None)
        for key in _OCR_NOT_DIGESTED:
            dump["ocr"].pop(key, None)
        # read by the archive checks over stored records, never by extraction
        dump["calibration"].pop("cross_year", None)
        # The learned models decide records as much as the settings: a retrained classifier or
        # a refitted calibration is a new configuration (a batch rerun extracts again).
        dump["model_files"] = _model_digests(
            self.models_dir, self.sections.model, self.calibration.path
        )
        blob = json.dumps(dump, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


# Settings that change how documents are scheduled or stored, or where the model files are
# found (their bytes are digested), never the records.
_NOT_DIGESTED = ("db", "batch", "review", "models_dir")
# OCR settings that change speed, memory or where prepared files are kept, never what is read.
_OCR_NOT_DIGESTED = ("cpu_threads", "rec_top_one", "mem_arena", "mem_pattern", "model_root")
_OCR_KINDS: dict[str, type[BaseModel]] = {
    "paddle": PaddleOcrSettings,
    "rapid": RapidOcrSettings,
    "tesseract": TesseractOcrSettings,
}


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a config file must hold a mapping")
    return data


def _read_config(path: str | Path | None) -> tuple[dict[str, Any], str]:
    """The user's config (`path`, else $NIANBAO_CONFIG, else none) and its name for messages."""
    override = path or os.environ.get("NIANBAO_CONFIG")
    if not override:
        return {}, "the default settings"
    return _read_yaml(Path(override)), str(override)


def load_settings(path: str | Path | None = None) -> Settings:
    """The defaults (`Settings()`), with `path` (or $NIANBAO_CONFIG) deep-merged over them.

    The `ocr` section starts from the defaults of the kind in force (configs/ocr/<kind>.yaml
    lists them), so choosing another engine needs only `ocr: {kind: rapid}`; mappings such as
    `confidence.weights` keep the keys the file does not name.
    """
    user, name = _read_config(path)
    user_ocr = user.pop("ocr", None) or {}
    if not isinstance(user_ocr, dict):
        raise ConfigError(f"{name}: `ocr` must be a mapping")
    defaults = Settings().model_dump()
    kind = user_ocr.get("kind", defaults["ocr"]["kind"])
    if kind not in _OCR_KINDS:
        raise ConfigError(f"{name}: unknown ocr kind {kind!r}; known: {sorted(_OCR_KINDS)}")
    data = _merge(defaults, user)
    data["ocr"] = _merge(_OCR_KINDS[kind]().model_dump(), user_ocr)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{name}: invalid config:\n{exc}") from exc


def _model_digests(models_dir: str | None, *paths: str | None) -> dict[str, str]:
    """sha256 of every file under each model path (a file or a directory); missing: ''.

    Keyed by the path as configured and hashed with names relative to the model's own parent,
    so the same model files give the same digest wherever the models dir is."""
    out: dict[str, str] = {}
    for path in paths:
        if path is None:
            continue
        root = model_path(path, models_dir)
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        h = hashlib.sha256()
        for f in files:
            if f.exists():
                h.update(f.relative_to(root.parent).as_posix().encode())
                h.update(hashlib.sha256(f.read_bytes()).digest())
        out[path] = h.hexdigest()[:16] if files and root.exists() else ""
    return out


def load_train_settings(path: str | Path | None = None) -> TrainSettings:
    """`TrainSettings()` (configs/train/default.yaml lists them) with `path` merged over them."""
    data = _merge(TrainSettings().model_dump(), _read_yaml(Path(path))) if path else {}
    try:
        return TrainSettings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: invalid training config:\n{exc}") from exc
