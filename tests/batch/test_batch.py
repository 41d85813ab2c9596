"""nianbao batch for real: worker processes, a real SIGKILL, SQLite and PostgreSQL, Dask."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from nianbao.batch import run_batch
from nianbao.batch.runner import suffixes
from nianbao.batch.sources import items, plan
from nianbao.db import Store
from nianbao.db.models import Base
from nianbao.settings import Settings, load_settings
from sqlalchemy import create_engine, select

from tests.conftest import REPORTS, SEED

ROOT = Path(__file__).resolve().parents[2]
SCAN = ROOT / "sample_scans" / "scans" / "nanxi-county-2022-scan200.pdf"
TEXT_PDF = ROOT / "sample_scans" / "pdf" / "nanxi-county-2022.pdf"


def unique_reports(folder: Path, n: int) -> list[Path]:
    """n distinct text reports (a numbered closing line makes each one's content unique)."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = [SEED, *sorted(REPORTS.glob("*.txt"))]
    out = []
    for i in range(n):
        body = sources[i % len(sources)].read_text(encoding="utf-8")
        path = folder / f"r{i:03d}.txt"
        path.write_text(f"{body}\n（档案编号 {i}）\n", encoding="utf-8")
        out.append(path)
    return out


def settings_with(tmp_path: Path, **batch: Any) -> tuple[Settings, Path]:
    path = tmp_path / "batch.yaml"
    path.write_text(yaml.safe_dump({"batch": batch}), encoding="utf-8")
    return load_settings(path), path


def stable(record_json: str) -> dict[str, Any]:
    """A record without what differs between two runs of the same extraction (timings)."""
    record = json.loads(record_json)
    record["provenance"].pop("timings_ms")
    return record


def table_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table as typed values (through the schema), keyed by document label
    instead of ids, without run-specific columns (ids, times, timings), sorted."""
    engine = create_engine(url)
    skip = {"id", "document_id", "created_at", "elapsed_ms"}
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        docs = Base.metadata.tables["documents"]
        labels = dict(conn.execute(select(docs.c.id, docs.c.label)).all())
        for name, table in Base.metadata.tables.items():
            if name == "instance":  # one random id per database, by design
                continue
            cols = [c for c in table.c if c.name not in skip]
            rows = []
            for row in conn.execute(select(*table.c)).mappings():
                values = [row[c.name] for c in cols]
                if name == "documents":
                    values[cols.index(docs.c.record_json)] = stable(row["record_json"])
                if name == "documents":
                    label = row["label"]
                elif "document_id" in row:
                    label = labels[row["document_id"]]
                else:  # the archive's tables (agencies, archive_checks): no document of their own
                    label = name
                rows.append((label, *(json.dumps(v, sort_keys=True) for v in values)))
            out[name] = sorted(rows)
    engine.dispose()
    return out


def test_a_killed_batch_resumes_with_every_document_exactly_once(tmp_path: Path) -> None:
    docs = unique_reports(tmp_path / "in", 40)
    db = tmp_path / "n.db"
    cmd = [sys.executable, "-m", "nianbao.cli", "batch", str(tmp_path / "in"), "--db", str(db)]
    run = subprocess.Popen(
        [*cmd, "--workers", "1"], cwd=ROOT, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 240
    stored = 0
    while stored < 5 and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.2)
        if db.exists():
            with sqlite3.connect(db, timeout=30) as conn:
                try:
                    stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
                except sqlite3.OperationalError:
                    stored = 0  # the schema is being created
    assert run.poll() is None, "the batch finished before it could be killed"
    os.killpg(run.pid, signal.SIGKILL)  # the supervisor and its worker, mid-run
    run.wait()
    with sqlite3.connect(db) as conn:
        killed_at = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 5 <= killed_at < len(docs)

    rerun = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    with sqlite3.connect(db) as conn:
        labels = [r[0] for r in conn.execute("SELECT label FROM documents")]
        per_doc = conn.execute(
            "SELECT d.record_json, (SELECT count(*) FROM fields f WHERE f.document_id = d.id),"
            " (SELECT count(*) FROM checks c WHERE c.document_id = d.id) FROM documents d"
        ).fetchall()
    assert sorted(labels) == sorted(str(p) for p in docs)  # each exactly once
    for record_json, n_fields, n_checks in per_doc:  # and no document half written
        record = json.loads(record_json)
        assert n_checks == len(record["checks"]) > 0
        assert n_fields > 200
    assert f"skipped (already in the database) │ {killed_at}" in rerun.stderr.replace("  ", " ")


def test_a_corrupt_file_in_the_middle_gets_an_error_record_and_the_batch_goes_on(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    good = unique_reports(folder, 4)
    (folder / "r001b.pdf").write_bytes(TEXT_PDF.read_bytes()[:4000])  # truncated PDF
    (folder / "r002b.txt").write_bytes(os.urandom(3000) + b"\x00" * 100)  # binary garbage
    archive = folder / "r003b.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(good[0], "inner/ok.txt")
        zf.writestr("inner/empty.txt", b"")
    (folder / "r004b.tar.gz").write_bytes(b"\x1f\x8b not really a tar")
    db = tmp_path / "n.db"
    result = subprocess.run(
        [sys.executable, "-m", "nianbao.cli", "batch", str(folder), "--db", str(db)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr  # something failed, and the exit code says so
    with Store(str(db)) as store:
        docs = {d.label.removeprefix(f"{folder}/"): d for d in store.documents()}
        codes = {name: [e.code for e in store.errors(d.id)] for name, d in docs.items()}
    assert {p.name for p in good} <= set(docs)
    assert all(docs[p.name].status == "ok" for p in good)
    assert codes["r001b.pdf"] == ["truncated_pdf"]
    assert docs["r002b.txt"].status == "failed"
    assert codes["r003b.zip!inner/empty.txt"] == ["empty_file"]
    assert codes["r004b.tar.gz"] == ["corrupt_archive"]
    # the zip's ok.txt has the same bytes as r000.txt: stored once, under the first label
    assert "r003b.zip!inner/ok.txt" not in docs


def test_archives_are_streamed_under_labels_without_extracting_member_paths(
    tmp_path: Path, settings: Settings
) -> None:
    archive = tmp_path / "a.tar"
    src = unique_reports(tmp_path / "src", 2)
    outside = tmp_path / "escaped.txt"
    with tarfile.open(archive, "w") as tf:
        tf.add(src[0], "../escaped.txt")
        tf.add(src[1], "/abs/x.txt")
        link = tarfile.TarInfo("link.txt")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tf.addfile(link)
    work = tmp_path / "work"
    work.mkdir()
    found, refused = [], {}
    for item in items(plan([str(archive)], suffixes(settings)), suffixes(settings), work, 10**6):
        if item.error is not None:
            refused[item.label] = item.error[0]
            continue
        assert item.path is not None and item.path.parent == work
        found.append((item.label, item.path.read_bytes()))
        item.cleanup()
    # every member lands in `work` under a made-up name; `..` names and links are not read but
    # reported; tar itself strips the leading / of an absolute name
    assert [label for label, _ in found] == [f"{archive}!abs/x.txt"]
    assert found[0][1] == src[1].read_bytes()
    assert refused == {
        f"{archive}!../escaped.txt": "unsafe_member",
        f"{archive}!link.txt": "unsafe_member",
    }
    assert not outside.exists() and list(work.iterdir()) == []


@pytest.mark.slow
def test_timeout_and_memory_limit_stop_one_document_not_the_batch(tmp_path: Path) -> None:
    docs = unique_reports(tmp_path / "in", 2)
    settings, _ = settings_with(tmp_path, timeout_s=1.5)
    with Store(str(tmp_path / "t.db")) as store:
        stats = run_batch([str(SCAN), *map(str, docs)], store, settings, workers=1)
        by_label = {d.label: d for d in store.documents()}
        assert [e.code for e in store.errors(by_label[str(SCAN)].id)] == ["timeout"]
    assert stats.statuses == {"ok": 2, "failed": 1}
    settings, _ = settings_with(tmp_path, memory_limit_mb=150)
    with Store(str(tmp_path / "m.db")) as store:
        run_batch([str(SCAN)], store, settings, workers=1)
        (doc,) = store.documents()
        assert [e.code for e in store.errors(doc.id)] == ["memory_limit"]
        # --retry runs batch-level failures again (with a workable limit they succeed)
        settings, _ = settings_with(tmp_path, memory_limit_mb=6000)
        stats = run_batch([str(SCAN)], store, settings, workers=1, retry=True)
        (doc,) = store.documents()
        assert doc.status != "failed" and store.errors(doc.id) == []
    assert stats.processed == 1


@pytest.mark.slow
def test_sqlite_and_postgresql_get_the_same_rows(
    tmp_path: Path, settings: Settings, pg_url: str
) -> None:
    docs = unique_reports(tmp_path / "in", 3)
    (tmp_path / "in" / "bad.txt").write_bytes(b"")
    inputs = [str(tmp_path / "in"), str(TEXT_PDF)]
    sqlite_url = f"sqlite:///{tmp_path / 'n.db'}"
    for url in (sqlite_url, pg_url):
        with Store(url) as store:
            stats = run_batch(inputs, store, settings, workers=1)
        assert stats.processed == len(docs) + 2
        assert stats.startup_s is not None and 0 < stats.startup_s < stats.seconds
    lite, pg = table_rows(sqlite_url), table_rows(pg_url)
    assert len(lite["fields"]) > 500
    for table in lite:
        assert lite[table] == pg[table], table


@pytest.mark.slow
def test_a_dask_local_cluster_gives_the_same_records_as_local_workers(
    tmp_path: Path, settings: Settings
) -> None:
    docs = unique_reports(tmp_path / "in", 3)
    inputs = [*map(str, docs), str(TEXT_PDF)]
    records = {}
    for name, dask in (("local", None), ("dask", "local")):
        with Store(str(tmp_path / f"{name}.db")) as store:
            stats = run_batch(inputs, store, settings, workers=1, dask=dask)
            assert stats.processed == len(inputs)
            records[name] = {d.label: stable(r.model_dump_json()) for d, r in store.records()}
    assert records["local"] == records["dask"]
    assert set(records["dask"]) == set(inputs)
