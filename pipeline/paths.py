"""Where nianbao finds its learned models and keeps its caches, wherever it is installed.

- The models dir (the passage classifier `sections/`, `calibration.json`): the `models_dir`
  setting, else $NIANBAO_MODELS, else the models shipped in the package (`nianbao._models`,
  package data; in an editable install of a checkout that is the repository's `models/`).
  Relative model paths in the settings resolve against it.
- The cache dir (OCR model dirs prepared at first use): $NIANBAO_CACHE, else
  $XDG_CACHE_HOME/nianbao, else ~/.cache/nianbao. Nothing in it is downloaded; it can be
  deleted at any time and is rebuilt from the installed wheels.

Nothing here refers to a checkout: a wheel installed anywhere finds the same files.
"""

from __future__ import annotations

import os
import stat
from importlib import resources
from pathlib import Path

from .errors import ConfigError

MODELS_ENV = "NIANBAO_MODELS"
CACHE_ENV = "NIANBAO_CACHE"
_PACKAGED_MODELS = f"{__package__}._models"


def packaged_models_dir() -> Path:
    """The models shipped with the package (package data of `nianbao._models`)."""
    try:
        return Path(str(resources.files(_PACKAGED_MODELS)))
    except ModuleNotFoundError as exc:  # an editable install made before models/ was mapped
        raise ConfigError(
            f"{_PACKAGED_MODELS} is not installed: reinstall nianbao (pip install -e . in a "
            f"checkout) or set ${MODELS_ENV} to a folder with the models"
        ) from exc


def models_dir(configured: str | None = None) -> Path:
    """The folder relative model paths resolve against (see the module docstring)."""
    chosen = configured or os.environ.get(MODELS_ENV)
    return Path(chosen).expanduser().absolute() if chosen else packaged_models_dir()


def model_path(path: str, configured_models_dir: str | None = None) -> Path:
    """A model path from the settings: absolute as given, relative against the models dir."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else models_dir(configured_models_dir) / p


def cache_dir() -> Path:
    """nianbao's user cache dir (not created here; see `ensure_private_dir`)."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen).expanduser().absolute()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "nianbao"


def ensure_private_dir(path: Path) -> Path:
    """Create `path` and its missing parents, each readable by this user only (as the XDG spec
    asks of cache dirs), or check the one there.

    An existing path must be a directory we can write to (a symlink to one is followed); a
    file, or a dir we cannot write, is a ConfigError naming it and the settings that move it.
    """
    try:
        for missing in reversed([path, *path.parents]):
            if not missing.is_dir():
                missing.mkdir(mode=0o700, exist_ok=True)  # exist_ok: another process made it
    except (FileExistsError, NotADirectoryError) as exc:  # a file (or dangling link) in the way
        raise ConfigError(
            f"{path}: a cache path is in the way and is not a directory ({exc}); "
            f"set ${CACHE_ENV} or ocr.model_root"
        ) from exc
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot create the cache dir ({exc}); set ${CACHE_ENV} or ocr.model_root"
        ) from exc
    if not stat.S_ISDIR(path.stat().st_mode) or not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(
            f"{path}: cache dir is not a writable directory; set ${CACHE_ENV} or ocr.model_root"
        )
    return path
