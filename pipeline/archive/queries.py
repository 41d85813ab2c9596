"""What the review page and the exports read from the archive tables (issue #16).

Every function takes an open Session and commits nothing; those that change the grouping
re-run the archive checks of the years they touch inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from ..db.models import Agency, ArchiveCheck, Document, FieldRow
from .checks import FAIL, SOFT_DIFF, Judge, RunSummary, check_agency
from .identity import Directory, naming
from .rules import load_archive_rules


def checks_for_document(session: Session, doc_id: int) -> list[ArchiveCheck]:
    """Every archive check where the document is side a or b, in year and rule order."""
    query = select(ArchiveCheck).where(
        or_(ArchiveCheck.document_a_id == doc_id, ArchiveCheck.document_b_id == doc_id)
    )
    order = (ArchiveCheck.year_a, ArchiveCheck.rule, ArchiveCheck.binding, ArchiveCheck.id)
    return list(session.scalars(query.order_by(*order)))


def checks_for_field(session: Session, doc_id: int, path: str) -> list[ArchiveCheck]:
    """The archive checks naming `path` on the document's own side."""
    out = []
    for row in checks_for_document(session, doc_id):
        mine = row.fields_a if row.document_a_id == doc_id else row.fields_b
        if path in mine:
            out.append(row)
    return out


def counterpart(check: ArchiveCheck, doc_id: int) -> tuple[int | None, list[str], float | None]:
    """The other side of a check seen from `doc_id`: (document id, field paths, value).
    The value is the other side of the relation (value_b for side a and so on)."""
    if check.document_a_id == doc_id:
        return check.document_b_id, list(check.fields_b), check.value_b
    return check.document_a_id, list(check.fields_a), check.value_a


@dataclass
class SeriesYear:
    year: int
    primary_id: int | None  # None: a gap
    others: list[tuple[int, str]] = field(default_factory=list)  # (document id, role)
    figures: dict[str, float | None] = field(default_factory=dict)
    failed: list[ArchiveCheck] = field(default_factory=list)  # fail/soft_diff rows of the year


@dataclass
class Series:
    agency: Agency
    years: list[SeriesYear]
    gaps: list[int]
    checks: list[ArchiveCheck]


def series(session: Session, agency_id: int) -> Series:
    """An agency's reports by year (gaps included), the statutory figures of each year's
    primary (archive_rules.yaml `series_figures`, reviewed values where decided) and the
    failed or differing checks of each year."""
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise KeyError(f"no agency with id {agency_id}")
    docs = session.execute(
        select(Document.id, Document.year, Document.series_role)
        .where(Document.agency_id == agency_id, Document.year.is_not(None))
        .order_by(Document.year, Document.id)
    ).all()
    checks = list(
        session.scalars(
            select(ArchiveCheck)
            .where(ArchiveCheck.agency_id == agency_id)
            .order_by(ArchiveCheck.year_a, ArchiveCheck.rule, ArchiveCheck.binding)
        )
    )
    by_year: dict[int, SeriesYear] = {}
    for doc_id, year, role in docs:
        if year is None:
            continue
        entry = by_year.setdefault(year, SeriesYear(year, None))
        if role in (None, "primary") and entry.primary_id is None:
            entry.primary_id = doc_id
        else:
            entry.others.append((doc_id, role or ""))
    gaps: list[int] = []
    if by_year:
        for y in range(min(by_year), max(by_year) + 1):
            if y not in by_year:
                by_year[y] = SeriesYear(y, None)
                gaps.append(y)
    spec = load_archive_rules().series_figures
    paths = sorted({p for ps in spec.values() for p in ps})
    primaries = [e.primary_id for e in by_year.values() if e.primary_id is not None]
    values: dict[tuple[int, str], float | None] = {}
    if primaries:
        rows = session.execute(
            select(
                FieldRow.document_id,
                FieldRow.path,
                FieldRow.value_num,
                FieldRow.semantic,
                FieldRow.review_action,
                FieldRow.reviewed_value,
            ).where(FieldRow.document_id.in_(primaries), FieldRow.path.in_(paths))
        )
        for doc_id, path, num, semantic, action, reviewed in rows:
            if action is not None:
                ok = isinstance(reviewed, int | float) and not isinstance(reviewed, bool)
                num = float(reviewed) if ok else None
            elif semantic in ("zero", "blank"):
                num = 0.0
            values[(doc_id, path)] = num
    for entry in by_year.values():
        if entry.primary_id is None:
            continue
        for key, ps in spec.items():
            parts = [values.get((entry.primary_id, p)) for p in ps]
            entry.figures[key] = (
                None if any(v is None for v in parts) else sum(v for v in parts if v is not None)
            )
    for row in checks:
        if row.outcome not in (FAIL, SOFT_DIFF):
            continue
        for when in {row.year_a, row.year_b}:
            if when is not None and when in by_year and row.rule != "year_gap":
                by_year[when].failed.append(row)
    return Series(agency, [by_year[y] for y in sorted(by_year)], gaps, checks)


def agencies(session: Session) -> list[tuple[Agency, int]]:
    """Every agency with the number of its documents, by name."""
    counts = dict(
        session.execute(
            select(Document.agency_id, func.count())
            .where(Document.agency_id.is_not(None))
            .group_by(Document.agency_id)
        ).all()
    )
    rows = session.scalars(select(Agency).order_by(Agency.name, Agency.id))
    return [(a, counts.get(a.id, 0)) for a in rows]


def new_agency(session: Session, name: str) -> Agency:
    """A reviewer creates an agency (or gets the one its name already keys to)."""
    k = naming().key(name)
    if k is None:
        raise ValueError(f"{name!r} is no agency name")
    directory = Directory(session)
    found = directory.by_full.get(k.full)
    agency_id = found if found is not None else directory.create(k, by_reviewer=True)
    agency = session.get(Agency, agency_id)
    assert agency is not None
    return agency


def rename_agency(session: Session, agency_id: int, name: str) -> None:
    """A reviewer edits an agency's display name; the name's key also leads to it."""
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise KeyError(f"no agency with id {agency_id}")
    agency.name = name
    agency.by_reviewer = True
    k = naming().key(name)
    if k is not None:
        Directory(session).add_name(agency_id, k, "reviewer")
    session.flush()


def regroup(
    session: Session, doc_id: int, agency_id: int, judge: Judge | None = None
) -> RunSummary:
    """A reviewer moves a document to another agency: the grouping is kept from now on
    (documents.agency_by_reviewer), and the checks of the old and the new agency for the
    document's year (and its neighbours) run again."""
    doc = session.get(Document, doc_id)
    if doc is None:
        raise KeyError(f"no document with id {doc_id}")
    if session.get(Agency, agency_id) is None:
        raise KeyError(f"no agency with id {agency_id}")
    old = doc.agency_id
    session.execute(
        update(Document)
        .where(Document.id == doc_id)
        .values(agency_id=agency_id, agency_by_reviewer=True, series_role=None, same_as_id=None)
    )
    session.flush()
    session.expire(doc)
    summary = RunSummary()
    years = {doc.year} if doc.year is not None else set()
    # the old agency first (its rows naming the document go), then the new one, which judges
    # the document's fields again
    for a in (old, agency_id):
        if a is not None and (a != old or old != agency_id):
            check_agency(session, a, years, summary, judge)
            summary.agencies += 1
    session.flush()
    return summary
