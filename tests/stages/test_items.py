"""items: an item whose trigger words are in the text but whose figure could not be read is
sent to review, not silently absent."""

from __future__ import annotations

from pathlib import Path

from nianbao.runner import Pipeline


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
