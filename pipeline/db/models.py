"""The database schema (SQLAlchemy 2 declarative), the same on SQLite and PostgreSQL.

One row per document (identified by content hash + config hash, with the full record JSON so an
export reproduces the record exactly), one row per Field, per check, per error, and one row per
review decision. Schema changes go through a migration in `migrations/versions/` (the test
`tests/db/test_migrations.py` fails when these models and the migrations disagree).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints, so migrations can alter them on every backend (SQLite batch mode too).
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# A JSON value: SQL NULL for None (not the JSON literal null); JSONB on PostgreSQL.
JsonValue = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")
Stamp = DateTime(timezone=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _document_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True)


class Document(Base):
    """One processed document: what it was, how it went, and the record as written."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("content_hash", "config_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the file's bytes
    config_hash: Mapped[str] = mapped_column(String(64))  # Settings.digest()
    label: Mapped[str] = mapped_column(Text)  # path, or archive.zip!member/name.pdf
    status: Mapped[str] = mapped_column(String(16), index=True)  # ok | partial | failed
    schema_version: Mapped[str] = mapped_column(String(16))
    input_kind: Mapped[str | None] = mapped_column(String(16))
    pages: Mapped[int | None] = mapped_column(Integer)
    agency: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)
    template_version: Mapped[str] = mapped_column(String(16))
    review_needed: Mapped[bool] = mapped_column(Boolean)
    fields_to_review: Mapped[int] = mapped_column(Integer)
    elapsed_ms: Mapped[float | None] = mapped_column(Float)  # wall time of the extraction
    # The archive (issue #16, pipeline/archive): which agency the report belongs to (None: no
    # agency read, or not grouped yet), whether a reviewer set that grouping (then it is kept
    # when the archive re-groups), and the report's place among its agency's reports of the
    # same year: primary | duplicate (same statutory figures as the primary) | revised (another
    # version of the same agency-year); None while alone or not grouped.
    # (no foreign keys on these two: adding one to an existing SQLite table means copying it,
    # and dropping the old `documents` would cascade to every field row; the archive code
    # keeps them right: a merged agency's documents move, a deleted document's shadows clear)
    agency_id: Mapped[int | None] = mapped_column(Integer, index=True)
    agency_by_reviewer: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    series_role: Mapped[str | None] = mapped_column(String(16))
    same_as_id: Mapped[int | None] = mapped_column(Integer)  # the primary a second one shadows
    record_json: Mapped[str] = mapped_column(Text)  # ReportRecord.model_dump_json(), verbatim
    created_at: Mapped[datetime] = mapped_column(Stamp)

    fields: Mapped[list[FieldRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )
    checks: Mapped[list[CheckRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="CheckRow.position"
    )
    errors: Mapped[list[ErrorRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ErrorRow.position"
    )
    reviews: Mapped[list[ReviewRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ReviewRow.id"
    )


class FieldRow(Base):
    """One Field of a record at its dotted path (meta.year, applications.new.total, ...)."""

    __tablename__ = "fields"
    __table_args__ = (
        UniqueConstraint("document_id", "path"),
        Index("ix_fields_review_needed", "review_needed"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = _document_fk()
    path: Mapped[str] = mapped_column(String(200))
    value: Mapped[Any] = mapped_column(JsonValue, nullable=True)  # int|float|str|None, as read
    value_num: Mapped[float | None] = mapped_column(Float)  # numeric value, for SQL queries
    raw: Mapped[str | None] = mapped_column(Text)
    semantic: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(64))
    review_needed: Mapped[bool] = mapped_column(Boolean)
    review_reasons: Mapped[list[str]] = mapped_column(JsonValue)
    evidence_page: Mapped[int | None] = mapped_column(Integer)
    evidence_bbox: Mapped[list[float] | None] = mapped_column(JsonValue)  # [x0, y0, x1, y1]
    evidence_text: Mapped[str | None] = mapped_column(Text)
    evidence_line: Mapped[int | None] = mapped_column(Integer)
    # Set by the latest review decision (the `reviews` table keeps every decision).
    review_action: Mapped[str | None] = mapped_column(String(16))  # accept|correct|unreadable
    reviewed_value: Mapped[Any] = mapped_column(JsonValue, nullable=True)
    reviewed_by: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(Stamp)
    # How many decisions the field has had: a decision names the version it was made on and is
    # refused (stale) when another came first (optimistic concurrency, db/review_write.py).
    review_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The archive's verdict on this field (pipeline/archive): None (in no cross-year check or
    # not assessable), "agree" (every cross-year check it is in passed: Feature.cross_year_agree)
    # or "conflict" (a hard cross-year check failed and this field is the likely culprit or
    # cannot be cleared: ReviewReason.cross_year_conflict is then in review_reasons, naming the
    # other document, and review_needed is set). Recomputed each time the archive checks run.
    cross_year: Mapped[str | None] = mapped_column(String(16))
    # The confidence the field's own report gave it (`confidence` is that, raised when the
    # field's cross-year relation holds: pipeline/archive/agreement.py). None in rows stored
    # before the column existed: `confidence` is then the report's.
    document_confidence: Mapped[float | None] = mapped_column(Float)

    document: Mapped[Document] = relationship(back_populates="fields")


class CheckRow(Base):
    """One 勾稽 check of a record, in the record's order."""

    __tablename__ = "checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = _document_fk()
    position: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(Text)
    passed: Mapped[bool | None] = mapped_column(Boolean)  # None: not assessable
    severity: Mapped[str] = mapped_column(String(8))
    fields: Mapped[list[str]] = mapped_column(JsonValue)
    detail: Mapped[str] = mapped_column(Text)


class ErrorRow(Base):
    """One error item of a record (a stage error, bad input, or a batch-level failure such as
    `timeout`, `memory_limit`, `worker_crashed`)."""

    __tablename__ = "errors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = _document_fk()
    position: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(64), index=True)
    message: Mapped[str] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer)


class InstanceRow(Base):
    """One row: a random id made when the database was created. A review page checks it at
    each write, so a database dropped and made anew under the same URL is not written to."""

    __tablename__ = "instance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance: Mapped[str] = mapped_column(String(32))


class ReviewRow(Base):
    """One review decision on one field; the history is kept, the field holds the latest."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = _document_fk()
    field_path: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(16))  # accept | correct | unreadable
    previous_value: Mapped[Any] = mapped_column(JsonValue, nullable=True)
    new_value: Mapped[Any] = mapped_column(JsonValue, nullable=True)
    reviewer: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Stamp)


class Agency(Base):
    """One agency: the reports of all its years point to it (documents.agency_id).

    `key` is the normalised name (pipeline/archive/identity.py: simplified characters, 人民政府
    for 政府, no parent region prefix, OCR confusions folded); `name` the fullest name as printed.
    Renames and OCR variants are further keys in `agency_names`."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(Text)  # the place part (聊城市), when read
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"))
    by_reviewer: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(Stamp)


class AgencyName(Base):
    """A key that resolves to an agency: its own key, a variant seen in a report (short form,
    OCR misreading), a former name (a report saying 原X更名为Y), or one a reviewer added."""

    __tablename__ = "agency_names"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(Text)  # as printed
    source: Mapped[str] = mapped_column(String(16))  # own | variant | rename | reviewer


class ArchiveCheck(Base):
    """One cross-report check of the archive (pipeline/template/archive_rules.yaml).

    Cross-year relations compare document a (year_a) with document b (year_b = year_a + 1);
    `one_report_per_year` names a second report of one agency-year (b: the duplicate or the
    revised version, a: the primary); `year_gap` names missing years (year_a..year_b, no
    documents). Rows are replaced whenever the checks of their years run again."""

    __tablename__ = "archive_checks"
    __table_args__ = (Index("ix_archive_checks_agency_years", "agency_id", "year_a", "year_b"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule: Mapped[str] = mapped_column(String(64), index=True)  # archive_rules.yaml id
    binding: Mapped[str] = mapped_column(String(64), default="")  # e.g. the applicant column
    agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), nullable=False
    )
    year_a: Mapped[int | None] = mapped_column(Integer)
    year_b: Mapped[int | None] = mapped_column(Integer)
    document_a_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    document_b_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    fields_a: Mapped[list[str]] = mapped_column(JsonValue)  # field paths in document a
    fields_b: Mapped[list[str]] = mapped_column(JsonValue)  # field paths in document b
    value_a: Mapped[float | None] = mapped_column(Float)  # the side of year a, as computed
    value_b: Mapped[float | None] = mapped_column(Float)  # the side of year b
    expected: Mapped[str] = mapped_column(Text)  # the relation, e.g. "a.x == b.y"
    difference: Mapped[float | None] = mapped_column(Float)  # value_b - value_a
    outcome: Mapped[str] = mapped_column(String(16), index=True)  # pass|fail|soft_diff|unassessable
    severity: Mapped[str] = mapped_column(String(8))  # hard | soft
    culprit_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL")
    )
    culprit_field: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Stamp)
