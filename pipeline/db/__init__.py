"""The database: schema (models.py), versioned migrations (migrations/) and the repository API
(store.py) that the batch runner, the exporter and the review page share. `open_store` is the
one way commands open it: a bad database (not a database, a future schema, missing tables,
read-only for a writing command) raises a typed DatabaseError before anything is written."""

from .store import (
    REVIEW_ACTIONS,
    DatabaseError,
    FutureSchemaError,
    MissingTablesError,
    NoDatabaseError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
    Store,
    check_database,
    database_url,
    open_store,
)

__all__ = [
    "REVIEW_ACTIONS",
    "DatabaseError",
    "FutureSchemaError",
    "MissingTablesError",
    "NoDatabaseError",
    "NotADatabaseError",
    "ReadOnlyDatabaseError",
    "Store",
    "check_database",
    "database_url",
    "open_store",
]
