"""Alembic environment, run programmatically by `pipeline.db.store.migrate` (no alembic.ini):
the caller passes an open connection in `config.attributes["connection"]`."""

from __future__ import annotations

from alembic import context

# alembic loads this file by path, outside the package: a relative import has no parent here
from nianbao.db.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copy; PostgreSQL ignores it
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
