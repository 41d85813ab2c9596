"""Work bounded by input size and failures kept small (issue #15 items 2 and 3).

Over a limit: refused or skipped with its own error code, the rest of the document read.
Just under every limit: the document finishes inside a stated time and memory (slow: each runs
`nianbao extract` in its own process so its peak memory can be read). One absurd value costs
one flagged field, one absurd line one skipped line: never a stage."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from nianbao.runner import Pipeline
from nianbao.settings import LimitsSettings, load_settings

from tests.conftest import SEED

LIMITS = LimitsSettings()
SECONDS = 60.0  # stated budget per document just under a limit (measured: 4-13 s)
MEMORY_MB = 1500.0  # ... and peak memory of the whole extract process (measured: 240-350 MB)


def _seed_with(extra: list[str]) -> str:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    half = len(lines) // 2
    return "\n".join([*lines[:half], *extra, *lines[half:]])


def _html_with(extra: str) -> str:
    body = "".join(f"<p>{line}</p>\n" for line in SEED.read_text(encoding="utf-8").splitlines())
    return f"<html><body>{body}{extra}</body></html>"


def test_one_unparseable_cell_is_one_flagged_field(tmp_path: Path, pipeline: Pipeline) -> None:
    text = SEED.read_text(encoding="utf-8").replace("行政许可\t447", "行政许可\t" + "9" * 5000, 1)
    src = tmp_path / "cell.txt"
    src.write_text(text, encoding="utf-8")
    record = pipeline.run(src)
    assert record.status.value == "ok", record.errors
    bad = [(p, f) for p, f in record.iter_fields() if f.raw and len(f.raw) > 1000]
    assert len(bad) == 1
    _, field = bad[0]
    assert field.review.needed and "not_a_number" in field.review.reasons
    assert record.applications.new.total.value == 18  # every other table value is there


def test_one_line_over_the_limit_is_one_skipped_line(tmp_path: Path, pipeline: Pipeline) -> None:
    long_line = "本机关依法公开政府信息。" * (LIMITS.max_line_chars // 12 + 10)
    src = tmp_path / "line.txt"
    src.write_text(_seed_with([long_line]), encoding="utf-8")
    record = pipeline.run(src)
    codes = [e.code for e in record.errors]
    assert codes == ["line_too_long"] and record.status.value == "partial"
    assert (
        "line" in record.errors[0].message
        and str(LIMITS.max_line_chars) in record.errors[0].message
    )
    assert record.applications.new.total.value == 18
    assert record.items.model_dump()  # the prose items stage ran


def test_html_over_the_element_limit_is_refused_before_parsing(
    tmp_path: Path, pipeline: Pipeline
) -> None:
    src = tmp_path / "many.html"
    src.write_text(_html_with("<i>x</i>" * (LIMITS.max_html_elements + 1)), encoding="utf-8")
    t0 = time.perf_counter()
    record = pipeline.run(src)
    assert time.perf_counter() - t0 < 10
    assert [e.code for e in record.errors] == ["html_too_large"]


def test_extract_stops_a_document_at_its_time_limit_and_goes_on(tmp_path: Path) -> None:
    config = tmp_path / "limit.yaml"
    config.write_text(yaml.safe_dump({"limits": {"extract_timeout_s": 0.001}}))
    slow = tmp_path / "slow.txt"
    slow.write_text(_seed_with(["本机关依法公开政府信息。" * 10_000]), encoding="utf-8")
    out = tmp_path / "out"
    # its own process, as a user runs it: the alarm is a process-wide signal, and the test
    # process has loaded both OCR runtimes (tests/engines), which a real run never does
    # (OpenVINO loaded before onnxruntime, a SIGALRM then crashes the process inside them)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "nianbao.cli",
            "extract",
            str(slow),
            str(SEED),
            "--out-dir",
            str(out),
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    assert "timeout" in result.stderr + result.stdout
    assert sorted(p.name for p in out.iterdir()) == ["seed_liaocheng_2021.json", "slow.json"]


# ---- just under each limit: time and memory ---------------------------------------------------
def _under_limits(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    prose = "本机关依法公开政府信息，做好解读回应工作。"
    cases = {
        "line_just_under_max_line_chars.txt": _seed_with(
            [(prose * (LIMITS.max_line_chars // len(prose)))[: LIMITS.max_line_chars - 1]]
        ),
        "row_of_max_row_cells.txt": _seed_with(["行政许可\t" + "1\t" * (LIMITS.max_row_cells - 1)]),
        "line_of_5000_tabs.txt": _seed_with(["\t" * 5000, "- " + "\u3000" * 5000]),
        "html_just_under_max_html_elements.html": _html_with(
            "<span>x</span>" * (LIMITS.max_html_elements - 400)
        ),
        "html_19000_paragraphs.html": _html_with("<p>x</p>" * 19_000),
        "html_5000_small_tables.html": _html_with(
            "<table><tr><td>行政许可</td><td>1</td></tr></table>" * 5000
        ),
        "html_row_of_max_row_cells.html": _html_with(
            "<table><tr><td>行政许可</td>" + "<td>1</td>" * 5000 + "</tr></table>"
        ),
    }
    paths = {}
    for name, text in cases.items():
        paths[name] = folder / name
        paths[name].write_text(text, encoding="utf-8")
    return paths


def _extract_in_child(path: Path, out: Path) -> tuple[float, float, int]:
    """(seconds, peak MB of the child, exit code) of `nianbao extract` on one file."""
    code = (
        "import resource, subprocess, sys, time\n"
        "t0 = time.perf_counter()\n"
        "rc = subprocess.call([sys.executable, '-m', 'nianbao.cli', 'extract', sys.argv[1],"
        " '-o', sys.argv[2]], stderr=subprocess.DEVNULL)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(time.perf_counter() - t0, peak, rc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path), str(out)], capture_output=True, text=True
    )
    seconds, peak, rc = done.stdout.split()
    return float(seconds), float(peak), int(rc)


@pytest.mark.slow
def test_inputs_just_under_each_limit_finish_in_time_and_memory(tmp_path: Path) -> None:
    assert resource.getrusage  # Linux: ru_maxrss in KiB
    load_settings()  # the defaults the children run with
    for name, path in _under_limits(tmp_path / "in").items():
        seconds, peak_mb, rc = _extract_in_child(path, tmp_path / f"{name}.json")
        assert rc == 0, name
        assert seconds < SECONDS, (name, seconds)
        assert peak_mb < MEMORY_MB, (name, peak_mb)
