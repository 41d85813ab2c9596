"""The repository: write one document's rows in one transaction, read records back, review.

`Store(url)` opens (and migrates to the newest schema) a SQLite file or a PostgreSQL database.
A document is identified by (content hash, config hash): `done()` answers whether a rerun can
skip it, and `save_record()` writes the document row, its fields, checks and errors in a single
transaction, so a run killed at any moment leaves either all of a document's rows or none.

Rows come back as detached ORM objects (pipeline.db.models); their relationships are not
loaded, read the ones you need through the methods here.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import ResolutionError
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, delete, event, func, insert, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

from ..datamodel.base import Feature, Method, ReviewReason
from ..datamodel.record import CheckRecord, ReportField, ReportRecord, Semantic
from ..errors import NianbaoError
from ..untrusted import scrub, storable
from .models import Base, CheckRow, Document, ErrorRow, FieldRow, ReviewRow
from .review_write import REVIEW_ACTIONS as REVIEW_ACTIONS
from .review_write import Identity, identity, write_decision

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class DatabaseError(NianbaoError):
    """The database cannot be opened or used; the message names the URL and the problem."""


class NotADatabaseError(DatabaseError):
    """The file is not an SQLite database, or the database holds tables that are not ours."""


class FutureSchemaError(DatabaseError):
    """The database was written by a newer nianbao (a schema revision this one does not know)."""


class MissingTablesError(DatabaseError):
    """The schema says it is current but tables are missing (dropped, or a damaged copy)."""


class ReadOnlyDatabaseError(DatabaseError):
    """A command that writes was given a database it cannot write to."""


class NoDatabaseError(DatabaseError):
    """A command that only reads was given a database that does not exist or is empty."""


SQLITE_MAGIC = b"SQLite format 3\x00"


def database_url(url_or_path: str) -> str:
    """A SQLAlchemy URL from what a user types: a URL, or a bare file path (-> SQLite).

    `postgresql://` without a driver means psycopg 3 (`postgresql+psycopg://`)."""
    if "://" not in url_or_path:
        return f"sqlite:///{Path(url_or_path).expanduser()}"
    if url_or_path.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url_or_path.split("://", 1)[1]
    return url_or_path


def _safe(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (a no-op when it is already there)."""
    with engine.connect() as probe:
        current = MigrationContext.configure(probe).get_current_revision()
    if current == head_revision():
        return
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")  # ON DELETE CASCADE needs it
    # readers (the review page) alongside the batch; a read-only file stays as it is
    with contextlib.suppress(sqlite3.OperationalError):
        cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable at each commit's end
    cur.close()


def _sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL (None: in memory, or not SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    name = parsed.database
    if name.startswith("file:"):  # a URI filename (?uri=true)
        name = name[5:].split("?", 1)[0]
    return Path(name)


def _inspect(engine: Engine) -> tuple[str | None, set[str]]:
    """(alembic revision, table names) of a database, read without writing anything."""
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        revision = None
        if "alembic_version" in tables:
            revision = MigrationContext.configure(conn).get_current_revision()
    return revision, tables - {"alembic_version"}


def check_database(url: str, *, write: bool) -> None:
    """Refuse, before anything is written, a database nianbao must not use; one typed
    DatabaseError naming the problem. `write`: the command will write (batch, review)."""
    shown = _safe(url)
    path = _sqlite_file(url)
    if path is not None:
        if not path.exists():
            if write:
                return  # a new database: created and migrated by Store
            raise NoDatabaseError(f"{shown}: no such database file")
        if not path.is_file():
            raise NotADatabaseError(f"{shown}: not a file (a folder or device)")
        with path.open("rb") as fh:
            magic = fh.read(len(SQLITE_MAGIC))
        if magic and magic != SQLITE_MAGIC:
            raise NotADatabaseError(f"{shown}: not an SQLite database (the file starts {magic!r})")
        # read-only; `immutable` also keeps SQLite from creating -wal/-shm files beside it
        # (only when there is no WAL to read: a live batch's last commits may be in it)
        wal = path.with_name(path.name + "-wal").exists()
        uri = f"file:{quote(str(path.absolute()))}?mode=ro" + ("" if wal else "&immutable=1")
        probe = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
    else:
        probe = create_engine(url)
    try:
        revision, tables = _inspect(probe)
        if write:
            _check_writable(probe, url)
    except OperationalError as exc:  # cannot connect (server down, no such folder, locked)
        raise DatabaseError(f"{shown}: cannot open the database: {_first_line(exc)}") from exc
    except (sqlite3.DatabaseError, SADatabaseError) as exc:
        raise NotADatabaseError(f"{shown}: cannot read the database: {_first_line(exc)}") from exc
    finally:
        probe.dispose()
    scripts = ScriptDirectory.from_config(_alembic_config())
    head = scripts.get_current_head()
    if revision is not None:
        try:
            scripts.get_revision(revision)
        except (CommandError, ResolutionError) as exc:
            raise FutureSchemaError(
                f"{shown}: schema revision {revision!r} is not one this nianbao knows (its "
                f"newest is {head!r}): written by a newer nianbao; upgrade nianbao to use it"
            ) from exc
    elif tables:
        raise NotADatabaseError(
            f"{shown}: not a nianbao database (it holds tables {', '.join(sorted(tables)[:5])} "
            "and no nianbao schema); nothing was written"
        )
    elif not write:
        raise NoDatabaseError(f"{shown}: an empty database, no nianbao records in it")
    if revision == head:
        missing = set(Base.metadata.tables) - tables
        if missing:
            raise MissingTablesError(
                f"{shown}: tables missing from a current nianbao schema: "
                f"{', '.join(sorted(missing))} (a damaged copy?); nothing was written"
            )


def _check_writable(probe: Engine, url: str) -> None:
    """Raise ReadOnlyDatabaseError when writing would fail: a read-only file or URI (SQLite),
    a read-only transaction or no INSERT right (PostgreSQL). Writes nothing."""
    shown = _safe(url)
    if probe.dialect.name == "sqlite":
        path = _sqlite_file(url)
        assert path is not None
        ro_uri = "mode=ro" in url
        if ro_uri or not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise ReadOnlyDatabaseError(f"{shown}: the database is read-only; nothing was written")
        return
    with probe.connect() as conn:
        read_only = conn.exec_driver_sql("SHOW transaction_read_only").scalar()
        if read_only == "on":
            raise ReadOnlyDatabaseError(f"{shown}: a read-only database; nothing was written")
        if "documents" in set(inspect(conn).get_table_names()):
            allowed = conn.exec_driver_sql(
                "SELECT has_table_privilege('documents', 'INSERT')"
            ).scalar()
            if not allowed:
                raise ReadOnlyDatabaseError(f"{shown}: no right to write the documents table")


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def open_store(url: str, *, write: bool = True) -> Store:
    """The Store for a URL or SQLite path after `check_database`: a typed DatabaseError
    (NotADatabaseError, FutureSchemaError, MissingTablesError, ReadOnlyDatabaseError,
    NoDatabaseError) names the problem, and nothing has been written. Commands turn it into
    exit code 2 and one line."""
    return Store(url, check=True, write=write)


def _now() -> datetime:
    return datetime.now(UTC)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _field_row(document_id: int, path: str, f: ReportField) -> dict[str, Any]:
    ev = f.evidence
    return {
        "document_id": document_id,
        "path": path,
        "value": f.value,
        "value_num": _number(f.value),
        "raw": f.raw,
        "semantic": f.semantic.value,
        "confidence": f.confidence,
        "document_confidence": f.confidence,
        "method": f.method,
        "review_needed": f.review.needed,
        "review_reasons": list(f.review.reasons),
        "evidence_page": ev.page,
        "evidence_bbox": list(ev.bbox) if ev.bbox is not None else None,
        "evidence_text": ev.text,
        "evidence_line": ev.line,
        "review_action": None,
        "reviewed_value": None,
        "reviewed_by": None,
        "reviewed_at": None,
    }


class Store:
    """One database. Thread-safe for reading; the batch runner writes from one process."""

    def __init__(self, url: str, *, check: bool = True, write: bool = True) -> None:
        """Open (and migrate) the database; `check` refuses a bad one first (check_database),
        `write` False for a command that only reads (a missing database is then an error)."""
        self.url = database_url(url)
        try:
            if check:
                check_database(self.url, write=write)
            kwargs: dict[str, Any] = {}
            if self.url.startswith("sqlite"):
                # Wait for another writer's transaction instead of failing at once.
                kwargs["connect_args"] = {"timeout": 60}
            self.engine = create_engine(self.url, **kwargs)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            migrate(self.engine)
        except (ArgumentError, OperationalError, ModuleNotFoundError) as exc:
            raise DatabaseError(
                f"{_safe(self.url)}: cannot open the database: {_first_line(exc)}"
            ) from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def session(self) -> Session:
        """A session for queries this API does not offer (the models are public)."""
        return self._sessions()

    # ---- writing ------------------------------------------------------------------------------
    def save_record(
        self,
        record: ReportRecord,
        content_hash: str,
        config_hash: str,
        *,
        label: str | None = None,
        elapsed_ms: float | None = None,
        replace: bool = False,
    ) -> int:
        """Write the document, its fields, checks and errors in ONE transaction; its id.

        A document already stored under (content_hash, config_hash) is kept as it is (the id
        is returned) unless `replace`, which deletes it with its reviews and writes it anew.
        Strings that are not storable text (lone surrogates) are scrubbed (nianbao.untrusted)."""
        record, record_json = storable(record)
        label = scrub(label) if label is not None else None
        with self._sessions.begin() as session:
            existing = self._find(session, content_hash, config_hash)
            if existing is not None:
                if not replace:
                    return existing
                session.execute(delete(Document).where(Document.id == existing))
            try:
                doc_id = self._insert(
                    session, record, record_json, content_hash, config_hash, label, elapsed_ms
                )
                session.flush()
            except IntegrityError:
                # Another writer stored it between our check and our insert: theirs stands.
                session.rollback()
                found = self.document_id(content_hash, config_hash)
                if found is None:
                    raise
                return found
        return doc_id

    def _insert(
        self,
        session: Session,
        record: ReportRecord,
        record_json: str,
        content_hash: str,
        config_hash: str,
        label: str | None,
        elapsed_ms: float | None,
    ) -> int:
        meta = record.meta
        year = meta.year.value if isinstance(meta.year.value, int) else None
        doc = Document(
            content_hash=content_hash,
            config_hash=config_hash,
            label=label or record.source.path,
            status=record.status.value,
            schema_version=record.schema_version,
            input_kind=record.source.input_kind,
            pages=record.source.pages,
            agency=str(meta.agency.value) if meta.agency.value is not None else None,
            year=year,
            template_version=record.template.version,
            review_needed=record.review.needed,
            fields_to_review=len(record.review.fields),
            elapsed_ms=elapsed_ms,
            record_json=record_json,
            created_at=_now(),
        )
        session.add(doc)
        session.flush()
        rows = [_field_row(doc.id, path, f) for path, f in record.iter_fields()]
        if rows:
            session.execute(insert(FieldRow), rows)
        checks = [
            {
                "document_id": doc.id,
                "position": i,
                "rule": c.rule,
                "passed": c.passed,
                "severity": c.severity,
                "fields": list(c.fields),
                "detail": c.detail,
            }
            for i, c in enumerate(record.checks)
        ]
        if checks:
            session.execute(insert(CheckRow), checks)
        errors = [
            {
                "document_id": doc.id,
                "position": i,
                "stage": e.stage,
                "code": e.code,
                "message": e.message,
                "page": e.page,
            }
            for i, e in enumerate(record.errors)
        ]
        if errors:
            session.execute(insert(ErrorRow), errors)
        return doc.id

    # ---- resume -------------------------------------------------------------------------------
    @staticmethod
    def _find(session: Session, content_hash: str, config_hash: str) -> int | None:
        return session.scalar(
            select(Document.id).where(
                Document.content_hash == content_hash, Document.config_hash == config_hash
            )
        )

    def document_id(self, content_hash: str, config_hash: str) -> int | None:
        with self._sessions() as session:
            return self._find(session, content_hash, config_hash)

    def done(self, content_hash: str, config_hash: str) -> bool:
        """Is this content already stored under this config (a rerun skips it)?"""
        return self.document_id(content_hash, config_hash) is not None

    def done_hashes(self, config_hash: str, *, except_codes: Sequence[str] = ()) -> set[str]:
        """Content hashes stored under this config, leaving out documents that carry an error
        with one of `except_codes` (e.g. `timeout`, to retry those)."""
        with self._sessions() as session:
            done = set(
                session.scalars(
                    select(Document.content_hash).where(Document.config_hash == config_hash)
                )
            )
            if except_codes:
                retry = session.scalars(
                    select(Document.content_hash)
                    .join(ErrorRow, ErrorRow.document_id == Document.id)
                    .where(Document.config_hash == config_hash, ErrorRow.code.in_(except_codes))
                )
                done -= set(retry)
        return done

    # ---- reading ------------------------------------------------------------------------------
    def count(self) -> int:
        with self._sessions() as session:
            return session.scalar(select(func.count()).select_from(Document)) or 0

    def documents(self, *, status: str | None = None) -> list[Document]:
        with self._sessions() as session:
            query = select(Document).order_by(Document.id)
            if status is not None:
                query = query.where(Document.status == status)
            return list(session.scalars(query))

    def document(self, document_id: int) -> Document:
        with self._sessions() as session:
            doc = session.get(Document, document_id)
        if doc is None:
            raise KeyError(f"no document with id {document_id}")
        return doc

    def fields(self, document_id: int) -> list[FieldRow]:
        with self._sessions() as session:
            query = select(FieldRow).where(FieldRow.document_id == document_id)
            return list(session.scalars(query.order_by(FieldRow.id)))

    def checks(self, document_id: int) -> list[CheckRow]:
        with self._sessions() as session:
            query = select(CheckRow).where(CheckRow.document_id == document_id)
            return list(session.scalars(query.order_by(CheckRow.position)))

    def errors(self, document_id: int) -> list[ErrorRow]:
        with self._sessions() as session:
            query = select(ErrorRow).where(ErrorRow.document_id == document_id)
            return list(session.scalars(query.order_by(ErrorRow.position)))

    def record(self, document_id: int, *, reviewed: bool = True) -> ReportRecord:
        """The record as extracted, with the review decisions applied when `reviewed`."""
        doc = self.document(document_id)
        record = ReportRecord.model_validate_json(doc.record_json)
        if reviewed:
            rows = self.fields(document_id)
            apply_archive(record, rows)
            apply_reviews(record, rows, self.checks(document_id))
        return record

    def records(self, *, reviewed: bool = True) -> Iterator[tuple[Document, ReportRecord]]:
        """Every stored document with its record, in id order, read in pages of 100."""
        last = 0
        while True:
            with self._sessions() as session:
                page = list(
                    session.scalars(
                        select(Document).where(Document.id > last).order_by(Document.id).limit(100)
                    )
                )
            if not page:
                return
            for doc in page:
                record = ReportRecord.model_validate_json(doc.record_json)
                if reviewed:
                    rows = self.fields(doc.id)
                    apply_archive(record, rows)
                    apply_reviews(record, rows, self.checks(doc.id))
                yield doc, record
            last = page[-1].id

    # ---- review -------------------------------------------------------------------------------
    def fields_needing_review(
        self, document_id: int | None = None, *, limit: int | None = None
    ) -> list[FieldRow]:
        """Fields still flagged for review, least confident first (one document or all)."""
        with self._sessions() as session:
            query = select(FieldRow).where(FieldRow.review_needed.is_(True))
            if document_id is not None:
                query = query.where(FieldRow.document_id == document_id)
            query = query.order_by(FieldRow.document_id, FieldRow.confidence, FieldRow.id)
            if limit is not None:
                query = query.limit(limit)
            return list(session.scalars(query))

    def apply_review(
        self,
        document_id: int,
        path: str,
        action: str,
        reviewer: str,
        *,
        new_value: Any = None,
        note: str | None = None,
        then: Callable[[Session, int], None] | None = None,
        seen_version: int | None = None,
        expected: Identity | None = None,
        busy_timeout_s: float | None = None,
    ) -> ReviewRow:
        """Record one decision and update the field, in one transaction.

        accept: the current value is right; correct: `new_value` replaces it; unreadable: the
        source cannot be read (value becomes None). The field no longer needs review.
        `then(session, document_id)` runs inside the same transaction once the field is updated
        (the review page re-runs the document's checks there). `seen_version` (the field's
        `review_version` the reviewer saw), `expected` (the database's `identity()` when the
        page started) and `busy_timeout_s`: see db/review_write.py (StaleDecision,
        DatabaseChanged, DatabaseBusy)."""
        return write_decision(
            self,
            document_id,
            path,
            action,
            reviewer,
            new_value=new_value,
            note=note,
            seen_version=seen_version,
            expected=expected,
            busy_timeout_s=busy_timeout_s,
            then=then,
        )

    def identity(self) -> Identity:
        """Which database this is (instance id; SQLite file device and inode)."""
        return identity(self)

    def reviews(self, document_id: int | None = None) -> list[ReviewRow]:
        with self._sessions() as session:
            query = select(ReviewRow).order_by(ReviewRow.id)
            if document_id is not None:
                query = query.where(ReviewRow.document_id == document_id)
            return list(session.scalars(query))


def check_record(row: CheckRow) -> CheckRecord:
    """A stored check row as the record's CheckRecord."""
    return CheckRecord(
        rule=row.rule,
        passed=row.passed,
        fields=list(row.fields),
        detail=row.detail,
        severity="soft" if row.severity == "soft" else "hard",
    )


def apply_reviews(
    record: ReportRecord, rows: Sequence[FieldRow], checks: Sequence[CheckRow] = ()
) -> None:
    """Overlay the latest review decision of each field onto the record (method `review`).

    A corrected value gets the semantic of what the reviewer typed (number, zero, text; missing
    when unreadable). The checks are the stored rows, which the review page re-runs after each
    decision, so an export shows a 勾稽 relation a correction cleared as passed."""
    reviewed = False
    for row in rows:
        if row.review_action is None:
            continue
        reviewed = True
        field = record.get(row.path)
        field.review.previous_value = field.value
        field.value = row.reviewed_value
        if row.review_action != "accept":
            field.semantic = _semantic_of(row.reviewed_value)
        field.method = Method.review
        field.confidence = 1.0 if row.review_action != "unreadable" else 0.0
        field.review.needed = False
        field.review.reviewed_by = row.reviewed_by
        field.review.reviewed_at = row.reviewed_at.isoformat() if row.reviewed_at else None
    if reviewed:
        record.review.fields = [p for p, f in record.iter_fields() if f.review.needed]
        record.review.needed = bool(record.review.fields)
        if checks:
            record.checks = [check_record(c) for c in checks]


def apply_archive(record: ReportRecord, rows: Sequence[FieldRow]) -> None:
    """Overlay the archive's verdict on each field (pipeline/archive): `agree` adds the feature
    cross_year_agree and the confidence agreement raised it to (dropping low_confidence when
    the raise took it away), `conflict` the review reason cross_year_conflict naming the other
    document (the field then needs review). Review decisions are applied after this."""
    changed = False
    low = ReviewReason.low_confidence.value
    for row in rows:
        if row.cross_year is None:
            continue
        field = record.get(row.path)
        if row.cross_year == "agree":
            field.features[Feature.cross_year_agree] = 1.0
            field.confidence = row.confidence
            if low in field.review.reasons and low not in (row.review_reasons or []):
                field.review.reasons.remove(low)
                field.review.needed = bool(field.review.reasons)
                changed = True
        elif row.cross_year == "conflict":
            prefix = ReviewReason.cross_year_conflict.value
            for text in row.review_reasons or []:
                if text.startswith(prefix) and text not in field.review.reasons:
                    field.review.reasons.append(text)
                    field.review.needed = True
                    changed = True
    if changed:
        record.review.fields = [p for p, f in record.iter_fields() if f.review.needed]
        record.review.needed = bool(record.review.fields)


def _semantic_of(value: Any) -> Semantic:
    """What a reviewed value is: 0 -> zero, another number -> number, None -> missing."""
    if value is None:
        return Semantic.missing
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Semantic.zero if value == 0 else Semantic.number
    return Semantic.text
