"""Local worker processes under supervision: one document at a time per worker.

Each worker builds its pipeline once (the OCR engine on its first scanned page) and then takes
documents over a pipe. The supervisor enforces the per-document timeout and memory limit by
killing the worker (a stuck C extension cannot be interrupted any other way), gives that
document an error (`timeout`, `memory_limit`, `worker_crashed`), starts a fresh worker and goes
on. Documents are pulled from the task iterator only as workers need them (plus a small
read-ahead), so an archive is never unpacked all at once.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import signal
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

import psutil

from ..datamodel.base import ErrorCode
from ..errors import NianbaoError
from ..settings import Settings
from .work import Outcome, Task, pipeline_for, run_task

Failure = tuple[ErrorCode, str]  # (error code, message)
Result = tuple[Task, Outcome | Failure]
_READY = "ready"
_STARTUP_ATTEMPTS = 3


class WorkerStartError(NianbaoError):
    """Workers cannot build the pipeline (a broken install or OCR engine); says why."""


def _worker_main(conn: Connection, settings: Settings, threads: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the supervisor's to handle
    try:
        pipeline_for(settings, threads)
    except Exception as exc:
        conn.send(("startup_failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(_READY)
    while True:
        try:
            task = conn.recv()
        except EOFError:  # the supervisor is gone
            return
        if task is None:
            return
        conn.send(run_task(settings, threads, task))


@dataclass
class _Slot:
    process: Any  # multiprocessing.Process (SpawnProcess)
    conn: Connection
    ready: bool = False
    task: Task | None = None
    started: float = 0.0
    peak_rss_mb: float = 0.0
    ps: psutil.Process | None = field(default=None, repr=False)


class LocalPool:
    def __init__(self, settings: Settings, workers: int, threads: int) -> None:
        self.settings = settings
        self.workers = workers
        self.threads = threads
        self.batch = settings.batch
        # spawn: a fresh interpreter per worker, never a fork of a parent holding threads
        self._ctx = mp.get_context("spawn")
        self._slots: list[_Slot] = []
        self.worker_peaks_mb: list[float] = []  # peak RSS of each worker that ended
        self.startup_s: float | None = None  # until every first worker had built its pipeline

    def _spawn(self) -> _Slot:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=_worker_main, args=(child, self.settings, self.threads), daemon=True
        )
        process.start()
        child.close()
        return _Slot(process=process, conn=parent, ps=psutil.Process(process.pid))

    def _retire(self, slot: _Slot, kill: bool) -> None:
        if kill and slot.process.is_alive():
            slot.process.kill()
        slot.process.join(timeout=10)
        slot.conn.close()
        self.worker_peaks_mb.append(slot.peak_rss_mb)

    def _replace(self, slot: _Slot) -> None:
        self._retire(slot, kill=True)
        self._slots[self._slots.index(slot)] = self._spawn()

    def run(self, tasks: Iterator[Task]) -> Iterator[Result]:
        window = self.workers * (1 + self.batch.read_ahead)
        queue: deque[Task] = deque()
        exhausted = False
        startup_failures = 0
        t_start = time.monotonic()
        self._slots = [self._spawn() for _ in range(self.workers)]
        starting = set(range(self.workers))
        last_check = 0.0

        def dispatch() -> None:
            nonlocal exhausted
            busy = sum(1 for s in self._slots if s.task is not None)
            while not exhausted and len(queue) + busy < window:
                try:
                    queue.append(next(tasks))
                except StopIteration:
                    exhausted = True
            for slot in self._slots:
                if slot.ready and slot.task is None and queue:
                    slot.task = queue.popleft()
                    slot.started = time.monotonic()
                    slot.conn.send(slot.task)

        try:
            while True:
                dispatch()
                if exhausted and not queue and all(s.task is None for s in self._slots):
                    return
                finished: list[Result] = []
                conns = [s.conn for s in self._slots]
                for conn in wait(conns, timeout=self.batch.poll_interval_s):
                    slot = next(s for s in self._slots if s.conn is conn)
                    try:
                        message = slot.conn.recv()
                    except (EOFError, OSError):
                        message = None  # died: handled by the liveness check below
                    if message == _READY:
                        slot.ready = True
                        startup_failures = 0
                        starting.discard(self._slots.index(slot))
                        if not starting and self.startup_s is None:
                            self.startup_s = time.monotonic() - t_start
                    elif isinstance(message, tuple) and message[0] == "startup_failed":
                        startup_failures += 1
                        if startup_failures >= _STARTUP_ATTEMPTS:
                            raise WorkerStartError(f"workers cannot start: {message[1]}")
                        self._replace(slot)
                    elif isinstance(message, Outcome):
                        assert slot.task is not None
                        slot.peak_rss_mb = max(slot.peak_rss_mb, message.peak_rss_mb)
                        finished.append((slot.task, message))
                        slot.task = None
                if finished:
                    # the idle workers start their next document before the caller spends
                    # time on these (validating, the database transaction)
                    dispatch()
                    yield from finished
                now = time.monotonic()
                if now - last_check >= self.batch.poll_interval_s:
                    last_check = now  # /proc reads are not free: once per poll interval
                    yield from self._supervise()
        finally:
            self._shutdown()

    def _supervise(self) -> Iterator[Result]:
        """Time, memory and liveness of busy workers; a breach kills the worker."""
        limit_mb = self.batch.memory_limit_mb
        for slot in list(self._slots):
            if not slot.process.is_alive() and slot.process.exitcode is not None:
                task = slot.task
                self._replace(slot)
                if task is not None:
                    code = slot.process.exitcode
                    yield (
                        task,
                        (
                            ErrorCode.worker_crashed,
                            f"{task.label}: the worker died (exit {code})",
                        ),
                    )
                continue
            if slot.task is None:
                continue
            elapsed = time.monotonic() - slot.started
            rss_mb = _rss_mb(slot)
            slot.peak_rss_mb = max(slot.peak_rss_mb, rss_mb)
            failure: Failure | None = None
            if elapsed > self.batch.timeout_s:
                failure = (
                    ErrorCode.timeout,
                    f"{slot.task.label}: still running after {self.batch.timeout_s:g} s "
                    "(batch.timeout_s); the worker was stopped",
                )
            elif rss_mb > limit_mb:
                failure = (
                    ErrorCode.memory_limit,
                    f"{slot.task.label}: the worker used {rss_mb:.0f} MB, over "
                    f"batch.memory_limit_mb={limit_mb}; the worker was stopped",
                )
            if failure is not None:
                task = slot.task
                self._replace(slot)
                yield task, failure

    def _shutdown(self) -> None:
        for slot in self._slots:
            if slot.process.is_alive() and slot.task is None:
                with contextlib.suppress(OSError):
                    slot.conn.send(None)
        deadline = time.monotonic() + 5
        for slot in self._slots:
            slot.process.join(timeout=max(0.0, deadline - time.monotonic()))
            self._retire(slot, kill=True)
        self._slots = []


def _rss_mb(slot: _Slot) -> float:
    """Resident memory of the worker and its children (e.g. a tesseract subprocess)."""
    if slot.ps is None:
        return 0.0
    try:
        total = slot.ps.memory_info().rss
        for child in slot.ps.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                continue
    except psutil.Error:
        return 0.0
    return total / (1 << 20)
