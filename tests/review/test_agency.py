"""The archive on the review page (issue #16): the agency view (reports by year, the statutory
figures as a table and an SVG plot, failing years marked), a field's cross-year checks with the
other year's value and evidence beside it, and the links from the queue and the field page.

The series is three text reports of one agency read by the real pipeline (tests/review/
series.py: consistent carry-over, the last year's natural-person 上年结转 printed wrong); the
archive rows are written by hand from the table contract so these tests check the page, not
the archive engine (test_browser.py runs the engine)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from nianbao.db import Store
from nianbao.db.models import Agency
from nianbao.review.app import ReviewConfig, create_app
from nianbao.review.plot import series_svg
from nianbao.runner import Pipeline
from nianbao.settings import Settings
from sqlalchemy import select

from tests.review.conftest import LOOPBACK, pdf_id, seed_id
from tests.review.series import AGENCY, broken_series, hand_made_archive, store_series

CARRIED = "applications.carried_over.natural_person"
FORWARD = "applications.carried_forward.natural_person"
YEARS = broken_series()


@pytest.fixture(scope="session")
def series_db_template(pipeline: Pipeline, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("agency-db")
    db = folder / "template.db"
    with Store(str(db)) as store:
        store_series(pipeline, store, folder / "reports", YEARS)
    return db


@pytest.fixture
def series_store(series_db_template: Path, tmp_path: Path) -> Iterator[Store]:
    db = tmp_path / "agency.db"
    shutil.copy(series_db_template, db)
    with Store(str(db)) as s:
        yield s


def _ids(store: Store) -> list[int]:
    return [d.id for d in sorted(store.documents(), key=lambda d: d.year or 0)]


@pytest.fixture
def archived(series_store: Store) -> tuple[Store, int, list[int]]:
    ids = _ids(series_store)
    return series_store, hand_made_archive(series_store, ids), ids


def _client(store: Store, settings: Settings) -> TestClient:
    app = create_app(store, settings, ReviewConfig("tester", None, LOOPBACK))
    return TestClient(app, base_url="http://127.0.0.1")


# ---- the agency view ----------------------------------------------------------------------------
def test_agency_view_lists_years_with_the_statutory_figures(
    archived: tuple[Store, int, list[int]], settings: Settings
) -> None:
    store, agency, ids = archived
    page = _client(store, settings).get(f"/agency/{agency}")
    assert page.status_code == 200
    assert AGENCY in page.text
    rows = re.findall(r'<tr data-year="(\d+)" data-document="(\d+)" class="(\w*)"', page.text)
    assert [(int(y), int(d)) for y, d, _ in rows] == [
        (y.year, i) for y, i in zip(YEARS, ids, strict=True)
    ]
    # the printed figures, as the series generator wrote them
    for y, d in zip(YEARS, ids, strict=True):
        row = page.text.split(f'data-document="{d}"', 1)[1].split("</tr>", 1)[0]
        cells = dict(re.findall(r'data-series="([^"]+)">(?:<a[^>]*>)?([\d—]+)', row))
        assert cells == {
            "申请数量": str(sum(y.new)),
            "行政复议": str(sum(y.review)),
            "行政诉讼": str(sum(y.direct) + sum(y.after_review)),
        }
    # the year whose carried-over cell is wrong is the one marked, in the table and the plot
    assert [int(y) for y, _, cls in rows if cls == "failing"] == [YEARS[-1].year]
    shaded = re.findall(r'<rect class="failing" data-year="(\d+)"', page.text)
    assert shaded == [str(YEARS[-1].year)] * 3  # in each series' panel
    points = re.findall(r'data-series="申请数量" data-year="(\d+)" data-value="(\d+)"', page.text)
    assert points == [(str(y.year), str(sum(y.new))) for y in YEARS]
    # each figure links to its field; the failing check names the culprit field
    assert f'href="/field/{ids[0]}/applications.new.total"' in page.text
    assert f'class="culprit" href="/field/{ids[-1]}/{CARRIED}"' in page.text
    assert "<script" not in page.text.split("<main>", 1)[1]  # no script: plot made on the server


def test_agency_view_counts_each_documents_failed_checks_and_lists_gaps(
    series_store: Store, settings: Settings
) -> None:
    ids = _ids(series_store)
    # group the first and the last year only: 2022 is missing from the series
    agency = hand_made_archive(series_store, [ids[0], ids[2]])
    page = _client(series_store, settings).get(f"/agency/{agency}").text
    assert f"No report for {YEARS[1].year}." in page
    assert f'data-year="{YEARS[1].year}" x=' in page  # the axis keeps the missing year
    assert f"{YEARS[1].year} ?</text>" in page


def test_agencies_list_and_unknown_agency(
    archived: tuple[Store, int, list[int]], settings: Settings
) -> None:
    store, agency, _ = archived
    client = _client(store, settings)
    listing = client.get("/agencies")
    assert listing.status_code == 200
    assert f'<a href="/agency/{agency}">{AGENCY}</a>' in listing.text
    assert ">3</td>" in listing.text
    assert client.get("/agency/987654").status_code == 404
    assert client.get("/agency/99999999999999999999").status_code == 422


def test_an_agency_name_is_shown_escaped(
    archived: tuple[Store, int, list[int]], settings: Settings
) -> None:
    store, agency, _ = archived
    with store.session() as session, session.begin():
        row = session.get(Agency, agency)
        assert row is not None
        row.name = '<img src=x onerror="alert(1)">局'
    page = _client(store, settings).get(f"/agency/{agency}").text
    assert "<img src=x" not in page
    assert "&lt;img src=x" in page


def test_queue_and_field_page_link_to_the_agency(
    archived: tuple[Store, int, list[int]], settings: Settings
) -> None:
    store, agency, ids = archived
    client = _client(store, settings)
    queue = client.get("/").text
    assert queue.count(f'href="/agency/{agency}" class="agency"') == 3
    field = client.get(f"/field/{ids[0]}/applications.new.total").text
    assert f'href="/agency/{agency}" id="agency-link"' in field


# ---- a field's cross-year checks ----------------------------------------------------------------
def test_failing_field_shows_the_other_years_value_and_evidence(
    archived: tuple[Store, int, list[int]], settings: Settings
) -> None:
    store, _, ids = archived
    page = _client(store, settings).get(f"/field/{ids[-1]}/{CARRIED}").text
    section = page.split('id="cross-year"', 1)[1]
    check = section.split('data-xcheck="carry_over[natural_person]"', 1)[1].split("</section>")[0]
    assert "data-outcome>fails<" in check
    assert "data-reason>cross_year_conflict<" in check
    printed = YEARS[-1].misprint["carried_over.natural_person"]
    assert f"data-mine-value>{printed}<" in check
    # the other year: 2022's 结转下年度 natural person, its value and the line it was read from
    assert f"data-other-value>{YEARS[-2].carried_forward[0]}<" in check
    assert f'href="/field/{ids[-2]}/{FORWARD}" class="other-link"' in check
    other = check.split('class="side other"', 1)[1]
    hit = re.search(r'<tr class="hit">(.*?)</tr>', other, re.S)
    assert hit and "四、结转下年度继续办理" in hit.group(1)


def test_passing_cross_year_check_is_shown_as_passing(
    archived: tuple[Store, int, list[int]], settings: Settings
) -> None:
    store, _, ids = archived
    page = _client(store, settings).get(f"/field/{ids[1]}/{CARRIED}").text
    check = page.split('data-xcheck="carry_over[natural_person]"', 1)[1]
    assert "data-outcome>passes<" in check
    assert "cross_year_conflict" not in check.split("</div>", 1)[0]
    assert f"data-other-value>{YEARS[0].carried_forward[0]}<" in check


def test_field_in_no_cross_year_check_has_no_such_section(
    archived: tuple[Store, int, list[int]], settings: Settings
) -> None:
    store, _, ids = archived
    page = _client(store, settings).get(f"/field/{ids[0]}/applications.new.total").text
    assert 'id="cross-year"' not in page


def test_the_other_documents_crop_is_served_beside_the_field(
    store: Store, settings: Settings
) -> None:
    """The seed (text) and the sample PDF made into a two-report series: on the seed's side the
    other year is the PDF, shown as its page crop through the existing crop route."""
    hand_made_archive(store, [seed_id(store), pdf_id(store)])
    client = _client(store, settings)
    page = client.get(f"/field/{seed_id(store)}/applications.carried_forward.total").text
    crop = f"/evidence/{pdf_id(store)}/crop?field=applications.carried_over.total"
    assert f'class="other-crop" src="{crop}"' in page
    image = client.get(crop)
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.content[:8] == b"\x89PNG\r\n\x1a\n"


# ---- the plot -----------------------------------------------------------------------------------
def test_plot_breaks_lines_at_missing_values_and_marks_failing_years() -> None:
    svg = str(series_svg([2019, 2020, 2022], {"a": [1, None, 3], "b<": [5, 6, 7]}, {2022}))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    # b: one line 2019-2020, then a lone point in 2022 (no report in 2021); a: lone points
    assert svg.count("<polyline") == 1
    assert 'data-series="a" data-year="2020"' not in svg
    assert re.findall(r'class="failing" data-year="(\d+)"', svg) == ["2022", "2022"]  # per panel
    assert "2021 ?</text>" in svg  # the missing year stays on the axis
    assert "b&lt;" in svg and "b<" not in svg.replace("b&lt;", "")
    assert str(series_svg([], {}, set())).startswith("<svg")


# ---- correcting the grouping --------------------------------------------------------------------
def _csrf(client: TestClient, url: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', client.get(url).text)
    assert found
    return found.group(1)


def _agency_of(store: Store, document_id: int) -> int | None:
    return store.document(document_id).agency_id


def test_rename_an_agency(archived: tuple[Store, int, list[int]], settings: Settings) -> None:
    store, agency, _ = archived
    client = _client(store, settings)
    token = _csrf(client, f"/agency/{agency}")
    saved = client.post(
        f"/agency/{agency}/name",
        data={"csrf": token, "seen": AGENCY, "name": "  青禾市交通运输局（更名）  "},
        follow_redirects=False,
    )
    assert saved.status_code == 303 and saved.headers["location"] == f"/agency/{agency}?renamed=1"
    page = client.get(saved.headers["location"]).text
    assert 'id="renamed"' in page and "青禾市交通运输局（更名）</h2>" in page
    with store.session() as session:
        row = session.get(Agency, agency)
        assert row is not None and row.name == "青禾市交通运输局（更名）" and row.by_reviewer

    # a second form drawn before the rename still says the old name: refused, nothing written
    stale = client.post(
        f"/agency/{agency}/name",
        data={"csrf": token, "seen": AGENCY, "name": "别的名字"},
        follow_redirects=False,
    )
    assert stale.status_code == 409
    assert 'id="conflict"' in stale.text and "青禾市交通运输局（更名）" in stale.text
    with store.session() as session:
        row = session.get(Agency, agency)
        assert row is not None and row.name == "青禾市交通运输局（更名）"


def test_move_a_document_to_a_new_agency_and_back(
    archived: tuple[Store, int, list[int]], settings: Settings
) -> None:
    store, agency, ids = archived
    client = _client(store, settings)
    token = _csrf(client, f"/agency/{agency}")
    moved = client.post(
        f"/agency/{agency}/move",
        data={"csrf": token, "document": str(ids[2]), "agency": "", "new_name": "青禾市港航局"},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    target = _agency_of(store, ids[2])
    assert target is not None and target != agency
    assert moved.headers["location"] == f"/agency/{target}?moved={ids[2]}"
    assert store.document(ids[2]).agency_by_reviewer
    new_page = client.get(moved.headers["location"]).text
    assert 'id="moved"' in new_page and "青禾市港航局" in new_page
    assert len(re.findall(r'<tr data-year="\d+" data-document=', new_page)) == 1
    old_page = client.get(f"/agency/{agency}").text
    assert len(re.findall(r'<tr data-year="\d+" data-document=', old_page)) == 2
    # the old agency's checks no longer name the moved document
    assert f'href="/field/{ids[2]}/' not in old_page.split('id="grouping"')[0]

    # the form drawn before the move still places the document in the old agency: 409
    again = client.post(
        f"/agency/{agency}/move",
        data={"csrf": token, "document": str(ids[2]), "agency": "", "new_name": "又一个局"},
        follow_redirects=False,
    )
    assert again.status_code == 409 and 'id="conflict"' in again.text
    assert _agency_of(store, ids[2]) == target

    # moved back by choosing the agency from the list
    back = client.post(
        f"/agency/{target}/move",
        data={"csrf": token, "document": str(ids[2]), "agency": str(agency)},
        follow_redirects=False,
    )
    assert back.status_code == 303 and _agency_of(store, ids[2]) == agency


def test_grouping_forms_need_the_csrf_token_and_sane_values(
    archived: tuple[Store, int, list[int]], settings: Settings
) -> None:
    store, agency, ids = archived
    client = _client(store, settings)
    forged = client.post(
        f"/agency/{agency}/move", data={"document": str(ids[0]), "new_name": "X局"}
    )
    assert forged.status_code == 403
    assert client.post(f"/agency/{agency}/name", data={"name": "X"}).status_code == 403
    assert _agency_of(store, ids[0]) == agency
    token = _csrf(client, f"/agency/{agency}")
    bad = client.post(
        f"/agency/{agency}/move", data={"csrf": token, "document": "1e9", "agency": "x"}
    )
    assert bad.status_code == 422
    nothing = client.post(
        f"/agency/{agency}/move",
        data={"csrf": token, "document": str(ids[0]), "agency": "", "new_name": "  "},
    )
    assert nothing.status_code == 200 and "type the agency" in nothing.text
    digits = client.post(
        f"/agency/{agency}/move",
        data={"csrf": token, "document": str(ids[0]), "agency": "", "new_name": "12345"},
    )
    assert digits.status_code == 200 and "is no agency name" in digits.text
    renamed = client.post(
        f"/agency/{agency}/name", data={"csrf": token, "seen": AGENCY, "name": "abc"}
    )
    assert "is no agency name" in renamed.text
    unknown = client.post(
        f"/agency/{agency}/move",
        data={"csrf": token, "document": str(ids[0]), "agency": "987654"},
    )
    assert "no agency 987654" in unknown.text
    long_name = client.post(
        f"/agency/{agency}/name", data={"csrf": token, "seen": AGENCY, "name": "局" * 201}
    )
    assert "at most 200" in long_name.text
    assert _agency_of(store, ids[0]) == agency


# ---- with the archive engine --------------------------------------------------------------------
def test_a_correction_reruns_the_cross_year_check(series_store: Store, settings: Settings) -> None:
    """The archive engine groups and checks the series; the misread field carries the reason
    naming the other document; correcting it through the page clears the conflict at once."""
    from nianbao import archive

    ids = _ids(series_store)
    with series_store.session() as session, session.begin():
        archive.run(session)
    field = next(f for f in series_store.fields(ids[2]) if f.path == CARRIED)
    assert field.cross_year == "conflict" and field.review_needed
    assert f"cross_year_conflict:carry_over[natural_person]@{ids[1]}" in field.review_reasons
    client = _client(series_store, settings)
    url = f"/field/{ids[2]}/{CARRIED}"
    # the queue's cross_year filter lists the fields the archive blames: here the one
    queue = client.get("/?reason=cross_year").text
    assert re.findall(r'data-url="(/field/[^"?]+)', queue) == [url]
    page = client.get(url).text
    chip = f'class="chip cross_year">cross_year_conflict:carry_over[natural_person]@{ids[1]}<'
    assert chip in page
    assert "data-outcome>fails<" in page
    right = YEARS[1].carried_forward[0]
    saved = client.post(
        url,
        data={"csrf": _csrf(client, url), "action": "correct", "value": str(right)},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    page = client.get(url).text
    check = page.split('data-xcheck="carry_over[natural_person]"', 1)[1]
    assert "data-outcome>passes<" in check and "data-stale" not in check
    with series_store.session() as session:
        assert [c.outcome for c in archive.checks_for_field(session, ids[2], CARRIED)] == ["pass"]
    # the agency marks no year any more; the documents' counts agree with their fields
    agency = series_store.document(ids[0]).agency_id
    view = client.get(f"/agency/{agency}").text
    assert 'class="failing"' not in view and 'id="all-pass"' in view
    for doc in ids:
        left = series_store.fields_needing_review(doc)
        assert series_store.document(doc).fields_to_review == len(left)
        assert not [f for f in left if any("cross_year" in r for r in f.review_reasons)]


@pytest.mark.parametrize(
    ("route", "form", "expected"),
    [
        ("move", {"document": "9" * 20, "agency": "1"}, 422),
        ("move", {"document": "{first}", "agency": "-1"}, 422),
        ("move", {"document": "{first}", "new_name": "局\x00局"}, 200),  # said on the page
        ("move", {"document": "{first}", "new_name": "局" * 201}, 200),  # over 200 characters
        ("move", {"document": "987654", "new_name": "青禾市港航局"}, 200),  # no such document
        ("name", {"seen": AGENCY, "name": "局\x00"}, 200),
        ("name", {"seen": "x" * 5000, "name": "青禾市港航局"}, 409),
    ],
)
def test_hostile_grouping_forms_get_a_message_and_change_nothing(
    archived: tuple[Store, int, list[int]],
    settings: Settings,
    route: str,
    form: dict[str, str],
    expected: int,
) -> None:
    store, agency, ids = archived
    client = _client(store, settings)
    data = {k: v.format(first=ids[0]) for k, v in form.items()}
    response = client.post(
        f"/agency/{agency}/{route}", data={"csrf": _csrf(client, f"/agency/{agency}"), **data}
    )
    assert response.status_code == expected
    if expected == 200:
        assert 'id="error"' in response.text
    assert [_agency_of(store, d) for d in ids] == [agency] * 3
    with store.session() as session:
        names = [a.name for a in session.scalars(select(Agency))]
    assert names == [AGENCY]
    assert client.post("/agency/987654/name", data={"name": "x"}).status_code == 403


def test_a_second_report_of_a_year_is_listed_beside_its_primary(
    series_store: Store, pipeline: Pipeline, settings: Settings, tmp_path: Path
) -> None:
    """The 2022 report stored twice (a re-download: other bytes, the same figures): both are
    listed, the second marked as the first's duplicate; the plot has one point per year."""
    from nianbao import archive
    from nianbao.hashing import sha256_file

    ids = _ids(series_store)
    original = Path(series_store.document(ids[1]).label)
    copy = tmp_path / "again-2022.txt"
    copy.write_text(original.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    again = series_store.save_record(
        pipeline.run(copy), sha256_file(copy), settings.digest(), label=str(copy)
    )
    with series_store.session() as session, session.begin():
        archive.run(session)
    agency = series_store.document(ids[0]).agency_id
    assert series_store.document(again).agency_id == agency
    page = _client(series_store, settings).get(f"/agency/{agency}").text
    rows = re.findall(r'<tr data-year="(\d+)" data-document="(\d+)"', page)
    assert [int(y) for y, _ in rows] == [2021, 2022, 2022, 2023]
    assert {int(d) for _, d in rows} == {*ids, again}
    roles = re.findall(r'<span class="chip role">(\w+) of (\d+)</span>', page)
    assert len(roles) == 1 and roles[0][0] == "duplicate"
    assert len(re.findall(r'data-series="申请数量" data-year="2022"', page)) == 1
    assert 'data-rule="one_report_per_year"' in page


def test_the_agency_view_and_a_correction_on_postgresql(
    pg_url: str, pipeline: Pipeline, settings: Settings, tmp_path: Path
) -> None:
    from nianbao import archive

    with Store(pg_url) as store:
        ids = store_series(pipeline, store, tmp_path / "reports", YEARS)
        with store.session() as session, session.begin():
            archive.run(session)
        agency = store.document(ids[0]).agency_id
        client = _client(store, settings)
        page = client.get(f"/agency/{agency}").text
        assert re.findall(r'<tr data-year="(\d+)" data-document="\d+" class="failing"', page) == [
            str(YEARS[-1].year)
        ]
        url = f"/field/{ids[2]}/{CARRIED}"
        assert "data-outcome>fails<" in client.get(url).text
        right = str(YEARS[1].carried_forward[0])
        client.post(url, data={"csrf": _csrf(client, url), "action": "correct", "value": right})
        assert "data-outcome>passes<" in client.get(url).text
        assert 'class="failing"' not in client.get(f"/agency/{agency}").text


def test_a_field_raised_by_agreement_shows_its_own_reports_confidence(
    tmp_path: Path, settings: Settings
) -> None:
    from nianbao import archive

    from tests.archive.conftest import report

    first = report("望舒市司法局", 2021, [1, 0, 0, 0, 0, 0], [2, 1, 0, 0, 0, 0])
    second = report("望舒市司法局", 2022, [2, 1, 0, 0, 0, 0], [3, 0, 0, 0, 0, 0])
    field = second.get(CARRIED)  # read as 2, as 2021 carried forward; its report was unsure
    field.confidence, field.review.reasons, field.review.needed = 0.95, ["low_confidence"], True
    with Store(str(tmp_path / "raised.db")) as store:
        ids = [store.save_record(r, f"r{r.meta.year.value}", "cfg") for r in (first, second)]
        archive.run_store(store, document_ids=ids, judge=archive.Judge.of(settings))
        page = _client(store, settings).get(f"/field/{ids[1]}/{CARRIED}").text
    raised = re.search(
        r'class="conf">([0-9.]+) .*?<span class="mute" id="raised">(.*?)</span>', page
    )
    assert raised is not None
    assert float(raised.group(1)) > settings.confidence.review_threshold
    assert raised.group(2).startswith("0.95 in its own report")
