"""assemble: ReportDoc -> ReportRecord, the exported contract.

Fills every field the record has (absent ones as `missing`, scored like the others), derives the
status (failed: no usable content; partial: errors but a record; ok), and collects review paths.
"""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..confidence import Scorer
from ..datamodel.document import ReportDoc
from ..datamodel.record import (
    ErrorItem,
    Meta,
    Provenance,
    ReportField,
    ReportRecord,
    ReviewSummary,
    SectionRecord,
    Status,
    TableReport,
)
from ..settings import Settings
from ..template import Template
from ..template.loader import Format

META_REQUIRED = [f"meta.{k}" for k in Meta.model_fields]


class Assemble:
    name = "assemble"

    def __init__(self, settings: Settings, template: Template, engines: dict[str, str]) -> None:
        self.scorer = Scorer(settings.confidence, settings.calibration)
        self.settings = settings
        self.template = template
        self.engines = engines
        self.config_hash = settings.digest()

    def __call__(self, doc: ReportDoc) -> ReportRecord:
        # A table counts when a template row was found in it: a sheet of random numbers placed
        # in a section by the classifier is not a statutory table.
        table_values = any(
            f.value is not None and f.method.startswith("table.") for f in doc.fields.values()
        )
        if not doc.fatal and not doc.headings and not table_values:
            doc.fail(
                self.name,
                "not_a_report",
                f"{doc.source.path}: no section heading and no statutory table row found; "
                "this does not look like a 政府信息公开工作年度报告",
                fatal=True,
            )
        record = ReportRecord(
            source=doc.source,
            status=self._status(doc),
            errors=doc.errors,
            template=doc.template,
            provenance=Provenance(
                nianbao_version=__version__,
                engines=self.engines,
                config_hash=self.config_hash,
                timings_ms={k: round(v, 2) for k, v in doc.timings_ms.items()},
            ),
        )
        if doc.fatal:
            return record
        record.sections = self._sections(doc)
        record.tables = [
            TableReport(
                kind=t.kind,
                source=t.source,
                format=t.format,
                rows=len(t.rows),
                confidence=t.confidence,
                notes=t.notes,
            )
            for t in doc.tables
            if t.kind != "unknown"
        ]
        self._fill_fields(doc, record)
        record.checks = doc.checks
        flagged = [p for p, f in record.iter_fields() if f.review.needed]
        record.review = ReviewSummary(needed=bool(flagged), fields=flagged)
        return record

    @staticmethod
    def _status(doc: ReportDoc) -> Status:
        if doc.fatal:
            return Status.failed
        return Status.partial if doc.errors else Status.ok

    def _sections(self, doc: ReportDoc) -> list[SectionRecord]:
        out = []
        for s in doc.sections:
            heading = s.heading
            out.append(
                SectionRecord(
                    number=s.number,
                    canonical_heading=s.canonical,
                    heading=heading.found_text if heading else None,
                    found=heading is not None,
                    text="\n".join(doc.line(i).text for i in doc.prose_line_ids(s)),
                    confidence=round(s.confidence, 3),
                    notes=heading.notes if heading else ["heading not found"],
                )
            )
        return out

    def _fill_fields(self, doc: ReportDoc, record: ReportRecord) -> None:
        fields = dict(doc.fields)
        v2019 = any(p.startswith("active_disclosure.v2019.") for p in fields)
        wanted = self.template.table_field_paths()
        wanted = [p for p in wanted if v2019 or not p.startswith("active_disclosure.v2019.")]
        wanted += META_REQUIRED + [f"items.{k}" for k in self.template.items.items]
        outside = self._outside_format(doc)
        for path in wanted:
            if path not in fields:
                features = {"not_found": 1.0}
                if path in META_REQUIRED:
                    features["required"] = 1.0
                if path in outside:
                    features["not_in_format"] = 1.0
                field = ReportField(features=features)
                self.scorer.apply(field)
                fields[path] = field
        tree: dict[str, Any] = {}
        for path, field in fields.items():
            node = tree
            *parents, leaf = path.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = field
        for block in ("meta", "active_disclosure", "applications", "review_litigation", "items"):
            if block in tree:
                model = type(getattr(record, block))
                setattr(record, block, model.model_validate(tree[block]))

    def _outside_format(self, doc: ReportDoc) -> set[str]:
        """Paths the read tables' formats do not have (a 2019 table 三 has no 逾期不补正 row):
        absent by the document's format, not unread."""
        out: set[str] = set()
        for t in doc.tables:
            if t.kind in ("active_disclosure", "applications") and t.format != "unknown":
                tpl = self.template
                other: Format = "2019" if t.format == "2021" else "2021"
                out |= tpl.format_field_paths(t.kind, other) - tpl.format_field_paths(
                    t.kind, t.format
                )
        return out


__all__ = ["Assemble", "ErrorItem"]
