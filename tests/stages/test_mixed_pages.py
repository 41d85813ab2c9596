"""Mixed pages (issue #18): images on text-layer pages, and tables_not_found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nianbao.datamodel.base import BBox, ErrorCode
from nianbao.datamodel.document import (
    Heading,
    ImageRegion,
    PageDoc,
    ReportDoc,
    Section,
    TableReading,
)
from nianbao.datamodel.record import Source, Status
from nianbao.evaluate import compare, load_truth
from nianbao.runner import Pipeline
from nianbao.settings import Settings
from nianbao.stages.assemble import tables_missing
from nianbao.stages.pages import ReadPages

MIXED = Path(__file__).resolve().parents[2] / "tests" / "data" / "mixed"


def _no_ocr() -> object:
    raise AssertionError("an image without text must cost no OCR")


def test_a_stamp_is_listed_and_skipped_without_ocr() -> None:
    path = MIXED / "nanxi-county-2022-stamp.pdf"
    settings = Settings()
    doc = ReportDoc(source=Source(path=str(path), input_kind="scan"))
    ReadPages(ReadPages.options_from(settings), _no_ocr)(doc)  # type: ignore[arg-type]
    images = [(p.number, r) for p in doc.pages for r in p.images]
    assert [n for n, _ in images] == [len(doc.pages)]  # the seal on the last page
    assert not images[0][1].read and "not read" in images[0][1].note
    assert doc.timings_ms["images_skipped"] == 1 and doc.timings_ms["images_read"] == 0
    old = ReportDoc(source=Source(path=str(path), input_kind="scan"))
    off = Settings.model_validate({"images": {"enabled": False}})
    ReadPages(ReadPages.options_from(off), _no_ocr)(old)  # type: ignore[arg-type]
    assert [p.fragments for p in old.pages] == [p.fragments for p in doc.pages]


def _doc(sections: list[int], images: list[tuple[int, bool]]) -> ReportDoc:
    doc = ReportDoc(source=Source(path="x.pdf", input_kind="pdf_text"))
    for n in sections:
        head = Heading(section=n, line_ids=[n], found_text=f"{n}", score=90)
        doc.sections.append(Section(number=n, key=f"s{n}", canonical=f"{n}", heading=head))
    for page, read in images:
        region = ImageRegion(bbox=BBox(0, 0, 500, 500), read=read)
        doc.pages.append(
            PageDoc(number=page, width=1000, height=1400, dpi=200, source="text_layer")
        )
        doc.pages[-1].images.append(region)
    return doc


def test_tables_not_found_says_what_was_seen_instead() -> None:
    doc = _doc([1, 2, 3, 4, 5, 6], [(3, False), (4, False)])
    message = tables_missing(doc)
    assert message is not None and "2 image(s) on pages 3-4 not read" in message
    assert "no table-like text" in (tables_missing(_doc([1, 2, 3, 4], [])) or "")


def test_no_tables_not_found_for_an_opening_or_a_report_with_a_table() -> None:
    assert tables_missing(_doc([1, 2], [(2, False)])) is None  # stops before 三 and 四
    doc = _doc([1, 2, 3, 4, 5, 6], [])
    doc.table_readings.append(TableReading(table_id=1, kind="applications"))
    assert tables_missing(doc) is None


PROSE_ONLY = """XX县人民政府2023年政府信息公开工作年度报告
一、总体情况
2023年，我县认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政务公开工作。
二、主动公开政府信息情况
详见附件图片。
三、收到和处理政府信息公开申请情况
详见附件图片。
四、政府信息公开行政复议、行政诉讼情况
详见附件图片。
五、存在的主要问题及改进情况
公开内容还不够全面，下一步将继续加强。
六、其他需要报告的事项
本年度无其他需要报告的事项。
"""


def test_a_report_without_its_tables_is_partial(pipeline: Pipeline, tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(PROSE_ONLY, encoding="utf-8")
    record = pipeline.run(path)
    codes = [e.code for e in record.errors]
    assert ErrorCode.tables_not_found in codes
    assert record.status == Status.partial
    opening = tmp_path / "opening.txt"
    opening.write_text(PROSE_ONLY.split("三、")[0], encoding="utf-8")
    assert ErrorCode.tables_not_found not in [e.code for e in pipeline.run(opening).errors]


@pytest.mark.slow
def test_a_table_pasted_as_a_picture_is_read_with_boxes_on_the_page(pipeline: Pipeline) -> None:
    path = MIXED / "nanxi-county-2022-table-images.pdf"
    doc, record = pipeline.run_doc(path)
    truth = load_truth(MIXED / "nanxi-county-2022-table-images.truth.json")
    table2 = [f for f in compare(record, truth) if f.path.startswith("active_disclosure.")]
    assert table2 and all(f.correct or f.flagged for f in table2)
    assert sum(f.correct for f in table2) >= 0.9 * len(table2)
    page2 = doc.page(2)
    assert page2 is not None and page2.source == "text_layer"
    region = next(r for r in page2.images if r.read)
    field = record.get("active_disclosure.licensing_decisions")
    assert field.evidence is not None and field.evidence.page == 2 and field.evidence.bbox
    box = BBox(*field.evidence.bbox)
    assert region.bbox.contains_point(box.cx, box.cy)  # the box is in page pixels
    assert ErrorCode.tables_not_found not in [e.code for e in record.errors]
    assert json.loads(record.model_dump_json())["provenance"]["engines"].get("ocr")
