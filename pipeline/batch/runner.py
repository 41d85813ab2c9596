"""A batch: inputs -> documents -> workers -> one database transaction per document.

Resume: a document is identified by (content hash, config hash); what the database already
holds is skipped, so rerunning a killed batch finishes it and stores each document once.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy.exc import SQLAlchemyError

from ..archive import Judge, RunSummary, run_store
from ..datamodel.base import ErrorCode
from ..datamodel.record import ReportRecord
from ..db import Store
from ..settings import Settings
from . import sources
from .pool import Failure, LocalPool, Result
from .work import Outcome, Task, failure_record, threads_for

# Batch-level failures: the document itself may be fine, so --retry runs these again.
RETRYABLE = (
    ErrorCode.timeout,
    ErrorCode.memory_limit,
    ErrorCode.worker_crashed,
    ErrorCode.worker_exception,
    ErrorCode.db_write_failed,
)


class Progress(Protocol):
    def start(self, total: int) -> None: ...

    def skipped(self, label: str) -> None: ...

    def finished(self, label: str, record: ReportRecord) -> None: ...


class _Quiet:
    def start(self, total: int) -> None:
        pass

    def skipped(self, label: str) -> None:
        pass

    def finished(self, label: str, record: ReportRecord) -> None:
        pass


class Executor(Protocol):
    worker_peaks_mb: list[float]
    startup_s: float | None

    def run(self, tasks: Iterator[Task]) -> Iterator[Result]: ...


@dataclass
class BatchStats:
    found: int = 0  # documents the inputs hold
    processed: int = 0  # written to the database by this run
    skipped: int = 0  # already in the database (or a duplicate within this run)
    statuses: Counter[str] = field(default_factory=Counter)
    pages: int = 0
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # label, code, message
    seconds: float = 0.0
    worker_seconds: float = 0.0  # sum of the documents' extraction times
    worker_peaks_mb: list[float] = field(default_factory=list)
    startup_s: float | None = None  # workers' start-up (process, imports, pipeline); local only
    archive: RunSummary | None = None  # the archive checks run after storing (issue #16)

    @property
    def failed(self) -> int:
        return self.statuses["failed"]


def suffixes(settings: Settings) -> list[str]:
    """What a folder walk or an archive listing takes as a report."""
    return [
        *settings.ingest.text_suffixes,
        *settings.ingest.html_suffixes,
        *settings.render.pdf_suffixes,
        *settings.render.image_suffixes,
        *settings.batch.also_take_suffixes,
    ]


def run_batch(
    inputs: Sequence[str],
    store: Store,
    settings: Settings,
    *,
    workers: int | None = None,
    dask: str | None = None,
    retry: bool = False,
    progress: Progress | None = None,
) -> BatchStats:
    """Process every document the inputs hold that the database does not have yet."""
    progress = progress or _Quiet()
    n_workers = workers or settings.batch.workers
    threads = threads_for(settings, n_workers)
    config_hash = settings.digest()
    wanted = suffixes(settings)
    judge = Judge.of(settings)  # a bad agreement model fails here, before any document is read
    stats = BatchStats()
    t0 = time.perf_counter()
    files = sources.plan(inputs, wanted)
    stats.found = sources.count(files, wanted)
    progress.start(stats.found)
    retry_hashes = store.done_hashes(config_hash) if retry else set()
    done = store.done_hashes(config_hash, except_codes=RETRYABLE if retry else ())
    retry_hashes -= done
    workdir = sources.new_workdir()
    waiting: dict[str, sources.Item] = {}  # content hash -> item whose file is in use
    stored: list[int] = []  # document ids written by this run, for the archive checks

    def save(label: str, content_hash: str, record: ReportRecord, elapsed_ms: float) -> None:
        replace = content_hash in retry_hashes
        try:
            doc_id = store.save_record(
                record, content_hash, config_hash, label=label, elapsed_ms=elapsed_ms,
                replace=replace,
            )  # fmt: skip
        except (SQLAlchemyError, ValueError) as exc:  # this document's rows were refused
            # the fallback record is built from scrubbed text (failure_record), so it cannot
            # be refused for the same reason; the database itself failing ends the batch
            message = f"{label}: the database refused the record: {type(exc).__name__}: {exc}"
            record = failure_record(
                settings, label, content_hash, ErrorCode.db_write_failed, message
            )
            doc_id = store.save_record(record, content_hash, config_hash, label=label, replace=True)
        stored.append(doc_id)
        stats.processed += 1
        stats.statuses[record.status.value] += 1
        stats.pages += record.source.pages or 0
        stats.worker_seconds += elapsed_ms / 1000
        stats.failures.extend(
            (label, e.code, e.message) for e in record.errors if record.status.value == "failed"
        )
        progress.finished(label, record)

    def tasks() -> Iterator[Task]:
        seen: set[str] = set()
        for item in sources.items(files, wanted, workdir, settings.batch.max_member_bytes):
            if item.content_hash in done or item.content_hash in seen:
                item.cleanup()
                stats.skipped += 1
                progress.skipped(item.label)
                continue
            seen.add(item.content_hash)
            if item.error is not None:
                code, message = item.error
                save(
                    item.label,
                    item.content_hash,
                    failure_record(settings, item.label, item.content_hash, code, message),
                    0.0,
                )
                continue
            assert item.path is not None
            waiting[item.content_hash] = item
            yield Task(item.label, item.content_hash, item.path.suffix, path=str(item.path))

    executor: Executor
    if dask:
        from .dask_runner import DaskPool

        executor = DaskPool(settings, dask, n_workers, threads)
    else:
        executor = LocalPool(settings, n_workers, threads)
    try:
        for task, result in executor.run(tasks()):
            item = waiting.pop(task.content_hash, None)
            if item is not None:
                item.cleanup()
            record, elapsed = _record(settings, task, result)
            save(task.label, task.content_hash, record, elapsed)
    finally:
        for item in waiting.values():
            item.cleanup()
        sources.remove_workdir(workdir)
    # the archive checks of the agencies and years this run stored (incremental, issue #16)
    stats.archive = run_store(store, document_ids=stored, judge=judge)
    stats.worker_peaks_mb = list(executor.worker_peaks_mb)
    stats.startup_s = executor.startup_s
    stats.seconds = time.perf_counter() - t0
    return stats


def _record(
    settings: Settings, task: Task, result: Outcome | Failure
) -> tuple[ReportRecord, float]:
    if isinstance(result, Outcome):
        return ReportRecord.model_validate_json(result.record_json), result.elapsed_ms
    code, message = result
    return failure_record(settings, task.label, task.content_hash, code, message), 0.0
