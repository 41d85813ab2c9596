"""`nianbao batch`: documents from folders, globs and archives, run in isolated worker processes
(or on Dask), each written to the database in one transaction as it finishes.

`run_batch` is imported on first use: worker processes import `pipeline.batch.pool`/`work`
only, and so start without loading SQLAlchemy and the database layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .runner import BatchStats, run_batch

__all__ = ["BatchStats", "run_batch"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import runner

        return getattr(runner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
