"""score: every field of the record, with its confidence and review decision.

The extracted fields (table_fields, meta, items; prose figures fill table paths the tables left
empty) are combined with what the 勾稽 checks say about them (their relation counts, review
reasons and any repair), fields the record has but the document did not give are added as
`missing` (`not_found`; `required` for meta; `not_in_format` for a cell the read table's format
does not have), and each is scored: pipeline/confidence.py's logistic over the features, mapped
through the calibration fitted by `nianbao train calibration` (pipeline/calibration.py,
models/calibration.json) to the probability that the field is right. Review is decided on the
calibrated confidence. The result is this stage's own slot, `doc.scored`; the extracted fields
stay as their stages wrote them.

Extraction errors cluster by document (a poor scan or a mangled web page misreads many cells),
so a table value no 勾稽 relation checks (table 二) is doubted more in a document where
other evidence already shows misreadings (`document_doubt`: a failed relation, a garbled
label, an inferred column, a lost row, ...: configs `confidence.document_doubt_signals`).
Measured on the calibration split: such table 二 cells 1.4% wrong, 0.5% elsewhere; prose items
and meta showed no such difference, so they are left alone.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from ..confidence import Scorer
from ..datamodel.base import Feature
from ..datamodel.document import ReportDoc, Slot
from ..datamodel.record import Meta, ReportField
from ..settings import CalibrationSettings, ConfidenceSettings, Settings
from ..template import Template
from ..template.loader import Format
from .base import Stage

META_REQUIRED = [f"meta.{k}" for k in Meta.model_fields]


class ScoreOptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    confidence: ConfidenceSettings
    calibration: CalibrationSettings


class Score(Stage[ScoreOptions]):
    name = "score"
    reads = frozenset({Slot.table_fields, Slot.meta_fields, Slot.item_fields, Slot.checks})
    writes = frozenset({Slot.scored})

    def __init__(self, options: ScoreOptions, template: Template) -> None:
        super().__init__(options)
        self.scorer = Scorer(options.confidence, options.calibration)
        self.template = template
        self.signals = options.confidence.document_doubt_signals
        self.clean_label = options.confidence.document_doubt_label_score

    @classmethod
    def options_from(cls, settings: Settings) -> ScoreOptions:
        return ScoreOptions(confidence=settings.confidence, calibration=settings.calibration)

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        fields = doc.judged()
        if self._doubted(fields):
            for field in fields.values():
                f = field.features
                checked = f.get(Feature.checks_passed) or f.get(Feature.checks_failed)
                if field.method.from_table and field.value is not None and not checked:
                    f[Feature.document_doubt] = 1.0
        for field in fields.values():
            self.scorer.apply(field)
        self._add_missing(doc, fields)
        doc.scored = fields
        return doc

    def _doubted(self, fields: dict[str, ReportField]) -> bool:
        """Does any field show a misreading (a signal feature, a label matched poorly)?"""
        return any(
            any(f.features.get(s) for s in self.signals)
            or f.features.get(Feature.label_score, 1.0) < self.clean_label
            for f in fields.values()
        )

    def _add_missing(self, doc: ReportDoc, fields: dict[str, ReportField]) -> None:
        """Every field the record has, absent ones as `missing` and scored like the others."""
        v2019 = any(p.startswith("active_disclosure.v2019.") for p in fields)
        wanted = self.template.table_field_paths()
        wanted = [p for p in wanted if v2019 or not p.startswith("active_disclosure.v2019.")]
        wanted += META_REQUIRED + [f"items.{k}" for k in self.template.items.items]
        outside = self._outside_format(doc)
        for path in wanted:
            if path in fields:
                continue
            field = ReportField(features={Feature.not_found: 1.0})
            if path in META_REQUIRED:
                field.features[Feature.required] = 1.0
            if path in outside:
                field.features[Feature.not_in_format] = 1.0
            self.scorer.apply(field)
            fields[path] = field

    def _outside_format(self, doc: ReportDoc) -> set[str]:
        """Paths the read tables' formats do not have (a 2019 table 三 has no 逾期不补正 row):
        absent by the document's format, not unread."""
        out: set[str] = set()
        tpl = self.template
        for r in doc.table_readings:
            if r.kind in ("active_disclosure", "applications") and r.format != "unknown":
                other: Format = "2019" if r.format == "2021" else "2021"
                out |= tpl.format_field_paths(r.kind, other) - tpl.format_field_paths(
                    r.kind, r.format
                )
        return out
