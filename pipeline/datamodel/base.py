"""The vocabulary every stage shares: one geometry type and the names stages exchange.

Feature names, review reasons, error codes and methods used to be free strings spread over six
modules (a misspelt feature silently scored 0). They are StrEnums here, so the JSON records
keep the same strings while mypy and pydantic refuse a name that does not exist.
(Model: docling's datamodel/base_models.py.)
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class BBox(NamedTuple):
    """An axis-aligned box [x0, y0, x1, y1] in page-image pixels, origin top-left.

    A NamedTuple, so records serialise it as the 4-number list the contract promises, and
    code reads `box.x0`, `box.width`, `box.overlap(other)` instead of `box[2] - box[0]`.
    (Model: docling-core's BoundingBox.)"""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def centre(self) -> tuple[float, float]:
        return self.cx, self.cy

    @property
    def area(self) -> float:
        return max(0.0, self.width) * max(0.0, self.height)

    def x_overlap(self, other: BBox) -> float:
        """Length of the shared x range (0 when apart)."""
        return max(0.0, min(self.x1, other.x1) - max(self.x0, other.x0))

    def y_overlap(self, other: BBox) -> float:
        """Length of the shared y range (0 when apart)."""
        return max(0.0, min(self.y1, other.y1) - max(self.y0, other.y0))

    def intersection(self, other: BBox) -> BBox | None:
        """The shared box, or None when the boxes do not overlap."""
        box = BBox(
            max(self.x0, other.x0),
            max(self.y0, other.y0),
            min(self.x1, other.x1),
            min(self.y1, other.y1),
        )
        return box if box.x1 > box.x0 and box.y1 > box.y0 else None

    def union(self, other: BBox) -> BBox:
        """The smallest box holding both."""
        return BBox(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )

    def overlap(self, other: BBox) -> float:
        """Share of this box's area inside `other` (0..1; 0 for an empty box)."""
        inter = self.intersection(other)
        return inter.area / self.area if inter is not None and self.area > 0 else 0.0

    def contains_point(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    def scaled(self, factor: float) -> BBox:
        return BBox(self.x0 * factor, self.y0 * factor, self.x1 * factor, self.y1 * factor)

    def padded(self, dx: float, dy: float | None = None) -> BBox:
        dy = dx if dy is None else dy
        return BBox(self.x0 - dx, self.y0 - dy, self.x1 + dx, self.y1 + dy)

    @classmethod
    def enclosing(cls, boxes: list[BBox]) -> BBox:
        """The smallest box holding every box of a non-empty list."""
        return cls(
            min(b.x0 for b in boxes),
            min(b.y0 for b in boxes),
            max(b.x1 for b in boxes),
            max(b.y1 for b in boxes),
        )


class Feature(StrEnum):
    """Named evidence a stage records on a field; pipeline/confidence.py weighs them.

    What each one means is documented in pipeline/confidence.py's module docstring."""

    # how the value was placed
    label_score = "label_score"
    position_uncertain = "position_uncertain"
    label_ambiguous = "label_ambiguous"
    # 勾稽 relations (stages/checks.py)
    checks_passed = "checks_passed"
    checks_failed = "checks_failed"
    repaired = "repaired"
    exonerated = "exonerated"
    position_confirmed = "position_confirmed"
    document_doubt = "document_doubt"
    # prose and meta
    approximate = "approximate"
    chinese_numeral = "chinese_numeral"
    conflict = "conflict"
    corroborated = "corroborated"
    late = "late"
    # the agency (stages/agency.py): how sure the name is
    agency_sentence = "agency_sentence"
    agency_label = "agency_label"
    agency_short_form = "agency_short_form"
    agency_resolved = "agency_resolved"
    agency_extended = "agency_extended"
    zero_statement = "zero_statement"
    prose_inferred = "prose_inferred"
    # the archive (pipeline/archive): every cross-year relation the field is in holds
    cross_year_agree = "cross_year_agree"
    # OCR and ruled grids
    ocr_confidence = "ocr_confidence"
    ocr_blank = "ocr_blank"
    ocr_confusable = "ocr_confusable"
    grid_cell = "grid_cell"
    cell_reread = "cell_reread"
    cell_split = "cell_split"
    inferred_rule = "inferred_rule"
    parse_accuracy = "parse_accuracy"
    reread_disagrees = "reread_disagrees"
    slash_like = "slash_like"
    not_a_number = "not_a_number"
    # the template-constrained decoder (pipeline/decode.py)
    decoded = "decoded"
    unlabelled_row = "unlabelled_row"
    dropped_blank = "dropped_blank"
    decoder_ambiguous = "decoder_ambiguous"
    # absence
    not_found = "not_found"
    row_not_found = "row_not_found"
    table_not_found = "table_not_found"
    required = "required"
    trigger_without_figure = "trigger_without_figure"
    not_in_format = "not_in_format"


Features = dict[Feature, float]


class ReviewReason(StrEnum):
    """Why a field goes to review (`review.reasons`). `check_failed` and
    `repaired_consistency` carry the rule ids after a colon (see `reason`)."""

    low_confidence = "low_confidence"
    check_failed = "check_failed"
    repaired_consistency = "repaired_consistency"
    ambiguous_columns = "ambiguous_columns"
    ambiguous_row = "ambiguous_row"
    row_not_found = "row_not_found"
    table_not_found = "table_not_found"
    ocr_confusable = "ocr_confusable"
    conflicting_mentions = "conflicting_mentions"
    figure_not_read = "figure_not_read"
    missing_rule = "missing_rule"
    not_a_number = "not_a_number"
    reread_disagrees = "reread_disagrees"
    slash_read_as_digit = "slash_read_as_digit"
    ambiguous_decoding = "ambiguous_decoding"
    not_found = "not_found"
    agency_uncertain = "agency_uncertain"
    prose_conflict = "prose_conflict"
    # a hard cross-year relation of the archive failed (pipeline/archive): the detail names the
    # rule, its binding and the other document (`carry_over[total]@17`)
    cross_year_conflict = "cross_year_conflict"


def reason(kind: ReviewReason, detail: str | None = None) -> str:
    """The string a record carries: `check_failed:t3_row_total[new]`, or the bare reason."""
    return f"{kind.value}:{detail}" if detail else kind.value


def reason_kind(text: str) -> ReviewReason:
    """The reason a record's string names (its part before any colon)."""
    return ReviewReason(text.split(":", 1)[0])


class Method(StrEnum):
    """Which path produced a field's value (`Field.method` in the contract)."""

    none = "none"
    table_html = "table.html"
    table_flattened_text = "table.flattened_text"
    table_text_layer = "table.text_layer"
    table_ocr_lines = "table.ocr_lines"
    table_grid_text_layer = "table.grid_text_layer"
    table_grid_ocr = "table.grid_ocr"
    repaired_consistency = "repaired.consistency"
    prose_matcher = "prose.matcher"
    meta_title = "meta.title"
    meta_signature = "meta.signature"
    meta_text = "meta.text"
    meta_page_header = "meta.page_header"
    review = "review"

    @property
    def from_table(self) -> bool:
        return self.value.startswith("table.")

    @property
    def family(self) -> str:
        """table, repaired, prose, meta, review or none: the calibration has a map per family
        (pipeline/calibration.py) where its training fields were enough to fit one."""
        return self.value.split(".")[0]


class ErrorCode(StrEnum):
    """`errors[].code` of a record: what went wrong, by stage."""

    # input (ingest, engines/render.py)
    not_found = "not_found"
    not_a_file = "not_a_file"
    unreadable = "unreadable"
    empty_file = "empty_file"
    too_large = "too_large"
    binary_file = "binary_file"
    unsupported_format = "unsupported_format"
    undecodable = "undecodable"
    decode_errors = "decode_errors"
    unusual_encoding = "unusual_encoding"
    mojibake_repaired = "mojibake_repaired"
    garbled_text = "garbled_text"
    html_too_deep = "html_too_deep"
    html_too_large = "html_too_large"  # more elements than limits.max_html_elements (#15)
    table_too_large = "table_too_large"
    line_too_long = "line_too_long"  # one line over limits.max_line_chars: skipped (#15)
    ingest_error = "ingest_error"
    corrupt_pdf = "corrupt_pdf"
    truncated_pdf = "truncated_pdf"
    encrypted_pdf = "encrypted_pdf"
    decompression_bomb = "decompression_bomb"
    corrupt_image = "corrupt_image"
    image_too_large = "image_too_large"
    # pages
    page_too_large = "page_too_large"
    page_failed = "page_failed"
    too_many_pages = "too_many_pages"
    no_text = "no_text"
    no_readable_page = "no_readable_page"
    no_such_page = "no_such_page"
    grid_failed = "grid_failed"
    # the document as a whole
    not_a_report = "not_a_report"
    # sections 二-四 are there but no statutory table was read (issue #18); says what was seen
    tables_not_found = "tables_not_found"
    stage_error = "stage_error"
    # batch
    timeout = "timeout"
    memory_limit = "memory_limit"
    worker_crashed = "worker_crashed"
    worker_exception = "worker_exception"
    startup_failed = "startup_failed"
    corrupt_archive = "corrupt_archive"
    unsafe_member = "unsafe_member"
    no_report_in_archive = "no_report_in_archive"
    symlink_outside_input = "symlink_outside_input"
    db_write_failed = "db_write_failed"


__all__ = [
    "BBox",
    "ErrorCode",
    "Feature",
    "Features",
    "Method",
    "ReviewReason",
    "reason",
    "reason_kind",
]
