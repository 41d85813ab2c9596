"""Run one document in a forked child under a wall-clock and a memory limit.

A fork server (`ForkServer`) builds the Pipeline once; each document runs in a fork of it
(copy-on-write, so no model loading per document), writes its record as JSON, and exits. The
server polls the child's resident memory from /proc and kills it past `memory_mb` or
`timeout_s`. Used by tests/reliability/test_hostile.py and benchmarks/hostile.py (its fallback
when `nianbao batch` is not there).

Why a server and not a fork of the caller: a fork copies only the forking thread, so a lock that
any other thread of the forking process held at that moment (a thread pool or a logger another
test left running, a native pool started by earlier work) stays locked in the child for ever,
and the child hangs on it. The server is started with the spawn method (a new interpreter, not
a fork of the test process), builds the Pipeline, runs no document itself and starts no
thread, so every fork copies a process in which no other thread can hold a lock.
`run_isolated` refuses to fork from a process with other Python threads.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import os
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nianbao.runner import Pipeline
    from nianbao.settings import Settings

POLL_S = 0.02


@dataclass
class Outcome:
    record: dict[str, Any] | None  # the record as JSON, None if the child wrote none
    seconds: float
    peak_mb: float  # the child's peak resident memory
    killed: str  # "", "timeout" or "memory"
    exit_code: int | None  # None when killed by a signal

    @property
    def crashed(self) -> bool:
        return not self.killed and (self.exit_code != 0 or self.record is None)


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_isolated(
    pipeline: Pipeline, path: Path, record_file: Path, timeout_s: float, memory_mb: float
) -> Outcome:
    from nianbao.cli.app import dump_record

    if threading.active_count() != 1:
        names = [t.name for t in threading.enumerate()]
        raise RuntimeError(f"refusing to fork a process with other threads {names}: ForkServer")
    pid = os.fork()
    if pid == 0:  # the child: one document, one record file, exit without cleanup
        code = 0
        try:
            record_file.write_text(dump_record(pipeline.run(path)), encoding="utf-8")
        except BaseException:
            code = 3
        os._exit(code)
    start, peak, killed = time.monotonic(), 0.0, ""
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            peak = max(peak, usage.ru_maxrss / 1024)
            break
        peak = max(peak, rss_mb(pid))
        if not killed and time.monotonic() - start > timeout_s:
            killed = "timeout"
        elif not killed and peak > memory_mb:
            killed = "memory"
        if killed:
            os.kill(pid, signal.SIGKILL)
        time.sleep(POLL_S)
    seconds = time.monotonic() - start
    record = None
    if not killed and record_file.exists():
        record = json.loads(record_file.read_text(encoding="utf-8"))
    exit_code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    return Outcome(record, seconds, peak, killed, exit_code)


def _serve(conn: Connection, settings: Settings) -> None:
    """The server's loop: build the pipeline, then one forked child per document asked for."""
    from nianbao.runner import Pipeline

    try:
        pipeline = Pipeline(settings)
    except Exception as exc:
        conn.send(f"the pipeline could not be built: {type(exc).__name__}: {exc}")
        return
    conn.send("ready")
    while (job := conn.recv()) is not None:
        try:
            conn.send(run_isolated(pipeline, *job))
        except Exception as exc:  # tell the caller rather than leave it waiting
            conn.send(exc)


class ForkServer:
    """A spawned interpreter holding one built Pipeline that runs each document in a fork."""

    def __init__(self, settings: Settings) -> None:
        ctx = mp.get_context("spawn")
        self._conn, theirs = ctx.Pipe()
        self._process = ctx.Process(
            target=_serve, args=(theirs, settings), name="nianbao-fork-server", daemon=True
        )
        self._process.start()
        theirs.close()
        ready = self._conn.recv()
        if ready != "ready":
            self.close()
            raise RuntimeError(ready)

    def run(self, path: Path, record_file: Path, timeout_s: float, memory_mb: float) -> Outcome:
        self._conn.send((path, record_file, timeout_s, memory_mb))
        answer = self._conn.recv()
        if isinstance(answer, Exception):
            raise answer
        assert isinstance(answer, Outcome)
        return answer

    def close(self) -> None:
        if self._process.is_alive():
            with contextlib.suppress(OSError):  # the server is gone already
                self._conn.send(None)
            self._process.join(timeout=30)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._conn.close()

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def snapshot(*dirs: Path, skip: tuple[str, ...] = ()) -> set[Path]:
    """Every path under `dirs` (symlinks not followed), except directories named in `skip`
    or equal to one of them given as a full path. A folder given twice, or inside another one
    given, is walked once."""
    tops = list(dict.fromkeys(Path(d).resolve() for d in dirs))
    tops = [t for t in tops if not any(t != o and t.is_relative_to(o) for o in tops)]
    names = {s for s in skip if os.sep not in s}
    paths = {str(Path(s).resolve()) for s in skip if os.sep in s}
    seen: set[Path] = set()
    for top in tops:
        for base, subdirs, files in os.walk(top):
            here = Path(base)
            subdirs[:] = [d for d in subdirs if d not in names and str(here / d) not in paths]
            seen.update(here / f for f in files)
            seen.update(here / d for d in subdirs)
    return seen
