"""score: each field's features -> its confidence and review decision.

The raw score is pipeline/confidence.py's logistic over the features; the calibration fitted by
`nianbao train calibration` (pipeline/calibration.py, models/calibration.json) maps it to the
probability that the field is right. Review is decided on the calibrated confidence.
"""

from __future__ import annotations

from pipeline.confidence import Scorer
from pipeline.datamodel.document import ReportDoc
from pipeline.settings import CalibrationSettings, ConfidenceSettings


class Score:
    name = "score"

    def __init__(self, settings: ConfidenceSettings, calibration: CalibrationSettings) -> None:
        self.scorer = Scorer(settings, calibration)

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        for field in doc.fields.values():
            self.scorer.apply(field)
        return doc
