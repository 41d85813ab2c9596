"""An agency's series in a real browser (Debian's chromium via Playwright, as test_browser.py):
three years of one agency, the last year's natural-person 上年结转 printed wrong. From the queue
to the agency view (the failing year marked in the table and the plot), on to the failing
field, where the other year's 结转下年度 stands beside it; the reviewer types the carried-over
value, and the cross-year check passes again (the decision re-runs the archive checks)."""

from __future__ import annotations

from pathlib import Path

import pytest
from nianbao import archive
from nianbao.db import Store
from nianbao.db.models import Document
from nianbao.review.app import ReviewConfig, create_app
from nianbao.review.background import serving
from nianbao.runner import Pipeline
from nianbao.settings import Settings

from tests.review.conftest import LOOPBACK
from tests.review.series import broken_series, store_series
from tests.review.test_browser import browser_page  # noqa: F401  (the fixture)

pytestmark = pytest.mark.slow

CARRIED = "applications.carried_over.natural_person"
CHECK = "carry_over[natural_person]"


def test_walk_an_agency_series_and_correct_the_carried_over_value(
    browser_page,  # noqa: F811
    pipeline: Pipeline,
    settings: Settings,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    years = broken_series(2021, 3)
    wrong = years[-1].misprint[f"carried_over.{CARRIED.rsplit('.', 1)[1]}"]
    right = years[-2].carried_forward[0]  # what 2022 carried forward, and 2023 should print
    with Store(str(tmp_path / "archive.db")) as store:
        ids = store_series(pipeline, store, tmp_path / "reports", years)
        with store.session() as session, session.begin():
            archive.run(session)
        with store.session() as session:
            agency = session.get(Document, ids[0]).agency_id  # type: ignore[union-attr]
        assert agency is not None

        app = create_app(store, settings, ReviewConfig("reviewer-1", None, LOOPBACK))
        with serving(app) as base:
            # the queue's document table links to the agency; the series by year
            page.goto(f"{base}/")
            with page.expect_navigation():
                page.locator("a.agency").first.click()
            expect(page.locator("#figures tr[data-year]")).to_have_count(3)
            expect(page.locator("#figures tr.failing")).to_have_attribute("data-year", "2023")
            expect(page.locator('svg.series rect.failing[data-year="2023"]')).to_have_count(3)
            expect(page.locator('svg.series rect.failing[data-year="2022"]')).to_have_count(0)

            # the failing check names the culprit field: open it
            with page.expect_navigation():
                page.locator('#archive-checks tr[data-rule="carry_over"] a.culprit').click()
            assert page.url.endswith(f"/field/{ids[2]}/{CARRIED}")
            check = page.locator(f'[data-xcheck="{CHECK}"]')
            expect(check.locator("[data-outcome]")).to_have_text("fails")
            expect(check.locator("[data-reason]")).to_have_text("cross_year_conflict")
            expect(check.locator("[data-mine-value]")).to_have_text(str(wrong))
            expect(check.locator("[data-other-value]")).to_have_text(str(right))
            expect(check.locator(".side.other tr.hit")).to_contain_text("四、结转下年度继续办理")

            # c, the value 2022 carried forward, Enter: saved, and the checks run again
            page.keyboard.press("c")
            page.keyboard.press("Control+A")
            page.keyboard.type(str(right))
            with page.expect_navigation():
                page.keyboard.press("Enter")
            expect(page.locator("#saved")).to_contain_text("corrected")

            page.goto(f"{base}/field/{ids[2]}/{CARRIED}")
            expect(page.locator("#current")).to_have_text(str(right))
            check = page.locator(f'[data-xcheck="{CHECK}"]')
            expect(check.locator("[data-outcome]")).to_have_text("passes")
            expect(check.locator("[data-stale]")).to_have_count(0)
            expect(page.locator('[data-check="t3_row_total[carried_over]"]')).to_have_text("passes")

            # back to the agency: no year marked, every cross-report check passes
            with page.expect_navigation():
                page.locator("#agency-link").click()
            expect(page.locator("#figures tr.failing")).to_have_count(0)
            expect(page.locator("svg.series rect.failing")).to_have_count(0)
            expect(page.locator("#all-pass")).to_be_visible()

        # the database: the decision, and the archive's verdict on the field
        reviews = store.reviews(ids[2])
        assert [(r.field_path, r.previous_value, r.new_value) for r in reviews] == [
            (CARRIED, wrong, right)
        ]
        with store.session() as session:
            checks = archive.checks_for_field(session, ids[2], CARRIED)
        assert [c.outcome for c in checks] == ["pass"]
