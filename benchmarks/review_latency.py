"""Review page latencies (issue #7): what a reviewer waits for per key press, on the seed and a
text-layer PDF, through the real app (FastAPI TestClient, in process; no network).

    .venv/bin/python benchmarks/review_latency.py [--repeat 20]

Reports the median and worst milliseconds of: the queue page, the field view, a decision
(save + checks re-run + redirect), the evidence crop (first render of a page, then from the
page cache) and the whole page image.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402
from nianbao.db import Store  # noqa: E402
from nianbao.hashing import sha256_file  # noqa: E402
from nianbao.review.app import ReviewConfig, create_app  # noqa: E402
from nianbao.runner import Pipeline  # noqa: E402
from nianbao.settings import load_settings  # noqa: E402

SEED = ROOT / "sample_scans" / "text" / "liaocheng-market-2021.txt"
PDF = ROOT / "sample_scans" / "pdf" / "qingshan-city-housing-2021.pdf"


def timed(fn, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def line(name: str, ms: list[float]) -> None:
    print(
        f"{name:<34} median {statistics.median(ms):7.1f} ms   worst {max(ms):7.1f} ms   n={len(ms)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    n = parser.parse_args().repeat
    settings = load_settings()
    pipeline = Pipeline(settings)
    with tempfile.TemporaryDirectory() as tmp, Store(str(Path(tmp) / "b.db")) as store:
        ids = {
            p: store.save_record(pipeline.run(p), sha256_file(p), settings.digest(), label=str(p))
            for p in (SEED, PDF)
        }
        app = create_app(store, settings, ReviewConfig("bench", None, ("127.0.0.1",)))
        client = TestClient(app, base_url="http://127.0.0.1")
        flagged = store.fields_needing_review(ids[PDF])
        print(f"queue: {len(store.fields_needing_review())} fields to review in 2 documents")
        line("queue page", timed(lambda: client.get("/").raise_for_status(), n))
        field = flagged[0]
        url = f"/field/{ids[PDF]}/{field.path}"
        line("field view (PDF)", timed(lambda: client.get(url).raise_for_status(), n))

        crop = f"/evidence/{ids[PDF]}/crop?field={field.path}"
        line("crop, first render of the page", timed(lambda: client.get(crop), 1))
        line("crop, page cached", timed(lambda: client.get(crop).raise_for_status(), n))
        page = f"/evidence/{ids[PDF]}/page/{field.evidence_page}?field={field.path}"
        line("whole page image", timed(lambda: client.get(page).raise_for_status(), n))

        decisions = iter(flagged[1 : 1 + n])

        def decide() -> None:
            f = next(decisions)
            form = client.get(f"/field/{ids[PDF]}/{f.path}").text
            token = re.search(r'name="csrf" value="([0-9a-f]+)"', form)
            assert token is not None
            t0 = time.perf_counter()
            r = client.post(
                f"/field/{ids[PDF]}/{f.path}",
                data={"csrf": token.group(1), "action": "accept"},
                follow_redirects=False,
            )
            assert r.status_code == 303, r.text
            spent.append((time.perf_counter() - t0) * 1000)

        spent: list[float] = []
        for _ in range(min(n, len(flagged) - 1)):
            decide()
        line("decision (save + re-check)", spent)


if __name__ == "__main__":
    main()
