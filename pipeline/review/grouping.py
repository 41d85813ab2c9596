"""A reviewer corrects the archive's grouping (issue #16): move a document to another agency (or
to a new one), or rename an agency. The archive does the work (`archive.regroup`,
`archive.new_agency`, `archive.rename_agency`, which re-run the cross-year checks of the years
they touch); this module wraps each in the review page's write conventions:

- one transaction, on SQLite under the write lock taken first (BEGIN IMMEDIATE) with the page's
  short busy timeout, so nothing slips in between reading what the reviewer saw and writing;
- optimistic concurrency: the form carries what the reviewer saw (the document's agency id, the
  agency's name); when another reviewer changed it first, `GroupingConflict` is raised and
  nothing is written (the page answers 409 with the agency as it is now);
- the database identity the page opened is checked before, inside and after the write
  (`DatabaseChanged`), and a lock held too long is `DatabaseBusy`: never a "saved" that was not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import archive
from ..db import Store
from ..db.models import Agency, Document
from ..db.review_write import Identity, write_transaction
from ..errors import NianbaoError

T = TypeVar("T")
MAX_NAME = 200  # agencies.key is String(200); a longer name is a typing slip


class GroupingConflict(NianbaoError):
    """What the reviewer saw changed before the correction was saved; nothing was written."""


class GroupingError(ValueError):
    """A correction that cannot be made (unknown agency, empty or overlong name)."""


def _write(
    store: Store,
    expected: Identity | None,
    busy_timeout_s: float | None,
    work: Callable[[Session], T],
) -> T:
    with write_transaction(store, expected, busy_timeout_s) as session:
        return work(session)


_HAN = re.compile(r"[\u4e00-\u9fff]")  # an agency is named in Chinese characters


def clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise GroupingError("type the agency's name")
    if "\x00" in name:
        raise GroupingError("the name contains a NUL character")
    if len(name) > MAX_NAME:
        raise GroupingError(f"the name is {len(name)} characters long (at most {MAX_NAME})")
    if len(_HAN.findall(name)) < 2:  # "12345", "abc": a slip of the keyboard, not an agency
        raise GroupingError(f"{name!r} is no agency name: it needs Chinese characters (…局, …政府)")
    return name


def move_document(
    store: Store,
    document_id: int,
    seen_agency: int | None,
    *,
    to_agency: int | None = None,
    new_name: str | None = None,
    expected: Identity | None = None,
    busy_timeout_s: float | None = None,
    judge: archive.Judge | None = None,
) -> int:
    """Move the document to `to_agency`, or to a new agency called `new_name`; the agency id it
    now belongs to. `seen_agency`: the agency the reviewer saw it in."""
    if to_agency is None and new_name is None:
        raise GroupingError("choose another agency or type a new agency's name")
    name = clean_name(new_name) if to_agency is None and new_name is not None else None

    def work(session: Session) -> int:
        doc = session.get(Document, document_id)
        if doc is None:
            raise GroupingError(f"no document {document_id}")
        if doc.agency_id != seen_agency:
            raise GroupingConflict(
                f"document {document_id} was moved (to agency {doc.agency_id}) after you "
                "opened this page; nothing was saved: look again"
            )
        if name is not None:
            try:
                target = archive.new_agency(session, name).id
            except ValueError as exc:  # a name that keys to no agency
                raise GroupingError(str(exc)) from None
        else:
            assert to_agency is not None
            if session.get(Agency, to_agency) is None:
                raise GroupingError(f"no agency {to_agency}")
            target = to_agency
        if target != doc.agency_id:
            archive.regroup(session, document_id, target, judge)
        return target

    return _write(store, expected, busy_timeout_s, work)


def rename_agency(
    store: Store,
    agency_id: int,
    seen_name: str,
    name: str,
    *,
    expected: Identity | None = None,
    busy_timeout_s: float | None = None,
) -> None:
    new = clean_name(name)

    def work(session: Session) -> None:
        found = session.scalar(select(Agency).where(Agency.id == agency_id))
        if found is None:
            raise GroupingError(f"no agency {agency_id}")
        if found.name != seen_name:
            raise GroupingConflict(
                f"the agency was renamed to {found.name!r} after you opened this page; "
                "nothing was saved: look again"
            )
        if new != found.name:
            archive.rename_agency(session, agency_id, new)

    _write(store, expected, busy_timeout_s, work)
