"""One settings model for the whole pipeline, loaded from configs/*.yaml.

configs/default.yaml holds every value (the model has no defaults of its own, so there is one
source of truth); a user file passed with --config is deep-merged over it. Each stage receives
only its own sub-model; no stage imports this module's loader.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline.errors import ConfigError

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "configs" / "default.yaml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IngestSettings(_Section):
    max_bytes: int
    text_suffixes: list[str]
    html_suffixes: list[str]
    # Share of characters that must decode cleanly for a file to count as text at all.
    min_clean_ratio: float
    # Share of control characters above which a file is treated as binary.
    max_control_ratio: float


class CleanSettings(_Section):
    nav_min_items: int
    short_line_max_chars: int
    pasted_min_labels: int
    pasted_window: int


class HeadingSettings(_Section):
    min_score: float  # 0..100, rapidfuzz ratio against the template heading
    max_chars: int  # a heading line is short
    join_max_chars: int  # a line this short may be the first half of a split heading


class TableSettings(_Section):
    min_label_score: float  # 0..100, fuzzy score for a row label to count as a match
    min_values_for_row: int  # a line needs this many value cells to be a table row


class NlpSettings(_Section):
    segmenter: Literal["jieba", "char"]
    batch_size: int


class ConfidenceSettings(_Section):
    method_bias: dict[str, float]
    weights: dict[str, float]
    review_threshold: float
    missing_confidence: float


class Settings(_Section):
    ingest: IngestSettings
    clean: CleanSettings
    headings: HeadingSettings
    tables: TableSettings
    nlp: NlpSettings
    confidence: ConfidenceSettings

    def digest(self) -> str:
        blob = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a config file must hold a mapping")
    return data


def load_settings(path: str | Path | None = None) -> Settings:
    """Settings from configs/default.yaml, with `path` (or $NIANBAO_CONFIG) merged over it."""
    if not DEFAULT_CONFIG.is_file():
        raise ConfigError(f"{DEFAULT_CONFIG}: default config not found (install from the repo)")
    data = _read_yaml(DEFAULT_CONFIG)
    override = path or os.environ.get("NIANBAO_CONFIG")
    if override:
        data = _merge(data, _read_yaml(Path(override)))
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{override or DEFAULT_CONFIG}: invalid config:\n{exc}") from exc
