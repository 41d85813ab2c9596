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
