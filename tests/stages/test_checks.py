"""checks: rules from rules.yaml over hand-built fields."""

from __future__ import annotations

from nianbao.datamodel.document import ReportDoc
from nianbao.datamodel.record import ReportField, Semantic, Source
from nianbao.settings import load_settings
from nianbao.stages.checks import Checks
from nianbao.template import Template


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
    Checks(Checks.options_from(load_settings()), template)(doc)
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
    total = doc.judged()["review_litigation.litigation_direct.total"]
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


# ---- repair by the 勾稽 relations (table 三) -----------------------------------------------------


def consistent_table_three(template: Template) -> dict[str, ReportField]:
    """A 2021 table 三 whose every relation holds (values made up, relations computed)."""
    apps = template.tables.applications
    applicants = [c.key for c in apps.columns if not c.is_total]
    leaves = [r.key for r in apps.rows_for("2021") if r.leaf]
    values: dict[str, int] = {}
    for k, col in enumerate(applicants):
        for n, leaf in enumerate(leaves):
            values[f"{leaf}.{col}"] = (3 * k + 5 * n) % 7
        total = sum(values[f"{leaf}.{col}"] for leaf in leaves)
        values[f"total.{col}"] = total
        values[f"carried_forward.{col}"] = k
        values[f"carried_over.{col}"] = 1
        values[f"new.{col}"] = total + k - 1
    rows = {key.rsplit(".", 1)[0] for key in values}
    for row in rows:
        values[f"{row}.total"] = sum(values[f"{row}.{c}"] for c in applicants)
    return {
        f"applications.{k}": field(v, Semantic.zero if v == 0 else Semantic.number)
        for k, v in values.items()
    }


def table_three_doc(values: dict[str, ReportField]) -> ReportDoc:
    doc = ReportDoc(source=Source(path="t"))
    doc.template.version = "2021"
    doc.fields.update(values)
    return doc


def test_a_misread_cell_is_located_and_repaired(template: Template) -> None:
    values = consistent_table_three(template)
    path = "applications.disclosed.commercial"
    truth = values[path].value
    values[path] = field(int(truth or 0) + 5)  # misread: 3 read as 8
    for f in values.values():  # read by OCR
        f.features["ocr_confidence"] = 0.99
    doc = table_three_doc(values)
    checks = run(doc, template)
    repaired = doc.judged()[path]
    assert repaired.value == truth and repaired.raw == str(int(truth or 0) + 5)
    assert repaired.method == "repaired.consistency"
    assert repaired.features["repaired"] == 1.0
    assert any(r.startswith("repaired_consistency:") for r in repaired.review.reasons)
    for rule in ("t3_row_total[disclosed]", "t3_column_total[commercial]"):
        assert checks[rule].passed is True and "repairing" in checks[rule].detail
    # the other cells of the row and the column are not blamed
    other = doc.judged()["applications.disclosed.natural_person"]
    assert "checks_failed" not in other.features
    # and the record says review is needed for the repaired cell
    from nianbao.confidence import review_reasons, score

    settings = load_settings().confidence
    assert "repaired_consistency" in review_reasons(repaired, score(repaired, settings), settings)


def test_a_located_cell_read_from_text_is_the_source_inconsistent(template: Template) -> None:
    values = consistent_table_three(template)
    path = "applications.disclosed.commercial"
    truth = values[path].value
    values[path] = field(int(truth or 0) + 5)  # printed so: a text layer reads what is printed
    doc = table_three_doc(values)
    checks = run(doc, template)
    assert doc.judged()[path].value == int(truth or 0) + 5
    assert doc.judged()[path].method != "repaired.consistency"
    detail = checks["t3_row_total[disclosed]"].detail  # type: ignore[attr-defined]
    assert checks["t3_row_total[disclosed]"].passed is False  # type: ignore[attr-defined]
    assert f"source inconsistent at {path}" in detail and f"imply {truth}" in detail


def test_two_misread_cells_are_not_repaired(template: Template) -> None:
    values = consistent_table_three(template)
    for path in (
        "applications.disclosed.commercial",
        "applications.not_processed.repeated.research",
    ):
        values[path] = field(int(values[path].value or 0) + 2)
    doc = table_three_doc(values)
    checks = run(doc, template)
    assert all(f.method != "repaired.consistency" for f in doc.judged().values())
    failed = [c for c in checks.values() if c.passed is False]  # type: ignore[attr-defined]
    assert len(failed) == 4
    # read cleanly from the source: the source contradicts itself
    assert all("source inconsistent" in c.detail for c in failed)  # type: ignore[attr-defined]


def test_a_doubtful_ocr_cell_does_not_make_the_source_inconsistent(template: Template) -> None:
    values = consistent_table_three(template)
    for path in (
        "applications.disclosed.commercial",
        "applications.not_processed.repeated.research",
    ):
        values[path] = field(int(values[path].value or 0) + 2)
        values[path].features["ocr_confidence"] = 0.7
    doc = table_three_doc(values)
    failed = [c for c in run(doc, template).values() if c.passed is False]  # type: ignore[attr-defined]
    assert failed and not any("source inconsistent" in c.detail for c in failed)  # type: ignore[attr-defined]


# ---- localisation: fields a failed relation does not blame -------------------------------------


def test_cells_of_a_failed_column_that_their_rows_confirm_are_exonerated(
    template: Template,
) -> None:
    values = consistent_table_three(template)
    culprit = "applications.disclosed.commercial"
    values[culprit] = field(int(values[culprit].value or 0) + 5)  # printed so (text input)
    doc = table_three_doc(values)
    run(doc, template)
    # the culprit: its row and its column fail, it stays blamed
    assert any(r.startswith("check_failed:") for r in doc.judged()[culprit].review.reasons)
    assert "exonerated" not in doc.judged()[culprit].features
    # same column, another row whose row relation holds: not blamed, but the failure is kept
    same_column = doc.judged()["applications.partially_disclosed.commercial"]
    assert same_column.features["checks_failed"] >= 1
    assert same_column.features["exonerated"] == 1.0
    assert not same_column.review.reasons
    # the column total is in the failed column AND in its own row, which holds: exonerated too
    assert doc.judged()["applications.total.commercial"].features.get("exonerated") == 1.0


def test_a_decoded_row_one_row_off_is_not_exonerated_by_its_own_sum(template: Template) -> None:
    """The decoder placed the total row's values in 3.其他 (a torn table's rows one row off):
    every row keeps its own sum, the columns fail. For a cell the source placed, its row
    holding means the culprit is elsewhere; for a decoded row it means nothing, and the row
    must go to review."""
    values = consistent_table_three(template)
    cols = [c.key for c in template.tables.applications.columns]
    for c in cols:
        for to, frm in (("other.other", "total"), ("total", "carried_forward")):
            moved = field(values[f"applications.{frm}.{c}"].value)
            moved.features["decoded"] = 1.0
            values[f"applications.{to}.{c}"] = moved
        del values[f"applications.carried_forward.{c}"]
    misread = "applications.disclosed.commercial"  # and a cell misread elsewhere
    values[misread] = field(int(values[misread].value or 0) + 5)
    doc = table_three_doc(values)
    run(doc, template)
    for c in cols:
        cell = doc.judged()[f"applications.other.other.{c}"]
        assert "exonerated" not in cell.features
        assert any(r.startswith("check_failed:") for r in cell.review.reasons)


def test_a_misread_repeated_so_that_the_columns_add_up_still_goes_to_review(
    template: Template,
) -> None:
    """The fax: 4 read as 1 in new.total and in total.total. The 本年新收 row fails, but the
    total column still balances (new + carried over = total + carried forward), so every cell
    of the failed row has a passing
    relation the other way. One of them is wrong: the row must still be reviewed."""
    values = consistent_table_three(template)
    new_total = int(values["applications.new.total"].value or 0)
    total_total = int(values["applications.total.total"].value or 0)
    values["applications.new.total"] = field(new_total - 3)
    values["applications.total.total"] = field(total_total - 3)
    doc = table_three_doc(values)
    run(doc, template)
    failed = [c for c in doc.checks if c.passed is False]
    assert failed, "the 本年新收 row no longer adds up"
    for check in failed:
        assert any(doc.judged()[p].review.reasons for p in check.fields), check.rule


def test_a_cell_failing_one_way_with_nothing_the_other_way_stays_blamed(
    template: Template,
) -> None:
    doc = doc_with_t4(group("review", field(2), field(1), field(0), field(0), field(4)))
    run(doc, template)  # table 四 relations run one way only: nothing exonerates
    upheld = doc.judged()["review_litigation.review.upheld"]
    assert "exonerated" not in upheld.features and upheld.review.reasons


def test_an_inferred_column_that_every_relation_confirms_is_settled(template: Template) -> None:
    from nianbao.confidence import review_reasons, score

    values = consistent_table_three(template)
    path = "applications.disclosed.research"
    values[path].features["position_uncertain"] = 1.0
    doc = table_three_doc(values)
    run(doc, template)
    f = doc.judged()[path]
    assert f.features["position_confirmed"] == 1.0
    conf = load_settings().confidence
    assert "ambiguous_columns" not in review_reasons(f, score(f, conf), conf)
    # a wrong column breaks a relation: no confirmation, review stays
    values = consistent_table_three(template)
    values[path] = field(int(values[path].value or 0) + 1, certain=False)
    doc = table_three_doc(values)
    run(doc, template)
    f = doc.judged()[path]
    assert "position_confirmed" not in f.features
    assert "ambiguous_columns" in review_reasons(f, score(f, conf), conf)


# ---- table 二 relations (rules.yaml inequality / same_applicability) ----------------------------


def test_documents_in_force_below_those_issued_fail(template: Template) -> None:
    doc = doc_with_t4(
        {
            "active_disclosure.normative_documents.issued": field(8),
            "active_disclosure.normative_documents.repealed": field(2),
            "active_disclosure.normative_documents.in_force": field(1),  # 19 lost a digit
        }
    )
    checks = run(doc, template)
    check = checks["t2_in_force_includes_issued[normative_documents]"]
    assert check.passed is False  # type: ignore[attr-defined]
    in_force = doc.judged()["active_disclosure.normative_documents.in_force"]
    assert (
        "check_failed:t2_in_force_includes_issued[normative_documents]" in in_force.review.reasons
    )
    # a 2021 document has no 2019 cells: no 2019 check is listed for it
    assert not any(r.startswith("t2_total_includes_new") for r in checks)


def test_a_holding_bound_confirms_nothing(template: Template) -> None:
    doc = doc_with_t4(
        {
            "active_disclosure.v2019.regulations.new_made": field(3),
            "active_disclosure.v2019.regulations.new_published": field(3),
            "active_disclosure.v2019.regulations.total_published": field(25),
        }
    )
    checks = run(doc, template)
    assert checks["t2_total_includes_new[regulations]"].passed is True  # type: ignore[attr-defined]
    assert (
        "checks_passed"
        not in doc.judged()["active_disclosure.v2019.regulations.new_published"].features
    )


def test_a_rules_row_mixing_slash_and_a_number_fails(template: Template) -> None:
    na = Semantic.not_applicable
    doc = doc_with_t4(
        {
            "active_disclosure.regulations.issued": field(None, na),
            "active_disclosure.regulations.repealed": field(1),  # "/" read as 1
            "active_disclosure.regulations.in_force": field(None, na),
        }
    )
    checks = run(doc, template)
    assert checks["t2_row_applicability[regulations]"].passed is False  # type: ignore[attr-defined]
    assert doc.judged()["active_disclosure.regulations.repealed"].review.reasons
