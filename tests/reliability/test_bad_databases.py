"""Bad databases (issue #15 item 6): every command taking --db ends with exit code 2 and one
line naming the problem, and the database file is left byte for byte as it was."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from nianbao.cli import app
from nianbao.db import (
    FutureSchemaError,
    MissingTablesError,
    NoDatabaseError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
    Store,
    open_store,
)
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from tests.conftest import SEED

runner = CliRunner()


def _good(path: Path) -> Path:
    with Store(str(path)):
        pass
    return path


def _sql(path: Path, statement: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(statement)
    conn.close()  # checkpoints the WAL: the file is final before the command runs


def _future(path: Path) -> Path:
    _sql(_good(path), "UPDATE alembic_version SET version_num = '9999_from_the_future'")
    return path


def _missing_table(path: Path) -> Path:
    _sql(_good(path), "DROP TABLE reviews")
    return path


def _not_a_database(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04 this is a zip file, not a database" * 10)
    return path


def _someone_elses(path: Path) -> Path:
    _sql(path, "CREATE TABLE customers (id INTEGER, name TEXT)")
    return path


BAD = {
    "future_schema": (_future, FutureSchemaError, "newer nianbao"),
    "missing_tables": (_missing_table, MissingTablesError, "reviews"),
    "not_a_database": (_not_a_database, NotADatabaseError, "not an SQLite database"),
    "someone_elses": (_someone_elses, NotADatabaseError, "not a nianbao database"),
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_error_line(output: str, words: str) -> None:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert lines[0].startswith("error:") and words in lines[0], output
    assert "Traceback" not in output


@pytest.mark.parametrize("kind", sorted(BAD))
def test_a_bad_database_is_refused_with_exit_2_and_left_untouched(
    tmp_path: Path, kind: str
) -> None:
    make, error, words = BAD[kind]
    db = make(tmp_path / f"{kind}.db")
    before = sorted(os.listdir(tmp_path)), _digest(db)
    with pytest.raises(error):
        open_store(str(db), write=True)
    for args in (
        ["batch", str(SEED), "--db", str(db)],
        ["export", str(tmp_path / "out.jsonl"), "--db", str(db)],
        ["export", str(tmp_path / "out.csv"), "--db", f"sqlite:///{db}"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        _one_error_line(result.output, words)
    assert (sorted(os.listdir(tmp_path)), _digest(db)) == before  # nothing written


def test_a_read_only_database_is_refused_by_batch_and_read_by_export(tmp_path: Path) -> None:
    db = _good(tmp_path / "ro.db")
    url = f"sqlite:///file:{db}?mode=ro&uri=true"  # read-only whoever runs the test (root too)
    before = _digest(db)
    with pytest.raises(ReadOnlyDatabaseError):
        open_store(url, write=True)
    result = runner.invoke(app, ["batch", str(SEED), "--db", url])
    assert result.exit_code == 2
    _one_error_line(result.output, "read-only")
    result = runner.invoke(app, ["export", str(tmp_path / "out.jsonl"), "--db", url])
    assert result.exit_code == 0, result.output  # reading a read-only database is fine
    assert _digest(db) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files")
def test_a_read_only_file_is_refused_by_batch(tmp_path: Path) -> None:
    db = _good(tmp_path / "ro.db")
    db.chmod(0o444)
    result = runner.invoke(app, ["batch", str(SEED), "--db", str(db)])
    assert result.exit_code == 2
    _one_error_line(result.output, "read-only")


def test_export_of_a_missing_or_empty_database_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(NoDatabaseError):
        open_store(str(tmp_path / "nope.db"), write=False)
    result = runner.invoke(
        app, ["export", str(tmp_path / "o.jsonl"), "--db", str(tmp_path / "n.db")]
    )
    assert result.exit_code == 2
    _one_error_line(result.output, "no such database")
    assert sorted(os.listdir(tmp_path)) == []


@pytest.mark.slow
def test_a_read_only_postgresql_database_is_refused(pg_url: str) -> None:
    with Store(pg_url):
        pass
    engine = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = engine.url.database
    with engine.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
        conn.commit()
    engine.dispose()
    result = runner.invoke(app, ["batch", str(SEED), "--db", pg_url])
    assert result.exit_code == 2
    _one_error_line(result.output, "read-only")
