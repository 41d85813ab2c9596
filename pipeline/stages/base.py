"""The one shape every stage has, and the contract that says what it reads and writes.

A stage is built from its own options object (a settings sub-model, or a small model grouping
the sub-models it needs: `options_from(settings)` picks them) and the template; called on a
ReportDoc it fills the slots it owns (`writes`) from the slots it reads (`reads`) and returns
the document. `errors` and `timings_ms` are logs any stage may append to.

The runner in strict mode (tests) compares slot digests before and after every stage and raises
`ContractError` when a stage wrote a slot it does not own, so the table in ARCHITECTURE.md is
enforced by the code, not only documented. (Model: docling's models/base_model.py and the
pipeline building each page model from its options; spaCy's `assigns`/`requires`.)
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel

from ..datamodel.document import ReportDoc, Slot, slot_digests

if TYPE_CHECKING:
    from ..settings import Settings

OptionsT = TypeVar("OptionsT", bound=BaseModel)


class ContractError(AssertionError):
    """A stage wrote a slot its contract does not give it (raised in strict mode only)."""


class Stage(ABC, Generic[OptionsT]):
    name: ClassVar[str]
    reads: ClassVar[frozenset[Slot]]
    writes: ClassVar[frozenset[Slot]]

    def __init__(self, options: OptionsT) -> None:
        self.options = options

    @classmethod
    @abstractmethod
    def options_from(cls, settings: Settings) -> OptionsT:
        """This stage's options out of the whole settings."""

    @abstractmethod
    def __call__(self, doc: ReportDoc) -> ReportDoc: ...


def check_contract(stage: Stage[Any], before: dict[Slot, str], doc: ReportDoc) -> None:
    """Raise ContractError if `stage` changed a slot outside its `writes`."""
    after = slot_digests(doc)
    wrote = {slot for slot in after if after[slot] != before.get(slot)}
    stray = wrote - stage.writes
    if stray:
        names = ", ".join(sorted(stray))
        raise ContractError(f"stage {stage.name!r} wrote {names}, outside its contract")


def contract_table(stages: list[Any]) -> str:
    """The stages' declared reads and writes as the markdown table ARCHITECTURE.md shows (a
    test keeps the two equal)."""
    rows = ["| stage | reads | writes |", "|---|---|---|"]
    for stage in stages:
        reads = ", ".join(sorted(stage.reads)) or "the input file"
        writes = ", ".join(sorted(stage.writes)) or "(none)"
        rows.append(f"| `{stage.name}` | {reads} | {writes} |")
    return "\n".join(rows)


__all__ = ["ContractError", "Stage", "check_contract", "contract_table"]
