"""One settings model for the whole pipeline, loaded from configs/*.yaml.

configs/default.yaml holds every value (the model has no defaults of its own, so there is one
source of truth); a user file passed with --config is deep-merged over it. Each stage receives
only its own sub-model; no stage imports this module's loader.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from .datamodel.base import Feature, Method
from .errors import ConfigError

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "configs" / "default.yaml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IngestSettings(_Section):
    max_bytes: int
    text_suffixes: list[str]
    html_suffixes: list[str]
    # Share of characters that must decode cleanly for a file to count as text at all.
    min_clean_ratio: float
    # Share of control characters above which a file is treated as binary.
    max_control_ratio: float
    min_common_hanzi: float  # readable Chinese: this share of ideographs are common ones
    other_encodings: list[str]  # tried when UTF-8/GB18030 give rare characters
    mojibake_max_cjk_ratio: float  # text with fewer ideographs may be mojibake...
    mojibake_min_cjk_ratio: float  # ... and is repaired when the re-reading has this many
    # Hostile input (issue #8): HTML nested deeper than this is refused before it is walked;
    # one HTML table expanding (rowspan x colspan) to more grid cells than this is cut there.
    max_html_depth: int
    max_table_cells: int
    max_lines: int  # a text with more lines than this is refused (`too_large`): not a report


class CleanSettings(_Section):
    nav_min_items: int
    short_line_max_chars: int
    pasted_min_labels: int
    pasted_window: int


class HeadingSettings(_Section):
    min_score: float  # 0..100, rapidfuzz ratio against the template heading
    max_chars: int  # a heading line is short
    join_max_chars: int  # a line this short may be the first half of a split heading


class TableSettings(_Section):
    min_label_score: float  # 0..100, fuzzy score for a row label to count as a match
    ambiguity_margin: float  # another template row scoring this close makes a match ambiguous
    anchor_min_score: float  # 0..100: a header stack must match its column label this well
    anchor_tolerance: float  # share of the column spacing a value may sit off its column
    clean_label_score: float  # 0..1: a cell read with this label score counts as cleanly read
    clean_ocr_confidence: float  # 0..1: ... and an OCR'd cell with this confidence (not re-read)
    min_values_for_row: int  # a line needs this many value cells to be a table row


class GridSettings(_Section):
    """Ruled-grid tables (pipeline/engines/tables): detection, cell filling, re-reading."""

    enabled: bool
    camelot: bool  # text-layer PDFs: camelot lattice gives the grid
    min_rule_inches: float  # shorter dark runs are not rules (glyph strokes are shorter)
    rule_gap_inches: float  # gaps up to this long inside a broken rule are bridged
    threshold_block: int  # adaptive threshold neighbourhood (odd, pixels)
    threshold_offset: float  # ... and offset (how much darker than the neighbourhood)
    merge_inches: float  # rule positions closer than this are one boundary
    min_cell_inches: float  # no cell is thinner: closer rules are one boundary (the longer)
    edge_coverage: float  # share of a cell side a rule must cover to separate two cells
    open_edge_share: float  # this share of the side rules running on past the last rule: open row
    min_rows: int  # a grid needs this many rows and columns
    min_cols: int
    cell_share: float  # a fragment with this share of its area in one cell belongs to it
    reread: bool  # re-read doubtful digit cells from their crop (OCR pages)
    reread_below: float  # OCR confidence under which a digit cell is re-read
    reread_unfiltered: bool  # crops from the page as scanned (deskewed, not denoised)
    reread_min_confidence: float  # a re-read counts only at this confidence or more
    ink_contrast: int  # grey levels under a cell's background (median) that are ink
    min_ink_share: float  # a cell with less ink than this share is blank (not re-read)
    speck_share: float  # marks under this share of the cell's largest are noise specks
    reread_pad_share: float  # crop = the marks' box padded by this share of its height
    reread_min_height_px: int  # ... enlarged to at least this height (recogniser input)
    slash_lean_degrees: float  # a cell read as 1 whose mark leans more is a "/" (n/a)
    stroke_min_elongation: float  # 0..1: a mark this elongated is a stroke (lean measurable)
    digit_column_share: float  # a column is numeric when this share of its filled cells is
    continuation_inches: float  # a grid this close to the page end may continue on the next page
    same_edge_inches: float  # ... when the next page's first grid has the same left/right edges


class MetaSettings(_Section):
    """Agency, year and publish date (stages/meta.py)."""

    first_year: int = 1990  # a year a report (or a year its prose writes) can plausibly be ...
    last_year: int = 2100  # ... up to this one
    signature_lines: int = 8  # the last body lines searched for the signature (agency, date)
    header_date_lines: int = 40  # the first body lines searched for a page-header date
    year_lines: int = 30  # the first body lines searched for a year when the title has none


class NlpSettings(_Section):
    segmenter: Literal["jieba", "char"]
    batch_size: int


class ConfidenceWeights(_Section):
    """One weight per evidence feature (pipeline/confidence.py says what each measures).

    A field per feature, so a weight the code does not know, or a feature without a weight,
    fails when the settings load instead of silently scoring 0. Declared in the order the
    logistic sums them (the order keeps scores bit-identical). Three are not features
    themselves: `label_score` weighs (label_score - 1), `ocr_doubt` weighs (1 - ocr_confidence)
    and `parse_doubt` weighs (1 - parse_accuracy); `checks_passed` counts are capped."""

    label_score: float
    position_uncertain: float
    checks_passed: float
    checks_failed: float
    ocr_doubt: float
    parse_doubt: float
    approximate: float
    chinese_numeral: float
    conflict: float
    corroborated: float
    ocr_blank: float
    ocr_confusable: float
    label_ambiguous: float
    grid_cell: float
    cell_reread: float
    cell_split: float
    inferred_rule: float
    repaired: float
    reread_disagrees: float
    slash_like: float
    exonerated: float
    position_confirmed: float
    late: float
    document_doubt: float


class ConfidenceSettings(_Section):
    method_bias: dict[Method, float]
    weights: ConfidenceWeights
    review_threshold: float
    missing_confidence: float
    unread_confidence: float  # a row or table the report has, not read: the value is unknown
    not_in_format_confidence: float  # absent because the table's format has no such cell
    document_doubt_signals: list[Feature]  # features showing a document was misread somewhere
    document_doubt_label_score: float  # ... or a row label matched worse than this


class SectionSettings(_Section):
    """How headings and the learned passage classifier (pipeline/nlp/sections.py) combine."""

    model: str | None  # models/ dir of the passage classifier (relative: repo root); None: off
    clean_heading_score: float  # 0..1: a heading this good, numbered right, fixes its boundary
    heading_weight: float  # log-odds a heading that is not clean gives its section
    switch_penalty: float  # log cost of starting a new section (keeps sections contiguous)
    noise_probability: float  # a line the classifier calls noise this surely is left out
    noise_max_chars: int  # ... if it is no longer than this (long prose stays in its section)
    batch_size: int


class CalibrationSettings(_Section):
    """The map from raw evidence score to probability (pipeline/calibration.py)."""

    path: str | None  # JSON beside the models (relative: repo root); None: raw scores as they are
    bins: int  # equal-width bins of the reliability table and the ECE
    precision_at: list[float]  # thresholds `nianbao eval` reports precision at


class ExtractionNoiseSettings(_Section):
    """Errors put into the labelled documents for calibration and the held-out report
    (sample_scans/generator/noise.py): the truth stays, the text goes wrong."""

    clean_share: float = Field(ge=0, le=1)  # documents left without any extraction error
    max_events: int = Field(ge=1)  # a kind that occurs in a document occurs 1..this many times
    rates: dict[str, float]  # kind -> probability it occurs in a noisy document


class ShapeSettings(_Section):
    """Labelled documents in the shapes real pages take (nianbao.synth.shapes), besides the
    others: for the calibration and, apart, for the held-out report. Each document draws one
    table rendering and one agency variant by weight, the rest by probability."""

    calibration_docs: int = Field(ge=0)  # training-split documents after the calibration's
    heldout_docs: int = Field(ge=0)  # held-out documents after the held-out report's
    tables: dict[str, float]  # rendering -> weight (legacy, html_blank, markdown, ...)
    agency: dict[str, float]  # agency variant -> weight (title, preamble, label_line, ...)
    header_date: float = Field(ge=0, le=1)  # a page-header date line (发布时间 …)
    signature_too: float = Field(ge=0, le=1)  # ... with the signature's date kept too
    markdown_as_txt: float = Field(ge=0, le=1)  # converter markdown saved as .txt
    cut: float = Field(ge=0, le=1)  # an opening: the text stops after section 一 begins
    images: float = Field(ge=0, le=1)  # tables as images, figures only in the prose
    rich_figures: float = Field(ge=0, le=1)  # richer prose figures (always when cut/images)
    page_break: float = Field(ge=0, le=1)  # table 三 split: header + 0-2 rows, page furniture
    ascii_punctuation: float = Field(ge=0, le=1)  # （）：，； printed as ASCII ():,;
    other_bureau: float = Field(ge=0, le=1)  # a bureau the other documents never draw


class TrainSettings(_Section):
    """`nianbao train`: the labelled corpora and the training run (configs/train/*.yaml)."""

    seed: int  # generator seed of the training documents; held-out uses `heldout_seed`
    heldout_seed: int
    train_docs: int
    heldout_docs: int
    calibration_docs: int  # training-split documents (not used by the classifier) for calibration
    noise: ExtractionNoiseSettings  # on calibration and held-out documents, not the classifier's
    shapes: ShapeSettings  # real-page shapes: more calibration and held-out documents
    review_thresholds: list[float]  # tabulated: wrong fields flagged vs review load at each
    epochs: int
    dropout: float
    batch_size: int
    learn_rate: float
    ngram_size: int
    hash_length: int  # feature hash table size of the bag-of-words model


class RenderSettings(_Section):
    dpi: int  # page images (and every evidence bbox) are at this resolution
    use_text_layer: bool  # read a PDF page's text layer when it is real text
    min_text_chars: int  # fewer characters than this: treat the page as a scan
    min_cjk_ratio: float  # share of CJK characters a real text layer has at least
    max_garbage_ratio: float  # share of unmapped/symbol glyphs above which the layer is garbage
    char_gap_ratio: float  # text layer: a gap wider than this many font heights splits a run
    pdf_suffixes: list[str]
    image_suffixes: list[str]
    # Hostile input (issue #8): limits checked before anything big is decoded.
    max_pages: int  # pages after this are not read (error `too_many_pages`)
    max_image_pixels: int  # an image (frame) larger than this is refused before decoding
    max_page_pixels: int  # a PDF page larger than this at `dpi` is not rendered
    max_stream_bytes: int  # a PDF stream inflating past this is a decompression bomb
    blank_dpi: int  # a page needing OCR is first looked at this small to skip blank pages
    blank_contrast: int  # grey levels from the page's median that count as ink
    blank_max_ink: float  # a page with a smaller share of ink pixels is blank (no OCR)


class PrepareSettings(_Section):
    orientation: bool  # detect pages turned 90/180/270 and turn them upright
    upside_down_below: float  # mean OCR confidence under which other turns are tried
    orienting_chars: int  # only OCR lines this long say which way the text runs
    clear_winner: float  # a reading this many times stronger than the opposite turn settles it
    deskew: bool
    max_skew_degrees: float
    skew_step_degrees: float
    min_skew_degrees: float  # smaller estimated skews are left alone
    denoise: bool


class LayoutSettings(_Section):
    row_overlap: float  # a fragment overlapping a row's band by this share of its height joins it
    tall_chars: float  # a fragment taller than this many char heights never widens a row
    cell_gap_chars: float  # OCR: a gap wider than this many char heights separates cells
    text_layer_cell_gap_chars: float  # the same for text-layer runs (pdfium splits at cells)
    column_gap_chars: float  # number centres further apart than this are different columns
    right_margin_chars: float  # a row ending within this of the right margin is full
    indent_chars: float  # a row starting this far right of the margin is indented
    paragraph_gap_lines: float  # a gap over this many usual row gaps ends a paragraph
    margin_band: float  # share of the page height at top and bottom for headers/footers


class _PpOcrSettings(_Section):
    """What the two PP-OCR engines (paddle, rapid) share: the ONNX files and DB/CTC settings."""

    source_dir: str | None  # folder with the ONNX files; None: the rapidocr wheel's models/
    det_onnx: str  # file names in source_dir
    rec_onnx: str
    cpu_threads: int
    det_limit_side_len: int
    det_limit_type: Literal["min", "max"]
    det_thresh: float
    det_box_thresh: float
    det_unclip_ratio: float
    rec_batch_size: int
    rec_score_thresh: float  # lines scoring lower are dropped by the engine


class PaddleOcrSettings(_PpOcrSettings):
    """PaddleOCR 3.x on onnxruntime, with model dirs prepared from ONNX weights (no download)."""

    kind: Literal["paddle"]
    model_root: str  # prepared PaddleX model dirs live here; relative paths are from the repo root
    det_model_name: str  # PaddleX model name (= the prepared dir's name and its Global.model_name)
    rec_model_name: str
    # onnxruntime SessionOptions; memory only, never the output (so left out of the digest)
    mem_arena: bool  # enable_cpu_mem_arena: keep freed activations in a growing arena
    mem_pattern: bool  # enable_mem_pattern: pre-plan allocations per input shape


class RapidOcrSettings(_PpOcrSettings):
    """RapidOCR 3.x called directly, on the ONNX files its wheel ships."""

    kind: Literal["rapid"]
    cls_onnx: str  # 180-degree text-line classifier, used only when use_cls
    use_cls: bool
    max_side_len: int  # pages are scaled down so their longer side is at most this


class TesseractOcrSettings(_Section):
    """Debian's tesseract binary, run as a subprocess per image."""

    kind: Literal["tesseract"]
    binary: str  # name on PATH or a path
    lang: str  # e.g. chi_sim, or chi_sim+eng
    psm: int  # page segmentation mode for whole pages (3: automatic)
    crop_psm: int  # for recognize_crops (7: a single text line)
    dpi: int  # resolution of the images passed in (they carry none); keep equal to render.dpi
    cpu_threads: int  # OMP_THREAD_LIMIT; 1 is fastest on 2 cores
    timeout_s: float


class DbSettings(_Section):
    url: str  # SQLAlchemy URL (sqlite:///file.db, postgresql+psycopg://...) or a bare file path


class BatchSettings(_Section):
    """`nianbao batch`: workers, isolation and streaming (pipeline/batch/)."""

    workers: int  # local worker processes (--workers)
    threads_per_worker: int | None  # OCR/BLAS threads per worker; None: cores // workers
    timeout_s: float  # one document's wall time before its worker is killed (error `timeout`)
    memory_limit_mb: int  # a worker whose RSS passes this is killed (error `memory_limit`)
    poll_interval_s: float  # how often the supervisor checks time and memory of the workers
    read_ahead: int  # documents prepared (read, hashed) per worker ahead of the one running
    max_member_bytes: int  # archive members larger than this are refused (error `too_large`)
    dask_memory_limit_mb: int  # `--dask local`: each Dask worker's memory limit (nanny kills)
    # Files a folder walk takes although nianbao cannot read them: each gets an error record
    # (unsupported_format), so a Word report in the archive is reported, not silently left out.
    also_take_suffixes: list[str]
    malloc_arena_max: int | None  # glibc malloc arenas per worker (mallopt); None: glibc default
    malloc_trim: bool  # hand freed heap back to the OS after each document (malloc_trim)


class ReviewSettings(_Section):
    """`nianbao review`: the local review page (pipeline/review/)."""

    host: str  # interface the page listens on; anything not in `loopback_hosts` needs --token
    port: int
    loopback_hosts: list[str]  # hosts that need no token (this machine only)
    crop_margin_x_px: int  # page-image pixels shown left and right of the evidence box
    crop_margin_y_px: int  # ... and above and below it
    highlight_px: int  # width of the box drawn around the evidence
    page_max_px: int  # the whole page ("page" view) is scaled down to this width
    page_cache: int  # rendered pages kept in memory (moving between cells of one table)
    context_lines: int  # text input: lines shown above and below the evidence line
    queue_limit: int  # fields listed at once in the queue
    # Queue filter -> the review reasons it selects (one ending in ":" is a prefix; one starting
    # with "method:" selects fields whose method starts with the rest).
    reason_groups: dict[str, list[str]]


OcrSettings = Annotated[
    PaddleOcrSettings | RapidOcrSettings | TesseractOcrSettings, Field(discriminator="kind")
]


class Settings(_Section):
    ingest: IngestSettings
    render: RenderSettings
    prepare: PrepareSettings
    layout: LayoutSettings
    ocr: OcrSettings
    clean: CleanSettings
    headings: HeadingSettings
    tables: TableSettings
    grid: GridSettings
    nlp: NlpSettings
    meta: MetaSettings = MetaSettings()
    confidence: ConfidenceSettings
    db: DbSettings
    batch: BatchSettings
    review: ReviewSettings
    sections: SectionSettings
    calibration: CalibrationSettings

    _digest: str | None = PrivateAttr(default=None)  # settings are frozen: computed once

    def digest(self) -> str:
        """Hash of what decides a record: where it is stored, how it is scheduled and how many
        threads the OCR uses do not (so a rerun with other --workers or --db resumes)."""
        if self._digest is None:
            self._digest = self._compute_digest()
        return self._digest

    def model_copy(self, *, update: Any = None, deep: bool = False) -> Settings:
        copy = super().model_copy(update=update, deep=deep)
        copy._digest = None  # an updated copy is another configuration
        return copy

    def _compute_digest(self) -> str:
        dump = self.model_dump(mode="json")
        for key in _NOT_DIGESTED:
            dump.pop(key, None)
        for key in _OCR_NOT_DIGESTED:
            dump["ocr"].pop(key, None)
        # The learned models decide records as much as the settings: a retrained classifier or
        # a refitted calibration is a new configuration (a batch rerun extracts again).
        dump["model_files"] = _model_digests(self.sections.model, self.calibration.path)
        blob = json.dumps(dump, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


# Settings sections that change how documents are scheduled or stored, never their records.
_NOT_DIGESTED = ("db", "batch", "review")
# OCR settings that change speed or memory, never what is read.
_OCR_NOT_DIGESTED = ("cpu_threads", "mem_arena", "mem_pattern")


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


def load_settings(path: str | Path | None = None) -> Settings:
    """Settings from configs/default.yaml, with `path` (or $NIANBAO_CONFIG) merged over it.

    The `ocr` section starts from configs/ocr/<kind>.yaml for the kind in force, so choosing
    another engine needs only `ocr: {kind: rapid}`.
    """
    if not DEFAULT_CONFIG.is_file():
        raise ConfigError(f"{DEFAULT_CONFIG}: default config not found (install from the repo)")
    data = _read_yaml(DEFAULT_CONFIG)
    override = path or os.environ.get("NIANBAO_CONFIG")
    user = _read_yaml(Path(override)) if override else {}
    user_ocr = user.pop("ocr", None) or {}
    if not isinstance(user_ocr, dict):
        raise ConfigError(f"{override}: `ocr` must be a mapping")
    data = _merge(data, user)
    kind = user_ocr.get("kind", data.get("ocr", {}).get("kind"))
    engine_file = DEFAULT_CONFIG.parent / "ocr" / f"{kind}.yaml"
    if not engine_file.is_file():
        known = sorted(p.stem for p in engine_file.parent.glob("*.yaml"))
        raise ConfigError(
            f"{override or DEFAULT_CONFIG}: unknown ocr kind {kind!r}; known: {known}"
        )
    data["ocr"] = _merge(_read_yaml(engine_file), user_ocr)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{override or DEFAULT_CONFIG}: invalid config:\n{exc}") from exc


REPO_ROOT = DEFAULT_CONFIG.parent.parent


def _model_digests(*paths: str | None) -> dict[str, str]:
    """sha256 of every file under each model path (a file or a directory); missing: ''."""
    out: dict[str, str] = {}
    for path in paths:
        if path is None:
            continue
        root = repo_path(path)
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        h = hashlib.sha256()
        for f in files:
            if f.exists():
                h.update(f.relative_to(root.parent).as_posix().encode())
                h.update(hashlib.sha256(f.read_bytes()).digest())
        out[path] = h.hexdigest()[:16] if files and root.exists() else ""
    return out


def repo_path(path: str) -> Path:
    """A path from the config: relative paths are from the repository root."""
    p = Path(path)
    return p if p.is_absolute() else REPO_ROOT / p


def load_train_settings(path: str | Path) -> TrainSettings:
    data = _read_yaml(Path(path))
    try:
        return TrainSettings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: invalid training config:\n{exc}") from exc
