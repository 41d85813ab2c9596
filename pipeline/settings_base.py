"""The base of every settings section (pipeline/settings.py): frozen, no unknown keys."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
