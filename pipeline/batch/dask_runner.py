"""The same documents on a Dask cluster: `--dask ADDRESS` (a running scheduler) or
`--dask local` (a LocalCluster of worker processes on this machine).

Each task carries the document's bytes, so workers on other machines need no shared disk, only
nianbao installed (the same version and config). A worker process keeps its pipeline between
tasks. Isolation on Dask: a worker that dies (the nanny kills it past its memory limit) gives
its document a `worker_crashed` error; the per-document timeout is NOT enforced here (Dask
cannot stop a running task short of restarting the worker); use the local pool for that.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..datamodel.base import ErrorCode
from ..settings import Settings
from .pool import Result
from .work import Outcome, Task, run_task


class DaskPool:
    def __init__(self, settings: Settings, address: str, workers: int, threads: int) -> None:
        self.settings = settings
        self.address = address
        self.workers = workers
        self.threads = threads
        self.worker_peaks_mb: list[float] = []
        self.startup_s: float | None = None  # not measured: Dask workers build pipelines lazily

    def _client(self) -> tuple[Any, Any]:
        from distributed import Client, LocalCluster

        if self.address == "local":
            cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                memory_limit=f"{self.settings.batch.dask_memory_limit_mb}MB",
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            return Client(cluster), cluster
        return Client(self.address), None

    def run(self, tasks: Iterator[Task]) -> Iterator[Result]:
        from distributed import as_completed
        from distributed.scheduler import KilledWorker

        client, cluster = self._client()
        try:
            slots = max(1, sum(client.nthreads().values()))
            window = slots * (1 + self.settings.batch.read_ahead)
            pending: dict[Any, Task] = {}
            running = as_completed()

            def submit() -> bool:
                task = next(tasks, None)
                if task is None:
                    return False
                data = Path(task.path).read_bytes() if task.path else task.data
                shipped = Task(task.label, task.content_hash, task.suffix, data=data)
                future = client.submit(run_task, self.settings, self.threads, shipped, pure=False)
                pending[future] = task
                running.add(future)
                return True

            while len(pending) < window and submit():
                pass
            peaks: dict[int, float] = {}
            for future in running:
                task = pending.pop(future)
                try:
                    outcome: Outcome = future.result()
                    peaks[outcome.pid] = max(peaks.get(outcome.pid, 0.0), outcome.peak_rss_mb)
                    yield task, outcome
                except KilledWorker as exc:
                    yield task, (ErrorCode.worker_crashed, f"{task.label}: Dask worker died: {exc}")
                except Exception as exc:
                    yield (
                        task,
                        (ErrorCode.worker_exception, f"{task.label}: {type(exc).__name__}: {exc}"),
                    )
                future.release()
                while len(pending) < window and submit():
                    pass
            self.worker_peaks_mb = list(peaks.values())
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
