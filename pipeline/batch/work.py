"""What a worker does with one document, the same in a local worker process and on Dask.

The pipeline (spaCy, the OCR engine) is built once per worker process and reused; its thread
counts are limited so N workers share the cores instead of fighting over them. The record's
`source.path` becomes the document's label (an archive member's temp file is not a name
anyone knows).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import os
import resource
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .._version import __version__
from ..datamodel.base import ErrorCode
from ..datamodel.document import ReportDoc
from ..datamodel.record import ReportRecord, Source
from ..runner import Pipeline
from ..settings import Settings
from ..untrusted import record_json as _record_json
from ..untrusted import scrub

_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_THREAD_LIMIT")
_PIPELINES: dict[tuple[str, int], Pipeline] = {}
# glibc's mallopt parameter numbers (malloc.h)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _M_ARENA_MAX = -1, -3, -8
# Any of these in the environment switches glibc's dynamic mmap threshold off for the process
# (mallopt(3)); the Dask nanny sets MALLOC_TRIM_THRESHOLD_ in every worker it starts.
_FIXED_MALLOC_VARS = (
    "MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_MAX_",
)  # fmt: skip


@dataclass
class Task:
    label: str
    content_hash: str
    suffix: str  # for `data` tasks: the temp file's suffix
    path: str | None = None  # a file this worker can read
    data: bytes | None = None  # or the bytes themselves (Dask workers on other machines)


@dataclass
class Outcome:
    label: str
    content_hash: str
    record_json: str
    elapsed_ms: float
    pages: int
    peak_rss_mb: float
    pid: int


def usable_cores() -> int:
    """The cores this process may run on: its CPU affinity (taskset, a container's cpuset, a
    scheduler's pinning), not every core of the machine."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # no affinity on this platform
        return os.cpu_count() or 1


def threads_for(settings: Settings, workers: int) -> int:
    """OCR/BLAS threads per worker: the config's, else the cores divided among the workers."""
    configured = settings.batch.threads_per_worker
    if configured is not None:
        return configured
    return max(1, usable_cores() // max(1, workers))


def pipeline_for(settings: Settings, threads: int) -> Pipeline:
    """This process's pipeline for these settings (built on first use)."""
    key = (settings.digest(), threads)
    if key not in _PIPELINES:
        tune_process(settings, threads)
        ocr = settings.ocr.model_copy(update={"cpu_threads": threads})
        _PIPELINES[key] = Pipeline(settings.model_copy(update={"ocr": ocr}))
    return _PIPELINES[key]


def tune_process(settings: Settings, threads: int) -> None:
    """Thread counts and malloc behaviour of a worker process, before the pipeline is built.

    The OCR engine reads the thread variables when it is loaded (lazily, on the first scan);
    OpenCV's pool is set directly. Fewer glibc arenas keep freed OCR buffers from stranding
    memory in per-thread heaps. A process started with a fixed malloc threshold (a Dask
    worker: its nanny sets MALLOC_TRIM_THRESHOLD_=65536) maps and unmaps every array over
    128 KiB and faults its pages in again on each use, which cost 1.5-1.8x the CPU on OCR
    pages; such a process gets glibc's own ceiling instead (`batch.malloc_mmap_threshold_mb`),
    and the heap is still handed back after each document (`release_memory`)."""
    for var in _THREAD_VARS:
        os.environ[var] = str(threads)
    with contextlib.suppress(ImportError):
        import cv2

        cv2.setNumThreads(threads)
    arenas = settings.batch.malloc_arena_max
    libc = _libc()
    if libc is None or not hasattr(libc, "mallopt"):
        return
    if arenas is not None:
        libc.mallopt(_M_ARENA_MAX, arenas)
    threshold_mb = settings.batch.malloc_mmap_threshold_mb
    if threshold_mb is not None and any(var in os.environ for var in _FIXED_MALLOC_VARS):
        libc.mallopt(_M_MMAP_THRESHOLD, threshold_mb << 20)
        libc.mallopt(_M_TRIM_THRESHOLD, 2 * threshold_mb << 20)


@functools.cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name)
    except OSError:
        return None


def release_memory(settings: Settings) -> None:
    """After a document: give the heap it freed back to the OS (glibc only)."""
    libc = _libc()
    if settings.batch.malloc_trim and libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_task(settings: Settings, threads: int, task: Task) -> Outcome:
    """Extract one document; never raises for a bad document (the pipeline's contract)."""
    pipeline = pipeline_for(settings, threads)
    t0 = time.perf_counter()
    if task.data is not None:
        with tempfile.NamedTemporaryFile(suffix=task.suffix, prefix="nianbao-") as handle:
            handle.write(task.data)
            handle.flush()
            record = _run(pipeline, Path(handle.name), task.label)
    else:
        assert task.path is not None
        record = _run(pipeline, Path(task.path), task.label)
    elapsed = (time.perf_counter() - t0) * 1000
    record_json, pages = _record_json(record), record.source.pages or 0
    del record
    release_memory(settings)
    return Outcome(
        label=task.label,
        content_hash=task.content_hash,
        record_json=record_json,
        elapsed_ms=elapsed,
        pages=pages,
        peak_rss_mb=peak_rss_mb(),
        pid=os.getpid(),
    )


def _run(pipeline: Pipeline, path: Path, label: str) -> ReportRecord:
    try:
        record = pipeline.run(path)
    except Exception as exc:  # the pipeline should not raise; if it does, this document fails
        return failure_record(
            pipeline.settings,
            label,
            "",
            ErrorCode.worker_exception,
            f"{label}: {type(exc).__name__}: {exc}",
        )
    relabel(record, str(path), label)
    return record


def relabel(record: ReportRecord, path: str, label: str) -> None:
    """Name the document by its label wherever the worker's file path appears (as given, or
    as ingest escaped it)."""
    from ..untrusted import escape_name

    record.source.path = label
    shown = escape_name(path)
    if path != label:
        for error in record.errors:
            error.message = error.message.replace(path, label).replace(shown, label)


def failure_record(
    settings: Settings, label: str, content_hash: str, code: ErrorCode, message: str
) -> ReportRecord:
    """A `failed` record for a document the batch could not run (timeout, memory limit, a
    crashed worker, an unreadable archive member): the same shape as any failed record."""
    from ..stages.assemble import Assemble

    # never fails the way the document did: the label and message are storable text
    doc = ReportDoc(source=Source(path=scrub(label), sha256=content_hash or None))
    doc.fail("batch", code, scrub(message), fatal=True)
    engines = {"nianbao": __version__}
    return Assemble(settings.digest(), engines)(doc)
