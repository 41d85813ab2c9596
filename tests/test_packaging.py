"""The package as users install it: a built wheel works outside the checkout.

The slow test builds the wheel from a copy of the sources (offline: no build isolation, no
index), installs it with --no-deps into a fresh venv in an empty temporary folder that sees the
already-installed dependencies but not this checkout's own `nianbao`, and runs `nianbao extract`
there, from an empty working directory, on the seed and on the smallest bundled scan. Its
records must be the checkout's records: same values, confidences, checks and config hash.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import site
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path
from typing import Any

import pytest
from nianbao.runner import Pipeline
from nianbao.settings import load_settings

from tests.conftest import SEED

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
# Entries of site-packages that would make the checkout's own nianbao importable in the venv.
OWN = re.compile(r"^(nianbao[-_.].*|__editable__.*|.*\.pth|.*\.egg-link)$")


def _package_dirs() -> dict[str, Path]:
    """Import name -> folder of every package the pyproject maps (package-dir)."""
    mapped = {name: ROOT / folder for name, folder in SETUPTOOLS["package-dir"].items()}
    found: dict[str, Path] = {}
    for name, folder in mapped.items():
        for init in folder.rglob("__init__.py"):
            parts = init.parent.relative_to(folder).parts
            if "__pycache__" in parts or any(p.startswith(".") for p in parts):
                continue
            sub = ".".join((name, *parts)) if parts else name
            # a folder mapped to a name of its own is that package, not a subpackage
            if sub == name or sub not in mapped:
                found[sub] = init.parent
    return found


def test_every_package_folder_is_listed_in_pyproject() -> None:
    """setuptools installs only the packages listed; a folder left out is missing from the wheel
    although every test in the checkout passes."""
    found = _package_dirs()
    assert set(SETUPTOOLS["packages"]) == set(found), (
        "pyproject [tool.setuptools] packages must list exactly the folders with an __init__.py"
    )
    assert found["nianbao"] == ROOT / "pipeline"
    assert found["nianbao._models"] == ROOT / "models"


def test_the_shipped_models_are_package_data() -> None:
    """The files the settings load from the models dir match the package-data patterns."""
    patterns = SETUPTOOLS["package-data"]["nianbao._models"]
    models = ROOT / "models"
    wanted = [p for p in (models / "sections").rglob("*") if p.is_file()]
    wanted += [models / "calibration.json", models / "cross_year.json"]
    shipped = {p for pattern in patterns for p in models.glob(pattern) if p.is_file()}
    assert wanted and set(wanted) <= shipped


# ---- the wheel, installed elsewhere -------------------------------------------------------


def _build_wheel(tmp: Path) -> Path:
    """The wheel built from a copy of what the pyproject packages (never from the checkout in
    place: a stale build/ there would leak removed modules into the wheel)."""
    setuptools = tuple(int(x) for x in importlib.metadata.version("setuptools").split(".")[:2])
    assert setuptools >= (69, 0), "setuptools>=69 is a dev dependency: pip install -e '.[dev]'"
    src = tmp / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "paddleocr", ".*")
    for folder in {Path(f).parts[0] for f in SETUPTOOLS["package-dir"].values()}:
        shutil.copytree(ROOT / folder, src / folder, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    dist = tmp / "dist"
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    done = subprocess.run(
        [*cmd, "--no-index", "-q", "-w", str(dist), str(src)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (wheel,) = dist.glob("nianbao-*.whl")
    return wheel


def _dependency_mirrors(tmp: Path) -> list[Path]:
    """The current environment's site-packages, as folders of links to every entry except this
    checkout's own nianbao (its editable finder, dist-info, .pth files)."""
    sites = [Path(p) for p in site.getsitepackages() if Path(p).is_dir()]
    sites += [Path(p) for p in sys.path if p.endswith("-packages") and Path(p).is_dir()]
    mirrors = []
    for n, folder in enumerate(dict.fromkeys(sites)):
        mirror = tmp / "deps" / str(n)
        mirror.mkdir(parents=True)
        for entry in folder.iterdir():
            if not OWN.match(entry.name):
                (mirror / entry.name).symlink_to(entry)
        mirrors.append(mirror)
    return mirrors


def _venv(tmp: Path, wheel: Path) -> Path:
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    mirrors = _dependency_mirrors(tmp)
    (purelib / "_nianbao_test_deps.pth").write_text(
        "".join(f"{m}\n" for m in mirrors), encoding="utf-8"
    )
    python = venv / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q"]
    done = subprocess.run(
        [*install, "--no-deps", "--no-index", str(wheel)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return venv


def _clean_env(home: Path) -> dict[str, str]:
    """No path, config, models or cache of ours leaks in; the cache goes under `home`."""
    drop = ("PYTHONPATH", "PYTHONHOME", "XDG_CACHE_HOME", "VIRTUAL_ENV")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in drop and not k.startswith(("NIANBAO_", "PADDLE_PDX_"))
    }
    env["HOME"] = str(home)
    return env


def _unshare() -> list[str]:
    """`unshare -n --` when this machine lets us drop the network, so nothing can download."""
    exe = shutil.which("unshare")
    if exe and subprocess.run([exe, "-n", "true"], capture_output=True).returncode == 0:
        return [exe, "-n", "--"]
    return []


def _comparable(record: dict[str, Any], path: Path) -> dict[str, Any]:
    """The record without what depends on where the input was and how long it took."""
    text = json.dumps(record, ensure_ascii=False, sort_keys=True).replace(str(path), "<input>")
    out: dict[str, Any] = json.loads(text)
    out["provenance"].pop("timings_ms")
    return out


@pytest.mark.slow
def test_the_wheel_works_outside_the_checkout(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    venv = _venv(tmp_path, wheel)
    home, work, inputs = tmp_path / "home", tmp_path / "work", tmp_path / "inputs"
    for folder in (home, work, inputs):
        folder.mkdir()
    scan = min((ROOT / "sample_scans" / "scans").glob("*.pdf"), key=lambda p: p.stat().st_size)
    docs = [Path(shutil.copy(SEED, inputs)), Path(shutil.copy(scan, inputs))]
    env = _clean_env(home)

    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import nianbao; print(nianbao.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(venv), "the wheel, not the checkout"

    out = tmp_path / "out"
    cmd = [*_unshare(), str(venv / "bin" / "nianbao"), "extract", *map(str, docs)]
    done = subprocess.run(
        [*cmd, "--out-dir", str(out)], cwd=work, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert list(work.iterdir()) == [], "nothing is written to the working directory"
    prepared = home / ".cache" / "nianbao" / "paddleocr"
    if load_settings().ocr.kind == "paddle":  # the rapid engine (default) prepares nothing
        assert sorted(p.name for p in prepared.iterdir() if not p.name.startswith(".")) == [
            "PP-OCRv6_small_det",
            "PP-OCRv6_small_rec",
        ], "the OCR model dirs are prepared in the user cache"

    # a fresh pipeline, documents in the same order: provenance lists the OCR engine once a
    # document in the process has needed it
    checkout = Pipeline(load_settings())
    for doc, original in zip(docs, (SEED, scan), strict=True):
        from_wheel = json.loads((out / f"{doc.stem}.json").read_text(encoding="utf-8"))
        assert from_wheel["status"] == "ok", from_wheel["errors"]
        from_checkout = json.loads(checkout.run(original).model_dump_json())
        assert _comparable(from_wheel, doc) == _comparable(from_checkout, original)
    assert from_wheel["source"]["input_kind"] == "scan"
