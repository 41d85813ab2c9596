"""What a batch worker sets up for itself: threads, malloc, and the config hash it runs under."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from nianbao.settings import PaddleOcrSettings, Settings

from tests.conftest import SEED

ROOT = Path(__file__).resolve().parents[2]


def test_memory_and_thread_settings_leave_the_config_hash_alone() -> None:
    settings = Settings(ocr=PaddleOcrSettings())  # the engine with memory switches
    assert isinstance(settings.ocr, PaddleOcrSettings)
    base = settings.digest()
    for update in ({"mem_arena": True}, {"mem_pattern": True}, {"cpu_threads": 7}):
        changed = settings.model_copy(update={"ocr": settings.ocr.model_copy(update=update)})
        assert changed.digest() == base, update
    # ... while a setting that changes what OCR reads does change it
    det = settings.ocr.model_copy(update={"det_thresh": settings.ocr.det_thresh + 0.1})
    assert settings.model_copy(update={"ocr": det}).digest() != base


def test_a_worker_sets_its_thread_counts_before_building_the_pipeline() -> None:
    # in a fresh interpreter, as a spawned worker is
    script = (
        "import os, cv2\n"
        "from pipeline.batch.work import tune_process, release_memory\n"
        "from pipeline.settings import load_settings\n"
        "s = load_settings()\n"
        "tune_process(s, 1)\n"
        "release_memory(s)\n"
        "print(os.environ['OMP_NUM_THREADS'], cv2.getNumThreads())\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["1", "1"]


def test_a_records_engines_do_not_depend_on_what_the_worker_ran_before(
    tmp_path: Path, settings: Settings
) -> None:
    """provenance.engines names the OCR engine only for a document OCR read: a text report
    gets the same record before and after its worker built the OCR engine for a scan."""
    from nianbao.runner import Pipeline

    pipeline = Pipeline(settings)
    before = pipeline.run(SEED).provenance.engines
    pipeline.assemble.ocr_engine = "engine=paddle (built for an earlier scan)"
    after = pipeline.run(SEED).provenance.engines
    assert before == after and "ocr" not in after
