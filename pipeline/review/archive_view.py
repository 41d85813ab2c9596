"""Read-side queries of the review page over the archive tables (issue #16): an agency's reports
by year with their statutory figures, the agency's cross-report checks, and, for one field, the
cross-year checks it is in with the other year's field beside it.

The archive checks themselves are made by pipeline/archive (`archive_checks` rows); this module
only reads them, and reads each field's CURRENT value (a reviewed value over the extracted one),
so a check row computed before the latest decision is shown as stale, never silently trusted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from .. import archive
from ..archive.rules import load_archive_rules
from ..db import Store
from ..db.models import Agency, AgencyName, ArchiveCheck, Document, FieldRow

# The statutory series the agency view tabulates and plots: the page's name for each, over the
# archive's `series_figures` (pipeline/template/archive_rules.yaml: the field paths summed).
SHOWN = {"applications_new": "申请数量", "review_total": "行政复议", "litigation_total": "行政诉讼"}


def _series() -> tuple[tuple[str, tuple[str, ...]], ...]:
    spec = load_archive_rules().series_figures
    return tuple((name, tuple(spec[key])) for key, name in SHOWN.items())


SERIES = _series()
FAILED = "fail"  # archive_checks.outcome of a failed hard relation
GAP = "year_gap"  # the archive rule naming missing years


def failing_years_of(check: ArchiveCheck) -> set[int]:
    """The years a failed check marks: the likely culprit's year when the archive named one,
    else both years of the relation."""
    if check.culprit_document_id is not None:
        if check.culprit_document_id == check.document_a_id and check.year_a is not None:
            return {check.year_a}
        if check.culprit_document_id == check.document_b_id and check.year_b is not None:
            return {check.year_b}
    return {y for y in (check.year_a, check.year_b) if y is not None}


def current(row: FieldRow) -> Any:
    """A field's value as the reviewers left it."""
    return row.reviewed_value if row.review_action else row.value


def _count(row: FieldRow) -> float | None:
    """A field as a count, the way the archive reads it: a reviewed value, else the number
    read; a zero or blank cell of a statutory table counts 0."""
    if row.review_action is None and row.semantic in ("zero", "blank"):
        return 0.0
    return _number(current(row))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


@dataclass(frozen=True)
class ReportInSeries:
    document: Document
    figures: dict[str, float | None]  # series name -> value (None: not read / not numeric)
    failed_checks: int  # failed cross-report checks naming this document
    to_review: int


@dataclass(frozen=True)
class AgencySeries:
    agency: Agency
    reports: list[ReportInSeries]  # by year, then id (a duplicate beside its primary)
    checks: list[ArchiveCheck]  # the agency's archive checks, by years then rule
    failing_years: set[int]
    names: list[str]  # other names that resolve to this agency (variants, former names)

    @property
    def years(self) -> list[int]:
        return sorted({r.document.year for r in self.reports if r.document.year is not None})

    def series(self) -> dict[str, list[float | None]]:
        """Series name -> one value per year of `years` (the primary report of each year)."""
        primary: dict[int, ReportInSeries] = {}
        for r in self.reports:
            year = r.document.year
            if year is None:
                continue
            if year not in primary or r.document.series_role == "primary":
                primary[year] = r
        return {name: [primary[y].figures.get(name) for y in self.years] for name, _ in SERIES}


def agency(store: Store, agency_id: int) -> Agency:
    with store.session() as session:
        found = session.get(Agency, agency_id)
    if found is None:
        raise KeyError(f"no agency {agency_id}")
    return found


def agencies(store: Store) -> list[tuple[Agency, int]]:
    """Every agency with its number of reports, by name."""
    with store.session() as session:
        return archive.agencies(session)


def figures(store: Store, document_ids: Sequence[int]) -> dict[int, dict[str, float | None]]:
    """Document id -> series name -> the sum of its fields' current counts (None when any
    term is missing or not a number); every document, a duplicate or revision too."""
    paths = [p for _, ps in SERIES for p in ps]
    values: dict[tuple[int, str], float | None] = {}
    if document_ids:
        with store.session() as session:
            for row in session.scalars(
                select(FieldRow).where(
                    FieldRow.document_id.in_(document_ids), FieldRow.path.in_(paths)
                )
            ):
                values[(row.document_id, row.path)] = _count(row)
    out: dict[int, dict[str, float | None]] = {}
    for doc in document_ids:
        out[doc] = {}
        for name, ps in SERIES:
            terms = [values.get((doc, p)) for p in ps]
            out[doc][name] = None if any(t is None for t in terms) else sum(t or 0 for t in terms)
    return out


def agency_series(store: Store, agency_id: int) -> AgencySeries:
    found = agency(store, agency_id)
    with store.session() as session:
        docs = list(
            session.scalars(
                select(Document)
                .where(Document.agency_id == agency_id)
                .order_by(Document.year.is_(None), Document.year, Document.id)
            )
        )
        checks = list(
            session.scalars(
                select(ArchiveCheck)
                .where(ArchiveCheck.agency_id == agency_id)
                .order_by(
                    ArchiveCheck.year_a,
                    ArchiveCheck.year_b,
                    ArchiveCheck.rule,
                    ArchiveCheck.binding,
                    ArchiveCheck.id,
                )
            )
        )
        names = [
            n.name
            for n in session.scalars(
                select(AgencyName).where(AgencyName.agency_id == agency_id).order_by(AgencyName.id)
            )
            if n.name != found.name
        ]
    failing_years: set[int] = set()
    per_doc: dict[int, int] = {}
    for c in checks:
        if c.outcome != FAILED or c.rule == GAP:  # gaps are listed as missing years
            continue
        failing_years.update(failing_years_of(c))
        for d in (c.document_a_id, c.document_b_id):
            if d is not None:
                per_doc[d] = per_doc.get(d, 0) + 1
    values = figures(store, [d.id for d in docs])
    reports = [
        ReportInSeries(d, values[d.id], per_doc.get(d.id, 0), d.fields_to_review) for d in docs
    ]
    return AgencySeries(found, reports, checks, failing_years, list(dict.fromkeys(names)))


# ---- one field's cross-year checks --------------------------------------------------------------
@dataclass
class Side:
    """One document's side of a cross-year check: its fields and their current values."""

    document_id: int | None
    year: int | None
    terms: list[tuple[str, Any]] = field(default_factory=list)  # (path, current value)
    stored: float | None = None  # the side's value when the check ran

    @property
    def now(self) -> float | None:
        numbers = [_number(v) for _, v in self.terms]
        if not numbers or any(n is None for n in numbers):
            return None
        return sum(n or 0 for n in numbers)

    @property
    def stale(self) -> bool:
        """Has a decision changed this side since the check ran?"""
        return self.stored is not None and self.now is not None and self.now != self.stored


@dataclass
class CrossYear:
    check: ArchiveCheck
    mine: Side  # the side of the field on the page
    other: Side
    counterpart: FieldRow | None  # the other year's field to show evidence of
    other_label: str | None = None  # the other document's label

    @property
    def stale(self) -> bool:
        return self.mine.stale or self.other.stale


def _rows(store: Store, pairs: Iterable[tuple[int, str]]) -> dict[tuple[int, str], FieldRow]:
    wanted = set(pairs)
    if not wanted:
        return {}
    docs = {d for d, _ in wanted}
    paths = {p for _, p in wanted}
    with store.session() as session:
        rows = session.scalars(
            select(FieldRow).where(FieldRow.document_id.in_(docs), FieldRow.path.in_(paths))
        )
        return {(r.document_id, r.path): r for r in rows if (r.document_id, r.path) in wanted}


def cross_year_of(store: Store, document_id: int, path: str) -> list[CrossYear]:
    """The archive checks with this field on one side and another document on the other."""
    with store.session() as session:
        candidates = archive.checks_for_document(session, document_id)
        others = {c.document_a_id for c in candidates} | {c.document_b_id for c in candidates}
        labels = dict(
            session.execute(
                select(Document.id, Document.label).where(Document.id.in_(others - {None}))
            ).all()
        )
    chosen: list[tuple[ArchiveCheck, str]] = []
    for c in candidates:
        if c.document_a_id == document_id and path in (c.fields_a or []):
            chosen.append((c, "a"))
        elif c.document_b_id == document_id and path in (c.fields_b or []):
            chosen.append((c, "b"))
    pairs: list[tuple[int, str]] = []
    for c, _ in chosen:
        if c.document_a_id is not None:
            pairs += [(c.document_a_id, p) for p in c.fields_a or []]
        if c.document_b_id is not None:
            pairs += [(c.document_b_id, p) for p in c.fields_b or []]
    rows = _rows(store, pairs)

    def side(doc: int | None, year: int | None, paths: Sequence[str], stored: float | None) -> Side:
        terms = []
        for p in paths:
            row = rows.get((doc, p)) if doc is not None else None
            terms.append((p, current(row) if row is not None else None))
        return Side(doc, year, terms, stored)

    out = []
    for c, mine in chosen:
        a = side(c.document_a_id, c.year_a, c.fields_a or [], c.value_a)
        b = side(c.document_b_id, c.year_b, c.fields_b or [], c.value_b)
        me, other = (a, b) if mine == "a" else (b, a)
        other_paths = [p for p, _ in other.terms]
        counterpart = _counterpart(rows, other.document_id, other_paths, path)
        label = labels.get(other.document_id) if other.document_id is not None else None
        out.append(CrossYear(c, me, other, counterpart, label))
    return out


def _counterpart(
    rows: Mapping[tuple[int, str], FieldRow], doc: int | None, paths: Sequence[str], mine: str
) -> FieldRow | None:
    """The other document's field to show: the same column as this one when there is one
    (applications.carried_over.natural_person <-> applications.carried_forward.natural_person),
    else the first term."""
    if doc is None or not paths:
        return None
    column = mine.rsplit(".", 1)[-1]
    same = [p for p in paths if p.rsplit(".", 1)[-1] == column]
    return rows.get((doc, (same or list(paths))[0]))


def agency_of_document(store: Store, document_id: int) -> int | None:
    with store.session() as session:
        return session.scalar(select(Document.agency_id).where(Document.id == document_id))
