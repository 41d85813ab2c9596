"""Dask workers run like local workers: thread limits, malloc, one pipeline each (issue #17)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from nianbao.batch.dask_runner import DaskPool, threads_by_host, worker_probe
from nianbao.batch.work import threads_for
from nianbao.settings import Settings

from tests.batch.test_batch import settings_with

# Repeatedly makes and frees a 1 MB array and counts the page faults it costs, before and after
# tune_process; run in a fresh interpreter so the malloc environment is the one given.
_FAULTS = """
import json, resource, sys
import numpy as np
from nianbao.batch.work import tune_process
from nianbao.settings import load_settings

def faults():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(20):
        a = np.ones(1 << 17)  # 1 MB (under a huge page), every page written
        del a
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

faults()
first = faults()
tune_process(load_settings(sys.argv[1] if len(sys.argv) > 1 else None), 1)
faults()
print(json.dumps([first, faults()]))
"""


def _faults(env: dict[str, str], *args: str) -> tuple[int, int]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    out = subprocess.run(
        [sys.executable, "-c", _FAULTS, *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    first, after = json.loads(out.stdout.strip().splitlines()[-1])
    return first, after


def test_a_worker_under_the_dask_nanny_malloc_setting_stops_faulting_its_arrays_in(
    tmp_path: Path,
) -> None:
    pages = (1 << 20) // 4096  # one 1 MB array's pages
    # the nanny's MALLOC_TRIM_THRESHOLD_ makes glibc map each array anew: every page faults
    first, after = _faults({"MALLOC_TRIM_THRESHOLD_": "65536"})
    assert first > 10 * pages
    assert after < pages  # tune_process: the array's memory is reused
    # with the setting off, the environment's behaviour stays
    _, config = settings_with(tmp_path, malloc_mmap_threshold_mb=None)
    first, after = _faults({"MALLOC_TRIM_THRESHOLD_": "65536"}, str(config))
    assert after > 10 * pages


def test_threads_are_each_machines_cores_shared_among_its_task_slots(
    tmp_path: Path, settings: Settings
) -> None:
    slots = {"10.0.0.1": 2, "10.0.0.2": 3, "10.0.0.3": 8}  # workers x nthreads per host
    cores = {"10.0.0.1": 2, "10.0.0.2": 16, "10.0.0.3": 4}
    assert threads_by_host(settings, slots, cores) == {"10.0.0.1": 1, "10.0.0.2": 5, "10.0.0.3": 1}
    pinned, _ = settings_with(tmp_path, threads_per_worker=3)
    assert set(threads_by_host(pinned, slots, cores).values()) == {3}


@pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or shutil.which("taskset") is None,
    reason="no CPU affinity (or no taskset) here",
)
def test_a_worker_pinned_to_one_core_counts_one_core(settings: Settings) -> None:
    """A worker started under `taskset -c 0` (or in a one-core cpuset) must not run two OCR
    threads on one core because the machine has two."""
    code = (
        "from nianbao.batch.dask_runner import machine_cores\n"
        "from nianbao.batch.work import threads_for\n"
        "from nianbao.settings import Settings\n"
        "print(machine_cores(), threads_for(Settings(), 1))"
    )
    pinned = subprocess.run(
        ["taskset", "-c", "0", sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    assert pinned.stdout.split() == ["1", "1"]
    assert threads_for(settings, 1) == len(os.sched_getaffinity(0))


@pytest.mark.slow
def test_dask_local_workers_get_the_batch_thread_limits_and_the_settings_once(
    tmp_path: Path,
) -> None:
    settings, _ = settings_with(tmp_path, threads_per_worker=2)
    threads = threads_for(settings, 2)
    pool = DaskPool(settings, "local", workers=2, threads=threads)
    client, cluster = pool._client()
    try:
        pool.prepare(client)
        probes = list(client.run(worker_probe).values())
    finally:
        client.close()
        cluster.close()
    assert len(probes) == 2 and len({p["pid"] for p in probes}) == 2
    for probe in probes:
        assert probe["threads"] == {settings.digest(): 2}  # the plugin ran: settings, threads
        assert probe["cv2_threads"] == 2
        assert probe["env"]["OMP_NUM_THREADS"] == "2"
        assert probe["env"]["MALLOC_TRIM_THRESHOLD_"] is None  # not Dask's 64 KiB
        assert probe["profile"] is False
