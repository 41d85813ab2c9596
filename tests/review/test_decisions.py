from __future__ import annotations

import json

import pytest
from nianbao.db import Store
from nianbao.export import export
from nianbao.review.decisions import DecisionError, decide, parse_value
from nianbao.settings import Settings
from nianbao.stages.checks import Checks
from nianbao.template import Template

from tests.review.conftest import AFTER_REVIEW, seed_id

RULE = "t4_group_total[litigation_after_review]"


@pytest.fixture
def checks(template: Template, settings: Settings) -> Checks:
    return Checks(Checks.options_from(settings), template)


def _check(store: Store, doc: int, rule: str) -> bool | None:
    return next(c.passed for c in store.checks(doc) if c.rule == rule)


def test_parse_value_reads_counts_strictly_and_text_freely() -> None:
    assert parse_value("applications.new.total", 0, " １８ ") == 18
    assert parse_value("applications.new.total", 0, "十九") == 19
    assert parse_value("active_disclosure.admin_fees_10k_yuan", 1.5, "2.25") == 2.25
    assert parse_value("meta.year", 2021, "2022") == 2022
    assert parse_value("meta.agency", "聊城市", "聊城市市场监督管理局") == "聊城市市场监督管理局"
    with pytest.raises(DecisionError, match="not a number"):
        parse_value("review_litigation.review.total", 0, "七件左右")
    with pytest.raises(DecisionError, match="type the correct value"):
        parse_value("review_litigation.review.total", 0, "  ")


def test_a_correction_that_satisfies_the_relation_clears_the_failed_check(
    store: Store, checks: Checks, tmp_path
) -> None:
    doc = seed_id(store)
    assert _check(store, doc, RULE) is False
    outcome = decide(store, checks, doc, f"{AFTER_REVIEW}.total", "correct", "li", "1")
    assert outcome.review.previous_value == 0 and outcome.review.new_value == 1
    assert next(c for c in outcome.checks if c.rule == RULE).passed is True
    assert _check(store, doc, RULE) is True  # stored, not only returned
    # the other checks are all still there, in the record's order
    assert [c.rule for c in store.checks(doc)] == [c.rule for c in store.record(doc).checks]

    out = tmp_path / "records.jsonl"
    export(store, out, "jsonl")
    record = next(json.loads(line) for line in out.read_text().splitlines() if "liaocheng" in line)
    total = record["review_litigation"]["litigation_after_review"]["total"]
    assert total["value"] == 1 and total["semantic"] == "number"
    assert total["review"]["reviewed_by"] == "li" and total["review"]["previous_value"] == 0
    assert next(c for c in record["checks"] if c["rule"] == RULE)["passed"] is True


def test_a_correction_that_breaks_a_relation_fails_it_and_says_the_source_disagrees(
    store: Store, checks: Checks
) -> None:
    doc = seed_id(store)
    rule = "t4_group_total[litigation_direct]"
    assert _check(store, doc, rule) is True
    decide(store, checks, doc, "review_litigation.litigation_direct.pending", "correct", "li", "2")
    assert _check(store, doc, rule) is False
    # the corrected cell counts as read cleanly; the others of the group are still uncertain
    detail = next(c.detail for c in store.checks(doc) if c.rule == rule)
    assert detail.startswith("0 vs 2")


def test_unreadable_makes_the_relation_not_assessable(store: Store, checks: Checks) -> None:
    doc = seed_id(store)
    decide(store, checks, doc, f"{AFTER_REVIEW}.pending", "unreadable", "li")
    assert _check(store, doc, RULE) is None
    field = store.record(doc).get(f"{AFTER_REVIEW}.pending")
    assert field.value is None and field.semantic == "missing"


def test_bad_input_saves_nothing(store: Store, checks: Checks) -> None:
    doc = seed_id(store)
    with pytest.raises(DecisionError, match="not a number"):
        decide(store, checks, doc, f"{AFTER_REVIEW}.total", "correct", "li", "x")
    with pytest.raises(DecisionError, match="no field"):
        decide(store, checks, doc, "review_litigation.nope", "accept", "li")
    with pytest.raises(DecisionError, match="unknown review action"):
        decide(store, checks, doc, f"{AFTER_REVIEW}.total", "delete", "li")
    assert store.reviews(doc) == []
    assert _check(store, doc, RULE) is False
