"""Records out of the database: JSONL (one record per line, exactly as stored, with review
decisions applied unless asked not to), CSV and Parquet (one row per field: the long table a
spreadsheet or a dataframe wants). Everything streams: documents are read 100 at a time.

CSV is for spreadsheets, so its text cells are neutralised against formula injection as OWASP
recommends (CSV Injection): a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
return gets a leading `'`, which Excel and LibreOffice show as text and do not evaluate. Numbers
are not text: a numeric value (also the `value` column of a field whose value is a number, such
as -3) is written as the number. JSONL and Parquet keep every value raw.

The archive checks (issue #16, table `archive_checks`) go to a file beside the export when the
database has any: `<name>.archive_checks.csv` for a CSV export, `<name>.archive_checks.jsonl`
otherwise, one row per check with the agency's key and name. Fields the archive judged carry it
in the records themselves (Feature cross_year_agree, reason cross_year_conflict)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from .datamodel.record import ReportRecord
from .db import Store
from .db.models import Document

Format = Literal["jsonl", "csv", "parquet"]
FORMATS: dict[str, Format] = {".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet"}

# One row per field; value is text (a number as written, JSON null as empty), value_num numeric.
COLUMNS = [
    "document_id", "label", "content_hash", "config_hash", "status", "agency", "year",
    "template_version", "path", "value", "value_num", "raw", "semantic", "confidence", "method",
    "review_needed", "review_reasons", "reviewed_by", "evidence_page", "evidence_bbox",
    "evidence_text", "evidence_line",
]  # fmt: skip


def format_for(path: Path, given: str | None) -> Format:
    if given is not None:
        if given not in FORMATS.values():
            raise ValueError(f"unknown format {given!r}; one of jsonl, csv, parquet")
        return given  # type: ignore[return-value]
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"{path}: cannot tell the format from the suffix; use --format")
    return fmt


def field_rows(doc: Document, record: ReportRecord) -> Iterator[dict[str, Any]]:
    year = record.meta.year.value
    for path, f in record.iter_fields():
        value = f.value
        number = float(value) if isinstance(value, int | float) else None
        yield {
            "document_id": doc.id,
            "label": doc.label,
            "content_hash": doc.content_hash,
            "config_hash": doc.config_hash,
            "status": record.status.value,
            "agency": record.meta.agency.value,
            "year": year if isinstance(year, int) else None,
            "template_version": record.template.version,
            "path": path,
            "value": None if value is None else str(value),
            "value_num": number,
            "raw": f.raw,
            "semantic": f.semantic.value,
            "confidence": f.confidence,
            "method": f.method,
            "review_needed": f.review.needed,
            "review_reasons": ";".join(f.review.reasons),
            "reviewed_by": f.review.reviewed_by,
            "evidence_page": f.evidence.page,
            "evidence_bbox": json.dumps(list(f.evidence.bbox)) if f.evidence.bbox else None,
            "evidence_text": f.evidence.text,
            "evidence_line": f.evidence.line,
        }


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: Any) -> Any:
    """A CSV cell a spreadsheet will not evaluate: text starting like a formula gets a `'`."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _csv_row(row: dict[str, Any], numeric_value: bool) -> dict[str, Any]:
    """Every text cell neutralised; the `value` text of a numeric field is the number itself."""
    return {
        key: cell if key == "value" and numeric_value else neutralise(cell)
        for key, cell in row.items()
    }


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def export(store: Store, out: Path, fmt: Format, *, reviewed: bool = True) -> int:
    """Write every stored document (and the archive checks beside them, see the module
    docstring); the number of documents written."""
    records = store.records(reviewed=reviewed)
    if fmt == "jsonl":
        n = _jsonl(records, out)
    elif fmt == "csv":
        n = _csv(records, out)
    else:
        n = _parquet(records, out)
    export_archive_checks(store, out, fmt)
    return n


ARCHIVE_COLUMNS = [
    "id", "rule", "binding", "agency_id", "agency_key", "agency_name", "year_a", "year_b",
    "document_a_id", "document_b_id", "fields_a", "fields_b", "value_a", "value_b", "expected",
    "difference", "outcome", "severity", "culprit_document_id", "culprit_field", "detail",
]  # fmt: skip


def archive_checks_path(out: Path, fmt: Format) -> Path:
    suffix = ".csv" if fmt == "csv" else ".jsonl"
    return out.with_name(out.stem + ".archive_checks" + suffix)


def export_archive_checks(store: Store, out: Path, fmt: Format) -> Path | None:
    """The archive_checks rows beside an export (None when there are none)."""
    from sqlalchemy import select

    from .db.models import Agency, ArchiveCheck

    with store.session() as session:
        agencies = {a.id: (a.key, a.name) for a in session.scalars(select(Agency))}
        rows = list(session.scalars(select(ArchiveCheck).order_by(ArchiveCheck.id)))
    if not rows:
        return None
    path = archive_checks_path(out, fmt)
    items = []
    for r in rows:
        key, name = agencies.get(r.agency_id, (None, None))
        item = {c: getattr(r, c, None) for c in ARCHIVE_COLUMNS}
        item.update(agency_key=key, agency_name=name)
        items.append(item)
    if fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=ARCHIVE_COLUMNS)
            writer.writeheader()
            for item in items:
                flat = {k: ";".join(v) if isinstance(v, list) else v for k, v in item.items()}
                writer.writerow({k: neutralise(v) for k, v in flat.items()})
    else:
        with path.open("w", encoding="utf-8") as fh:
            for item in items:
                fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path


def _jsonl(records: Iterator[tuple[Document, ReportRecord]], out: Path) -> int:
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for _, record in records:
            fh.write(record.model_dump_json() + "\n")
            n += 1
    return n


def _csv(records: Iterator[tuple[Document, ReportRecord]], out: Path) -> int:
    n = 0
    with out.open("w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel reads UTF-8
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for doc, record in records:
            writer.writerows(
                _csv_row(row, row["value_num"] is not None) for row in field_rows(doc, record)
            )
            n += 1
    return n


def _parquet(records: Iterator[tuple[Document, ReportRecord]], out: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("document_id", pa.int64()), ("label", pa.string()), ("content_hash", pa.string()),
            ("config_hash", pa.string()), ("status", pa.string()), ("agency", pa.string()),
            ("year", pa.int64()), ("template_version", pa.string()), ("path", pa.string()),
            ("value", pa.string()), ("value_num", pa.float64()), ("raw", pa.string()),
            ("semantic", pa.string()), ("confidence", pa.float64()), ("method", pa.string()),
            ("review_needed", pa.bool_()), ("review_reasons", pa.string()),
            ("reviewed_by", pa.string()), ("evidence_page", pa.int64()),
            ("evidence_bbox", pa.string()), ("evidence_text", pa.string()),
            ("evidence_line", pa.int64()),
        ]
    )  # fmt: skip
    n = 0
    with pq.ParquetWriter(out, schema) as writer:
        for doc, record in records:
            rows = [{**r, "agency": _text(r["agency"])} for r in field_rows(doc, record)]
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            n += 1
    return n
