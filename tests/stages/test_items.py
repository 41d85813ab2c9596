"""items: an item whose trigger words are in the text but whose figure could not be read is
sent to review, not silently absent; prose figures fill the table paths the tables left empty
and are weighed against the tables where both exist."""

from __future__ import annotations

from pathlib import Path

from nianbao.datamodel.base import Method
from nianbao.datamodel.document import ReportDoc
from nianbao.datamodel.record import ReportField, ReportRecord, Semantic, Source
from nianbao.runner import Pipeline
from nianbao.settings import load_settings
from nianbao.stages.checks import Checks
from nianbao.template import Template


def test_trigger_without_a_figure_is_flagged(pipeline: Pipeline, tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(
        "某县人民政府2022年政府信息公开工作年度报告\n"
        "一、总体情况\n"
        "全年主动公开政府信息若干条，涵盖机构职能、政策文件等内容。\n"
        "组织开展政务公开业务培训3次。\n",
        encoding="utf-8",
    )
    _, record = pipeline.run_doc(path)
    proactive = record.items.proactive_items_published
    assert proactive.value is None
    assert proactive.features.get("trigger_without_figure") == 1.0
    assert "figure_not_read" in proactive.review.reasons
    # an item never mentioned is absent without that reason
    fees = record.items.info_processing_fees_yuan
    assert "trigger_without_figure" not in fees.features
    assert record.items.training_sessions.value == 3


# ---- prose figures for table paths -------------------------------------------------------------

OPENING = (
    "某市林业局2023年政府信息公开工作年度报告\n"
    "一、总体情况\n"
    "（二）依申请公开\n"
    "2023年，我局共受理政府信息公开申请31件，其中自然人申请29件，办结28件，"
    "结转下年度继续办理3件。\n"
    "全年因政府信息公开被申请行政复议2件，其中维持1件、尚未审结1件；未发生行政诉讼。\n"
    "本年度未收取信息处理费。\n"
)


def run_text(pipeline: Pipeline, tmp_path: Path, text: str, suffix: str = ".txt") -> ReportRecord:
    path = tmp_path / f"r{suffix}"
    path.write_text(text, encoding="utf-8")
    _, record = pipeline.run_doc(path)
    return record


def test_an_opening_without_tables_gets_its_prose_figures(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    record = run_text(pipeline, tmp_path, OPENING)
    stated = {
        "applications.new.total": 31,
        "applications.new.natural_person": 29,
        "applications.total.total": 28,
        "applications.carried_forward.total": 3,
        "review_litigation.review.total": 2,
        "review_litigation.review.upheld": 1,
        "review_litigation.review.pending": 1,
    }
    for path, want in stated.items():
        field = record.get(path)
        assert (field.value, field.method) == (want, "prose.matcher"), path
        assert field.features.get("zero_statement") is None, path
    new = record.get("applications.new.total")
    assert new.raw == "31件"
    assert new.evidence.line == 4 and "受理政府信息公开申请31件" in (new.evidence.text or "")
    # stated parts that add up to the total: the other results are 0, inferred
    for key in ("corrected", "other"):
        field = record.get(f"review_litigation.review.{key}")
        assert field.value == 0 and field.features.get("prose_inferred") == 1.0, key
    # 未发生行政诉讼: every cell of both litigation groups is 0, from a statement
    for group in ("litigation_direct", "litigation_after_review"):
        for key in ("upheld", "corrected", "other", "pending", "total"):
            field = record.get(f"review_litigation.{group}.{key}")
            assert field.value == 0 and field.method == "prose.matcher", (group, key)
            assert field.features.get("zero_statement") == 1.0, (group, key)
    assert record.items.info_processing_fees_yuan.value == 0
    # what the prose does not say stays absent (not a guessed 0)
    assert record.get("applications.carried_over.total").value is None
    assert record.get("applications.new.commercial").value is None


def test_no_application_received_fills_the_new_row(pipeline: Pipeline, tmp_path: Path) -> None:
    record = run_text(
        pipeline,
        tmp_path,
        "某镇人民政府2022年政府信息公开工作年度报告\n一、总体情况\n"
        "2022年，我镇未收到政府信息公开申请，年度无因政府信息公开引起的行政复议、行政诉讼的情况发生。\n",
    )
    new = record.get("applications.new.total")
    assert (new.value, new.raw) == (0, "未收到政府信息公开申请")
    assert new.features.get("zero_statement") == 1.0
    # it states the new total, not its applicant columns
    assert record.get("applications.new.natural_person").value is None
    assert record.get("review_litigation.review.total").value == 0
    assert record.get("review_litigation.litigation_after_review.pending").value == 0
    assert record.get("applications.total.total").value is None


def test_results_are_derived_only_when_enumerated(pipeline: Pipeline, tmp_path: Path) -> None:
    record = run_text(
        pipeline,
        tmp_path,
        "某区司法局2023年政府信息公开工作年度报告\n一、总体情况\n"
        "全年被申请行政复议1件，截至本报告发布时尚未审结。\n"
        "被提起行政诉讼0件。\n",
    )
    review = record.review_litigation.review
    assert (review.total.value, review.pending.value) == (1, 1)
    assert review.pending.features.get("prose_inferred") == 1.0  # the whole group, no figure
    # one case, pending: the text enumerates no results, so the others stay unstated
    assert review.upheld.value is None and review.other.value is None
    # a group total of 0: its results are 0
    direct = record.review_litigation.litigation_direct
    assert (direct.total.value, direct.upheld.value, direct.pending.value) == (0, 0, 0)
    assert direct.upheld.features.get("prose_inferred") == 1.0


def test_traditional_script_reads_the_same(pipeline: Pipeline, tmp_path: Path) -> None:
    record = run_text(
        pipeline,
        tmp_path,
        "某省卫生健康委员会2023年政府信息公开工作年度报告\n一、总体情况\n"
        "本年度主动公开政府信息一千余条，依法办理政府信息公开申请。\n"
        "2023年，新收政府信息公開申請140件，上年結轉0件。\n",
    )
    new = record.get("applications.new.total")
    assert (new.value, new.raw) == (140, "140件")
    assert "公開申請" in (new.evidence.text or "")
    assert record.get("applications.carried_over.total").value == 0


def test_a_stated_figure_beats_a_statement_and_they_conflict(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    record = run_text(
        pipeline,
        tmp_path,
        "某区商务局2022年政府信息公开工作年度报告\n一、总体情况\n"
        "本年度未收到政府信息公开申请。\n三、收到和处理政府信息公开申请情况\n"
        "本年度新收政府信息公开申请2件。\n",
    )
    new = record.get("applications.new.total")
    assert new.value == 2
    assert "conflicting_mentions" in new.review.reasons


def table_doc(prose: str) -> ReportDoc:
    doc = ReportDoc(source=Source(path="t"))
    doc.fields["review_litigation.review.total"] = ReportField(
        value=2, raw="2", semantic=Semantic.number, method=Method.table_html
    )
    doc.prose_figures["review_litigation.review.total"] = ReportField(
        value=int(prose), raw=f"{prose}件", semantic=Semantic.number, method=Method.prose_matcher
    )
    return doc


def test_prose_agreeing_with_the_table_corroborates_it(template: Template) -> None:
    doc = table_doc("2")
    Checks(Checks.options_from(load_settings()), template)(doc)
    (check,) = [c for c in doc.checks if c.rule_id == "prose_vs_table"]
    assert check.passed is True and check.severity == "soft"
    field = doc.judged()["review_litigation.review.total"]
    assert field.features.get("corroborated") == 1.0
    assert "prose_conflict" not in field.review.reasons


def test_prose_disagreeing_with_the_table_is_a_review_reason_not_a_new_value(
    template: Template,
) -> None:
    doc = table_doc("3")
    Checks(Checks.options_from(load_settings()), template)(doc)
    (check,) = [c for c in doc.checks if c.rule_id == "prose_vs_table"]
    assert check.passed is False and check.severity == "soft"
    field = doc.judged()["review_litigation.review.total"]
    assert field.value == 2 and field.method == "table.html"  # prose never overwrites
    assert field.review.reasons == ["prose_conflict"]
    assert "checks_failed" not in field.features  # soft: no hard-check penalty


def test_prose_and_table_on_one_page(pipeline: Pipeline, tmp_path: Path) -> None:
    cells = "".join(f"<td>{v}</td>" for v in [1, 0, 0, 1, 2] + [0] * 10)
    heads = "".join(
        f"<td>{h}</td>" for h in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3
    )
    page = (
        '<html><head><meta charset="utf-8"></head><body>'
        "<p>某县水利局2023年政府信息公开工作年度报告</p><p>一、总体情况</p>"
        "<p>全年因政府信息公开被申请行政复议3件，其中维持1件。</p>"
        "<p>四、政府信息公开行政复议、行政诉讼情况</p><table border='1'>"
        "<tr><td colspan='5' rowspan='2'>行政复议</td><td colspan='10'>行政诉讼</td></tr>"
        "<tr><td colspan='5'>未经复议直接起诉</td><td colspan='5'>复议后起诉</td></tr>"
        f"<tr>{heads}</tr><tr>{cells}</tr></table></body></html>"
    )
    record = run_text(pipeline, tmp_path, page, ".html")
    total = record.get("review_litigation.review.total")
    assert (total.value, total.method) == (2, "table.html")
    assert "prose_conflict" in total.review.reasons
    upheld = record.get("review_litigation.review.upheld")
    assert upheld.value == 1 and upheld.features.get("corroborated") == 1.0
    assert "prose_conflict" not in upheld.review.reasons
