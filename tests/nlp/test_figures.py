"""Prose figures for table paths: what the components read from one sentence, and what they
must leave alone (channels, 同比, percentages, combined figures, other things counted)."""

from __future__ import annotations

import pytest
from nianbao.nlp import build_nlp, mentions
from nianbao.nlp.script import Simplifier
from spacy.language import Language

NEW = "applications.new.total"
REVIEW = "review_litigation.review"
DIRECT = "review_litigation.litigation_direct"
AFTER = "review_litigation.litigation_after_review"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp("jieba")


def figures(nlp: Language, text: str) -> dict[str, float]:
    """Figures the sentence states (path -> value); statements and same-as left out."""
    return {
        m.key.removeprefix("prose:"): m.value
        for m in mentions(nlp(text))
        if m.key.startswith("prose:") and m.kind == "stated"
    }


def kinds(nlp: Language, text: str) -> dict[str, tuple[str, float, str | None]]:
    return {
        m.key.removeprefix("prose:"): (m.kind, m.value, m.same_as)
        for m in mentions(nlp(text))
        if m.key.startswith("prose:")
    }


def group_cells(group: str) -> set[str]:
    return {f"{group}.{k}" for k in ("upheld", "corrected", "other", "pending", "total")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "本年度新收政府信息公开申请86件、上年结转4件、予以公开30件。",
            {NEW: 86, "applications.carried_over.total": 4, "applications.disclosed.total": 30},
        ),
        (
            "全年共受理政府信息公开申请41件，办结38件，结转3件。",
            {NEW: 41, "applications.total.total": 38, "applications.carried_forward.total": 3},
        ),
        (
            "共收到6份政府信息公开申请，答复6份。",
            {NEW: 6, "applications.total.total": 6},
        ),
        ("接收到申请书17份。", {NEW: 17}),
        ("共收到依申请公开件9件。", {NEW: 9}),
        ("收到信息公开申请12起，答复12起。", {NEW: 12, "applications.total.total": 12}),
        (
            "收到申请73件，结转上年度申请5件，共办理完成70件，结转下年度继续办理8件。",
            {
                NEW: 73,
                "applications.carried_over.total": 5,
                "applications.total.total": 70,
                "applications.carried_forward.total": 8,
            },
        ),
        (
            "答复申请51件（含上年度转结申请2件，另有3件申请转结下年度）。",
            {
                "applications.total.total": 51,
                "applications.carried_over.total": 2,
                "applications.carried_forward.total": 3,
            },
        ),
        ("1件结转2024年度继续办理。", {"applications.carried_forward.total": 1}),
        ("结转上年申请数量为0。", {"applications.carried_over.total": 0}),
        # all of them answered: the figure stands before its trigger
        ("11件申请均在法定期限内予以答复。", {"applications.total.total": 11}),
        ("收到政府信息公开申请9件均已按时答复。", {NEW: 9, "applications.total.total": 9}),
        (
            "其中自然人申请37件，法人或其他组织申请4件。",
            {"applications.new.natural_person": 37},
        ),
        ("申请人为自然人的3件。", {"applications.new.natural_person": 3}),
        (
            "予以公开5件，部分公开2件，因本机关不掌握相关政府信息无法提供4件。",
            {
                "applications.disclosed.total": 5,
                "applications.partially_disclosed.total": 2,
                "applications.cannot_provide.not_held.total": 4,
            },
        ),
        ("属于四类过程性信息2件。", {"applications.not_disclosed.process_info.total": 2}),
        ("其中2件属于本机关不掌握的信息。", {"applications.cannot_provide.not_held.total": 2}),
        # all of those counted are one case: both paths share the figure
        (
            "已办理的3件均属于本机关不掌握相关政府信息。",
            {"applications.total.total": 3, "applications.cannot_provide.not_held.total": 3},
        ),
        # the part of a combined count that is applications
        ("收到群众来信、依申请公开等20件，其中依申请公开5件。", {NEW: 5}),
        ("其中公开3起，告知其他途径2起。", {"applications.disclosed.total": 3}),
        (
            "因政府信息公开被申请行政复议3件，其中维持2件、尚未审结1件。",
            {f"{REVIEW}.total": 3, f"{REVIEW}.upheld": 2, f"{REVIEW}.pending": 1},
        ),
        (
            "发生行政复议4件，其中3件维持，1件尚未审结。",
            {f"{REVIEW}.total": 4, f"{REVIEW}.upheld": 3, f"{REVIEW}.pending": 1},
        ),
        ("行政复议2件，其中行政复议纠错0件。", {f"{REVIEW}.total": 2, f"{REVIEW}.corrected": 0}),
        # the convention: one figure for both the group and its result
        ("行政复议1起尚未审结。", {f"{REVIEW}.total": 1, f"{REVIEW}.pending": 1}),
        ("发生1起有关政府信息公开的行政复议案件。", {f"{REVIEW}.total": 1}),
        # 行政诉讼 as a whole names two groups: only its parts are placed
        (
            "行政诉讼5件（未经复议直接起诉4件，复议后起诉1件）。",
            {f"{DIRECT}.total": 4, f"{AFTER}.total": 1},
        ),
        (
            "办理信息公开行政复议 0 件，行政诉讼 0 件。",
            {
                f"{REVIEW}.total": 0,
                f"{DIRECT}.total": 0,
                f"{AFTER}.total": 0,
            },
        ),
        # Chinese numerals
        ("收到政府信息公开申请二十三件。", {NEW: 23}),
    ],
)
def test_stated_figures(nlp: Language, text: str, expected: dict[str, float]) -> None:
    assert figures(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # channel splits are not applicant splits, nor the total
        ("其中网上申请20件、当面申请3件、信函申请2件。", {}),
        ("收到网上申请20件。", {}),
        # comparisons and percentages
        ("收到申请45件，同比增加12件。", {NEW: 45}),
        ("自然人申请40件，占比88.9%。", {"applications.new.natural_person": 40}),
        # other things counted
        ("受理信访事项3件，办理人大代表建议8件。", {}),
        ("主动公开信息300条，其中公开文件50件。", {}),
        ("累计主动公开政府信息46条，其中主动公开公文14条，依申请公开0条。", {}),
        ("网上答复群众诉求150余件。", {}),
        ("收到有关政府信息公开的行政复议申请2件。", {f"{REVIEW}.total": 2}),
        # combined figures are not split
        ("予以公开及部分公开的30件。", {}),
        ("收到群众来信、依申请公开等26件。", {}),
        ("因本机关不掌握等原因无法提供的12件。", {}),
        ("自然人、法人或其他组织共申请9件。", {}),
        ("发生行政诉讼2件，均尚未审结。", {}),
        # a part answered is not all of them
        ("其中5件已答复申请人。", {}),
        # carried over, not forward
        ("含上年结转3件。", {"applications.carried_over.total": 3}),
        # a denied result reads nothing
        ("行政复议1件，复议机关未纠正。", {f"{REVIEW}.total": 1}),
    ],
)
def test_must_not_trigger(nlp: Language, text: str, expected: dict[str, float]) -> None:
    assert figures(nlp, text) == expected


def test_no_application_received_is_a_zero_statement(nlp: Language) -> None:
    for text in (
        "本年度未收到政府信息公开申请。",
        "我局未接到任何形式的信息公开申请。",
        "2022年度我乡无依法申请公开件。",
        "本年度未收到个人、法人或者其他组织向本机关申请公开政府信息。",
    ):
        assert kinds(nlp, text) == {NEW: ("zero_statement", 0, None)}, text


def test_no_review_or_litigation_fills_all_fifteen_cells(nlp: Language) -> None:
    got = kinds(nlp, "未发生因政府信息公开引起的行政复议、行政诉讼情况。")
    assert set(got) == group_cells(REVIEW) | group_cells(DIRECT) | group_cells(AFTER)
    assert {v for v in got.values()} == {("zero_statement", 0, None)}
    # ... and 引起 … 申请 in it is no statement about applications
    assert NEW not in got


def test_no_litigation_alone_fills_its_ten_cells(nlp: Language) -> None:
    got = kinds(nlp, "本年度没有因政府信息公开导致行政诉讼的情况。")
    assert set(got) == group_cells(DIRECT) | group_cells(AFTER)


def test_unreviewed_direct_suit_is_not_a_denied_review(nlp: Language) -> None:
    assert kinds(nlp, "未经复议直接起诉2件。") == {f"{DIRECT}.total": ("stated", 2, None)}


def test_statements_about_carrying_over(nlp: Language) -> None:
    assert kinds(nlp, "无下年度结转。") == {
        "applications.carried_forward.total": ("zero_statement", 0, None)
    }
    assert kinds(nlp, "年底无结转下年度办理的申请。") == {
        "applications.carried_forward.total": ("zero_statement", 0, None)
    }


def test_a_missing_applicant_is_no_zero_statement(nlp: Language) -> None:
    assert kinds(nlp, "1件由于疫情原因未收到申请人补正材料。") == {}


def test_all_natural_persons(nlp: Language) -> None:
    got = kinds(nlp, "全年收到政府信息公开申请6件，申请人均为自然人。")
    assert got[NEW] == ("stated", 6, None)
    assert got["applications.new.natural_person"] == ("same_as", 0, NEW)
    for col in ("commercial", "research", "social_welfare", "legal_services", "other_org"):
        assert got[f"applications.new.{col}"] == ("zero_statement", 0, None)


def test_a_result_without_a_figure_is_the_whole_group(nlp: Language) -> None:
    got = kinds(nlp, "被申请行政复议1件，截至本报告发布时尚未审结。")
    assert got[f"{REVIEW}.total"] == ("stated", 1, None)
    assert got[f"{REVIEW}.pending"] == ("same_as", 0, f"{REVIEW}.total")
    got = kinds(nlp, "收到行政复议申请1件，经复议维持原行政行为。")
    assert got[f"{REVIEW}.upheld"] == ("same_as", 0, f"{REVIEW}.total")


def test_fees_not_charged(nlp: Language) -> None:
    def fee(text: str) -> list[float]:
        return [m.value for m in mentions(nlp(text)) if m.key == "info_processing_fees_yuan"]

    assert fee("未收取费用。") == [0]
    assert fee("未向申请人收费。") == [0]
    assert fee("本年度未向公开权利人收取依申请公开的任何费用。") == [0]
    assert fee("本年度未收取行政事业性收费。") == []


def test_traditional_script_key_keeps_offsets() -> None:
    simplify = Simplifier()
    text = "新收政府信息公開申請140件，行政複議2件。"
    key = simplify(text)
    assert key == "新收政府信息公开申请140件，行政复议2件。"
    assert len(key) == len(text)
    assert simplify("本年度新收申请12件。") == "本年度新收申请12件。"


def test_items_yaml_names_only_record_paths() -> None:
    from nianbao.nlp.components import _validate
    from nianbao.template import load_template
    from nianbao.template.loader import ProseFigureSpec

    template = load_template()
    paths = set(template.table_field_paths())
    _validate(template.items, paths)  # the shipped file
    typo = ProseFigureSpec(target="applications.nwe.total", triggers=["新收"], units=["件"])
    spec = template.items.model_copy(
        update={"prose_figures": [*template.items.prose_figures, typo]}
    )
    with pytest.raises(ValueError, match=r"applications\.nwe\.total"):
        _validate(spec, paths)
