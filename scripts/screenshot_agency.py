"""Screenshots of the review page's archive views (issue #16), from the real app:

    docs/review-agency.png      an agency with 7 years of reports: figures, plots, the failing year
    docs/review-cross-year.png  the misread carried-over cell beside the previous year's 结转

    .venv/bin/python scripts/screenshot_agency.py [--out docs]

Writes the 7 text reports of tests/review/series.py (the last year's natural-person 上年结转
printed wrong) to a temporary folder, runs the pipeline and the archive checks into a temporary
SQLite database, serves the page on a free loopback port and photographs it with Debian's
chromium (headless, through Playwright).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nianbao import archive  # noqa: E402
from nianbao.db import Store  # noqa: E402
from nianbao.review.app import ReviewConfig, create_app  # noqa: E402
from nianbao.review.background import serving  # noqa: E402
from nianbao.runner import Pipeline  # noqa: E402
from nianbao.settings import load_settings  # noqa: E402

from scripts.screenshot_review import CHROMIUM_ARGS  # noqa: E402
from tests.review.series import broken_series, store_series  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    settings = load_settings()
    pipeline = Pipeline(settings)
    with tempfile.TemporaryDirectory() as tmp, Store(str(Path(tmp) / "review.db")) as store:
        os.chdir(tmp)  # short labels (reports/report-2019.txt), found again from here
        ids = store_series(pipeline, store, Path("reports"), broken_series(2019, 7))
        with store.session() as session, session.begin():
            archive.run(session)
        agency = store.document(ids[0]).agency_id
        shots = {
            "review-agency.png": (f"/agency/{agency}", None),
            "review-cross-year.png": (
                f"/field/{ids[-1]}/applications.carried_over.natural_person",
                "#cross-year",
            ),
        }
        app = create_app(store, settings, ReviewConfig("reviewer", None, ("127.0.0.1",)))
        from playwright.sync_api import sync_playwright

        with serving(app) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            for name, (url, part) in shots.items():
                page.goto(base + url)
                page.wait_for_load_state("networkidle")
                target = args.out / name
                if part is None:
                    page.screenshot(path=str(target), full_page=False)
                else:
                    page.locator(part).screenshot(path=str(target))
                print(target)
            browser.close()


if __name__ == "__main__":
    main()
