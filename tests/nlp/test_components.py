from __future__ import annotations

import pytest
from nianbao.nlp import build_nlp, mentions
from spacy.language import Language


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp("jieba")


def found(nlp: Language, text: str) -> list[tuple[str, float, bool]]:
    return [
        (m.key, m.value, m.approximate)
        for m in mentions(nlp(text))
        if not m.key.startswith("prose:")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "开展了政务公开培训1次，派员参加省局培训4人次。",
            [("training_sessions", 1, False), ("training_attendees", 4, False)],
        ),
        (
            "举办集中培训两次、专题培训一次，总计培训300余人次。",
            [
                ("training_sessions", 2, False),
                ("training_sessions", 1, False),
                ("training_attendees", 300, True),
            ],
        ),
        (
            "承办人大代表建议十九件、政协提案十二件。",
            [("npc_suggestions_handled", 19, False), ("cppcc_proposals_handled", 12, False)],
        ),
        (
            "7件人大代表建议和19件政协委员提案全部办结。",
            [("npc_suggestions_handled", 7, False), ("cppcc_proposals_handled", 19, False)],
        ),
        ("收取信息处理费380元。", [("info_processing_fees_yuan", 380, False)]),
        ("本年度未收取政府信息公开信息处理费。", [("info_processing_fees_yuan", 0, False)]),
        ("主动公开政府信息三千余条。", [("proactive_items_published", 3000, True)]),
        ("参训人员约50人次。", [("training_attendees", 50, True)]),
        # long Chinese numerals jieba cuts in pieces ("一" "千余条", "四百" "二十" "人次")
        (
            "全年主动公开政府信息一千余条，涵盖机构职能。",
            [("proactive_items_published", 1000, True)],
        ),
        ("全年主动公开政府信息两万一千余条。", [("proactive_items_published", 21000, True)]),
        ("累计培训四百二十人次。", [("training_attendees", 420, False)]),
        ("办理市政协委员提案一百一十八件。", [("cppcc_proposals_handled", 118, False)]),
        ("办理区政协委员提案十一件。", [("cppcc_proposals_handled", 11, False)]),
        (
            "在政府网站平台主动发布各类政府信息10719条。",
            [("proactive_items_published", 10719, False)],
        ),
        (
            "共有3件申请按规定收取信息处理费，合计480元。",
            [("info_processing_fees_yuan", 480, False)],
        ),
    ],
)
def test_item_phrasings(nlp: Language, text: str, expected: list) -> None:
    assert found(nlp, text) == expected


def test_attending_is_not_holding_a_training(nlp: Language) -> None:
    assert found(nlp, "派员参加上级培训2次。") == []


def test_a_combined_figure_is_given_to_neither_item(nlp: Language) -> None:
    assert found(nlp, "收到人大代表建议和政协提案共15件。") == []


def test_figure_must_be_in_the_same_clause(nlp: Language) -> None:
    assert found(nlp, "加强政务公开培训，全年办理事项120件。") == []


def test_prose_figures_are_found(nlp: Language) -> None:
    ms = mentions(nlp("本年度新收政府信息公开申请112件、上年结转9件。"))
    assert {(m.key, m.value) for m in ms} == {
        ("prose:applications.new.total", 112),
        ("prose:applications.carried_over.total", 9),
    }


def test_an_approximation_before_the_figure_stays_in_raw(nlp: Language) -> None:
    (m,) = [m for m in mentions(nlp("主动公开信息约三百条。")) if not m.key.startswith("prose:")]
    assert (m.value, m.raw, m.approximate, m.chinese_numeral) == (300, "约三百条", True, True)


def test_a_comma_without_a_continuation_word_still_ends_the_clause(nlp: Language) -> None:
    assert found(nlp, "按规定收取信息处理费，另有申请3件、费用480元。") == []
