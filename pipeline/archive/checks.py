"""Cross-report checks of the archive: group reports by agency, mark a second report of one
agency-year, list year gaps, run archive_rules.yaml's cross-year relations, and put what they
say on the stored fields (issue #16).

`run(session, ...)` is what `nianbao batch` (for the documents it stored) and `nianbao check`
call. It is incremental: the checks touching the given years of an agency are replaced (adding
2024 re-checks 2023-2024 and 2024-2025 only); year gaps are recomputed per agency (cheap).

Localisation of a failed hard relation (carry_over): the field on either side that is also in
a failed hard in-report check of its own report (rules.yaml) is the likely culprit; a field a
reviewer decided is right, so the other side is the culprit; otherwise the culprit cannot be
told and both fields are in conflict. Fields in conflict get `fields.cross_year = "conflict"`,
`review_needed` and the reason `cross_year_conflict:<rule>@<other document id>`; a field whose
every cross-year relation holds gets `cross_year = "agree"` (Feature.cross_year_agree when the
record is read back); if one of those relations raises confidence (carry_over), its
`confidence` becomes the report's (`document_confidence`) raised by what agreement is worth
(agreement.py), and `low_confidence` is dropped when that lifts it over the review threshold.
All of it is recomputed for the fields of the years that were checked, so a verdict that goes
restores the report's confidence and flag.
"""

from __future__ import annotations

import itertools
import json
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from ..datamodel.base import ReviewReason, reason
from ..db.models import ArchiveCheck, CheckRow, Document, FieldRow
from .agreement import Agreement, agreement_for
from .identity import Directory, naming
from .rules import BoundCheck, bound_checks, load_archive_rules

if TYPE_CHECKING:
    from ..db.store import Store
    from ..settings import Settings

PASS, FAIL, SOFT_DIFF, UNASSESSABLE = "pass", "fail", "soft_diff", "unassessable"
CONFLICT = ReviewReason.cross_year_conflict.value
LOW = ReviewReason.low_confidence.value
_ZERO = {"zero", "blank"}
_CROSS_RULES = tuple({c.rule.id for c in bound_checks()})
_RAISING = frozenset(c.rule.id for c in bound_checks() if c.rule.raises_confidence)
_RULE_PATHS = sorted(set().union(*(c.paths for c in bound_checks())))
CHUNK = 800  # ids per IN (...) list: far below SQLite's and PostgreSQL's parameter limits


@dataclass
class RunSummary:
    agencies: int = 0
    grouped: int = 0  # agencies whose documents were grouped in this run
    checks: int = 0
    failed: int = 0
    soft_diffs: int = 0
    duplicates: int = 0  # second reports of one agency-year (duplicate or revised)
    gaps: int = 0
    conflicts: int = 0  # fields sent to review with cross_year_conflict
    elapsed_ms: float = 0.0
    touched: dict[int, set[int] | None] = field(default_factory=dict)

    def line(self) -> str:
        return (
            f"archive: {self.agencies} agencies checked, {self.checks} checks, {self.failed} "
            f"failed, {self.soft_diffs} soft differences, {self.duplicates} second reports, "
            f"{self.gaps} year gaps, {self.conflicts} fields to review "
            f"({self.elapsed_ms:.0f} ms)"
        )


@dataclass(frozen=True)
class Judge:
    """What the verdicts weigh agreement with: the model and the review threshold of the
    settings (Settings.calibration.cross_year, confidence.review_threshold)."""

    agreement: Agreement
    threshold: float

    @classmethod
    def of(cls, settings: Settings | None = None) -> Judge:
        if settings is None:
            return _default_judge()
        return cls(
            agreement_for(settings.calibration.cross_year_path()),
            settings.confidence.review_threshold,
        )


@cache
def _default_judge() -> Judge:
    from ..settings import Settings

    return Judge.of(Settings())


@dataclass(frozen=True)
class Value:
    value: Any
    number: float | None
    semantic: str
    confidence: float
    decided: bool  # a reviewer decided the field


def _now() -> datetime:
    return datetime.now(UTC)


# ---- grouping --------------------------------------------------------------------------------
def group(
    session: Session, document_ids: Iterable[int] | None = None
) -> dict[int, set[int] | None]:
    """Give an agency to the documents that have none (all, or those of `document_ids`).
    Returns agency id -> the years to re-check (None: all its years, after a merge)."""
    query = select(Document.id, Document.agency, Document.year).where(
        Document.agency_id.is_(None), Document.agency.is_not(None)
    )
    ids = None if document_ids is None else list(document_ids)
    if ids is None:
        rows = list(session.execute(query).all())
    else:
        rows = [
            r for c in _in_chunks(ids) for r in session.execute(query.where(Document.id.in_(c)))
        ]
    if not rows:
        return {}
    directory = Directory(session)
    touched: dict[int, set[int] | None] = {}
    names = naming()
    assigned: list[dict[str, int]] = []
    for doc_id, name, year in rows:
        if name is None:
            continue
        agency_id = directory.resolve(name)
        if agency_id is None:
            continue
        assigned.append({"b_doc": doc_id, "b_agency": agency_id})
        years = touched.setdefault(agency_id, set())
        if years is not None and year is not None:
            years.add(year)
    if assigned:
        table = Document.__table__
        assert isinstance(table, Table)
        session.execute(
            update(table)
            .where(table.c.id == bindparam("b_doc"))
            .values(agency_id=bindparam("b_agency")),
            assigned,
        )
    # renames: only reports whose text holds a rename word are read
    mentions = or_(*(Document.record_json.contains(t) for t in names.triggers))
    ids_done = [a["b_doc"] for a in assigned]
    for start in range(0, len(ids_done), 500):
        chunk = ids_done[start : start + 500]
        found = session.execute(
            select(Document.id, Document.agency, Document.agency_id, Document.record_json).where(
                Document.id.in_(chunk), mentions
            )
        ).all()
        for _doc_id, name, agency_id, record_json in found:
            own = names.key(name) if name else None
            if own is None or agency_id is None:
                continue
            for old in _renames(record_json, own):
                k = names.key(old)
                if k is None:
                    continue
                other = directory.find(k)
                if other is not None and other != agency_id:
                    directory.merge(other, agency_id)
                    touched[agency_id] = None
                    touched[other] = None  # what is left of it (a reviewer's) is re-checked
                directory.add_name(agency_id, k, "rename")
    session.flush()
    return touched


def _renames(record_json: str, own: Any) -> list[str]:
    data = json.loads(record_json)
    text = "\n".join(s.get("text", "") for s in data.get("sections", []))
    return naming().renamed_from(text, own)


# ---- one agency ------------------------------------------------------------------------------
def _documents(session: Session, agency_ids: list[int]) -> dict[int, dict[int, list[int]]]:
    """agency -> year -> document ids (id order) of the documents with a year."""
    out: dict[int, dict[int, list[int]]] = {a: defaultdict(list) for a in agency_ids}
    for start in range(0, len(agency_ids), CHUNK):
        rows = session.execute(
            select(Document.id, Document.agency_id, Document.year)
            .where(
                Document.agency_id.in_(agency_ids[start : start + CHUNK]),
                Document.year.is_not(None),
            )
            .order_by(Document.id)
        ).all()
        for doc_id, agency_id, year in rows:
            if year is not None and agency_id is not None:
                out[agency_id][year].append(doc_id)
    return out


def _in_chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _values(session: Session, doc_ids: list[int], paths: Iterable[str] | None) -> dict:
    query = select(
        FieldRow.document_id,
        FieldRow.path,
        FieldRow.value,
        FieldRow.value_num,
        FieldRow.semantic,
        FieldRow.confidence,
        FieldRow.review_action,
        FieldRow.reviewed_value,
    )
    if paths is not None:
        query = query.where(FieldRow.path.in_(list(paths)))
    out: dict[tuple[int, str], Value] = {}
    found = [
        row
        for chunk in _in_chunks(doc_ids)
        for row in session.execute(query.where(FieldRow.document_id.in_(chunk)))
    ]
    for doc_id, path, value, num, semantic, conf, action, reviewed in found:
        if action is not None:
            value = reviewed
            is_num = isinstance(value, int | float) and not isinstance(value, bool)
            num = float(value) if is_num else None
            semantic = "number" if num is not None else "missing"
        out[(doc_id, path)] = Value(value, num, semantic, conf, action is not None)
    return out


def _number(v: Value | None) -> float | None:
    if v is None:
        return None
    if v.semantic in _ZERO:
        return 0.0
    if v.semantic == "number" and v.number is not None:
        return v.number
    return None


def _roles(
    session: Session,
    by_year: dict[int, list[int]],
    years: set[int],
    summary: RunSummary,
    alone: list[int],
) -> tuple[dict[int, int], list[dict[str, Any]]]:
    """The primary of each year, the document roles written, and one_report_per_year rows;
    `alone` gets the documents alone in a checked year (their role is cleared)."""
    prefixes = tuple(p + "." for p in load_archive_rules().same_report_fields)
    primaries: dict[int, int] = {}
    rows: list[dict[str, Any]] = []
    for year, ids in by_year.items():
        if len(ids) == 1:
            primaries[year] = ids[0]
            if year in years:
                alone.append(ids[0])
            continue
        values = _values(session, ids, None)
        prints: dict[int, tuple[Any, ...]] = {}
        dates: dict[int, str] = {}
        for (doc_id, path), v in values.items():
            if path == "meta.publish_date" and v.value is not None:
                dates[doc_id] = str(v.value)
        for doc_id in ids:
            prints[doc_id] = tuple(
                sorted(
                    (p, _number(v))
                    for (d, p), v in values.items()
                    if d == doc_id and p.startswith(prefixes)
                )
            )
        # the newest version stands (latest publish date, else the latest stored); a copy with
        # the same figures leaves the first of them primary
        newest = max(ids, key=lambda d: (dates.get(d, ""), d))
        primary = min(d for d in ids if prints[d] == prints[newest])
        primaries[year] = primary
        if year not in years:
            continue
        for doc_id in ids:
            role = "primary"
            if doc_id != primary:
                role = "duplicate" if prints[doc_id] == prints[primary] else "revised"
            session.execute(
                update(Document)
                .where(Document.id == doc_id)
                .values(series_role=role, same_as_id=None if doc_id == primary else primary)
            )
            if doc_id == primary:
                continue
            summary.duplicates += 1
            differ = sum(1 for a, b in zip(prints[doc_id], prints[primary], strict=False) if a != b)
            rows.append(
                {
                    "rule": "one_report_per_year",
                    "binding": role,
                    "year_a": year,
                    "year_b": year,
                    "document_a_id": primary,
                    "document_b_id": doc_id,
                    "fields_a": [],
                    "fields_b": [],
                    "value_a": None,
                    "value_b": None,
                    "expected": "one report per agency and year",
                    "difference": None,
                    "outcome": FAIL,
                    "severity": "soft",
                    "culprit_document_id": None,
                    "culprit_field": None,
                    "detail": (
                        f"a second report for {year}: a {role} of document {primary}"
                        + (f" ({differ} statutory figures differ)" if role == "revised" else "")
                        + "; both kept, the checks use document "
                        + str(primary)
                    ),
                }
            )
    return primaries, rows


def _gaps(agency_id: int, primaries: dict[int, int]) -> list[dict[str, Any]]:
    years = sorted(primaries)
    rows = []
    for before, after in itertools.pairwise(years):
        if after - before <= 1:
            continue
        first, last = before + 1, after - 1
        missing = str(first) if first == last else f"{first}-{last}"
        rows.append(
            {
                "rule": "year_gap",
                "binding": "",
                "year_a": first,
                "year_b": last,
                "document_a_id": primaries[before],
                "document_b_id": primaries[after],
                "fields_a": [],
                "fields_b": [],
                "value_a": None,
                "value_b": None,
                "expected": "consecutive years",
                "difference": float(after - before - 1),
                "outcome": FAIL,
                "severity": "soft",
                "culprit_document_id": None,
                "culprit_field": None,
                "detail": f"no report for {missing} (between {before} and {after})",
            }
        )
    return rows


def _side(terms: Iterable[Any], docs: dict[str, int], values: dict) -> float | None:
    total = 0.0
    for t in terms:
        n = _number(values.get((docs[t.side], t.path)))
        if n is None:
            return None
        total += t.sign * n
    return total


def _evaluate(
    check: BoundCheck,
    year: int,
    a: int,
    b: int,
    values: dict,
    in_report_failed: set[tuple[int, str]],
) -> dict[str, Any]:
    docs = {"a": a, "b": b}
    lhs = _side(check.lhs, docs, values)
    rhs = _side(check.rhs, docs, values)
    soft = check.rule.severity == "soft"
    culprit_doc: int | None = None
    culprit_field: str | None = None
    if lhs is None or rhs is None:
        outcome, diff = UNASSESSABLE, None
        detail = "a value is missing, not applicable or not a number"
    else:
        diff = rhs - lhs
        if abs(diff) < 1e-9:
            outcome, detail = PASS, "holds"
        elif soft:
            outcome, detail = SOFT_DIFF, f"off by {diff:+g} (evidence, not an error)"
        else:
            outcome = FAIL
            fields = [(docs[t.side], t.path) for t in (*check.lhs, *check.rhs)]
            suspects = [f for f in fields if f in in_report_failed]
            decided = {f for f in fields if (v := values.get(f)) is not None and v.decided}
            if len(suspects) != 1:
                suspects = [f for f in fields if f not in decided] if decided else []
            if len(suspects) == 1:
                culprit_doc, culprit_field = suspects[0]
                detail = f"{lhs:g} vs {rhs:g}: likely {culprit_field} of document {culprit_doc}"
            else:
                detail = f"{lhs:g} vs {rhs:g}: the misread side cannot be told"
    return {
        "rule": check.rule.id,
        "binding": check.binding,
        "year_a": year,
        "year_b": year + 1,
        "document_a_id": a,
        "document_b_id": b,
        "fields_a": check.fields("a"),
        "fields_b": check.fields("b"),
        "value_a": lhs,
        "value_b": rhs,
        "expected": check.expected,
        "difference": diff,
        "outcome": outcome,
        "severity": check.rule.severity,
        "culprit_document_id": culprit_doc,
        "culprit_field": culprit_field,
        "detail": detail,
    }


def check_agency(
    session: Session,
    agency_id: int,
    years: set[int] | None,
    summary: RunSummary,
    judge: Judge | None = None,
) -> None:
    """Replace the archive checks of one agency touching `years` (None: all of them)."""
    check_agencies(session, {agency_id: years}, summary, judge)


def check_agencies(
    session: Session,
    todo: dict[int, set[int] | None],
    summary: RunSummary,
    judge: Judge | None = None,
) -> None:
    """Replace the archive checks of each agency touching its years (None: all of them), a few
    queries per chunk of agencies whatever their number."""
    agency_ids = sorted(todo)
    for start in range(0, len(agency_ids), CHUNK // 8):
        chunk = agency_ids[start : start + CHUNK // 8]
        _check_chunk(session, {a: todo[a] for a in chunk}, summary, judge or Judge.of())


def _check_chunk(
    session: Session, todo: dict[int, set[int] | None], summary: RunSummary, judge: Judge
) -> None:
    documents = _documents(session, list(todo))
    # the rows of the checked years go (also those of documents regrouped away since): one
    # delete per distinct set of years (a batch of one year's reports shares one)
    by_years: dict[frozenset[int] | None, list[int]] = defaultdict(list)
    for a, ys in todo.items():
        by_years[None if ys is None else frozenset(ys)].append(a)
    for year_set, agencies in by_years.items():
        stale = ArchiveCheck.rule == "year_gap"
        if year_set is None:
            stale = ArchiveCheck.agency_id.is_not(None)
        elif year_set:
            stale = or_(stale, ArchiveCheck.year_a.in_(year_set), ArchiveCheck.year_b.in_(year_set))
        session.execute(delete(ArchiveCheck).where(ArchiveCheck.agency_id.in_(agencies), stale))
    rows: list[dict[str, Any]] = []
    pairs: list[tuple[int, int, int, int]] = []  # agency, year, doc a, doc b
    alone: list[int] = []
    affected_docs: dict[int, list[int]] = {}
    for agency_id, years in todo.items():
        by_year = documents[agency_id]
        present = set(by_year)
        ys = set(present) if years is None else set(years)
        primaries, own = _roles(session, by_year, ys, summary, alone)
        own += _gaps(agency_id, primaries)
        for r in own:
            r["agency_id"] = agency_id
        rows += own
        pairs += [
            (agency_id, y, primaries[y], primaries[y + 1])
            for y in sorted(present)
            if y + 1 in present and (y in ys or y + 1 in ys)
        ]
        affected = {y + d for y in ys for d in (-1, 0, 1)} & present
        affected_docs[agency_id] = [d for y in affected for d in by_year[y]]
    summary.gaps += sum(1 for r in rows if r["rule"] == "year_gap")
    if alone:
        for ids in _in_chunks(alone):
            session.execute(
                update(Document)
                .where(Document.id.in_(ids), Document.series_role.is_not(None))
                .values(series_role=None, same_as_id=None)
            )
    if pairs:
        checks = bound_checks()
        paths = set().union(*(c.paths for c in checks))
        doc_ids = sorted({d for _, _, a, b in pairs for d in (a, b)})
        values = _values(session, doc_ids, paths)
        in_report: set[tuple[int, str]] = set()
        for ids in _in_chunks(doc_ids):
            failed = session.execute(
                select(CheckRow.document_id, CheckRow.fields).where(
                    CheckRow.document_id.in_(ids),
                    CheckRow.passed.is_(False),
                    CheckRow.severity == "hard",
                )
            ).all()
            in_report |= {(d, p) for d, fields in failed for p in fields if p in paths}
        for agency_id, year, a, b in pairs:
            for check in checks:
                row = _evaluate(check, year, a, b, values, in_report)
                row["agency_id"] = agency_id
                rows.append(row)
    now = _now()
    for r in rows:
        r["created_at"] = now
    if rows:
        session.execute(insert(ArchiveCheck), rows)
    cross = [r for r in rows if r["rule"] in _CROSS_RULES]
    summary.checks += len(cross)
    summary.failed += sum(1 for r in cross if r["outcome"] == FAIL)
    summary.soft_diffs += sum(1 for r in cross if r["outcome"] == SOFT_DIFF)
    summary.conflicts += _verdicts(
        session, list(todo), [d for ds in affected_docs.values() for d in ds], judge
    )


def _verdicts(session: Session, agency_ids: list[int], doc_ids: list[int], judge: Judge) -> int:
    """Recompute fields.cross_year (and the cross_year_conflict reasons) of these documents
    from every archive check they are in, and the confidence of their fields: the report's,
    raised by agreement (agreement.py) when every check of the field holds and one of them
    raises confidence; `low_confidence` follows the confidence. Returns the number of fields
    in conflict."""
    if not doc_ids:
        return 0
    ac = ArchiveCheck
    columns = (ac.id, ac.rule, ac.binding, ac.outcome, ac.document_a_id, ac.fields_a,
               ac.document_b_id, ac.fields_b, ac.culprit_document_id, ac.culprit_field)  # fmt: skip
    found: dict[int, Any] = {}
    for ids in _in_chunks(doc_ids):
        for row in session.execute(
            select(*columns).where(
                ac.agency_id.in_(agency_ids),
                ac.rule.in_(_CROSS_RULES),
                or_(ac.document_a_id.in_(ids), ac.document_b_id.in_(ids)),
            )
        ):
            found[row.id] = row  # a row of two chunks' documents comes once
    rows = list(found.values())
    wanted = set(doc_ids)
    seen: dict[tuple[int, str], bool] = {}  # every relation held so far
    raising: set[tuple[int, str]] = set()  # in a passing check that raises confidence
    conflict: dict[tuple[int, str], list[str]] = defaultdict(list)
    for row in rows:
        sides = (
            (row.document_a_id, row.fields_a, row.document_b_id),
            (row.document_b_id, row.fields_b, row.document_a_id),
        )
        if row.outcome == UNASSESSABLE:
            continue
        for doc, paths, other in sides:
            if doc not in wanted or doc is None:
                continue
            for path in paths:
                key = (doc, path)
                holds = row.outcome == PASS
                seen[key] = seen.get(key, True) and holds
                if holds and row.rule in _RAISING:
                    raising.add(key)
                if row.outcome != FAIL:
                    continue
                blamed = row.culprit_field is None or (
                    row.culprit_field == path and row.culprit_document_id == doc
                )
                if blamed:
                    detail = (
                        f"{row.rule}[{row.binding}]@{other}"
                        if row.binding
                        else (f"{row.rule}@{other}")
                    )
                    conflict[key].append(reason(ReviewReason.cross_year_conflict, detail))
    # fields that carried a verdict before, and those that get one now
    query = select(
        FieldRow.id,
        FieldRow.document_id,
        FieldRow.path,
        FieldRow.review_reasons,
        FieldRow.review_action,
        FieldRow.cross_year,
        FieldRow.confidence,
        FieldRow.document_confidence,
    )
    # every field a cross-year rule names (those with a verdict now or before): looked up by
    # the (document_id, path) index, not by a scan of each document's fields
    current = [
        row
        for ids in _in_chunks(doc_ids)
        for row in session.execute(
            query.where(FieldRow.document_id.in_(ids), FieldRow.path.in_(_RULE_PATHS))
        ).all()
    ]
    changed_docs: set[int] = set()
    states: dict[tuple[str | None, str, bool, float], list[int]] = defaultdict(list)
    lists: dict[str, list[str]] = {}
    n_conflicts = 0
    for fid, doc, path, reasons, action, was, conf, own in current:
        key = (doc, path)
        reasons = reasons or []
        verdict: str | None = None
        if key in conflict and action is None:
            verdict = "conflict"
            n_conflicts += 1
        elif seen.get(key):
            verdict = "agree"
        base = conf if own is None else own  # the report's own confidence
        new_conf = judge.agreement.raised(base) if verdict == "agree" and key in raising else base
        kept = [r for r in reasons if not r.startswith(CONFLICT)]
        if new_conf != base or conf != base:  # raised now, or before
            # low_confidence as the report decided it, unless agreement lifted the field over
            low = (LOW in reasons or base < judge.threshold) and new_conf < judge.threshold
            kept = [r for r in kept if r != LOW or low]
            if low and LOW not in kept:
                kept.append(LOW)
        if verdict == "conflict":
            kept += sorted(set(conflict[key]))
        if verdict == was and kept == reasons and new_conf == conf:
            continue
        needed = bool(kept) and action is None
        # one UPDATE per distinct new state (most fields: agree, their reasons unchanged)
        text = json.dumps(kept)
        lists[text] = kept
        states[(verdict, text, needed, new_conf)].append(fid)
        changed_docs.add(doc)
    for (verdict_, text, needed_, conf_), fids in states.items():
        for ids in _in_chunks(fids):
            session.execute(
                update(FieldRow)
                .where(FieldRow.id.in_(ids))
                .values(
                    cross_year=verdict_,
                    review_reasons=lists[text],
                    review_needed=needed_,
                    confidence=conf_,
                )
                .execution_options(synchronize_session=False)
            )
    for ids in _in_chunks(sorted(changed_docs)):
        counts = dict(
            session.execute(
                select(FieldRow.document_id, func.count())
                .where(FieldRow.document_id.in_(ids), FieldRow.review_needed.is_(True))
                .group_by(FieldRow.document_id)
            ).all()
        )
        docs = Document.__table__
        assert isinstance(docs, Table)
        session.execute(
            update(docs)
            .where(docs.c.id == bindparam("b_id"))
            .values(review_needed=bindparam("b_needed"), fields_to_review=bindparam("b_left")),
            [{"b_id": d, "b_needed": bool(counts.get(d)), "b_left": counts.get(d, 0)} for d in ids],
        )
    return n_conflicts


# ---- entry points ----------------------------------------------------------------------------
def run(
    session: Session,
    *,
    agency_ids: Iterable[int] | None = None,
    document_ids: Iterable[int] | None = None,
    years: Iterable[int] | None = None,
    judge: Judge | None = None,
) -> RunSummary:
    """Group the documents without an agency, then check: the agencies of `document_ids` for
    those documents' years, or `agency_ids` (all their years, or `years`), or — with neither —
    every agency; and the agencies of the documents just grouped for their years. `judge`:
    the agreement model and review threshold of the caller's settings (None: the defaults').
    Does not commit."""
    start = time.perf_counter()
    summary = RunSummary()
    doc_list = None if document_ids is None else list(document_ids)
    # every document without an agency is grouped (also those of an archive stored before
    # the archive existed), and its agency checked for its year
    touched = group(session)
    summary.grouped = len(touched)
    todo: dict[int, set[int] | None] = {}
    year_set = None if years is None else set(years)
    if doc_list is not None:
        for ids in _in_chunks(doc_list):
            for agency_id, year in session.execute(
                select(Document.agency_id, Document.year).where(
                    Document.id.in_(ids), Document.agency_id.is_not(None)
                )
            ):
                if agency_id is None:
                    continue
                ys = todo.setdefault(agency_id, set())
                if ys is not None and year is not None:
                    ys.add(year)
    elif agency_ids is not None:
        for a in agency_ids:
            todo[a] = None if year_set is None else set(year_set)
    else:
        for (found,) in session.execute(
            select(Document.agency_id).where(Document.agency_id.is_not(None)).distinct()
        ):
            if found is not None:
                todo[found] = None if year_set is None else set(year_set)
    for a, ys in touched.items():
        current = todo.get(a, set())
        if ys is None or current is None:
            todo[a] = None
        elif doc_list is not None or agency_ids is None:
            todo[a] = current | ys
    check_agencies(session, todo, summary, judge)
    summary.agencies = len(todo)
    summary.touched = todo
    summary.elapsed_ms = (time.perf_counter() - start) * 1000
    return summary


def recheck_document(session: Session, doc_id: int, judge: Judge | None = None) -> RunSummary:
    """Re-run the checks touching one document's year (after a review decision)."""
    doc = session.get(Document, doc_id)
    summary = RunSummary()
    if doc is None or doc.agency_id is None or doc.year is None:
        return summary
    check_agency(session, doc.agency_id, {doc.year}, summary, judge)
    summary.agencies = 1
    return summary


def run_store(
    store: Store,
    *,
    agency_ids: Iterable[int] | None = None,
    document_ids: Iterable[int] | None = None,
    years: Iterable[int] | None = None,
    judge: Judge | None = None,
) -> RunSummary:
    """`run` in one transaction of a Store (what `nianbao batch` and `nianbao check` call)."""
    with store.session() as session, session.begin():
        return run(
            session, agency_ids=agency_ids, document_ids=document_ids, years=years, judge=judge
        )
