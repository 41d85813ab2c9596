"""The cross-year checks over stored reports: what a user sees in archive_checks, on the fields
and in the records read back."""

from __future__ import annotations

from nianbao import archive
from nianbao.datamodel.base import Feature
from nianbao.db import Store
from nianbao.db.models import ArchiveCheck, Document, FieldRow
from sqlalchemy import select

from .conftest import report, save

A = "望舒市司法局"
B0, F0 = [1, 0, 0, 0, 0, 0], [2, 1, 0, 0, 0, 0]  # 2021 carried over / forward
F1 = [3, 0, 0, 0, 0, 0]  # 2022 carried forward
F2 = [0, 0, 0, 0, 0, 0]


def _run(store: Store, ids: list[int]) -> archive.RunSummary:
    return archive.run_store(store, document_ids=ids)


def _rows(store: Store, **where: object) -> list[ArchiveCheck]:
    with store.session() as s:
        query = select(ArchiveCheck).order_by(ArchiveCheck.id)
        for k, v in where.items():
            query = query.where(getattr(ArchiveCheck, k) == v)
        return list(s.scalars(query))


def test_a_consistent_series_passes_and_its_carried_cells_agree(store: Store) -> None:
    ids = [
        save(store, report(A, 2021, B0, F0, in_force=10), "a21"),
        save(store, report(A, 2022, F0, F1, in_force=12, issued=3, repealed=1), "a22"),
        save(store, report(A, 2023, F1, F2, in_force=12), "a23"),
    ]
    summary = _run(store, ids)
    assert summary.failed == 0 and summary.conflicts == 0 and summary.gaps == 0
    carry = _rows(store, rule="carry_over")
    assert len(carry) == 14 and {r.outcome for r in carry} == {"pass"}
    assert {r.outcome for r in _rows(store, rule="normative_in_force")} == {"pass"}
    record = store.record(ids[1])
    forward = record.get("applications.carried_forward.natural_person")
    assert forward.features.get(Feature.cross_year_agree) == 1.0
    assert not any(
        r.startswith("cross_year") for _, f in record.iter_fields() for r in f.review.reasons
    )


def test_a_misread_carried_cell_is_found_localised_and_sent_to_review(store: Store) -> None:
    # 8 read instead of 2 in 2022's 上年结转 (its row total and column balance break too)
    misread = {"applications.carried_over.natural_person": 8}
    ids = [
        save(store, report(A, 2021, B0, F0), "a21"),
        save(store, report(A, 2022, F0, F1, override=misread), "a22"),
    ]
    summary = _run(store, ids)
    assert summary.failed == 1 and summary.conflicts == 1
    (row,) = _rows(store, outcome="fail")
    assert (row.rule, row.binding, row.year_a, row.year_b) == (
        "carry_over",
        "natural_person",
        2021,
        2022,
    )
    assert (row.value_a, row.value_b, row.difference) == (2.0, 8.0, 6.0)
    assert (row.culprit_document_id, row.culprit_field) == (
        ids[1],
        "applications.carried_over.natural_person",
    )
    field = store.record(ids[1]).get("applications.carried_over.natural_person")
    assert f"cross_year_conflict:carry_over[natural_person]@{ids[0]}" in field.review.reasons
    assert field.review.needed
    # the other year's cell is not blamed
    other = store.record(ids[0]).get("applications.carried_forward.natural_person")
    assert not any(r.startswith("cross_year") for r in other.review.reasons)


def test_a_disagreement_no_report_explains_sends_both_sides_to_review(store: Store) -> None:
    # both reports hold together; they disagree with each other only
    ids = [
        save(store, report(A, 2021, B0, [4, 1, 0, 0, 0, 0]), "a21"),
        save(store, report(A, 2022, F0, F1), "a22"),
    ]
    summary = _run(store, ids)
    assert summary.failed == 2  # natural_person and total
    for row in _rows(store, outcome="fail"):
        assert row.culprit_field is None and "cannot be told" in row.detail
    with store.session() as s:
        flagged = s.execute(
            select(FieldRow.document_id, FieldRow.path).where(FieldRow.cross_year == "conflict")
        ).all()
    assert {d for d, _ in flagged} == set(ids)
    assert store.document(ids[0]).review_needed


def test_adding_a_year_rechecks_only_its_neighbours(store: Store) -> None:
    first = [save(store, report(A, y, B0, B0), f"a{y}") for y in (2020, 2021, 2022)]
    _run(store, first)
    before = {r.id: (r.year_a, r.year_b) for r in _rows(store)}
    added = save(store, report(A, 2023, B0, B0), "a2023")
    summary = _run(store, [added])
    after = {r.id: (r.year_a, r.year_b) for r in _rows(store)}
    kept = {i for i in before if i in after}
    # the earlier pairs' rows stay as they were; only 2022-2023 is new
    assert {before[i] for i in kept} == {(2020, 2021), (2021, 2022)}
    assert len(kept) == len(before)
    new = {after[i] for i in after if i not in before}
    assert new == {(2022, 2023)}
    assert summary.agencies == 1


def test_second_reports_are_kept_and_marked_and_gaps_listed(store: Store) -> None:
    ids = [
        save(store, report(A, 2019, B0, B0), "a19"),
        save(store, report(A, 2020, B0, B0), "a20"),
        save(store, report(A, 2020, B0, B0, text="重新发布"), "a20-copy"),
        save(store, report(A, 2022, B0, B0), "a22"),
        save(store, report(A, 2022, B0, B0, override={"active_disclosure.licensing_decisions": 4}),
             "a22-rev"),
    ]  # fmt: skip
    _run(store, ids)
    roles = {d: store.document(d).series_role for d in ids}
    assert roles[ids[1]] == "primary" and roles[ids[2]] == "duplicate"
    assert roles[ids[4]] == "revised" or roles[ids[3]] == "revised"
    assert store.count() == 5  # nothing dropped
    seconds = _rows(store, rule="one_report_per_year")
    assert sorted(r.binding for r in seconds) == ["duplicate", "revised"]
    (gap,) = _rows(store, rule="year_gap")
    assert (gap.year_a, gap.year_b) == (2021, 2021)
    with store.session() as s:
        s_ = archive.series(s, store.document(ids[0]).agency_id or 0)
    assert s_.gaps == [2021]
    assert [y.year for y in s_.years] == [2019, 2020, 2021, 2022]


def test_a_reviewer_correction_clears_the_conflict(store: Store) -> None:
    misread = {"applications.carried_over.natural_person": 8}
    ids = [
        save(store, report(A, 2021, B0, F0), "a21"),
        save(store, report(A, 2022, F0, F1, override=misread), "a22"),
    ]
    _run(store, ids)
    path = "applications.carried_over.natural_person"
    store.apply_review(ids[1], path, "correct", "tester", new_value=2,
                       then=lambda s, d: archive.recheck_document(s, d))  # fmt: skip
    assert not _rows(store, outcome="fail")
    record = store.record(ids[1])
    assert record.get(path).value == 2
    with store.session() as s:
        (row,) = archive.checks_for_field(s, ids[1], path)
        assert row.outcome == "pass"
        assert archive.counterpart(row, ids[1]) == (
            ids[0],
            ["applications.carried_forward.natural_person"],
            2.0,
        )


def test_a_rename_the_report_states_joins_the_series(store: Store) -> None:
    old, new = "青禾市国土资源局", "青禾市自然资源和规划局"
    ids = [
        save(store, report(old, 2019, B0, F0), "q19"),
        save(store, report(new, 2020, F0, F1, text=f"根据机构改革，原{old}更名为{new}。"), "q20"),
    ]
    summary = _run(store, ids)
    agencies = {store.document(d).agency_id for d in ids}
    assert len(agencies) == 1 and summary.failed == 0
    assert len(_rows(store, rule="carry_over")) == 7


def test_a_reviewer_regroups_a_report(store: Store) -> None:
    ids = [
        save(store, report(A, 2021, B0, F0), "a21"),
        save(store, report("望舒市司法厅", 2022, F0, F1), "x22"),  # another agency by name
    ]
    _run(store, ids)
    assert not _rows(store, rule="carry_over")
    with store.session() as s, s.begin():
        target = store.document(ids[0]).agency_id
        assert target is not None
        archive.regroup(s, ids[1], target)
    assert {r.outcome for r in _rows(store, rule="carry_over")} == {"pass"}
    with store.session() as s:
        doc = s.get(Document, ids[1])
        assert doc is not None and doc.agency_by_reviewer
        # a later run does not undo the reviewer's grouping
    archive.run_store(store)
    assert store.document(ids[1]).agency_id == target


def test_the_same_on_postgresql(pg_url: str) -> None:
    misread = {"applications.carried_over.natural_person": 8}
    with Store(pg_url) as pg:
        ids = [
            save(pg, report(A, 2021, B0, F0), "a21"),
            save(pg, report(A, 2022, F0, F1, override=misread), "a22"),
            save(pg, report(A, 2024, F1, F2), "a24"),
        ]
        summary = _run(pg, ids)
        assert (summary.failed, summary.conflicts, summary.gaps) == (1, 1, 1)
        field = pg.record(ids[1]).get("applications.carried_over.natural_person")
        assert any(r.startswith("cross_year_conflict") for r in field.review.reasons)
        pg.apply_review(ids[1], "applications.carried_over.natural_person", "correct", "t",
                        new_value=2, then=lambda s, d: archive.recheck_document(s, d))  # fmt: skip
        assert not _rows(pg, outcome="fail", rule="carry_over")


def test_reports_stored_before_the_archive_existed_join_the_next_batch(store: Store) -> None:
    old = save(store, report(A, 2021, B0, F0), "a21")  # stored, never grouped
    new = save(store, report(A, 2022, F0, F1), "a22")
    summary = _run(store, [new])
    assert store.document(old).agency_id == store.document(new).agency_id is not None
    assert summary.checks == 9 and summary.failed == 0
