"""The same documents on a Dask cluster: `--dask ADDRESS` (a running scheduler) or
`--dask local` (a LocalCluster of worker processes on this machine).

Each task carries the document's bytes, so workers on other machines need no shared disk, only
nianbao installed (the same version, config and model files). The settings go to each worker
once, in a worker plugin that also sets the worker's thread counts and builds its pipeline
before the first document (a worker the nanny restarts gets the plugin again). Isolation on
Dask: a worker that dies (the nanny kills it past its memory limit) gives its document a
`worker_crashed` error; the per-document timeout is NOT enforced here (Dask cannot stop a
running task short of restarting the worker); use the local pool for that.

Where Dask's time went (issue #17), and what this module does about it:
- the nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536, which switches glibc's dynamic
  mmap threshold off: every OCR array was mapped anew and its pages faulted in, 1.5-1.8x the
  CPU per page. The LocalCluster's workers start without it; any other worker fixes its
  thresholds in `work.tune_process` (`batch.malloc_mmap_threshold_mb`).
- a worker's statistical profiler samples the running task's stack every 10 ms: off.
- the scheduler sent each worker a second task while the first ran (worker-saturation 1.1),
  so at the end of a batch one worker could sit idle beside a queue: one task per slot.
- thread counts: each worker's share of ITS machine's cores (not the client's).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin
from distributed.comm import get_address_host

from ..datamodel.base import ErrorCode
from ..errors import NianbaoError
from ..settings import Settings
from .pool import Result
from .work import (
    _THREAD_VARS,
    Outcome,
    Task,
    pipeline_for,
    run_task,
    tune_process,
    usable_cores,
)

# Dask settings for a LocalCluster (this process runs its scheduler and starts its nannies);
# an external cluster gets the same from the environment (README: several machines).
DASK_CONFIG: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.scheduler.worker-saturation": 1.0,
}
# what the nanny puts in a worker's environment before it starts: the thread limits, and NOT
# Dask's default MALLOC_TRIM_THRESHOLD_
_PRE_SPAWN = "distributed.nanny.pre-spawn-environ"

# worker side: settings digest -> (settings, threads), filled by the plugin
_WORKER_SETTINGS: dict[str, tuple[Settings, int]] = {}


class DaskStartError(NianbaoError):
    """The Dask workers cannot take nianbao documents (no workers, a broken install)."""


def machine_cores() -> int:
    """The cores a worker may use (its affinity: a worker pinned to one core counts one)."""
    return usable_cores()


def threads_by_host(
    settings: Settings, slots: dict[str, int], cores: dict[str, int]
) -> dict[str, int]:
    """OCR/OpenCV threads for a task on each host: `batch.threads_per_worker`, else the host's
    cores divided among the task slots (workers x nthreads) on that host."""
    configured = settings.batch.threads_per_worker
    return {
        host: configured if configured is not None else max(1, cores[host] // max(1, n))
        for host, n in slots.items()
    }


class NianbaoWorker(WorkerPlugin):
    """Worker plugin: settings, thread limits and a built pipeline, once per worker process."""

    idempotent = True  # registering the same settings again (a second batch) is a no-op

    def __init__(self, settings: Settings, threads: dict[str, int]) -> None:
        self.settings = settings
        self.threads = threads
        self.name = f"nianbao-{settings.digest()}"

    async def setup(self, worker: Any) -> None:
        host = get_address_host(worker.address)
        threads = self.threads.get(host)
        if threads is None:  # a machine that joined after the batch started
            slots = max(1, worker.state.nthreads)
            threads = self.settings.batch.threads_per_worker or max(1, machine_cores() // slots)
        # off the worker's event loop, which must keep answering the scheduler meanwhile
        await asyncio.get_running_loop().run_in_executor(None, self._build, threads)

    def _build(self, threads: int) -> None:
        tune_process(self.settings, threads)
        pipeline_for(self.settings, threads)  # spaCy, the classifiers; the OCR on first scan
        _WORKER_SETTINGS[self.settings.digest()] = (self.settings, threads)


def run_shipped(digest: str, task: Task) -> Outcome:
    """The Dask task: one document with the settings the plugin left on this worker."""
    if digest not in _WORKER_SETTINGS:
        raise DaskStartError(f"this worker has no nianbao settings {digest} (plugin not run)")
    settings, threads = _WORKER_SETTINGS[digest]
    return run_task(settings, threads, task)


def worker_probe() -> dict[str, Any]:
    """What a worker runs with (tests, benchmarks): thread variables, malloc and profiling."""
    import cv2
    import dask

    return {
        "pid": os.getpid(),
        "threads": {digest: threads for digest, (_, threads) in _WORKER_SETTINGS.items()},
        "env": {var: os.environ.get(var) for var in (*_THREAD_VARS, "MALLOC_TRIM_THRESHOLD_")},
        "cv2_threads": cv2.getNumThreads(),
        "profile": dask.config.get("distributed.worker.profile.enabled"),
    }


class DaskPool:
    def __init__(self, settings: Settings, address: str, workers: int, threads: int) -> None:
        self.settings = settings
        self.address = address
        self.workers = workers
        self.threads = threads  # a LocalCluster worker's threads (this machine's share)
        self.worker_peaks_mb: list[float] = []
        self.startup_s: float | None = None  # cluster, workers and their pipelines ready
        self.worker_threads: dict[str, int] = {}  # host -> threads a task gets there

    def local_config(self) -> dict[str, Any]:
        import dask

        environ = dict(dask.config.get(_PRE_SPAWN, default={}) or {})
        environ.pop("MALLOC_TRIM_THRESHOLD_", None)
        environ.update({var: self.threads for var in _THREAD_VARS})
        return {**DASK_CONFIG, _PRE_SPAWN: environ}

    def _client(self) -> tuple[Any, Any]:
        import dask
        from distributed import Client, LocalCluster

        if self.address == "local":
            with dask.config.set(self.local_config()):
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

    def prepare(self, client: Any) -> None:
        """Settings, threads and pipelines onto every worker (and any that joins later)."""
        info = client.scheduler_info(n_workers=-1)["workers"]
        if not info:
            raise DaskStartError(f"the Dask scheduler {self.address} has no workers")
        slots: dict[str, int] = {}
        for worker in info.values():
            slots[worker["host"]] = slots.get(worker["host"], 0) + worker["nthreads"]
        cores = {
            info[address]["host"]: n for address, n in client.run(machine_cores).items()
        }  # fmt: skip
        self.worker_threads = threads_by_host(self.settings, slots, cores)
        try:
            client.register_plugin(NianbaoWorker(self.settings, self.worker_threads))
        except Exception as exc:
            raise DaskStartError(
                f"Dask workers cannot build the nianbao pipeline: {type(exc).__name__}: {exc}"
            ) from exc

    def run(self, tasks: Iterator[Task]) -> Iterator[Result]:
        from distributed import as_completed
        from distributed.scheduler import KilledWorker

        t0 = time.monotonic()
        client, cluster = self._client()
        try:
            self.prepare(client)
            self.startup_s = time.monotonic() - t0
            digest = self.settings.digest()
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
                future = client.submit(run_shipped, digest, shipped, pure=False)
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
