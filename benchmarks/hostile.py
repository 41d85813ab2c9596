"""Hostile-input reliability figures (issues #8 and #15).

    .venv/bin/python benchmarks/hostile.py [--timeout S] [--memory-mb M] [--keep DIR] [--mode M]
                                           [--classes-only | --no-classes]

Per class (`classes` in the output; issue #15): inputs tried, worst time, peak memory, crashes
and lost documents, for every category of the hostile corpus and the inputs just under each
`limits:` setting (each document in a child forked from one pipeline, so time and memory are
its own), hostile file names through `batch` and every export (lost: a name whose bytes do not
come back from its label; CSV cells left starting like a formula are counted too), bad
databases through `batch` and `export` (crash: anything but exit 2 with one line; lost: the
database file changed), and every regex against the adversarial runs of
tests/reliability/regex_audit.py.

Generates the hostile corpus (tests/reliability/hostile.py: >100 broken, encrypted, bomb,
not-a-report ... inputs) plus a few good control documents into a fresh temporary directory,
runs them, and prints JSON: inputs tried, records written, crashes, hangs past the limit, peak
memory, files written outside the output folder, and whether the controls' records came out
complete.

Two ways to run, chosen by --mode (default `auto`: batch when the CLI has it):
- `batch`: `python -m pipeline.cli batch <corpus> --db sqlite:///<out>/hostile.db` then
  `python -m pipeline.cli export --format jsonl`; the batch command's own per-document time
  and memory guards apply (configs `batch:`), set from --timeout/--memory-mb via a config file.
- `fork`: one Pipeline is built in a fork server (a spawned interpreter,
  tests/reliability/isolation.py), then each document runs in a child forked from it with a
  wall-clock limit (killed past it) and an RSS limit (polled from /proc, killed over it); the
  child writes the record JSON into the output folder. A child that dies without a record is a
  crash.

"Outside the output folder": every file under the run's temporary root (except the corpus and
the output folder), the working directory, and the archive traversal targets are snapshotted
before and compared after.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.reliability.hostile import Hostile, controls, generate, traversal_targets  # noqa: E402
from tests.reliability.isolation import ForkServer, snapshot  # noqa: E402

# Caches beside the code (bytecode, tools): not documents' output, not counted as stray files.
# Prepared OCR model dirs go to the user cache dir, outside the checkout.
CACHES = ("__pycache__", ".git", ".pytest_cache", ".mypy_cache", ".ruff_cache")
# The Python environment (a .venv inside the checkout): installed packages, not documents' output.
ENVIRONMENT = str(Path(sys.prefix).resolve())


def batch_available() -> bool:
    result = subprocess.run(
        [sys.executable, "-m", "nianbao.cli", "batch", "--help"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=120,
    )
    return result.returncode == 0


# ---- fork mode -------------------------------------------------------------------------------
def run_forked(
    inputs: list[Path], out: Path, timeout: float, memory_mb: float
) -> tuple[dict[str, Any], dict[Path, dict[str, Any]]]:
    from nianbao.settings import load_settings

    stats: dict[str, Any] = {"crashes": [], "hangs": [], "memory_kills": [], "peak_rss_mb": 0.0}
    records: dict[Path, dict[str, Any]] = {}
    with ForkServer(load_settings()) as server:
        outcomes = [
            (path, server.run(path, out / f"{n:04d}.json", timeout, memory_mb))
            for n, path in enumerate(inputs)
        ]
    for path, outcome in outcomes:
        stats["peak_rss_mb"] = max(stats["peak_rss_mb"], outcome.peak_mb)
        if outcome.killed == "timeout":
            stats["hangs"].append(str(path))
        elif outcome.killed == "memory":
            stats["memory_kills"].append(str(path))
        elif outcome.crashed:
            stats["crashes"].append(str(path))
        if outcome.record is not None:
            records[path] = outcome.record
    return stats, records


# ---- batch mode ------------------------------------------------------------------------------
def run_batch(
    corpus: Path, out: Path, timeout: float, memory_mb: float
) -> tuple[dict[str, Any], dict[Path, dict[str, Any]]]:
    config = out / "limits.yaml"
    config.write_text(
        f"batch:\n  timeout_s: {timeout}\n  memory_limit_mb: {memory_mb}\n", encoding="utf-8"
    )
    db = f"sqlite:///{out / 'hostile.db'}"
    cli = [sys.executable, "-m", "nianbao.cli"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's pipeline, run from `out`
    t0 = time.monotonic()
    proc = subprocess.Popen(
        [*cli, "batch", str(corpus), "--db", db, "--config", str(config)],
        cwd=out,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, stderr = proc.communicate()
    stats: dict[str, Any] = {
        "batch_exit": proc.returncode,
        "batch_seconds": round(time.monotonic() - t0, 1),
        "crashes": [] if proc.returncode in (0, 1) else [f"batch exited {proc.returncode}"],
        "hangs": [],
        "memory_kills": [],
        # the largest child process (the batch supervisor or one of its workers)
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "batch_stderr_tail": stderr.decode("utf-8", "replace")[-2000:],
    }
    jsonl = out / "records.jsonl"
    subprocess.run(
        [*cli, "export", "--db", db, "--format", "jsonl", *_export_target(cli, env, jsonl)],
        cwd=out,
        env=env,
        check=False,
    )
    records: dict[Path, dict[str, Any]] = {}
    if jsonl.exists():
        for line in jsonl.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                records.setdefault(Path(rec["source"]["path"]), rec)
                for err in rec.get("errors", []):
                    if err.get("code") == "timeout":
                        stats["hangs"].append(rec["source"]["path"])
                    elif err.get("code") == "memory_limit":
                        stats["memory_kills"].append(rec["source"]["path"])
                    elif err.get("code") == "worker_crashed":
                        stats["crashes"].append(rec["source"]["path"])
    return stats, records


def _export_target(cli: list[str], env: dict[str, str], path: Path) -> list[str]:
    """`-o PATH` or a positional PATH, whichever the export command takes."""
    help_text = subprocess.run(
        [*cli, "export", "--help"], env=env, capture_output=True, text=True, check=False
    ).stdout
    return ["-o", str(path)] if "--output" in help_text or " -o " in help_text else [str(path)]


def _sha256(path: Path) -> str | None:
    """Content hash of a regular file (None for anything else: never opens a FIFO)."""
    try:
        if not path.is_file():
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def record_for(path: Path, records: dict[Path, dict[str, Any]]) -> dict[str, Any] | None:
    """The record of `path`, or of a member of it (archive members are labelled under it)."""
    if path in records:
        return records[path]
    for label, rec in records.items():
        if str(label).startswith(str(path)):
            return rec
    return None


# ---- per class (#15) ---------------------------------------------------------------------------
def _row(tried: int, worst_s: float, peak_mb: float | None, crashes: int, lost: int) -> dict:
    return {
        "inputs_tried": tried,
        "worst_seconds": round(worst_s, 2),
        "peak_memory_mb": None if peak_mb is None else round(peak_mb, 1),
        "crashes": crashes,
        "lost": lost,
    }


def classes_documents(top: Path, timeout: float, memory_mb: float) -> dict[str, dict]:
    """Each hostile category and the just-under-limits inputs, one forked child per document."""
    from nianbao.settings import load_settings

    from tests.reliability.test_limits import _under_limits

    groups: dict[str, list[Path]] = {}
    for case in generate(top / "hostile"):
        groups.setdefault(case.category, []).append(case.path)
    groups["under_limits"] = list(_under_limits(top / "under").values())
    out = top / "records"
    out.mkdir(parents=True, exist_ok=True)
    rows: dict[str, dict] = {}
    n = 0
    with ForkServer(load_settings()) as server:
        for name, paths in groups.items():
            worst, peak, crashes, lost = 0.0, 0.0, 0, 0
            for path in paths:
                n += 1
                outcome = server.run(path, out / f"{n:04d}.json", timeout, memory_mb)
                worst, peak = max(worst, outcome.seconds), max(peak, outcome.peak_mb)
                crashes += int(outcome.crashed or bool(outcome.killed))
                lost += int(outcome.record is None)
            rows[name] = _row(len(paths), worst, peak, crashes, lost)
    return rows


def _cli(args: list[str], cwd: Path) -> tuple[int, str, float, float]:
    """(exit code, stderr, seconds, peak MB of the child) of one nianbao command."""
    code = (
        "import resource, subprocess, sys, time\n"
        "t0 = time.perf_counter()\n"
        "p = subprocess.run([sys.executable, '-m', 'nianbao.cli', *sys.argv[1:]],"
        " capture_output=True, text=True, errors='replace')\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "sys.stderr.write(p.stderr)\n"
        "print(p.returncode, time.perf_counter() - t0, peak)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True
    )
    rc, seconds, peak = done.stdout.split()
    return int(rc), done.stderr, float(seconds), float(peak)


def classes_names(top: Path) -> dict[str, dict]:
    """Hostile file names and payloads through batch, a rerun, and JSONL/CSV/Parquet."""
    import csv

    import pyarrow.parquet as pq
    from nianbao.untrusted import name_bytes

    from tests.reliability.test_untrusted import NAME_PIECES, _hostile_folder

    rng = __import__("random").Random(15)
    names = list(
        {b"".join(rng.choice(NAME_PIECES) for _ in range(rng.randint(1, 6))) for _ in range(40)}
    )
    folder = top / "names"
    files = _hostile_folder(folder, names, '=HYPERLINK("http://x")[/b]')
    db = f"sqlite:///{top / 'names.db'}"
    worst, peak, crashes = 0.0, 0.0, 0
    runs = [["batch", str(folder), "--db", db], ["batch", str(folder), "--db", db]]
    runs += [["export", str(top / f"names.{s}"), "--db", db] for s in ("jsonl", "csv", "parquet")]
    for args in runs:
        rc, stderr, seconds, mb = _cli(args, top)
        worst, peak = max(worst, seconds), max(peak, mb)
        crashes += int(rc not in (0, 1) or "Traceback" in stderr or "MarkupError" in stderr)
    want = set(files)
    lines = (top / "names.jsonl").read_text(encoding="utf-8").splitlines()
    got_jsonl = {name_bytes(json.loads(line)["source"]["path"]) for line in lines}
    got_parquet = {name_bytes(x) for x in pq.read_table(top / "names.parquet")["label"].to_pylist()}
    with (top / "names.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    formula = sum(
        1
        for r in rows
        for c in r.values()
        if c.startswith(("=", "+", "-", "@", "\t", "\r")) and not _is_number(c)
    )
    row = _row(len(files), worst, peak, crashes, len(want - got_jsonl) + len(want - got_parquet))
    row["csv_formula_cells_left"] = formula
    row["csv_rows"] = len(rows)
    return {"file_names_and_payloads": row}


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def classes_databases(top: Path) -> dict[str, dict]:
    """Each kind of bad database through batch and export: exit 2, one line, file unchanged."""
    import sqlite3

    from nianbao.db import Store

    from tests.conftest import SEED

    def good(path: Path) -> Path:
        Store(str(path)).close()
        return path

    def sql(path: Path, statement: str) -> Path:
        conn = sqlite3.connect(path)
        with conn:
            conn.execute(statement)
        conn.close()
        return path

    folder = top / "dbs"
    folder.mkdir(parents=True, exist_ok=True)
    dbs = {
        "future_schema": sql(good(folder / "f.db"), "UPDATE alembic_version SET version_num='9'"),
        "missing_tables": sql(good(folder / "m.db"), "DROP TABLE reviews"),
        "not_a_database": folder / "n.db",
        "someone_elses": sql(folder / "o.db", "CREATE TABLE customers (id INTEGER)"),
        "read_only": good(folder / "r.db"),
    }
    dbs["not_a_database"].write_bytes(b"PK\x03\x04 not a database" * 20)
    worst, peak, crashes, lost, tried = 0.0, 0.0, 0, 0, 0
    for kind, path in dbs.items():
        url = f"sqlite:///file:{path}?mode=ro&uri=true" if kind == "read_only" else str(path)
        before = _sha256(path)
        for args in (
            ["batch", str(SEED), "--db", url],
            ["export", str(top / "x.jsonl"), "--db", url],
        ):
            if kind == "read_only" and args[0] == "export":
                continue  # reading a read-only database is fine
            tried += 1
            rc, stderr, seconds, mb = _cli(args, top)
            worst, peak = max(worst, seconds), max(peak, mb)
            one_line = len([ln for ln in stderr.splitlines() if ln.strip()]) == 1
            crashes += int(rc != 2 or not one_line)
        lost += int(_sha256(path) != before)
    return {"bad_databases": _row(tried, worst, peak, crashes, lost)}


def classes_regex() -> dict[str, dict]:
    import re

    from tests.reliability.regex_audit import adversarial, all_patterns

    patterns = all_patterns()
    texts = list(adversarial(10_000))
    worst = 0.0
    for _, pattern in patterns:
        compiled = re.compile(pattern)
        for text in texts:
            t0 = time.perf_counter()
            compiled.search(text)
            worst = max(worst, time.perf_counter() - t0)
    row = _row(len(patterns) * len(texts), worst, None, 0, 0)
    row["patterns"] = len(patterns)
    return {"regex_10k_char_runs": row}


def classes(timeout: float, memory_mb: float) -> dict[str, dict]:
    top = Path(tempfile.mkdtemp(prefix="nianbao-classes-"))
    try:
        rows = classes_documents(top / "docs", timeout, memory_mb)
        rows |= classes_names(top)
        rows |= classes_databases(top)
        rows |= classes_regex()
    finally:
        shutil.rmtree(top, ignore_errors=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per document")
    parser.add_argument("--memory-mb", type=float, default=3000.0, help="RSS per document")
    parser.add_argument("--mode", choices=["auto", "batch", "fork"], default="auto")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--classes-only", action="store_true", help="only the per-class table")
    parser.add_argument("--no-classes", action="store_true", help="leave the per-class table out")
    args = parser.parse_args()
    if args.classes_only:
        print(json.dumps({"classes": classes(args.timeout, args.memory_mb)}, indent=2))
        return

    top = args.keep or Path(tempfile.mkdtemp(prefix="nianbao-hostile-"))
    corpus, out = top / "corpus", top / "out"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    t0 = time.monotonic()
    cases: list[Hostile] = generate(corpus / "hostile")
    good = controls(corpus / "controls")
    generated_s = time.monotonic() - t0
    targets = traversal_targets(corpus / "hostile")
    skip = (*CACHES, ENVIRONMENT, str(out))
    before = snapshot(top, Path.cwd(), ROOT, skip=skip)
    before_targets = {t for t in targets if t.exists()}

    mode = args.mode
    if mode == "auto":
        mode = "batch" if batch_available() else "fork"
    inputs = [c.path for c in cases] + good
    t0 = time.monotonic()
    if mode == "batch":
        stats, records = run_batch(corpus, out, args.timeout, args.memory_mb)
    else:
        stats, records = run_forked(inputs, out, args.timeout, args.memory_mb)
    seconds = time.monotonic() - t0

    after = snapshot(top, Path.cwd(), ROOT, skip=skip)
    stray = sorted(str(p) for p in after - before)
    stray += sorted(str(t) for t in targets if t.exists() and t not in before_targets)

    unexpected, missing, deduplicated, folders = [], [], [], []
    hashes = {_sha256(p) for p in records if p.is_file() and not p.is_symlink()}
    for case in cases:
        rec = record_for(case.path, records)
        if rec is None and mode == "batch" and case.path.is_dir():
            folders.append(str(case.path))  # batch walks a folder named like a document
            continue
        if rec is None and mode == "batch" and _sha256(case.path) in hashes:
            # a document is its content: identical bytes under another name have one record
            deduplicated.append(str(case.path))
            continue
        if rec is None:
            missing.append(str(case.path))
            continue
        codes = {e["code"] for e in rec.get("errors", [])}
        if rec["status"] not in case.statuses or not codes & case.codes:
            unexpected.append(
                {
                    "input": str(case.path.relative_to(corpus)),
                    "status": rec["status"],
                    "codes": sorted(codes),
                    "expected": sorted(case.codes),
                }
            )
    control_status = {}
    for path in good:
        rec = record_for(path, records)
        control_status[path.name] = None if rec is None else rec["status"]
    report = {
        "mode": mode,
        "inputs_tried": len(inputs),
        "hostile_inputs": len(cases),
        "records_written": sum(1 for p in inputs if record_for(p, records) is not None),
        "inputs_covered": len(inputs) - len(missing),
        "crashes": stats["crashes"],
        "hangs_past_limit": stats["hangs"],
        "memory_limit_kills": stats["memory_kills"],
        "peak_memory_mb": round(stats["peak_rss_mb"], 1),
        "files_written_outside_output": stray,
        "missing_records": missing,
        "deduplicated_same_bytes": deduplicated,
        "folders_walked_not_documents": folders,
        "unexpected_status_or_code": unexpected,
        "controls": control_status,
        "limits": {"timeout_s": args.timeout, "memory_mb": args.memory_mb},
        "seconds": {"generate": round(generated_s, 1), "run": round(seconds, 1)},
        "cpu_count": os.cpu_count(),
    }
    if "batch_exit" in stats:
        report["batch"] = {k: v for k, v in stats.items() if k.startswith("batch_")}
    if not args.no_classes:
        report["classes"] = classes(args.timeout, args.memory_mb)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if args.keep is None:
        shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    main()
