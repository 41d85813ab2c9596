"""One review decision: the store's review transaction, with the document's checks re-run in it.

`decide()` parses what the reviewer typed for the field's kind of value, then calls
`Store.apply_review` (the decision, who, when and the previous value in the `reviews` table, the
field's latest decision on its row) with a hook that, inside the same transaction, rebuilds the
record with every decision applied and re-runs the hard 勾稽 checks over it
(`Checks.recheck`), replacing the document's check rows, then the archive's cross-year checks
of the document's year (`archive.recheck_document`, issue #16). So a correction that satisfies
a relation clears its failed check at the moment it is saved, and an export shows it. Prose-vs-
table checks (soft) are kept as extracted: the record does not keep the prose figures.

No OCR runs again: the checks read only field values.

A decision carries the field's `review_version` the reviewer saw: one made on an older version
raises `StaleDecision` (the page answers 409 with the current value), and the store checks that
the database is still the one the page opened (`DatabaseChanged`) and waits only a short time
for a locked one (`DatabaseBusy`); see pipeline/db/review_write.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .. import archive
from ..datamodel.base import Feature
from ..datamodel.record import CheckRecord, ReportField, ReportRecord
from ..db import Store
from ..db.models import CheckRow, Document, FieldRow, ReviewRow
from ..db.review_write import Identity
from ..db.store import apply_reviews, check_record
from ..stages.checks import Checks
from ..template.loader import Format
from ..textnorm import parse_number

# Blocks whose fields are counts: a correction there must be a number.
NUMERIC_BLOCKS = ("active_disclosure", "applications", "review_litigation")
# Numbers a float holds exactly (and an int64 column in an export): beyond is a typing slip.
LARGEST_NUMBER = 2**53


class DecisionError(ValueError):
    """A decision that cannot be saved (bad value, unknown field); the message says why."""


@dataclass(frozen=True)
class Outcome:
    review: ReviewRow
    checks: list[CheckRecord]  # the document's checks after the decision


def parse_value(path: str, current: object, typed: str, max_chars: int = 200) -> int | float | str:
    """What the reviewer typed as the field's kind of value: a count in the tables (full-width
    digits and Chinese numerals are read too), a number where the value was one, else text.
    Longer than `max_chars`, or a number beyond 2**53, is refused with a message."""
    text = typed.strip()
    if not text:
        raise DecisionError(f"{path}: type the correct value (or mark it unreadable)")
    if "\x00" in text:  # PostgreSQL text cannot hold it; no report prints it
        raise DecisionError(f"{path}: the value contains a NUL character")
    if len(text) > max_chars:
        raise DecisionError(
            f"{path}: the value is {len(text)} characters long (at most {max_chars})"
        )
    try:
        number = parse_number(text)
    except ValueError:  # digits beyond what int() converts
        raise DecisionError(f"{path}: {text[:20]}... is not a number a report holds") from None
    if number is not None and not abs(number) < LARGEST_NUMBER:
        raise DecisionError(f"{path}: {number:.3g} is larger than any number a report holds")
    numeric = path.split(".", 1)[0] in NUMERIC_BLOCKS or (
        isinstance(current, int | float) and not isinstance(current, bool)
    )
    if numeric:
        if number is None:
            raise DecisionError(f"{path}: {typed!r} is not a number")
        return number
    return text if number is None or path != "meta.year" else number


def record_format(record: ReportRecord) -> Format:
    """The table format the checks expand lists for, as the extraction detected it."""
    for table in record.tables:
        if table.kind == "applications" and table.format != "unknown":
            return table.format
    return "2019" if record.template.version == "2019" else "2021"


def recheck(checks: Checks, record: ReportRecord, reviewed: set[str]) -> list[CheckRecord]:
    """The record's checks over its current values. A reviewed field counts as read cleanly
    (a person confirmed it), so a relation that still fails is called a source inconsistency."""
    fields: dict[str, ReportField] = {}
    for path, f in record.iter_fields():
        if path in reviewed:
            features = {**f.features, Feature.position_uncertain: 0.0, Feature.label_score: 1.0}
            f = f.model_copy(update={"features": features})
        fields[path] = f
    soft = [c for c in record.checks if c.severity == "soft"]
    return checks.recheck(fields, record_format(record)) + soft


def _rerun_checks(checks: Checks, judge: archive.Judge | None) -> Callable[[Session, int], None]:
    def run(session: Session, document_id: int) -> None:
        doc = session.get(Document, document_id)
        assert doc is not None  # apply_review found the field under this document
        rows = list(session.scalars(select(FieldRow).where(FieldRow.document_id == document_id)))
        record = ReportRecord.model_validate_json(doc.record_json)
        apply_reviews(record, rows)
        results = recheck(checks, record, {r.path for r in rows if r.review_action})
        session.execute(delete(CheckRow).where(CheckRow.document_id == document_id))
        session.add_all(
            CheckRow(
                document_id=document_id,
                position=i,
                rule=c.rule,
                passed=c.passed,
                severity=c.severity,
                fields=list(c.fields),
                detail=c.detail,
            )
            for i, c in enumerate(results)
        )
        # The archive's cross-year checks of this document's year, over the values as now
        # reviewed (issue #16): a corrected carried-over cell clears its cross_year_conflict
        # (and the other year's, when it was blamed) in the same transaction.
        session.flush()
        archive.recheck_document(session, document_id, judge)

    return run


def decide(
    store: Store,
    checks: Checks,
    document_id: int,
    path: str,
    action: str,
    reviewer: str,
    typed: str = "",
    note: str | None = None,
    *,
    seen_version: int | None = None,
    expected: Identity | None = None,
    busy_timeout_s: float | None = None,
    max_chars: int = 200,
    judge: archive.Judge | None = None,
) -> Outcome:
    """Save one decision (accept | correct | unreadable) and re-run the document's checks, in
    one transaction. StaleDecision, DatabaseChanged and DatabaseBusy pass through."""
    if note is not None and "\x00" in note:
        raise DecisionError(f"{path}: the note contains a NUL character")
    if note is not None and len(note) > max_chars:
        raise DecisionError(
            f"{path}: the note is {len(note)} characters long (at most {max_chars})"
        )
    with store.session() as session:
        row = session.scalar(
            select(FieldRow).where(FieldRow.document_id == document_id, FieldRow.path == path)
        )
    if row is None:
        raise DecisionError(f"document {document_id} has no field {path!r}")
    new_value = None
    if action == "correct":
        current = row.reviewed_value if row.review_action else row.value
        new_value = parse_value(path, current, typed, max_chars)
    try:
        review = store.apply_review(
            document_id,
            path,
            action,
            reviewer,
            new_value=new_value,
            note=note or None,
            then=_rerun_checks(checks, judge),
            seen_version=seen_version,
            expected=expected,
            busy_timeout_s=busy_timeout_s,
        )
    except (ValueError, KeyError) as exc:
        raise DecisionError(str(exc)) from exc
    after = [check_record(c) for c in store.checks(document_id)]
    return Outcome(review, after)
