"""Run one document in a forked child under a wall-clock and a memory limit.

The parent builds the Pipeline once; each document runs in a fork of it (copy-on-write, so no
model loading per document), writes its record as JSON, and exits. The parent polls the child's
resident memory from /proc and kills it past `memory_mb` or `timeout_s`. Used by
tests/reliability/test_hostile.py and benchmarks/hostile.py (its fallback when `nianbao batch`
is not there).
"""

from __future__ import annotations

import json
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nianbao.runner import Pipeline

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


def snapshot(*dirs: Path, skip: tuple[str, ...] = ()) -> set[Path]:
    """Every path under `dirs` (symlinks not followed), except directories named in `skip`
    or equal to one of them given as a full path."""
    seen: set[Path] = set()
    for top in dirs:
        for base, subdirs, files in os.walk(top):
            here = Path(base)
            subdirs[:] = [d for d in subdirs if d not in skip and str(here / d) not in skip]
            seen.update(here / f for f in files)
            seen.update(here / d for d in subdirs)
    return seen
