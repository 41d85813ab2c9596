"""Runs test_hostile.py in a fresh interpreter (see conftest.py: forks and leftover threads)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def _run(marker: str) -> None:
    env = {**os.environ, "NIANBAO_FRESH_INTERPRETER": "1"}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", marker]
    done = subprocess.run(
        [*cmd, str(HERE / "test_hostile.py")],
        cwd=HERE.parents[1],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_hostile_suite_fast_part() -> None:
    _run("not slow")


@pytest.mark.slow
def test_hostile_suite_ocr_part() -> None:
    _run("slow")
