"""score: each field's features -> its confidence and review decision.

The raw score is pipeline/confidence.py's logistic over the features; the calibration fitted by
`nianbao train calibration` (pipeline/calibration.py, models/calibration.json) maps it to the
probability that the field is right. Review is decided on the calibrated confidence.

Extraction errors cluster by document (a poor scan or a mangled web page misreads many cells),
so a table value no 勾稽 relation checks (table 二) is doubted more in a document where
other evidence already shows misreadings (`document_doubt`: a failed relation, a garbled
label, an inferred column, a lost row, ...: configs `confidence.document_doubt_signals`).
Measured on the calibration split: such table 二 cells 1.4% wrong, 0.5% elsewhere; prose items
and meta showed no such difference, so they are left alone.
"""

from __future__ import annotations

from ..confidence import Scorer
from ..datamodel.document import ReportDoc
from ..settings import CalibrationSettings, ConfidenceSettings


class Score:
    name = "score"

    def __init__(self, settings: ConfidenceSettings, calibration: CalibrationSettings) -> None:
        self.scorer = Scorer(settings, calibration)
        self.signals = settings.document_doubt_signals
        self.clean_label = settings.document_doubt_label_score

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        if self._doubted(doc):
            for field in doc.fields.values():
                f = field.features
                checked = f.get("checks_passed") or f.get("checks_failed")
                if field.method.startswith("table.") and field.value is not None and not checked:
                    f["document_doubt"] = 1.0
        for field in doc.fields.values():
            self.scorer.apply(field)
        return doc

    def _doubted(self, doc: ReportDoc) -> bool:
        """Does any field show a misreading (a signal feature, a label matched poorly)?"""
        return any(
            any(f.features.get(s) for s in self.signals)
            or f.features.get("label_score", 1.0) < self.clean_label
            for f in doc.fields.values()
        )
