"""The review page in a real browser (Debian's chromium, headless, via Playwright): open the
queue, correct the seed's 复议后起诉 总计 with the keyboard, see the failed check clear, then
finish the row with `a` presses; the database and an export must show every decision."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from nianbao.db import Store
from nianbao.export import export
from nianbao.review.app import ReviewConfig, create_app
from nianbao.review.background import serving
from nianbao.settings import Settings

from tests.review.conftest import AFTER_REVIEW, LOOPBACK, seed_id

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
RULE = "t4_group_total[litigation_after_review]"


@pytest.fixture
def browser_page() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail("chromium is missing: bash scripts/system-deps.sh installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": 1400, "height": 900})
        finally:
            browser.close()


def test_review_the_seed_row_with_the_keyboard(
    browser_page, store: Store, settings: Settings, tmp_path: Path
) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    doc = seed_id(store)
    flagged_before = store.document(doc).fields_to_review
    app = create_app(store, settings, ReviewConfig("reviewer-1", None, LOOPBACK))
    with serving(app) as base:
        # the queue, narrowed to the seed's failed checks; total is the fifth of five
        page.goto(f"{base}/?reason=failed_check&document={doc}")
        rows = page.locator("#queue tr[data-url]")
        expect(rows).to_have_count(5)
        for _ in range(4):
            page.keyboard.press("j")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.locator("h2")).to_have_text("四 · 复议后起诉 · 总计")
        expect(page.locator(f'[data-check="{RULE}"]')).to_have_text("fails")

        # c, type the value, Enter: saved, the page moves on and says the check now passes
        page.keyboard.press("c")
        page.keyboard.press("Control+A")
        page.keyboard.type("1")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.locator("#saved")).to_contain_text("corrected")
        expect(page.locator("#saved [data-check-state]")).to_have_text("passes")

        # back to the corrected field: its check is shown passing, as extracted it failed
        page.goto(f"{base}/field/{doc}/{AFTER_REVIEW}.total")
        expect(page.locator(f'[data-check="{RULE}"]')).to_have_text("passes")
        expect(page.locator("#current")).to_have_text("1")

        # the rest of the row (14 fields, all still flagged): accept each with `a`
        page.goto(f"{base}/?document={doc}&table=review_litigation")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        for _ in range(14):
            with page.expect_navigation():
                page.keyboard.press("a")
        expect(page.locator("#saved")).to_contain_text("accepted")

    # the database: every decision with who and the previous value; nothing left to review
    reviews = store.reviews(doc)
    assert len(reviews) == 15
    corrected = [r for r in reviews if r.action == "correct"]
    assert [(r.field_path, r.previous_value, r.new_value) for r in corrected] == [
        (f"{AFTER_REVIEW}.total", 0, 1)
    ]
    assert {r.reviewer for r in reviews} == {"reviewer-1"}
    # nothing of table 四 is left to review; what is left is outside it (table 二 values and
    # items the calibration doubts), and no decision touched those
    left = store.fields_needing_review(doc)
    assert store.document(doc).fields_to_review == len(left) == flagged_before - 15
    assert not [f.path for f in left if f.path.startswith("review_litigation.")]
    assert next(c for c in store.checks(doc) if c.rule == RULE).passed is True

    # an export carries the reviewed value with review.reviewed_by
    out = tmp_path / "records.jsonl"
    export(store, out, "jsonl")
    record = next(json.loads(x) for x in out.read_text().splitlines() if "liaocheng" in x)
    total = record["review_litigation"]["litigation_after_review"]["total"]
    assert total["value"] == 1 and total["review"]["reviewed_by"] == "reviewer-1"
    assert sorted(record["review"]["fields"]) == sorted(f.path for f in left)
    assert not [c for c in record["checks"] if c["passed"] is False]


def test_the_whole_page_opens_on_p(browser_page, store: Store, settings: Settings) -> None:
    from playwright.sync_api import Page, expect

    from tests.review.conftest import pdf_id

    page: Page = browser_page  # type: ignore[assignment]
    doc = pdf_id(store)
    field = next(f for f in store.fields_needing_review(doc) if f.evidence_bbox)
    app = create_app(store, settings, ReviewConfig("reviewer-1", None, LOOPBACK))
    with serving(app) as base:
        page.goto(f"{base}/field/{doc}/{field.path}")
        crop = page.locator("#crop")
        expect(crop).to_be_visible()
        assert page.evaluate("document.getElementById('crop').naturalWidth") > 0
        expect(page.locator("#whole")).to_be_hidden()
        page.keyboard.press("p")
        expect(page.locator("#whole img")).to_be_visible()
        page.wait_for_function("document.querySelector('#whole img').naturalWidth > 0")
