"""The repository on real databases: SQLite files and a throwaway PostgreSQL cluster."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from nianbao.datamodel.record import ReportRecord
from nianbao.db import DatabaseError, Store, database_url
from nianbao.runner import Pipeline
from sqlalchemy import text

from tests.conftest import REPORTS, SEED

CONFIG = "cfg0"


@pytest.fixture(scope="module")
def seed_record(pipeline: Pipeline) -> ReportRecord:
    return pipeline.run(SEED)


@pytest.fixture(scope="module")
def failed_record(pipeline: Pipeline, tmp_path_factory: pytest.TempPathFactory) -> ReportRecord:
    empty = tmp_path_factory.mktemp("bad") / "empty.txt"
    empty.write_bytes(b"")
    return pipeline.run(empty)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'n.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    with Store(url) as s:
        yield s


def test_a_record_reads_back_exactly_with_one_row_per_field(
    store: Store, seed_record: ReportRecord
) -> None:
    doc_id = store.save_record(seed_record, "a" * 64, CONFIG, label="seed.txt", elapsed_ms=12.5)
    assert store.record(doc_id) == seed_record
    doc = store.document(doc_id)
    assert (doc.label, doc.status, doc.year) == ("seed.txt", "ok", seed_record.meta.year.value)
    assert doc.fields_to_review == len(seed_record.review.fields)
    rows = {row.path: row for row in store.fields(doc_id)}
    assert set(rows) == {path for path, _ in seed_record.iter_fields()}
    total = rows["applications.new.total"]
    assert (total.value, total.value_num, total.semantic) == (18, 18.0, "number")
    assert total.confidence == seed_record.get("applications.new.total").confidence
    missing = [r for r in rows.values() if r.semantic == "missing"]
    assert all(r.value is None and r.value_num is None for r in missing)
    assert [c.rule for c in store.checks(doc_id)] == [c.rule for c in seed_record.checks]


def test_saving_the_same_content_and_config_twice_keeps_one_document(
    store: Store, seed_record: ReportRecord
) -> None:
    first = store.save_record(seed_record, "a" * 64, CONFIG)
    assert store.done("a" * 64, CONFIG)
    assert not store.done("a" * 64, "other-config")
    assert store.save_record(seed_record, "a" * 64, CONFIG) == first
    assert store.count() == 1
    assert len(store.fields(first)) == len(seed_record.iter_fields())
    store.save_record(seed_record, "a" * 64, CONFIG, replace=True)
    assert store.count() == 1
    with store.engine.connect() as conn:  # the old rows went with the old document
        rows = conn.execute(text("SELECT count(*) FROM fields")).scalar()
    assert rows == len(seed_record.iter_fields())


def test_a_failed_document_is_a_row_with_its_errors(
    store: Store, failed_record: ReportRecord
) -> None:
    doc_id = store.save_record(failed_record, "b" * 64, CONFIG)
    assert store.document(doc_id).status == "failed"
    assert [e.code for e in store.errors(doc_id)] == ["empty_file"]
    assert store.record(doc_id).errors[0].code == "empty_file"


def test_done_hashes_can_leave_out_documents_to_retry(
    store: Store, seed_record: ReportRecord, failed_record: ReportRecord
) -> None:
    store.save_record(seed_record, "a" * 64, CONFIG)
    store.save_record(failed_record, "b" * 64, CONFIG)
    assert store.done_hashes(CONFIG) == {"a" * 64, "b" * 64}
    assert store.done_hashes(CONFIG, except_codes=["empty_file"]) == {"a" * 64}
    assert store.done_hashes("other") == set()


def _fail_inserts_into_checks(store: Store) -> None:
    """A trigger in the database itself makes the third insert of a save fail."""
    with store.engine.begin() as conn:
        if store.engine.dialect.name == "sqlite":
            conn.execute(
                text(
                    "CREATE TRIGGER no_checks BEFORE INSERT ON checks "
                    "BEGIN SELECT RAISE(ABORT, 'checks refused'); END"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'checks refused'; END $$"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER no_checks BEFORE INSERT ON checks "
                    "FOR EACH ROW EXECUTE FUNCTION refuse()"
                )
            )


def test_a_save_that_fails_midway_leaves_no_rows(store: Store, seed_record: ReportRecord) -> None:
    _fail_inserts_into_checks(store)
    with pytest.raises(Exception, match="checks refused"):
        store.save_record(seed_record, "a" * 64, CONFIG)
    with store.engine.connect() as conn:
        for table in ("documents", "fields", "checks", "errors"):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0, table
    assert not store.done("a" * 64, CONFIG)


def test_reviews_update_the_field_keep_history_and_show_in_the_record(
    store: Store, seed_record: ReportRecord
) -> None:
    doc_id = store.save_record(seed_record, "a" * 64, CONFIG)
    flagged = store.fields_needing_review(doc_id)
    assert [f.path for f in flagged] == sorted(
        seed_record.review.fields,
        key=lambda p: (seed_record.get(p).confidence, [f.path for f in flagged].index(p)),
    )
    store.apply_review(doc_id, "applications.new.total", "correct", "li", new_value=19)
    store.apply_review(doc_id, "applications.new.total", "accept", "wang")
    store.apply_review(doc_id, "meta.title", "unreadable", "li", note="torn page")
    history = store.reviews(doc_id)
    assert [(r.action, r.previous_value, r.new_value) for r in history] == [
        ("correct", 18, 19),
        ("accept", 19, 19),
        ("unreadable", seed_record.meta.title.value, None),
    ]
    field = next(f for f in store.fields(doc_id) if f.path == "applications.new.total")
    assert (field.value, field.reviewed_value, field.reviewed_by) == (18, 19, "wang")
    reviewed = store.record(doc_id)
    total = reviewed.get("applications.new.total")
    assert (total.value, total.method, total.review.reviewed_by) == (19, "review", "wang")
    assert total.review.previous_value == 18
    assert reviewed.meta.title.value is None
    assert store.record(doc_id, reviewed=False) == seed_record
    decided = {"applications.new.total", "meta.title"}
    waiting = [p for p in seed_record.review.fields if p not in decided]
    if waiting:  # a flagged field no decision above touched
        path = waiting[0]
        before = store.document(doc_id).fields_to_review
        store.apply_review(doc_id, path, "accept", "li")
        assert store.document(doc_id).fields_to_review == before - 1
        assert path not in store.record(doc_id).review.fields


def test_bad_review_requests_are_refused_without_writing(
    store: Store, seed_record: ReportRecord
) -> None:
    doc_id = store.save_record(seed_record, "a" * 64, CONFIG)
    with pytest.raises(ValueError, match="unknown review action"):
        store.apply_review(doc_id, "meta.year", "approve", "li")
    with pytest.raises(ValueError, match="new value"):
        store.apply_review(doc_id, "meta.year", "correct", "li")
    with pytest.raises(KeyError, match="no field"):
        store.apply_review(doc_id, "meta.nothing", "accept", "li")
    assert store.reviews() == []


def test_records_pages_through_every_document(tmp_path: Path, pipeline: Pipeline) -> None:
    with Store(str(tmp_path / "n.db")) as store:
        paths = sorted(REPORTS.glob("*.txt"))
        for i, path in enumerate(paths):
            store.save_record(pipeline.run(path), f"{i:064d}", CONFIG)
        labels = [doc.label for doc, _ in store.records()]
    assert labels == [str(p) for p in paths]


def test_urls_and_paths() -> None:
    assert database_url("out/n.db") == "sqlite:///out/n.db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_an_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match=r"secret|\*\*\*") as info:
        Store("postgresql://u:secret@127.0.0.1:1/nodb")
    assert "secret" not in str(info.value)
    with pytest.raises(DatabaseError, match="cannot open"):
        Store(f"sqlite:///{tmp_path}/no/such/dir/n.db")
