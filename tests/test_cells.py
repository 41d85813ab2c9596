"""How a table cell's OCR text becomes a value (pipeline/cells.py, tables.yaml cell_values)."""

from __future__ import annotations

import pytest
from nianbao.cells import confusable, is_value_cell, read_cell
from nianbao.datamodel.record import Semantic


@pytest.mark.parametrize(
    ("text", "value", "semantic"),
    [
        ("。", 0, Semantic.zero),  # 0 on noisy 150-dpi scans (huaian, lanjiang)
        ("0)", 0, Semantic.zero),  # fax: a speck after the 0
        ("i1", 11, Semantic.number),
        ("∞", 8, Semantic.number),
        ("一", 1, Semantic.number),
        ("1。", 1, Semantic.number),  # a stray point after a digit, not a 0
    ],
)
def test_ocr_confusions_are_read_as_the_number_and_marked(
    text: str, value: int, semantic: Semantic
) -> None:
    assert read_cell(text) == (value, semantic)
    assert confusable(text)
    assert is_value_cell(text, blank_ok=False)


@pytest.mark.parametrize(
    ("text", "value", "semantic"),
    [
        ("12", 12, Semantic.number),
        ("12.5", 12.5, Semantic.number),
        ("1,234", 1234, Semantic.number),
        ("0", 0, Semantic.zero),
        ("", 0, Semantic.blank),
        ("/", None, Semantic.not_applicable),
        ("无", None, Semantic.not_applicable),
    ],
)
def test_plain_cells_are_not_marked_confusable(
    text: str, value: object, semantic: Semantic
) -> None:
    assert read_cell(text) == (value, semantic)
    assert not confusable(text)


@pytest.mark.parametrize("text", [")", "。。", "gnend", "合计", "1。2。", "(3)", "（一）", "一。"])
def test_marks_and_text_that_are_no_number_stay_text(text: str) -> None:
    """A stray mark alone, a point inside a number, an enumerator in brackets: not a digit.
    (An enumerator read as a value would be taken from a row's label into its values.)"""
    value, semantic = read_cell(text)
    assert semantic == Semantic.text and value == text
    assert not confusable(text)
