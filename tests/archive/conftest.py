"""Helpers for the archive tests: a SQLite store and records made from a few values."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from nianbao.datamodel.record import ReportRecord
from nianbao.db import Store
from nianbao.synth.series import make_record

COLUMNS = ["natural_person", "commercial", "research", "social_welfare", "legal_services",
           "other_org"]  # fmt: skip


def table3(new: list[int], back: list[int], forward: list[int]) -> dict[str, int | None]:
    """Table 三 where every in-report relation holds: 予以公开 takes what is processed."""
    values: dict[str, int | None] = {}
    for i, col in enumerate(COLUMNS):
        processed = new[i] + back[i] - forward[i]
        values[f"applications.new.{col}"] = new[i]
        values[f"applications.carried_over.{col}"] = back[i]
        values[f"applications.carried_forward.{col}"] = forward[i]
        values[f"applications.disclosed.{col}"] = processed
        values[f"applications.total.{col}"] = processed
    for row in ("new", "carried_over", "carried_forward", "disclosed", "total"):
        values[f"applications.{row}.total"] = sum(
            v for c in COLUMNS if (v := values[f"applications.{row}.{c}"]) is not None
        )
    return values


def report(
    agency: str,
    year: int,
    back: list[int],
    forward: list[int],
    *,
    in_force: int = 10,
    issued: int = 0,
    repealed: int = 0,
    text: str = "",
    override: dict[str, int] | None = None,
) -> ReportRecord:
    values = table3([5, 1, 0, 0, 0, 0], back, forward)
    values["active_disclosure.normative_documents.in_force"] = in_force
    values["active_disclosure.normative_documents.issued"] = issued
    values["active_disclosure.normative_documents.repealed"] = repealed
    values.update(override or {})
    return make_record(agency, year, values, text=text, label=f"{agency}{year}.html")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'archive.db'}") as s:
        yield s


def save(store: Store, record: ReportRecord, name: str) -> int:
    return store.save_record(record, name, "cfg")
