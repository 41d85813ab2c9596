"""sections: headings and the passage classifier combined; the seed's lines all placed right."""

from __future__ import annotations

from nianbao.stages.sections import _viterbi
from nianbao.training.sections import line_labels

from tests.conftest import REPORTS, SEED

CANONICAL = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


def test_viterbi_is_monotone_and_respects_bounds() -> None:
    # the classifier alone would flicker 1,2,1; a switch costs more than one line's doubt
    emit = [[-9, 0, -9], [-9, -1.0, -0.5], [-9, 0, -9], [-9, -9, 0]]
    assert _viterbi(emit, [0] * 4, [2] * 4, penalty=2.0) == [1, 1, 1, 2]
    # a clean heading at line 2 forces state >= 2 from there on, < 2 before
    assert _viterbi(emit, [0, 0, 2, 2], [1, 1, 2, 2], penalty=2.0) == [1, 1, 2, 2]
    assert _viterbi([], [], [], 1.0) == []


def test_viterbi_starts_a_section_late_when_lines_say_nothing() -> None:
    # a row of numbers (uniform probabilities) between state-1 and state-2 lines stays in 1
    flat = [-1.0, -1.0, -1.0]
    emit = [[-9, 0, -5], flat, flat, [-9, -5, 0]]
    assert _viterbi(emit, [0] * 4, [2] * 4, penalty=2.0) == [1, 1, 1, 2]


def _expected_seed_labels(raw: list[str]) -> dict[int, str]:
    """Labels written from the seed's own text (its README), not from the parser: front matter
    up to 一、总体情况, each section from its heading on, and two noise spans: the navigation
    lists (工作动态 ... 双随机一公开) and the pasted news page (标题 ... the QR caption)."""
    out: dict[int, str] = {}
    label = "front_matter"
    noise = False
    for i, line in enumerate(raw, start=1):
        text = line.strip()
        if text in CANONICAL:
            label = f"section_{CANONICAL.index(text) + 1}"
        if "### 工作动态" in text or text.startswith("标题"):
            noise = True
        if text:
            out[i] = "noise" if noise else label
        if text.endswith("双随机一公开") or "扫码使用手机浏览本页内容" in text:
            noise = False
    return out


def test_seed_passages_all_placed_right(pipeline) -> None:
    raw = SEED.read_text(encoding="utf-8").splitlines()
    doc, _ = pipeline.run_doc(SEED)
    assert [ln.raw for ln in doc.lines] == raw  # text lines are file lines, one to one
    want = _expected_seed_labels(raw)
    got = line_labels(doc)
    wrong = {i: (w, got[i], raw[i - 1][:30]) for i, w in want.items() if got[i] != w}
    assert not wrong
    assert sum(w == "noise" for w in want.values()) > 80  # the navigation really is there


def test_missing_heading_is_placed_by_the_classifier(pipeline) -> None:
    doc, record = pipeline.run_doc(REPORTS / "missing_section.txt")
    by_number = {s.number: s for s in doc.sections}
    missing = [s for s in record.sections if not s.found]
    assert [s.number for s in missing] == [4]  # the fixture has no 复议/诉讼 part
    assert by_number[4].line_ids == []  # and the classifier does not invent one
    for s in doc.sections:
        assert all(doc.line(i).noise is None for i in s.line_ids)
    # sections never overlap and follow the document order
    starts = [min(s.line_ids) for s in by_number.values() if s.line_ids]
    assert starts == sorted(starts)
    ids = [i for s in doc.sections for i in s.line_ids]
    assert len(ids) == len(set(ids))
