"""The database: schema (models.py), versioned migrations (migrations/) and the repository API
(store.py) that the batch runner, the exporter and the review page share; review_write.py writes
one review decision (version check, database identity, busy timeout)."""

from .review_write import REVIEW_ACTIONS, DatabaseBusy, DatabaseChanged, StaleDecision
from .store import DatabaseError, Store, database_url

__all__ = [
    "REVIEW_ACTIONS",
    "DatabaseBusy",
    "DatabaseChanged",
    "DatabaseError",
    "StaleDecision",
    "Store",
    "database_url",
]
