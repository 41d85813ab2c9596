"""The database: schema (models.py), versioned migrations (migrations/) and the repository API
(store.py) that the batch runner, the exporter and the review page share. `open_store` is the
one way commands open it: a bad database (not a database, a future schema, missing tables,
read-only for a writing command) raises a typed DatabaseError before anything is written.
review_write.py writes one review decision (version check, database identity, busy timeout)."""

from .review_write import REVIEW_ACTIONS, DatabaseBusy, DatabaseChanged, StaleDecision
from .store import (
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
    "DatabaseBusy",
    "DatabaseChanged",
    "DatabaseError",
    "FutureSchemaError",
    "MissingTablesError",
    "NoDatabaseError",
    "NotADatabaseError",
    "ReadOnlyDatabaseError",
    "StaleDecision",
    "Store",
    "check_database",
    "database_url",
    "open_store",
]
