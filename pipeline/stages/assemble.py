"""assemble: ReportDoc -> ReportRecord, the exported contract.

Puts the scored fields (stage score: every field the record has, absent ones as `missing`) into
the record's blocks, derives the status (failed: no usable content; partial: errors but a
record; ok), and collects the review paths, the sections and a report per table (the tables
stage's notes, then table_fields'). It scores nothing and decides nothing about the document:
it only writes the record down; a report whose sections 二-四 were found but none of
their tables gets a `tables_not_found` error item (status partial) saying what was seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._version import __version__
from ..datamodel.base import ErrorCode
from ..datamodel.document import TABLE_BLOCKS, ReportDoc, Slot, Table, TableReading
from ..datamodel.record import (
    ErrorItem,
    Provenance,
    ReportRecord,
    ReviewSummary,
    SectionRecord,
    Status,
    TableReport,
)
from ..template import load_template


class Assemble:
    """The last stage: a ReportDoc in, the record out (so it is not a `Stage`); it writes no
    slot of the document."""

    name = "assemble"
    reads = frozenset(
        {Slot.source, Slot.lines, Slot.line_text, Slot.sections, Slot.tables}
        | {Slot.table_fields, Slot.checks, Slot.scored}
    )
    writes: frozenset[Slot] = frozenset()

    def __init__(self, config_hash: str, engines: dict[str, str]) -> None:
        self.engines = engines
        self.config_hash = config_hash
        # the OCR engine's description once it is built (lazily, by the first page needing
        # OCR); a record names it only when OCR ran on that document, so a record does not
        # depend on what its worker processed before
        self.ocr_engine: str | None = None

    def _engines(self, doc: ReportDoc) -> dict[str, str]:
        from .pages import BLANK_NOTE

        engines = dict(self.engines)
        ocr_ran = any(
            (p.source == "ocr" and not p.note.endswith(BLANK_NOTE)) or any(r.read for r in p.images)
            for p in doc.pages
        )
        if ocr_ran and self.ocr_engine is not None:
            engines["ocr"] = self.ocr_engine
        return engines

    def __call__(self, doc: ReportDoc) -> ReportRecord:
        missing = tables_missing(doc)
        if missing is not None:
            doc.fail(self.name, ErrorCode.tables_not_found, missing)
        record = ReportRecord(
            source=doc.source,
            status=self._status(doc),
            errors=doc.errors,
            template=doc.template,
            provenance=Provenance(
                nianbao_version=__version__,
                engines=self._engines(doc),
                config_hash=self.config_hash,
                timings_ms={k: round(v, 2) for k, v in doc.timings_ms.items()},
            ),
        )
        if doc.fatal:
            return record
        record.sections = self._sections(doc)
        readings = {r.table_id: r for r in doc.table_readings}
        record.tables = [_report(t, readings.get(t.id)) for t in doc.tables if t.kind != "unknown"]
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

    @staticmethod
    def _fill_fields(doc: ReportDoc, record: ReportRecord) -> None:
        tree: dict[str, Any] = {}
        for path, field in doc.scored.items():
            node = tree
            *parents, leaf = path.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = field
        for block in ("meta", "active_disclosure", "applications", "review_litigation", "items"):
            if block in tree:
                model = type(getattr(record, block))
                setattr(record, block, model.model_validate(tree[block]))


# the sections whose body is a statutory table: in the template, their key names a table block
TABLE_SECTIONS = frozenset(s.number for s in load_template().sections if s.key in TABLE_BLOCKS)


def tables_missing(doc: ReportDoc) -> str | None:
    """What the record must say when a report's statistical tables were not found at all: the
    headings of sections 二, 三 and 四 were all found (a whole report, not an opening that
    stops before its tables, not a page of prose), yet no table was mapped onto any of the
    three table blocks. The message says what was seen instead; None when nothing is missing.
    """
    if doc.fatal:
        return None
    found = {s.number for s in doc.sections if s.heading is not None}
    if not TABLE_SECTIONS.issubset(found):
        return None
    if any(r.kind in TABLE_BLOCKS for r in doc.table_readings):
        return None
    seen: list[str] = []
    skipped = [(p.number, r) for p in doc.pages for r in p.images if not r.read]
    read = [(p.number, r) for p in doc.pages for r in p.images if r.read]
    if skipped:
        seen.append(f"{len(skipped)} image(s) on {_pages(skipped)} not read")
    if read:
        grids = sum(r.grids for _, r in read)
        seen.append(f"{len(read)} image(s) on {_pages(read)} read, {grids} ruled grid(s) in them")
    grids = sum(len(p.grids) for p in doc.pages)
    if doc.tables:
        seen.append(f"{len(doc.tables)} table(s) that match no statutory table")
    elif grids:
        seen.append(f"{grids} ruled grid(s) that match no statutory table")
    else:
        seen.append("no table-like text")
    return "sections 二-四 were found but none of their tables: " + "; ".join(seen)


def _pages(items: Sequence[tuple[int, object]]) -> str:
    numbers = sorted({n for n, _ in items})
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"pages {numbers[0]}-{numbers[-1]}"
    return "pages " + ", ".join(map(str, numbers))


def _report(table: Table, reading: TableReading | None) -> TableReport:
    """How one statutory table was read: rebuilt by the tables stage, mapped by table_fields."""
    return TableReport(
        kind=table.kind,
        source=table.source,
        format=reading.format if reading else "unknown",
        rows=len(table.rows),
        confidence=reading.confidence if reading else 0.0,
        notes=table.notes + (reading.notes if reading else []),
    )


__all__ = ["Assemble", "ErrorItem"]
