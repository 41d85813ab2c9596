"""The versioned schema: migrations build exactly what the models declare, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from nianbao.db import Store
from nianbao.db.models import Base
from nianbao.db.store import head_revision, migrate
from sqlalchemy import create_engine, inspect


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'm.db'}"
    return str(request.getfixturevalue("pg_url"))


def test_migrations_match_the_models(url: str) -> None:
    Store(url).close()
    engine = create_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert context.get_current_revision() == head_revision()
        assert compare_metadata(context, Base.metadata) == []
    tables = set(inspect(engine).get_table_names())
    assert {"documents", "fields", "checks", "errors", "reviews"} <= tables
    migrate(engine)  # a second open is a no-op
    engine.dispose()
