"""Dask against local workers, and Dask scaling, on the same scans in one run (issue #17).

    python benchmarks/dask_scaling.py                 # 6 one-page scans (~25 min loaded)
    python benchmarks/dask_scaling.py --pages 12      # more pages: steadier figures
    python benchmarks/dask_scaling.py --rounds 2      # every configuration twice, interleaved
    python benchmarks/dask_scaling.py --configs local_2,dask_local_2 --rounds 3   # the ratio only

Inputs: the first N pages of the bundled scans in their usual order (sample_scans/scans then
sample_scans/real; N=6: guojia-biaozhun-2019-scan200 pages 1-5 and lanjiang-city-2024-scan200
page 1; the committed figures: --pages 4, guojia pages 1-4), each as a one-page PDF, so 2
workers split them evenly. The OCR-heavy full set (64
pages) takes too long on a shared 2-core machine for five configurations.

Configurations, run one after the other in each round (the load of the machine hits all):
local_2        `nianbao batch --workers 2` (the local pool)
dask_local_2   `--dask local --workers 2` (a LocalCluster)
dask_external_2  a `dask scheduler` and two `dask worker` processes started from the shell,
               standing in for machines; `--dask tcp://127.0.0.1:PORT`
dask_local_1 / dask_external_1   the same with one worker: the scaling
With `--pin N`, external worker i runs on cores i*N .. i*N+N-1 only (`taskset`): each worker a
"machine" of N cores, so 2 against 1 shows what a second machine adds; without it, both workers
share this machine's cores (and one worker already uses them all).
Per configuration: pages/s over the whole wall time and after start-up (cluster, workers,
pipelines), the sum of the documents' extraction times, peak RSS of each worker.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nianbao.settings import load_settings  # noqa: E402

from benchmarks.batch import batch_run, one_page_scans  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "dask_scaling.json"
# what the README asks of an external cluster's processes (the LocalCluster sets it itself)
SCHEDULER_ENV = {"DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION": "1.0"}
WORKER_ENV = {"DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False"}
CONFIGS = ("local_2", "dask_local_2", "dask_external_2", "dask_local_1", "dask_external_1")


class ExternalCluster:
    """`dask scheduler` + `dask worker` processes, as on separate machines."""

    def __init__(self, tmp: Path, pin: int | None = None) -> None:
        self.tmp = tmp
        self.pin = pin  # cores per worker, each worker on its own (a "machine"); None: shared
        self.scheduler: subprocess.Popen[bytes] | None = None
        self.workers: list[subprocess.Popen[bytes]] = []
        self.address = ""

    def _spawn(
        self, args: list[str], env: dict[str, str], log: str, cores: str | None = None
    ) -> subprocess.Popen[bytes]:
        out = (self.tmp / log).open("wb")
        pinned = ["taskset", "-c", cores] if cores is not None else []
        return subprocess.Popen(
            [*pinned, sys.executable, "-m", "dask", *args],
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_scheduler(self) -> None:
        file = self.tmp / "scheduler.json"
        self.scheduler = self._spawn(
            ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(file)],
            SCHEDULER_ENV, "scheduler.log",
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while not file.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        self.address = json.loads(file.read_text())["address"]

    def add_worker(self) -> None:
        n = len(self.workers)
        args = ["worker", self.address, "--nworkers", "1", "--nthreads", "1",
                "--memory-limit", "3GB", "--no-dashboard", "--name", f"machine-{n}"]  # fmt: skip
        cores = None
        if self.pin is not None:
            first = (n * self.pin) % (os.cpu_count() or 1)
            cores = f"{first}-{first + self.pin - 1}"
        self.workers.append(self._spawn(args, WORKER_ENV, f"worker-{n}.log", cores))

    def wait_for(self, n: int) -> None:
        from distributed import Client

        with Client(self.address) as client:
            client.wait_for_workers(n, timeout=300)
            while len(client.scheduler_info(n_workers=-1)["workers"]) != n:
                time.sleep(0.5)

    def stop_worker(self) -> None:
        process = self.workers.pop()
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)

    def close(self) -> None:
        for process in [*self.workers, self.scheduler]:
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=60)


def run_config(name: str, scans: list[Path], tmp: Path, **kw: Any) -> dict[str, Any]:
    print(f"{name} ...", flush=True)
    out = batch_run(scans, tmp, f"{name}-{time.monotonic_ns()}", **kw)
    print(f"  {out['pages_per_s']} pages/s ({out['pages_per_s_after_startup']} after start-up)")
    return out


def round_of(
    scans: list[Path],
    tmp: Path,
    external: ExternalCluster,
    out: dict[str, Any],
    save: Any,
    configs: tuple[str, ...] = CONFIGS,
) -> None:
    """One round into `out`, saved after each configuration (a long run keeps what it has)."""
    for name in configs:
        kind, n = name.rsplit("_", 1)
        workers = int(n)
        address = "local" if kind == "dask_local" else None
        if kind == "dask_external":
            while len(external.workers) > workers:
                external.stop_worker()
            while len(external.workers) < workers:
                external.add_worker()
            external.wait_for(workers)
            address = external.address
        out[name] = run_config(name, scans, tmp, workers=workers, dask=address)
        save()


def ratios(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    def total(name: str, key: str) -> float:
        return sum(r[name][key] for r in rounds)

    def ratio(a: str, b: str, key: str) -> float | None:
        if any(a not in r or b not in r for r in rounds):
            return None  # not measured (yet)
        return round(total(a, key) / total(b, key), 3)

    out: dict[str, Any] = {}
    for key in ("pages_per_s", "pages_per_s_after_startup"):
        out[key] = {
            "dask_local_2_vs_local_2": ratio("dask_local_2", "local_2", key),
            "dask_external_2_vs_local_2": ratio("dask_external_2", "local_2", key),
            "dask_local_2_vs_1": ratio("dask_local_2", "dask_local_1", key),
            "dask_external_2_vs_1": ratio("dask_external_2", "dask_external_1", key),
        }
    out["extract_s_per_page"] = {
        name: round(total(name, "extract_s") / total(name, "pages"), 1)
        for name in rounds[-1]
        if all(name in r for r in rounds)
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=6, help="one-page scans to run")
    parser.add_argument("--rounds", type=int, default=1, help="every configuration this often")
    parser.add_argument("--json", default=str(RESULTS), help="write the figures here")
    parser.add_argument(
        "--configs", default=",".join(CONFIGS), help=f"comma list, in this order, of {CONFIGS}"
    )
    parser.add_argument(
        "--pin",
        type=int,
        help="cores per external worker, each worker on cores of its own (taskset): a machine",
    )
    args = parser.parse_args()
    configs = tuple(c.strip() for c in args.configs.split(",") if c.strip())
    if set(configs) - set(CONFIGS):
        parser.error(f"unknown configuration(s) {sorted(set(configs) - set(CONFIGS))}")
    load_settings()  # a bad config fails here, not in a worker
    # a stopped benchmark stops its scheduler and workers too (the `finally` below)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    out: dict[str, Any] = {
        "pages": args.pages,
        "cores": os.cpu_count(),
        "cores_per_external_worker": args.pin,
        "rounds": [],
    }
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        scans = one_page_scans(tmp / "pages", args.pages)
        out["inputs"] = f"first {args.pages} pages of sample_scans/scans, sample_scans/real"
        external = ExternalCluster(tmp, args.pin)

        def save() -> None:
            out["ratios"] = ratios(out["rounds"])
            Path(args.json).write_text(json.dumps(out, indent=2), encoding="utf-8")

        try:
            external.start_scheduler()
            for _ in range(args.rounds):
                out["rounds"].append({})
                round_of(scans, tmp, external, out["rounds"][-1], save, configs)
        finally:
            external.close()
    print(json.dumps(out.get("ratios"), indent=2))
    print(f"figures: {args.json}")


if __name__ == "__main__":
    main()
