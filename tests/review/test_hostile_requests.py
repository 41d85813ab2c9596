"""Requests a browser (or someone with one) can send: none gets a 500 (issue #15). Out-of-range
ids, huge values, odd paths and query strings are answered 404/422 with a message; in token mode
no entry URL redirects to another site."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from urllib.parse import quote, urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nianbao.db import Store
from nianbao.review.app import ReviewConfig, create_app
from nianbao.settings import Settings

from tests.conftest import SEED
from tests.review.conftest import AFTER_REVIEW, LOOPBACK, pdf_id, seed_id, store_document

EXAMPLES = int(os.environ.get("NIANBAO_FUZZ_EXAMPLES", "60"))
HUGE = "9" * 20


def _csrf(client: TestClient, url: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', client.get(url).text)
    assert found
    return found.group(1)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"/field/{HUGE}/meta.year", 422),
        ("/field/-1/meta.year", 422),
        (f"/?document={HUGE}", 422),
        ("/?document=abc", 422),
        (f"/field/{{seed}}/{AFTER_REVIEW}.total?saved={HUGE}", 422),
        (f"/field/{{seed}}/{AFTER_REVIEW}.total?document={HUGE}", 422),
        (f"/evidence/{HUGE}/page/1", 422),
        (f"/evidence/{{pdf}}/page/{HUGE}", 422),
        (f"/evidence/{HUGE}/crop?field=meta.year", 422),
        ("/field/12345/meta.year", 404),
        ("/evidence/12345/crop?field=meta.year", 404),
    ],
)
def test_out_of_range_ids_get_a_message(
    client: TestClient, store: Store, url: str, expected: int
) -> None:
    response = client.get(url.format(seed=seed_id(store), pdf=pdf_id(store)))
    assert response.status_code == expected
    assert response.text.strip()  # a message, not an empty body


@pytest.mark.parametrize(
    "value",
    ["9" * 5000, "１" * 5000, "9" * 30, "1e400", "x" * 5000, "９" * 4300 + ".5", "1\x002"],
)
def test_absurd_values_are_refused_with_a_message(
    client: TestClient, store: Store, value: str
) -> None:
    doc = seed_id(store)
    paths = [f"{AFTER_REVIEW}.total"] + (["meta.agency"] if len(value) > 200 else [])
    for path in paths:  # a count; and as text, when too long for any field
        url = f"/field/{doc}/{path}"
        response = client.post(
            url, data={"csrf": _csrf(client, url), "action": "correct", "value": value}
        )
        assert response.status_code == 200, response.text[:300]
        assert 'id="error"' in response.text  # the page again, with the reason
    assert store.reviews() == []


def test_a_huge_document_number_in_a_form_is_ignored(client: TestClient, store: Store) -> None:
    url = f"/field/{seed_id(store)}/{AFTER_REVIEW}.total"
    data = {"csrf": _csrf(client, url), "action": "accept", "document": HUGE}
    response = client.post(url, data=data, follow_redirects=False)
    assert response.status_code == 303
    assert "document=" not in response.headers["location"]


# ---- token mode: the entry redirect stays on this site -----------------------------------------
OFF_SITE = [
    "//evil.example/x",
    "///evil.example/x",
    "/\\evil.example/x",
    "/\\/evil.example",
    "//\\evil.example",
    "/%2F%2Fevil.example/x",
    "/%5C%5Cevil.example",
    "/%2F%5Cevil.example",
    "/%09/evil.example",
    "/%0A//evil.example",
    "/http://evil.example",
    "/https:%2F%2Fevil.example",
    "//evil.example@10.0.0.5/",
    "/%20//evil.example",
]


def test_the_token_redirect_never_leaves_the_site(store: Store, settings: Settings) -> None:
    app = create_app(store, settings, ReviewConfig("tester", "s3cret-token", ()))
    client = TestClient(app, base_url="http://10.0.0.5")
    for path in OFF_SITE:
        response = client.get(f"http://10.0.0.5{path}?token=s3cret-token", follow_redirects=False)
        assert response.status_code == 303, path
        _assert_same_site(response.headers["location"])


def _assert_same_site(location: str) -> None:
    assert location.startswith("/") and location[1:2] not in ("/", "\\"), location
    # browsers treat "\" as "/" and drop tabs and newlines anywhere in a URL
    assert not any(c in location for c in "\\\t\n\r"), location
    assert all(32 < ord(c) < 127 for c in location), location
    assert urlsplit(urljoin("http://10.0.0.5/", location)).netloc == "10.0.0.5"


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(path=st.text(alphabet=st.sampled_from("/\\%.:@?#ae \t2F5C09"), max_size=24))
def test_the_token_redirect_stays_on_the_site_for_any_path(
    store: Store, settings: Settings, path: str
) -> None:
    app = create_app(store, settings, ReviewConfig("tester", "s3cret-token", ()))
    client = TestClient(app, base_url="http://10.0.0.5")
    raw = "/" + quote(path, safe="/\\%:@.")  # what a browser may put on the wire
    response = client.get(f"http://10.0.0.5{raw}", params={"token": "s3cret-token"},
                          follow_redirects=False)  # fmt: skip
    assert response.status_code == 303
    _assert_same_site(response.headers["location"])


# ---- anything a browser can send: never a 5xx ---------------------------------------------------
@pytest.fixture(params=["sqlite", "postgresql"])
def any_backend(
    request: pytest.FixtureRequest, client: TestClient, store: Store, settings: Settings
) -> Iterator[tuple[TestClient, Store]]:
    """The seed database on SQLite (with the PDF), or the seed alone on PostgreSQL (which
    refuses NUL characters in text, unlike SQLite)."""
    if request.param == "sqlite":
        yield client, store
        return
    pipeline = request.getfixturevalue("pipeline")
    with Store(request.getfixturevalue("pg_url")) as pg:
        store_document(pipeline, pg, SEED)
        app = create_app(pg, settings, ReviewConfig("tester", None, LOOPBACK))
        yield TestClient(app, base_url="http://127.0.0.1"), pg


ODD_TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["", HUGE, "-1", "0", "1e5", "9" * 5000, "%00", "\x00", "..", "../../etc/passwd",
         "meta.year", f"{AFTER_REVIEW}.total", "applications.new.total", "NaN", "１２",
         "\ud800", "<script>", "' OR 1=1 --", "a" * 300]
    ),
)  # fmt: skip
IDS = st.sampled_from(["{doc}", "{doc}", HUGE, "-1", "0", str(2**63), str(2**63 - 1), "1" * 400])
SEGMENT = st.one_of(IDS, ODD_TEXT, st.integers(min_value=-(10**25), max_value=10**25).map(str))
PARAMS = st.dictionaries(
    st.sampled_from(["reason", "table", "document", "saved", "error", "field", "x", "token"]),
    st.one_of(IDS, ODD_TEXT),
    max_size=4,
)


def _url_part(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    route=st.sampled_from(["field", "evidence-crop", "evidence-page", "queue", "other"]),
    first=SEGMENT,
    second=SEGMENT,
    params=PARAMS,
    post=st.booleans(),
    form=st.dictionaries(
        st.sampled_from(["action", "value", "note", "version", "document", "reason", "table"]),
        ODD_TEXT,
        max_size=5,
    ),
    action=st.sampled_from(["accept", "correct", "unreadable", "delete", ""]),
)
def test_no_request_gets_a_server_error(
    any_backend: tuple[TestClient, Store],
    route: str,
    first: str,
    second: str,
    params: dict[str, str],
    post: bool,
    form: dict[str, str],
    action: str,
) -> None:
    client, store = any_backend
    client.cookies.clear()
    doc = str(seed_id(store))
    first, second = first.replace("{doc}", doc), second.replace("{doc}", doc)
    params = {k: v.replace("{doc}", doc) for k, v in params.items()}
    a, b = _url_part(first), _url_part(second)
    path = {
        "field": f"/field/{a}/{b}",
        "evidence-crop": f"/evidence/{a}/crop",
        "evidence-page": f"/evidence/{a}/page/{b}",
        "queue": "/",
        "other": f"/{a}/{b}",
    }[route]
    query = "&".join(f"{k}={_url_part(v)}" for k, v in params.items())
    url = path + ("?" + query if query else "")
    if post:
        token = _csrf(client, f"/field/{doc}/{AFTER_REVIEW}.total")
        data = {"csrf": token, "action": action, **form}
        data = {k: v.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
                for k, v in data.items()}  # fmt: skip
        response = client.post(url, data=data, follow_redirects=False)
    else:
        response = client.get(url, follow_redirects=False)
    assert response.status_code < 500, (url, response.text[:500])
    if response.status_code >= 400:
        assert response.text.strip(), url
