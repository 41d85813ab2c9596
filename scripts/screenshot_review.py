"""Screenshots of the review page's field view, from the real app on real extractions:

    docs/review-field.png      the seed (text input): 复议后起诉 总计, its failing 勾稽 check
    docs/review-field-pdf.png  a text-layer PDF from sample_scans/pdf: page crop beside the value

    .venv/bin/python scripts/screenshot_review.py [--out docs]

Runs the pipeline on both into a temporary SQLite database, serves the page on a free loopback
port and photographs it with Debian's chromium (headless, through Playwright).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nianbao.db import Store  # noqa: E402
from nianbao.hashing import sha256_file  # noqa: E402
from nianbao.review.app import ReviewConfig, create_app  # noqa: E402
from nianbao.review.background import serving  # noqa: E402
from nianbao.runner import Pipeline  # noqa: E402
from nianbao.settings import load_settings  # noqa: E402

SEED = ROOT / "sample_scans" / "text" / "liaocheng-market-2021.txt"
PDF = ROOT / "sample_scans" / "pdf" / "lanjiang-city-2024.pdf"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    settings = load_settings()
    pipeline = Pipeline(settings)
    with tempfile.TemporaryDirectory() as tmp, Store(str(Path(tmp) / "review.db")) as store:
        ids = {}
        for path in (SEED, PDF):
            record = pipeline.run(path)
            ids[path] = store.save_record(
                record, sha256_file(path), settings.digest(), label=str(path.relative_to(ROOT))
            )
        pdf_field = next(f for f in store.fields_needing_review(ids[PDF]) if f.evidence_bbox)
        shots = {
            "review-field.png": f"/field/{ids[SEED]}/review_litigation."
            "litigation_after_review.total?reason=failed_check",
            "review-field-pdf.png": f"/field/{ids[PDF]}/{pdf_field.path}",
        }
        app = create_app(store, settings, ReviewConfig("reviewer", None, ("127.0.0.1",)))
        import os

        from playwright.sync_api import sync_playwright

        os.chdir(ROOT)  # labels are relative to the repository, as a batch run there stores them
        with serving(app) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 860})
            for name, url in shots.items():
                page.goto(base + url)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(args.out / name), full_page=False)
                print(args.out / name)
            browser.close()


if __name__ == "__main__":
    main()
