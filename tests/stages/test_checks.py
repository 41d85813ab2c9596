"""checks: rules from rules.yaml over hand-built fields."""

from __future__ import annotations

from pipeline.datamodel.document import ReportDoc
from pipeline.datamodel.record import ReportField, Semantic, Source
from pipeline.settings import load_settings
from pipeline.stages.checks import Checks
from pipeline.template import Template


def field(
    value: int | None, semantic: Semantic = Semantic.number, certain: bool = True
) -> ReportField:
    return ReportField(
        value=value,
        raw="" if semantic == Semantic.blank else str(value),
        semantic=semantic,
        method="table.flattened_text",
        features={"label_score": 1.0, "position_uncertain": 0.0 if certain else 1.0},
    )


def doc_with_t4(values: dict[str, ReportField]) -> ReportDoc:
    doc = ReportDoc(source=Source(path="t"))
    doc.fields.update(values)
    return doc


def group(prefix: str, upheld, corrected, other, pending, total) -> dict[str, ReportField]:
    keys = ["upheld", "corrected", "other", "pending", "total"]
    return {
        f"review_litigation.{prefix}.{k}": v
        for k, v in zip(keys, [upheld, corrected, other, pending, total], strict=True)
    }


def run(doc: ReportDoc, template: Template) -> dict[str, object]:
    Checks(template, load_settings().tables)(doc)
    return {c.rule: c for c in doc.checks}


def test_group_sum_passes_and_fails_naming_fields(template: Template) -> None:
    doc = doc_with_t4(
        group("review", field(2), field(1), field(0), field(0), field(3))
        | group("litigation_direct", field(2), field(1), field(0), field(0), field(4))
    )
    checks = run(doc, template)
    assert checks["t4_group_total[review]"].passed is True
    failed = checks["t4_group_total[litigation_direct]"]
    assert failed.passed is False and "source inconsistent" in failed.detail
    assert "review_litigation.litigation_direct.total" in failed.fields
    total = doc.fields["review_litigation.litigation_direct.total"]
    assert total.features["checks_failed"] == 1
    assert total.review.reasons == ["check_failed:t4_group_total[litigation_direct]"]
    assert checks["t4_group_total[litigation_after_review]"].passed is None  # nothing to check


def test_blank_total_is_not_a_contradiction(template: Template) -> None:
    doc = doc_with_t4(
        group("review", field(2), field(1), field(0), field(0), field(0, Semantic.blank))
    )
    check = run(doc, template)["t4_group_total[review]"]
    assert check.passed is None and "blank" in check.detail


def test_uncertain_cells_do_not_blame_the_source(template: Template) -> None:
    doc = doc_with_t4(
        group("review", field(2), field(1), field(0), field(0, certain=False), field(4))
    )
    check = run(doc, template)["t4_group_total[review]"]
    assert check.passed is False and "source inconsistent" not in check.detail


def test_not_applicable_makes_a_check_unassessable(template: Template) -> None:
    doc = doc_with_t4(
        group(
            "review", field(None, Semantic.not_applicable), field(1), field(0), field(0), field(1)
        )
    )
    assert run(doc, template)["t4_group_total[review]"].passed is None


def test_negative_counts_fail_but_signed_deltas_do_not(template: Template) -> None:
    doc = doc_with_t4(
        {
            "applications.new.total": field(-1),
            "active_disclosure.v2019.licensing.delta": field(-2),
        }
    )
    checks = run(doc, template)
    assert checks["non_negative[applications.new.total]"].passed is False
    assert not any("delta" in rule for rule in checks)
