"""`nianbao batch`: documents from folders, globs and archives, run in isolated worker processes
(or on Dask), each written to the database in one transaction as it finishes."""

from pipeline.batch.runner import BatchStats, run_batch

__all__ = ["BatchStats", "run_batch"]
