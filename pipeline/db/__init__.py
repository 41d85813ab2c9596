"""The database: schema (models.py), versioned migrations (migrations/) and the repository API
(store.py) that the batch runner, the exporter and the review page share."""

from .store import REVIEW_ACTIONS, DatabaseError, Store, database_url

__all__ = ["REVIEW_ACTIONS", "DatabaseError", "Store", "database_url"]
