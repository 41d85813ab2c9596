"""Writing one review decision so that it is either durably saved or refused with a reason.

- Optimistic concurrency: every field has a `review_version` (its number of decisions). A
  decision names the version the reviewer saw; the field is claimed with a conditional UPDATE
  (`... WHERE review_version = seen`), which on PostgreSQL waits for a concurrent writer's row
  lock and then re-reads, and on SQLite runs under the write lock the transaction takes first
  (`BEGIN IMMEDIATE`). A decision made on an older version raises `StaleDecision` carrying the
  field's current value and version, and writes nothing; so the history's previous values form
  one chain (each decision's previous value is the one before's new value).
- Identity: a running review page remembers the database it opened (`Identity`: the stored
  instance id, and for SQLite the file's device and inode). Each write checks both inside its
  transaction and again after the commit; a database deleted, replaced or made anew under the
  same URL raises `DatabaseChanged`, and the decision is not reported as saved.
- Durability and waiting: on SQLite the decision's connection runs with `synchronous=FULL` (the
  WAL is synced at commit, not only at checkpoints) and a short busy timeout; a database another
  program keeps locked raises `DatabaseBusy` after that time instead of hanging.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from ..errors import NianbaoError
from .models import Document, FieldRow, InstanceRow, ReviewRow

if TYPE_CHECKING:
    from .store import Store

REVIEW_ACTIONS = ("accept", "correct", "unreadable")


class StaleDecision(NianbaoError):
    """Another decision on the field came first; nothing was written."""

    def __init__(
        self,
        document_id: int,
        path: str,
        seen: int,
        current: FieldRow,
    ) -> None:
        self.document_id = document_id
        self.path = path
        self.seen = seen
        self.version = current.review_version
        self.value = current.reviewed_value if current.review_action else current.value
        self.action = current.review_action
        self.by = current.reviewed_by
        self.at = current.reviewed_at
        who = f" by {self.by}" if self.by else ""
        super().__init__(
            f"{path}: another decision ({self.action}{who}) was saved after you opened this "
            f"field; its value is now {self.value!r}. Yours was not saved: decide again."
        )


class DatabaseChanged(NianbaoError):
    """The database is not the one the page opened (deleted, replaced, made anew)."""


class DatabaseBusy(NianbaoError):
    """Another program keeps the database locked longer than the busy timeout."""


@dataclass(frozen=True)
class Identity:
    """Which database this is: its instance id and, for a SQLite file, (device, inode)."""

    instance: str | None
    file: tuple[int, int] | None


def sqlite_file(url: str) -> str | None:
    """The file of a SQLite URL (None for other databases and in-memory ones)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return str(parsed.database)


def _file_id(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return (st.st_dev, st.st_ino)


def identity(store: Store) -> Identity:
    """The database as it is now (the review page takes this once, at start)."""
    with store.session() as session:
        instance = session.scalar(select(InstanceRow.instance).limit(1))
    path = sqlite_file(store.url)
    return Identity(instance, _file_id(path) if path else None)


def check_identity(store: Store, expected: Identity, session: Session | None = None) -> None:
    """Raise DatabaseChanged unless the database is still `expected` (the file only, without
    `session`; with it, the stored instance id too)."""
    path = sqlite_file(store.url)
    if path is not None and expected.file is not None:
        try:
            now = _file_id(path)
        except FileNotFoundError:
            raise DatabaseChanged(
                f"{path}: the database file was deleted while the review page ran; "
                "nothing can be saved: restore it and restart `nianbao review`"
            ) from None
        if now != expected.file:
            raise DatabaseChanged(
                f"{path}: the database file was replaced while the review page ran; "
                "nothing was saved: restart `nianbao review` to review the new one"
            )
    if session is not None and expected.instance is not None:
        instance = session.scalar(select(InstanceRow.instance).limit(1))
        if instance != expected.instance:
            raise DatabaseChanged(
                "the database was made anew while the review page ran (its instance id "
                "changed); nothing was saved: restart `nianbao review`"
            )


def _begin(session: Session, busy_timeout_s: float | None) -> None:
    """Open the write: SQLite takes its write lock now (so no other decision slips in between
    reading and writing), PostgreSQL needs nothing (the row locks do it)."""
    if session.get_bind().dialect.name != "sqlite":
        return
    if busy_timeout_s is not None:
        session.execute(text(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}"))
    session.execute(text("PRAGMA synchronous = FULL"))
    session.execute(text("BEGIN IMMEDIATE"))


@contextmanager
def write_transaction(
    store: Store, expected: Identity | None, busy_timeout_s: float | None
) -> Iterator[Session]:
    """One reviewer write: the database identity checked before, inside and after it, SQLite's
    write lock taken at once (`_begin`), a lock held past `busy_timeout_s` a `DatabaseBusy`."""
    if expected is not None:
        check_identity(store, expected)  # a deleted file: before anything is created
    try:
        with store.session() as session, session.begin():
            _begin(session, busy_timeout_s)
            if expected is not None:
                check_identity(store, expected, session)
            yield session
            session.flush()
    except OperationalError as exc:
        if "locked" in str(exc.orig) or "busy" in str(exc.orig):
            raise DatabaseBusy(
                "the database is locked by another program (a batch writing, a backup?); "
                "nothing was saved: try again in a moment"
            ) from exc
        raise
    if expected is not None:
        check_identity(store, expected)  # replaced between our check and the commit


def _now() -> datetime:
    return datetime.now(UTC)


def write_decision(
    store: Store,
    document_id: int,
    path: str,
    action: str,
    reviewer: str,
    *,
    new_value: Any = None,
    note: str | None = None,
    seen_version: int | None = None,
    expected: Identity | None = None,
    busy_timeout_s: float | None = None,
    then: Callable[[Session, int], None] | None = None,
) -> ReviewRow:
    """Record one decision and update the field, in one transaction (see the module doc).

    `seen_version` None skips the version check (a script deciding on its own); `expected`
    None skips the identity check."""
    if action not in REVIEW_ACTIONS:
        raise ValueError(f"unknown review action {action!r}; one of {REVIEW_ACTIONS}")
    if not reviewer:
        raise ValueError("a review needs the reviewer's name")
    if action == "correct" and new_value is None:
        raise ValueError("`correct` needs the new value")
    with write_transaction(store, expected, busy_timeout_s) as session:
        # One decision per document at a time (its checks are re-run from all its fields).
        doc = session.scalar(select(Document).where(Document.id == document_id).with_for_update())
        where = [FieldRow.document_id == document_id, FieldRow.path == path]
        if seen_version is not None:
            where.append(FieldRow.review_version == seen_version)
        claimed = session.execute(
            update(FieldRow)
            .where(*where)
            .values(review_version=FieldRow.review_version + 1)
            .execution_options(synchronize_session=False)
        )
        field = session.scalar(select(FieldRow).where(*where[:2]))
        if doc is None or field is None:
            raise KeyError(f"document {document_id} has no field {path!r}")
        if claimed.rowcount == 0:  # type: ignore[attr-defined]
            assert seen_version is not None
            raise StaleDecision(document_id, path, seen_version, field)
        session.refresh(field)
        previous = field.reviewed_value if field.review_action else field.value
        value = {"accept": previous, "correct": new_value, "unreadable": None}[action]
        stamp = _now()
        review = ReviewRow(
            document_id=document_id,
            field_path=path,
            action=action,
            previous_value=previous,
            new_value=value,
            reviewer=reviewer,
            note=note,
            created_at=stamp,
        )
        session.add(review)
        field.review_action = action
        field.reviewed_value = value
        field.reviewed_by = reviewer
        field.reviewed_at = stamp
        field.review_needed = False
        session.flush()
        left = session.scalar(
            select(func.count())
            .select_from(FieldRow)
            .where(FieldRow.document_id == document_id, FieldRow.review_needed.is_(True))
        )
        doc.fields_to_review = left or 0
        doc.review_needed = bool(left)
        if then is not None:
            then(session, document_id)
        session.flush()
        session.expunge(review)
    return review
