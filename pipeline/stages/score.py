"""score: each field's features -> its confidence and review decision (pipeline/confidence.py)."""

from __future__ import annotations

from pipeline.confidence import review_reasons, score
from pipeline.datamodel.document import ReportDoc
from pipeline.settings import ConfidenceSettings


class Score:
    name = "score"

    def __init__(self, settings: ConfidenceSettings) -> None:
        self.settings = settings

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        for field in doc.fields.values():
            field.confidence = round(score(field, self.settings), 4)
            field.review.reasons = review_reasons(field, field.confidence, self.settings)
            field.review.needed = bool(field.review.reasons)
        return doc
