"""Read-side queries of the review page that the store does not offer.

The queue lists fields still needing review across documents, least confident first; a filter
is a reason group (configs `review.reason_groups`: review reasons, "check_failed:" prefixes,
"method:" prefixes) and/or a table (the first part of the field path: applications, meta ...).
Reason groups are matched in Python over the JSON list of reasons, so the query is the same on
SQLite and PostgreSQL; the SQL narrows by document, table and `review_needed` first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from ..db import Store
from ..db.models import CheckRow, Document, FieldRow, ReviewRow


@dataclass(frozen=True)
class QueueFilter:
    reason: str | None = None  # a key of reason_groups
    table: str | None = None  # first path part: meta, applications, review_litigation, ...
    document: int | None = None

    def query(self) -> dict[str, str]:
        """The filter as query-string parameters (empty ones left out)."""
        out = {"reason": self.reason, "table": self.table, "document": self.document}
        return {k: str(v) for k, v in out.items() if v is not None and v != ""}


def matches(row: FieldRow, patterns: Sequence[str]) -> bool:
    """Does the field carry one of the reason `patterns` (exact, "prefix:", "method:prefix")?"""
    for pattern in patterns:
        if pattern.startswith("method:"):
            if row.method.startswith(pattern.removeprefix("method:")):
                return True
        elif pattern.endswith(":"):
            if any(r.startswith(pattern) for r in row.review_reasons):
                return True
        elif pattern in row.review_reasons:
            return True
    return False


def groups_of(row: FieldRow, groups: Mapping[str, Sequence[str]]) -> list[str]:
    return [name for name, patterns in groups.items() if matches(row, patterns)]


def group_of_reason(reason: str, groups: Mapping[str, Sequence[str]]) -> str | None:
    """The reason group one review reason belongs to (for its colour on the page)."""
    for name, patterns in groups.items():
        for p in patterns:
            if reason == p or (p.endswith(":") and reason.startswith(p)):
                return name
    return None


def queue(
    store: Store, flt: QueueFilter, groups: Mapping[str, Sequence[str]], limit: int
) -> list[FieldRow]:
    """Fields needing review, least confident first (then document, then field order)."""
    if flt.reason is not None and flt.reason not in groups:
        raise ValueError(f"unknown reason filter {flt.reason!r}; one of {sorted(groups)}")
    query = select(FieldRow).where(FieldRow.review_needed.is_(True))
    if flt.document is not None:
        query = query.where(FieldRow.document_id == flt.document)
    if flt.table:
        query = query.where(FieldRow.path.startswith(flt.table + ".", autoescape=True))
    query = query.order_by(FieldRow.confidence, FieldRow.document_id, FieldRow.id)
    out: list[FieldRow] = []
    with store.session() as session:
        for row in session.scalars(query.execution_options(yield_per=500)):
            if flt.reason is None or matches(row, groups[flt.reason]):
                out.append(row)
                if len(out) >= limit:
                    break
    return out


@dataclass(frozen=True)
class DocumentSummary:
    id: int
    label: str
    agency: str | None
    agency_id: int | None  # the archive's grouping (issue #16), None when not grouped
    year: int | None
    status: str
    to_review: int
    failed_checks: int
    reviewed: int


def documents(store: Store) -> list[DocumentSummary]:
    """Documents with fields to review, most to review first; then the finished ones."""
    with store.session() as session:
        failed = dict(
            session.execute(
                select(CheckRow.document_id, func.count())
                .where(CheckRow.passed.is_(False), CheckRow.severity == "hard")
                .group_by(CheckRow.document_id)
            ).all()
        )
        reviewed = dict(
            session.execute(
                select(FieldRow.document_id, func.count())
                .where(FieldRow.review_action.is_not(None))
                .group_by(FieldRow.document_id)
            ).all()
        )
        docs = session.scalars(
            select(Document).order_by(Document.fields_to_review.desc(), Document.id)
        ).all()
        return [
            DocumentSummary(
                id=d.id,
                label=d.label,
                agency=d.agency,
                agency_id=d.agency_id,
                year=d.year,
                status=d.status,
                to_review=d.fields_to_review,
                failed_checks=failed.get(d.id, 0),
                reviewed=reviewed.get(d.id, 0),
            )
            for d in docs
        ]


def field(store: Store, document_id: int, path: str) -> FieldRow | None:
    with store.session() as session:
        return session.scalar(
            select(FieldRow).where(FieldRow.document_id == document_id, FieldRow.path == path)
        )


# The record's field blocks, the table filter's choices (ReportRecord.iter_fields walks these).
TABLES = ("meta", "active_disclosure", "applications", "review_litigation", "items")


def checks_of(checks: Sequence[CheckRow], path: str) -> list[CheckRow]:
    """The checks a field takes part in."""
    return [c for c in checks if path in c.fields]


def review(store: Store, review_id: int) -> ReviewRow | None:
    with store.session() as session:
        return session.get(ReviewRow, review_id)
