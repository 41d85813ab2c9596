"""The review page through HTTP (FastAPI TestClient): queue, decisions, CSRF, access token,
host binding and what the image routes will and will not read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from nianbao.cli import app as cli
from nianbao.db import Store
from nianbao.review.app import ReviewConfig, create_app
from nianbao.review.security import AccessError, require_token_for
from nianbao.settings import Settings
from typer.testing import CliRunner

from tests.review.conftest import AFTER_REVIEW, LOOPBACK, pdf_id, seed_id


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found, "no CSRF field in the form"
    return found.group(1)


def _form(client: TestClient, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200
    return _csrf(page.text)


# ---- queue -------------------------------------------------------------------------------------
def test_queue_lists_flagged_fields_least_confident_first(client: TestClient, store: Store) -> None:
    page = client.get("/")
    assert page.status_code == 200
    paths = re.findall(r'data-url="/field/\d+/([^"?]+)', page.text)
    flagged = [f for f in store.fields_needing_review()]
    assert sorted(paths) == sorted(f.path for f in flagged)
    by_path = {(f.path): f.confidence for f in flagged if f.document_id == seed_id(store)}
    rows = re.findall(r'data-url="/field/(\d+)/([^"?]+)', page.text)
    seed_paths = [p for d, p in rows if int(d) == seed_id(store)]  # other documents share paths
    confidences = [by_path[p] for p in seed_paths]
    assert confidences == sorted(confidences)
    assert "复议后起诉" in page.text  # printed-table words, not only paths


def test_queue_filters_by_reason_and_table(client: TestClient, store: Store) -> None:
    seed = client.get(f"/?reason=failed_check&document={seed_id(store)}").text
    failed = re.findall(r'data-url="/field/\d+/([^"?]+)', seed)
    assert sorted(failed) == sorted(
        f"{AFTER_REVIEW}.{c}" for c in ("upheld", "corrected", "other", "pending", "total")
    )
    meta = re.findall(r'data-url="/field/\d+/([^"?]+)', client.get("/?table=meta").text)
    assert all(p.startswith("meta.") for p in meta)
    doc = seed_id(store)
    own = re.findall(r'data-url="/field/(\d+)/', client.get(f"/?document={doc}").text)
    assert own and set(own) == {str(doc)}
    assert client.get("/?reason=bogus").status_code == 400


# ---- one field, one decision --------------------------------------------------------------------
def test_field_view_shows_value_evidence_line_and_failing_check(
    client: TestClient, store: Store
) -> None:
    url = f"/field/{seed_id(store)}/{AFTER_REVIEW}.total?reason=failed_check"
    page = client.get(url).text
    assert 'class="hit"' in page and ">234<" in page  # the evidence line, highlighted
    assert 'data-check="t4_group_total[litigation_after_review]">fails' in page
    assert 'id="next"' in page and 'id="prev"' in page
    assert client.get(f"/field/{seed_id(store)}/meta.nope").status_code == 404


def test_correcting_moves_on_and_shows_the_cleared_check(client: TestClient, store: Store) -> None:
    doc = seed_id(store)
    url = f"/field/{doc}/{AFTER_REVIEW}.total"
    token = _form(client, url + "?reason=failed_check")
    saved = client.post(
        url,
        data={"csrf": token, "action": "correct", "value": "1", "reason": "failed_check"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    # the next field of the filtered queue (the other document's), keeping the filter
    assert "reason=failed_check" in saved.headers["location"]
    assert f"/field/{pdf_id(store)}/" in saved.headers["location"]
    page = client.get(saved.headers["location"]).text
    assert "Saved:" in page and "passes" in page
    (review,) = store.reviews(doc)
    assert (review.action, review.previous_value, review.new_value) == ("correct", 0, 1)
    assert review.reviewer == "tester"


def test_a_bad_value_comes_back_with_the_message(client: TestClient, store: Store) -> None:
    doc = seed_id(store)
    url = f"/field/{doc}/{AFTER_REVIEW}.total"
    token = _form(client, url)
    back = client.post(url, data={"csrf": token, "action": "correct", "value": "abc"})
    assert back.status_code == 200 and "is not a number" in back.text
    assert store.reviews(doc) == []


# ---- CSRF ---------------------------------------------------------------------------------------
def test_posts_without_a_valid_csrf_token_are_refused(
    client: TestClient, store: Store, settings: Settings
) -> None:
    url = f"/field/{seed_id(store)}/{AFTER_REVIEW}.total"
    data = {"action": "accept"}
    assert client.post(url, data=data).status_code == 403  # no token, no session
    _form(client, url)  # the client now has a session cookie
    assert client.post(url, data={**data, "csrf": "0" * 64}).status_code == 403
    # a token minted for another browser's session does not work in this one
    other = TestClient(client.app, base_url="http://127.0.0.1")
    foreign = _form(other, url)
    assert client.post(url, data={**data, "csrf": foreign}).status_code == 403
    # nor does one from an earlier server run (the secret is per app)
    restarted = create_app(store, settings, ReviewConfig("tester", None, LOOPBACK))
    again = TestClient(restarted, base_url="http://127.0.0.1", cookies=client.cookies)
    assert again.post(url, data={**data, "csrf": _form(client, url)}).status_code == 403
    assert store.reviews() == []


# ---- access -------------------------------------------------------------------------------------
def test_other_hosts_need_a_token() -> None:
    require_token_for("127.0.0.1", None, LOOPBACK)
    with pytest.raises(AccessError, match="--token"):
        require_token_for("0.0.0.0", None, LOOPBACK)
    require_token_for("0.0.0.0", "s3cret-token", LOOPBACK)


def test_the_cli_refuses_a_public_host_without_a_token(db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["review", "--db", str(db_path), "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "--token" in result.output


def test_with_a_token_every_request_needs_it(store: Store, settings: Settings) -> None:
    app = create_app(store, settings, ReviewConfig("tester", "s3cret-token", ()))
    client = TestClient(app, base_url="http://10.0.0.5")
    assert client.get("/").status_code == 401
    assert client.get("/?token=wrong").status_code == 401
    assert client.get(f"/evidence/{pdf_id(store)}/page/1").status_code == 401
    entry = client.get("/?token=s3cret-token", follow_redirects=False)
    assert entry.status_code == 303 and "token" not in entry.headers["location"]
    assert client.get("/").status_code == 200  # the cookie carries it from now on


def test_without_a_token_only_loopback_host_names_are_answered(store: Store, settings) -> None:
    app = create_app(store, settings, ReviewConfig("tester", None, LOOPBACK))
    assert TestClient(app, base_url="http://localhost").get("/").status_code == 200
    # DNS rebinding: a foreign name resolving to 127.0.0.1 is refused
    assert TestClient(app, base_url="http://evil.example").get("/").status_code == 400


# ---- images -------------------------------------------------------------------------------------
def test_crop_and_page_images_of_a_pdf_field(client: TestClient, store: Store) -> None:
    from io import BytesIO

    import numpy as np
    from PIL import Image

    doc = pdf_id(store)
    field = next(f for f in store.fields_needing_review(doc) if f.evidence_bbox)
    crop = client.get(f"/evidence/{doc}/crop", params={"field": field.path})
    assert crop.status_code == 200 and crop.headers["content-type"] == "image/png"
    pixels = np.asarray(Image.open(BytesIO(crop.content)).convert("RGB")).astype(int)
    # the highlight outline is drawn: strongly red pixels exist in the crop
    red = (pixels[..., 0] > 200) & (pixels[..., 1] < 60) & (pixels[..., 2] < 60)
    assert red.sum() > 50
    page = client.get(f"/evidence/{doc}/page/{field.evidence_page}", params={"field": field.path})
    assert page.status_code == 200
    assert Image.open(BytesIO(page.content)).width <= 1400
    assert "crop" in client.get(f"/field/{doc}/{field.path}").text


@pytest.mark.parametrize(
    "url",
    [
        "/evidence/{pdf}/page/99",  # no such page
        "/evidence/{pdf}/page/0",
        "/evidence/999/page/1",  # no such document
        "/evidence/{seed}/page/1",  # text input has no pages
        "/evidence/{pdf}/crop?field=../../../../etc/passwd",
        "/evidence/{pdf}/crop?field=/etc/passwd",
        "/evidence/{pdf}/crop",
        "/evidence/..%2F..%2Fetc%2Fpasswd/page/1",
        "/evidence/{pdf}/page/1?field=meta.nope",
    ],
)
def test_image_routes_read_only_what_the_database_names(
    client: TestClient, store: Store, url: str
) -> None:
    response = client.get(url.format(pdf=pdf_id(store), seed=seed_id(store)))
    assert response.status_code in (404, 422)
    assert b"root:" not in response.content


def test_a_source_that_changed_is_not_shown(client: TestClient, store: Store) -> None:
    doc = store.document(pdf_id(store))
    Path(doc.label).write_bytes(Path(doc.label).read_bytes() + b"\n%changed")
    try:
        field = next(f for f in store.fields_needing_review(doc.id) if f.evidence_bbox)
        response = client.get(f"/evidence/{doc.id}/crop", params={"field": field.path})
        assert response.status_code == 404 and "changed" in response.text
        assert "changed since it was read" in client.get(f"/field/{doc.id}/{field.path}").text
    finally:
        Path(doc.label).write_bytes(Path(doc.label).read_bytes().removesuffix(b"\n%changed"))
