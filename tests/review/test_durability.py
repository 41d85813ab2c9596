"""A decision is reported saved only when it reached the database the page opened (issue #15):
a database file deleted or replaced under the running page, or made anew, refuses decisions
with 503 and a message; a locked one answers 503 after the short busy timeout, not after a
minute. And the evidence: a source file changed after it was first shown is not shown again."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from nianbao.db import StaleDecision, Store
from nianbao.review.app import ReviewConfig, create_app
from nianbao.settings import Settings
from sqlalchemy import text

from tests.review.conftest import AFTER_REVIEW, LOOPBACK, pdf_id, seed_id

FIELD = f"{AFTER_REVIEW}.total"


def _form(client: TestClient, url: str) -> dict[str, str]:
    html = client.get(url).text
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    version = re.search(r'name="version" value="(\d+)"', html)
    assert csrf and version
    return {"csrf": csrf.group(1), "version": version.group(1)}


def _reviews_in(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM reviews").fetchone()[0])


def test_a_deleted_database_file_refuses_decisions(
    client: TestClient, store: Store, db_path: Path
) -> None:
    url = f"/field/{seed_id(store)}/{FIELD}"
    form = _form(client, url)
    db_path.unlink()
    response = client.post(url, data={**form, "action": "correct", "value": "1"})
    assert response.status_code == 503
    assert "deleted" in response.text and "Saved" not in response.text
    # every page says so (not a 500, nor an empty new database made at the path)
    for page in ("/", url, f"/evidence/{seed_id(store)}/page/1"):
        shown = client.get(page)
        assert shown.status_code == 503 and "deleted" in shown.text
    assert not db_path.exists()


def test_a_replaced_database_file_refuses_decisions(
    client: TestClient, store: Store, db_path: Path, tmp_path: Path
) -> None:
    url = f"/field/{seed_id(store)}/{FIELD}"
    form = _form(client, url)
    copy = tmp_path / "copy.db"
    shutil.copy(db_path, copy)
    old = tmp_path / "old.db"
    os.link(db_path, old)  # keep the file the page opened, to look into it afterwards
    os.replace(copy, db_path)
    response = client.post(url, data={**form, "action": "accept"})
    assert response.status_code == 503 and "replaced" in response.text
    assert _reviews_in(db_path) == 0 and _reviews_in(old) == 0


def test_a_database_made_anew_refuses_decisions(client: TestClient, store: Store) -> None:
    url = f"/field/{seed_id(store)}/{FIELD}"
    form = _form(client, url)
    with store.engine.begin() as conn:  # what a new `batch` into a recreated database leaves
        conn.execute(text("UPDATE instance SET instance = 'another'"))
    response = client.post(url, data={**form, "action": "accept"})
    assert response.status_code == 503 and "made anew" in response.text
    assert store.reviews() == []


def test_a_locked_database_answers_503_quickly(
    store: Store, settings: Settings, db_path: Path
) -> None:
    quick = settings.model_copy(
        update={"review": settings.review.model_copy(update={"busy_timeout_s": 0.5})}
    )
    client = TestClient(
        create_app(store, quick, ReviewConfig("tester", None, LOOPBACK)),
        base_url="http://127.0.0.1",
    )
    url = f"/field/{seed_id(store)}/{FIELD}"
    form = _form(client, url)
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        start = time.monotonic()
        response = client.post(url, data={**form, "action": "accept"})
        waited = time.monotonic() - start
        assert response.status_code == 503 and "locked" in response.text
        assert waited < 5, f"answered after {waited:.1f} s"
    finally:
        other.rollback()
        other.close()
    assert store.reviews() == []
    saved = client.post(url, data={**form, "action": "accept"}, follow_redirects=False)
    assert saved.status_code == 303  # once the lock is gone the same form saves
    assert len(store.reviews()) == 1


def test_a_database_locked_against_readers_answers_503_quickly(
    store: Store, settings: Settings, db_path: Path
) -> None:
    quick = settings.model_copy(
        update={"review": settings.review.model_copy(update={"busy_timeout_s": 0.5})}
    )
    client = TestClient(
        create_app(store, quick, ReviewConfig("tester", None, LOOPBACK)),
        base_url="http://127.0.0.1",
    )
    other = sqlite3.connect(db_path, isolation_level=None)
    try:  # a program that takes the whole file (exclusive locking mode) and keeps it
        other.execute("PRAGMA locking_mode = EXCLUSIVE")
        other.execute("BEGIN EXCLUSIVE")
        other.execute("UPDATE documents SET status = status")
        start = time.monotonic()
        response = client.get("/")
        waited = time.monotonic() - start
        assert response.status_code == 503 and "locked" in response.text
        assert waited < 5, f"answered after {waited:.1f} s"
    finally:
        other.rollback()
        other.close()
    assert client.get("/").status_code == 200


# ---- evidence -----------------------------------------------------------------------------------
def _crop(client: TestClient, store: Store) -> tuple[int, str]:
    doc = pdf_id(store)
    field = next(f for f in store.fields_needing_review(doc) if f.evidence_bbox)
    return doc, field.path


def test_a_source_changed_after_it_was_shown_is_not_shown_again(
    client: TestClient, store: Store
) -> None:
    doc, path = _crop(client, store)
    source = Path(store.document(doc).label)
    original = source.read_bytes()
    stat = source.stat()
    assert client.get(f"/evidence/{doc}/crop", params={"field": path}).status_code == 200
    try:
        # same size, one byte different, mtime moved: re-hashed, refused
        source.write_bytes(original[:-2] + bytes([original[-2] ^ 1]) + original[-1:])
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        crop = client.get(f"/evidence/{doc}/crop", params={"field": path})
        assert crop.status_code == 404 and "changed since it was read" in crop.text
        page = client.get(f"/evidence/{doc}/page/1")
        assert page.status_code == 404  # the cached rendering of the old file is not served
        assert "changed since it was read" in client.get(f"/field/{doc}/{path}").text
        # swapped for another file of the same size, its mtime set back: the inode tells
        swap = source.with_name("swap.pdf")
        swap.write_bytes(original[:-2] + bytes([original[-2] ^ 2]) + original[-1:])
        os.utime(swap, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        source.write_bytes(original)
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert client.get(f"/evidence/{doc}/crop", params={"field": path}).status_code == 200
        os.replace(swap, source)
        crop = client.get(f"/evidence/{doc}/crop", params={"field": path})
        assert crop.status_code == 404 and "changed" in crop.text
    finally:
        source.write_bytes(original)
    assert client.get(f"/evidence/{doc}/crop", params={"field": path}).status_code == 200


def test_a_database_reviewed_before_versions_get_their_decision_counts(
    db_path: Path, store: Store
) -> None:
    """Migration 0002 on a database with decisions: each field's version is its number of
    decisions, so forms drawn after the upgrade are checked against the right version."""
    from alembic import command
    from nianbao.db.store import _alembic_config

    doc = seed_id(store)
    store.apply_review(doc, FIELD, "correct", "li", new_value=1)
    store.apply_review(doc, FIELD, "accept", "wang")
    store.apply_review(doc, "meta.year", "accept", "li")
    cfg = _alembic_config()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")  # the schema before versions
    store.close()
    with Store(str(db_path)) as upgraded:
        versions = {f.path: f.review_version for f in upgraded.fields(doc)}
        assert versions[FIELD] == 2 and versions["meta.year"] == 1
        assert sum(versions.values()) == 3
        assert upgraded.identity().instance  # a new instance id was made
        with pytest.raises(StaleDecision):
            upgraded.apply_review(doc, FIELD, "accept", "zhao", seen_version=1)
        upgraded.apply_review(doc, FIELD, "accept", "zhao", seen_version=2)
