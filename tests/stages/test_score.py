"""score and assemble: checked fields -> scored record fields -> the record."""

from __future__ import annotations

from nianbao.datamodel.base import ErrorCode, Feature, Method
from nianbao.datamodel.document import (
    Relations,
    Repair,
    ReportDoc,
    Table,
    TableReading,
)
from nianbao.datamodel.record import ReportField, Semantic, Source
from nianbao.runner import Pipeline
from nianbao.settings import Settings
from nianbao.stages.score import Score
from nianbao.template import Template


def _cell(value: int, **features: float) -> ReportField:
    return ReportField(
        value=value,
        raw=str(value),
        semantic=Semantic.number if value else Semantic.zero,
        method=Method.table_grid_ocr,
        features={Feature.label_score: 1.0, **{Feature(k): v for k, v in features.items()}},
    )


def _score(settings: Settings, template: Template, doc: ReportDoc) -> ReportDoc:
    return Score(Score.options_from(settings), template)(doc)


def test_a_repair_is_applied_to_a_copy_with_its_reason_first(
    settings: Settings, template: Template
) -> None:
    doc = ReportDoc(source=Source(path="t.pdf"))
    doc.fields["applications.new.total"] = _cell(8, ocr_confidence=0.97)
    doc.relations["applications.new.total"] = Relations(
        features={Feature.repaired: 1.0, Feature.checks_passed: 2.0},
        reasons=["repaired_consistency:t3_row_total[new],t3_column_balance[total]"],
        repair=Repair(value=3, rules=["t3_row_total[new]", "t3_column_balance[total]"]),
    )
    doc = _score(settings, template, doc)
    field = doc.scored["applications.new.total"]
    assert field.value == 3 and field.raw == "8" and field.method == Method.repaired_consistency
    assert field.review.reasons[0].startswith("repaired_consistency:")
    assert field.review.needed
    extracted = doc.fields["applications.new.total"]  # the extraction stays as it was read
    assert extracted.value == 8 and extracted.method == Method.table_grid_ocr


def test_every_record_field_is_scored_and_absent_ones_say_why(
    settings: Settings, template: Template
) -> None:
    doc = ReportDoc(source=Source(path="t.txt"))
    doc.table_readings = [TableReading(table_id=1, kind="applications", format="2019")]
    doc = _score(settings, template, doc)
    assert "applications.other.overdue_fee.total" in doc.scored
    absent_row = doc.scored["applications.other.overdue_fee.total"]  # no such row in 2019
    assert absent_row.features[Feature.not_in_format] == 1.0
    assert not absent_row.review.needed  # certain: the format has no such cell
    agency = doc.scored["meta.agency"]
    assert agency.features[Feature.required] and "not_found" in agency.review.reasons


def test_unchecked_table_values_are_doubted_in_a_document_misread_elsewhere(
    settings: Settings, template: Template
) -> None:
    def scored(doubt: bool) -> ReportField:
        doc = ReportDoc(source=Source(path="t.pdf"))
        doc.fields["active_disclosure.licensing_decisions"] = _cell(120)
        doc.fields["applications.new.total"] = _cell(5)
        if doubt:  # a failed relation somewhere in the document
            doc.relations["applications.new.total"] = Relations(
                features={Feature.checks_failed: 1.0}, reasons=["check_failed:t3_row_total[new]"]
            )
        return _score(settings, template, doc).scored["active_disclosure.licensing_decisions"]

    clean, doubted = scored(False), scored(True)
    assert Feature.document_doubt not in clean.features
    assert doubted.features[Feature.document_doubt] == 1.0
    assert doubted.confidence < clean.confidence


def test_the_record_shows_each_table_with_the_notes_of_both_stages(pipeline: Pipeline) -> None:
    doc = ReportDoc(source=Source(path="t.pdf", input_kind="pdf_text"))
    doc.tables = [
        Table(
            id=1, source="grid_text_layer", kind="applications", notes=["page 3: 1 rule inferred"]
        )
    ]
    doc.table_readings = [
        TableReading(table_id=1, kind="applications", format="2021", notes=["row not matched"])
    ]
    doc.scored = {"applications.new.total": _cell(5)}
    record = pipeline.assemble(doc)
    (report,) = record.tables
    assert report.format == "2021"
    assert report.notes == ["page 3: 1 rule inferred", "row not matched"]
    assert record.applications.new.total.value == 5
    assert record.status.value == "ok"
    doc.fail("pages", ErrorCode.page_failed, "t.pdf: page 2: broken", page=2)
    assert pipeline.assemble(doc).status.value == "partial"
    doc.fail("pages", ErrorCode.no_readable_page, "t.pdf: no page could be read", fatal=True)
    failed = pipeline.assemble(doc)
    assert failed.status.value == "failed" and failed.applications.new.total.value is None
