"""Field confidence as a function of named evidence features.

    confidence = sigmoid(method_bias[method] + sum_f weights[f] * feature_f)

The features, set by the stage that knows them:
- label_score (0..1): how cleanly the row/column label matched the template (1 for prose
  patterns and exact labels). Enters as (label_score - 1), so a perfect label adds nothing.
- position_uncertain (0/1): the cell's column was inferred, not fixed by the source.
- checks_passed / checks_failed (counts): hard 勾稽 checks the field took part in; passed is
  capped at 2 (more agreement adds little once a value is confirmed).
- approximate (0/1): 余, 多, 约 qualify the figure.  chinese_numeral (0/1): read through cn2an.
- conflict (0/1): another reading in the document disagrees. corroborated (0/1): one agrees
  (for a table cell: a prose figure states the same value, stages/checks.py).
- zero_statement (0/1): a prose 0 given by a statement with no figure (未收到申请, 无行政复议).
  prose_inferred (0/1): a prose value that follows from other prose figures rather than being
  stated (行政诉讼0件 -> its results 0, 均为自然人 -> the 自然人 column is the total).
- ocr_confidence (0..1): the OCR engine's confidence in the cell (enters as 1 - it, `ocr_doubt`);
  ocr_blank (0/1): an OCR'd cell with nothing read in it, which may be a digit the engine missed.
  ocr_confusable (0/1): the cell read as a number only after undoing an OCR confusion (一 -> 1,
  a lone 。 -> 0, "0)" -> 0; pipeline/cells.py).
- label_ambiguous (0/1): the row's label matched another template row almost as well.
- Ruled grids (stages/grid_tables.py): grid_cell (0/1) the cell's place comes from ruled
  lines; cell_reread (0/1) its text from re-reading the cell crop; cell_split (0/1) it was cut
  from an OCR line that crossed a rule; inferred_rule (0/1) a rule was missing and the row was
  split by its text lines (always reviewed); parse_accuracy (0..1) camelot's parsing-report
  accuracy for the table (enters as 1 - it, `parse_doubt`).
- reread_disagrees (0/1): the page OCR and the re-read of the cell's crop read different
  values (15 vs 5, 一 vs 4, nothing vs 3): one of them is wrong, always reviewed.
- slash_like (0/1): OCR read 1 but the cell's one mark leans like a "/" (not applicable), so
  it is read as "/": always reviewed.
- repaired (0/1): the value is the one the 勾稽 relations imply (method repaired.consistency).
- exonerated (0/1): the field's failed relations all run one way and one running the other
  way through it passes, so the culprit is elsewhere: no forced review, the score decides.
  position_confirmed (0/1): a position_uncertain cell whose row and column relations all
  pass: its column is settled (no forced review). late (0/1): a publish date after the
  statutory deadline in the year after the report year. document_doubt (0/1): a value no
  relation checks, in a document misread elsewhere (stages/score.py).
- The agency (stages/agency.py): agency_sentence (0/1) only a sentence names it (现公布X2022年
  …报告), no title, name line or signature; agency_label (0/1) only a page label does (发布机构：
  X); agency_short_form (0/1) the report gives only a short form (市教育局); all three mean no
  name is certain, so the field is always reviewed (`agency_uncertain`). agency_resolved (0/1)
  one character of the title's name was read as the rest of the report prints it (OCR);
  agency_extended (0/1) a place-only name was completed with its organ (X镇 -> X镇人民政府).
- not_a_number (0/1): a table cell (always a count or amount) read as text ("gnend"):
  always reviewed, whatever the OCR confidence.
- decoded (0/1): the cell was placed by the template-constrained decoder (pipeline/decode.py)
  from the order of a torn table's values, its labels and the 勾稽 relations, not by the
  table's own rows. unlabelled_row (0/1): no label in front of the decoded row named it.
  dropped_blank (0/1): a blank the source did not print, inferred from the row's other values.
  decoder_ambiguous (0/1): another decoding fits about as well and reads this cell otherwise:
  always reviewed (`ambiguous_decoding`).
- not_found / row_not_found / table_not_found: the value is absent (semantic `missing`); a row
  or table the report has but that could not be read needs review; `required` marks a value
  every report has (agency, year, publish date, title), so its absence needs review;
  trigger_without_figure: an item's trigger words are in the text but no figure was read;
  not_in_format: the table was read in a format that has no such cell (a 2019 table 三 has no
  逾期不补正 row), so its absence is certain.

Weights and biases are configs/default.yaml `confidence`: hand-set priors that order the fields;
`Scorer` maps the raw score through the isotonic calibration (pipeline/calibration.py,
models/calibration.json) to the probability that the field is right.
Review is needed when the confidence is under `review_threshold`, when a hard check failed, when
the column was ambiguous, or when a row the table should have was not found.
"""

from __future__ import annotations

import math

from .calibration import Calibration
from .datamodel.base import Feature, Features, Method, ReviewReason
from .datamodel.record import ReportField, Semantic
from .settings import CalibrationSettings, ConfidenceSettings

PASSED_CAP = 2.0
# Features that send a field to review whatever its confidence, with the reason they give.
ALWAYS_REVIEW: dict[Feature, ReviewReason] = {
    Feature.position_uncertain: ReviewReason.ambiguous_columns,
    Feature.row_not_found: ReviewReason.row_not_found,
    Feature.table_not_found: ReviewReason.table_not_found,
    Feature.ocr_confusable: ReviewReason.ocr_confusable,
    Feature.label_ambiguous: ReviewReason.ambiguous_row,
    Feature.conflict: ReviewReason.conflicting_mentions,
    Feature.trigger_without_figure: ReviewReason.figure_not_read,
    Feature.inferred_rule: ReviewReason.missing_rule,
    Feature.repaired: ReviewReason.repaired_consistency,
    Feature.not_a_number: ReviewReason.not_a_number,
    Feature.reread_disagrees: ReviewReason.reread_disagrees,
    Feature.slash_like: ReviewReason.slash_read_as_digit,
    Feature.decoder_ambiguous: ReviewReason.ambiguous_decoding,
    Feature.agency_sentence: ReviewReason.agency_uncertain,
    Feature.agency_label: ReviewReason.agency_uncertain,
    Feature.agency_short_form: ReviewReason.agency_uncertain,
}
# An always-review feature the 勾稽 relations settle: the column of a cell whose row and column
# relations all pass is not in doubt (stages/checks.py); the score still weighs both.
SETTLED_BY: dict[Feature, Feature] = {Feature.position_uncertain: Feature.position_confirmed}


def _term(name: str, f: Features) -> float:
    """The quantity weight `name` multiplies (see ConfidenceWeights)."""
    if name == "label_score":
        return f.get(Feature.label_score, 1.0) - 1.0
    if name == "checks_passed":
        return min(f.get(Feature.checks_passed, 0.0), PASSED_CAP)
    if name == "ocr_doubt":
        return 1.0 - f.get(Feature.ocr_confidence, 1.0)
    if name == "parse_doubt":
        return 1.0 - f.get(Feature.parse_accuracy, 1.0)
    return f.get(Feature(name), 0.0)


def score(field: ReportField, settings: ConfidenceSettings) -> float:
    f = field.features
    if field.semantic == Semantic.missing and field.method == Method.none:
        if f.get(Feature.row_not_found) or f.get(Feature.table_not_found):
            return settings.unread_confidence  # the report has the value; it was not read
        if f.get(Feature.not_in_format):
            return settings.not_in_format_confidence  # the table's format has no such cell
        return settings.missing_confidence
    z = settings.method_bias.get(field.method, 0.0)
    for name, weight in settings.weights:  # declaration order: the sum's order is fixed
        z += weight * _term(name, f)
    return 1.0 / (1.0 + math.exp(-z))


def review_reasons(
    field: ReportField, confidence: float, settings: ConfidenceSettings, calibrated: bool = False
) -> list[str]:
    reasons = list(field.review.reasons)
    f = field.features
    reasons += [
        why.value
        for feature, why in ALWAYS_REVIEW.items()
        if f.get(feature) and not (feature in SETTLED_BY and f.get(SETTLED_BY[feature]))
    ]
    if f.get(Feature.required) and field.semantic == Semantic.missing:
        reasons.append(ReviewReason.not_found.value)
    # An absent value is flagged too when calibration says absence is often a miss (an item the
    # report states in words the matcher does not know); uncalibrated, absence is not doubted.
    if confidence < settings.review_threshold and (
        calibrated or not (field.semantic == Semantic.missing and f.get(Feature.not_found))
    ):
        reasons.append(ReviewReason.low_confidence.value)
    return list(dict.fromkeys(reasons))


class Scorer:
    """Raw score -> calibrated confidence -> review decision, for every field."""

    def __init__(self, settings: ConfidenceSettings, calibration: CalibrationSettings) -> None:
        self.settings = settings
        path = calibration.file_path()
        self.calibration = Calibration.load(path) if path else None

    def apply(self, field: ReportField) -> None:
        raw = score(field, self.settings)
        conf = self.calibration(raw, field.method.family) if self.calibration is not None else raw
        field.confidence = round(conf, 4)
        field.review.reasons = review_reasons(
            field, field.confidence, self.settings, calibrated=self.calibration is not None
        )
        field.review.needed = bool(field.review.reasons)
