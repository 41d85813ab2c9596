"""Text-path throughput (reports/s) and peak memory on one core (issue #2).

    .venv/bin/python benchmarks/text_throughput.py [--rounds N]

Runs the seed and every fixture in tests/data/reports through one Pipeline, pinned to one CPU,
after one warm-up pass (model loading is reported separately). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted(
    p for p in (ROOT / "tests/data/reports").iterdir() if p.suffix in (".txt", ".html")
)
FILES = [ROOT / "tests/data/seed_liaocheng_2021.txt", *FIXTURES]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    t0 = time.perf_counter()
    from nianbao.runner import Pipeline

    pipeline = Pipeline()
    for path in FILES:  # warm-up: jieba dictionary, spaCy, caches
        pipeline.run(path)
    startup = time.perf_counter() - t0

    per_file: dict[str, list[float]] = {p.name: [] for p in FILES}
    start = time.perf_counter()
    for _ in range(args.rounds):
        for path in FILES:
            t = time.perf_counter()
            record = pipeline.run(path)
            per_file[path.name].append(time.perf_counter() - t)
            assert record.status.value == "ok", (path, record.errors)
    elapsed = time.perf_counter() - start
    # Memory in a separate pass: tracemalloc slows every allocation down.
    tracemalloc.start()
    for path in FILES:
        pipeline.run(path)
    _, py_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n = args.rounds * len(FILES)
    print(
        json.dumps(
            {
                "machine": f"{platform.machine()}, {os.cpu_count()} cpus (1 used)",
                "documents": len(FILES),
                "runs": n,
                "reports_per_s": round(n / elapsed, 1),
                "ms_per_report_median": {
                    k: round(statistics.median(v) * 1000, 1) for k, v in per_file.items()
                },
                "startup_s": round(startup, 2),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "python_heap_peak_mb_one_pass": round(py_peak / 2**20, 1),
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
