"""Stage contracts: what each stage may write, enforced in strict mode, and documented."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from nianbao.datamodel.base import ErrorCode
from nianbao.datamodel.document import ReportDoc, Slot
from nianbao.datamodel.record import ReportField
from nianbao.runner import Pipeline
from nianbao.settings import Settings
from nianbao.stages.base import ContractError, contract_table
from nianbao.stages.recognise import NoOptions, Recognise

from tests.conftest import REPORTS, SEED

ROOT = Path(__file__).resolve().parents[2]


def test_architecture_shows_the_contracts_the_code_declares(pipeline: Pipeline) -> None:
    table = contract_table([pipeline.ingest, *pipeline.stages, pipeline.assemble])
    assert table in (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")


class _Rogue(Recognise):
    """A stage that declares it writes nothing, then writes a meta field."""

    name: ClassVar[str] = "rogue"

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        doc.fields["meta.agency"] = ReportField(value="somebody")
        return doc


class _Broken(Recognise):
    name: ClassVar[str] = "broken"

    def __call__(self, doc: ReportDoc) -> ReportDoc:
        raise RuntimeError("a bug in a stage")


def _with(settings: Settings, stage: Recognise, strict: bool) -> Pipeline:
    pipeline = Pipeline(settings, strict=strict)
    pipeline.stages.insert(3, stage)  # after clean
    return pipeline


def test_a_stage_writing_outside_its_slot_fails_in_strict_mode(settings: Settings) -> None:
    assert Slot.meta_fields not in _Rogue.writes
    with pytest.raises(ContractError, match=r"rogue.*meta_fields"):
        _with(settings, _Rogue(NoOptions()), strict=True).run(SEED)


def test_a_stage_bug_is_raised_in_strict_mode_and_recorded_with_its_traceback_otherwise(
    settings: Settings,
) -> None:
    with pytest.raises(RuntimeError, match="a bug in a stage"):
        _with(settings, _Broken(NoOptions()), strict=True).run(SEED)
    record = _with(settings, _Broken(NoOptions()), strict=False).run(SEED)
    assert record.status.value == "partial"
    (error,) = [e for e in record.errors if e.code == ErrorCode.stage_error]
    assert error.stage == "broken" and "a bug in a stage" in error.message
    assert error.traceback and "RuntimeError" in error.traceback
    assert record.applications.new.total.value is not None  # the other stages still ran


@pytest.mark.parametrize(
    "path",
    [SEED, REPORTS / "report_2021_tables.html", ROOT / "sample_scans/pdf/nanxi-county-2022.pdf"],
    ids=["text", "html", "pdf_text"],
)
def test_every_stage_keeps_its_contract_on_each_input_kind(settings: Settings, path: Path) -> None:
    record = Pipeline(settings, strict=True).run(path)
    assert record.status.value == "ok"
