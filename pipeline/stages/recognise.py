"""recognise: is this a 政府信息公开工作年度报告 at all?

A document with no section heading, no statutory table row (a value placed under a template
row) and no report title with a year (meta: the title line, or the preamble's 现公布X2019年政府
信息公开工作年度报告) is not a report: a `not_a_report` fatal error, so the record says so instead
of carrying a sheet of empty fields. A titled page whose headings run inline, or were dropped
by a mirror site, is still a report.
A sheet of random numbers that the classifier put in a section is not a statutory table: only
values table_fields placed count.
"""

from __future__ import annotations

from pydantic import BaseModel

from ..datamodel.base import ErrorCode
from ..datamodel.document import ReportDoc, Slot
from ..settings import Settings
from .base import Stage


class NoOptions(BaseModel):
    """A stage without settings of its own."""


class Recognise(Stage[NoOptions]):
    name = "recognise"
    reads = frozenset({Slot.headings, Slot.table_fields, Slot.meta_fields})
    writes = frozenset[Slot]()  # only the error log

    @classmethod
    def options_from(cls, settings: Settings) -> NoOptions:
        return NoOptions()

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        table_values = any(f.value is not None and f.method.from_table for f in doc.fields.values())
        titled = "meta.title" in doc.fields and "meta.year" in doc.fields
        if not doc.headings and not table_values and not titled:
            doc.fail(
                self.name,
                ErrorCode.not_a_report,
                f"{doc.source.path}: no section heading and no statutory table row found; "
                "this does not look like a 政府信息公开工作年度报告",
                fatal=True,
            )
        return doc
