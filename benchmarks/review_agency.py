"""The agency view's latencies (issue #16): what a reviewer waits for on an agency with 7 years
of reports, through the real app (FastAPI TestClient, in process; no network).

    .venv/bin/python benchmarks/review_agency.py [--repeat 20] [--agencies 40]

One agency of 7 consecutive text reports (tests/review/series.py, the last year's carried-over
cell printed wrong) among `--agencies` other 7-year agencies, grouped and checked by the archive
engine (`archive.run`). Times the agency page, the failing field's page (with the other year's
value and evidence beside it; against a field in no cross-year check, interleaved), the
agencies list, and a decision on a field in a cross-year check (save + in-report and archive
checks re-run + redirect; the field page's cost is mostly the queue it computes for next/prev).
Writes benchmarks/results/review-agency.json.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402
from nianbao import archive  # noqa: E402
from nianbao.db import Store  # noqa: E402
from nianbao.db.models import ArchiveCheck, Document  # noqa: E402
from nianbao.hashing import sha256_file  # noqa: E402
from nianbao.review.app import ReviewConfig, create_app  # noqa: E402
from nianbao.runner import Pipeline  # noqa: E402
from nianbao.settings import load_settings  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from tests.review.series import AGENCY, broken_series, series, write_series  # noqa: E402

RESULT = ROOT / "benchmarks" / "results" / "review-agency.json"
FIRST, YEARS = 2019, 7


def timed(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def summary(ms: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(ms), 1), "max_ms": round(max(ms), 1), "n": len(ms)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--agencies", type=int, default=40, help="other 7-year agencies stored")
    args = parser.parse_args()
    settings = load_settings()
    pipeline = Pipeline(settings)
    digest = settings.digest()
    with tempfile.TemporaryDirectory() as tmp, Store(str(Path(tmp) / "b.db")) as store:
        folder = Path(tmp)
        groups = [(AGENCY, broken_series(FIRST, YEARS))]
        for k in range(args.agencies):
            groups.append((f"青禾市第{k + 1}区交通运输局", series(FIRST, YEARS, start_carry=k % 5)))
        t0 = time.perf_counter()
        ids: list[int] = []
        for g, (name, years) in enumerate(groups):
            for path in write_series(folder / f"a{g}", name, years):
                doc = store.save_record(
                    pipeline.run(path), sha256_file(path), digest, label=str(path)
                )
                if g == 0:
                    ids.append(doc)
        stored_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        with store.session() as session, session.begin():
            archive.run(session)
        archive_s = time.perf_counter() - t0
        with store.session() as session:
            agency = session.scalar(select(Document.agency_id).where(Document.id == ids[0]))
            documents = session.scalar(select(func.count()).select_from(Document))
            culprit = session.execute(
                select(ArchiveCheck.culprit_document_id, ArchiveCheck.culprit_field).where(
                    ArchiveCheck.agency_id == agency, ArchiveCheck.outcome == "fail"
                )
            ).first()
        assert agency is not None and culprit is not None, "the archive found no failing check"
        app = create_app(store, settings, ReviewConfig("bench", None, ("127.0.0.1",)))
        client = TestClient(app, base_url="http://127.0.0.1")
        field_url = f"/field/{culprit[0]}/{culprit[1]}"
        assert "cross_year_conflict" in client.get(field_url).text
        out: dict[str, object] = {
            "documents": documents,
            "agency_years": YEARS,
            "store_and_extract_s": round(stored_s, 1),
            "archive_run_s": round(archive_s, 2),
            "agency_page": summary(timed(lambda: client.get(f"/agency/{agency}"), args.repeat)),
            "agencies_page": summary(timed(lambda: client.get("/agencies"), args.repeat)),
        }
        # the failing field's page against a field of the same document in no cross-year
        # check, interleaved so the machine's load hits both alike
        plain_url = f"/field/{culprit[0]}/applications.new.natural_person"
        assert 'id="cross-year"' not in client.get(plain_url).text
        with_x: list[float] = []
        without: list[float] = []
        for _ in range(args.repeat):
            with_x += timed(lambda: client.get(field_url), 1)
            without += timed(lambda: client.get(plain_url), 1)
        out["field_page_cross_year"] = summary(with_x)
        out["field_page_no_cross_year"] = summary(without)
        # decisions on fields in cross-year checks: the carried-over total of each year
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', client.get(field_url).text)
        assert csrf
        decisions = []
        for doc in ids[1:]:
            url = f"/field/{doc}/applications.carried_over.total"
            t0 = time.perf_counter()
            response = client.post(
                url, data={"csrf": csrf.group(1), "action": "accept"}, follow_redirects=False
            )
            decisions.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 303, response.text
        out["decision_with_archive_recheck"] = summary(decisions)

        # the archive's part of a decision: its checks of one year re-run (rolled back)
        def recheck() -> None:
            with store.session() as session:
                archive.recheck_document(session, ids[3])
                session.rollback()

        out["archive_recheck_document"] = summary(timed(recheck, args.repeat))
    for key, value in out.items():
        print(f"{key:<30} {value}")
    RESULT.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
