"""Several reviewers deciding the same field at once (issue #15): every decision is either saved
or refused with 409 and the value that won, each version of the field is won by exactly one
decision, and the history's previous values form one unbroken chain.

Each reviewer has a review server of their own (own app, own Store, own connection pool) over
one database, and they post at the same instant (a barrier) from threads: on SQLite the
decisions meet at the file's write lock, on PostgreSQL at the field's row lock."""

from __future__ import annotations

import multiprocessing
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from nianbao.db import StaleDecision, Store
from nianbao.review.app import ReviewConfig, create_app
from nianbao.runner import Pipeline
from nianbao.settings import Settings

from tests.conftest import SEED
from tests.review.conftest import AFTER_REVIEW, LOOPBACK, seed_id, store_document

REVIEWERS = 8
FIELD = f"{AFTER_REVIEW}.total"


def _form(client: TestClient, url: str) -> tuple[str, str]:
    """The CSRF token and the field version of the field's form."""
    html = client.get(url).text
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    version = re.search(r'name="version" value="(\d+)"', html)
    assert csrf and version, "the form carries a CSRF token and the field's version"
    return csrf.group(1), version.group(1)


def _race(url_db: str, settings: Settings, doc: int) -> dict[str, object]:
    """Eight reviewers correct one field at once, the losers decide again on what they are
    shown, until every one of them has saved: returns what happened."""
    stores = [Store(url_db) for _ in range(REVIEWERS)]
    try:
        clients = [
            TestClient(
                create_app(s, settings, ReviewConfig(f"reviewer-{i}", None, LOOPBACK)),
                base_url="http://127.0.0.1",
            )
            for i, s in enumerate(stores)
        ]
        url = f"/field/{doc}/{FIELD}"
        forms = {i: _form(c, url) for i, c in enumerate(clients)}
        pending = set(range(REVIEWERS))
        rounds: list[Counter[int]] = []
        saved_values: list[int] = []
        while pending:
            barrier = threading.Barrier(len(pending))

            def post(i: int, barrier: threading.Barrier = barrier) -> tuple[int, int, str]:
                csrf, version = forms[i]
                value = str(100 + i)
                barrier.wait()
                response = clients[i].post(
                    url,
                    data={"csrf": csrf, "action": "correct", "value": value, "version": version},
                    follow_redirects=False,
                )
                return i, response.status_code, response.text

            with ThreadPoolExecutor(len(pending)) as pool:
                results = list(pool.map(post, sorted(pending)))
            rounds.append(Counter(status for _, status, _ in results))
            for i, status, _ in results:
                if status == 303:
                    pending.discard(i)
                    saved_values.append(100 + i)
            for i, status, text in results:
                if status != 303:
                    assert status == 409, text[-2000:]
                    assert 'id="conflict"' in text and "Not saved" in text
                    # the page shows the value that won and a form for the version it is now
                    shown = re.search(r"<b data-current>([^<]*)</b>", text)
                    assert shown and int(shown.group(1)) in saved_values
                    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', text)
                    version = re.search(r'name="version" value="(\d+)"', text)
                    assert csrf and version
                    forms[i] = (csrf.group(1), version.group(1))
        return {"rounds": rounds, "saved": saved_values}
    finally:
        for s in stores:
            s.close()


def _assert_consistent(store: Store, doc: int, outcome: dict[str, object]) -> None:
    rounds = outcome["rounds"]
    saved = outcome["saved"]
    assert isinstance(rounds, list) and isinstance(saved, list)
    # each round: exactly one decision saved, every other one refused with 409
    for n, counts in enumerate(rounds):
        assert counts[303] == 1 and counts[409] == REVIEWERS - n - 1, rounds
    assert len(rounds) == REVIEWERS
    history = [r for r in store.reviews(doc) if r.field_path == FIELD]
    # no lost decision: every decision reported saved is in the history, in the order saved
    assert [r.new_value for r in history] == saved
    assert len({r.reviewer for r in history}) == REVIEWERS
    # one chain: each decision's previous value is the one before's new value
    extracted = store.record(doc, reviewed=False).get(FIELD).value
    previous = [r.previous_value for r in history]
    assert previous == [extracted, *saved[:-1]]
    field = next(f for f in store.fields(doc) if f.path == FIELD)
    assert field.reviewed_value == saved[-1] and field.review_version == REVIEWERS


def test_eight_reviewers_on_one_field_sqlite(
    db_path: Path, store: Store, settings: Settings
) -> None:
    doc = seed_id(store)
    outcome = _race(str(db_path), settings, doc)
    _assert_consistent(store, doc, outcome)


def test_eight_reviewers_on_one_field_postgresql(
    pg_url: str, pipeline: Pipeline, settings: Settings
) -> None:
    with Store(pg_url) as store:
        doc = store_document(pipeline, store, SEED)
        outcome = _race(pg_url, settings, doc)
        _assert_consistent(store, doc, outcome)


def test_a_stale_decision_writes_nothing(client: TestClient, store: Store) -> None:
    doc = seed_id(store)
    url = f"/field/{doc}/{FIELD}"
    csrf, version = _form(client, url)
    first = client.post(
        url, data={"csrf": csrf, "action": "correct", "value": "1", "version": version}
    )
    assert first.status_code == 200 and "Saved:" in first.text
    late = client.post(url, data={"csrf": csrf, "action": "accept", "version": version})
    assert late.status_code == 409
    assert "<b data-current>1</b>" in late.text
    assert [r.action for r in store.reviews(doc)] == ["correct"]
    # the conflict page's form names the current version: deciding from it is saved
    again = re.search(r'name="version" value="(\d+)"', late.text)
    assert again and again.group(1) == str(int(version) + 1)
    ok = client.post(url, data={"csrf": csrf, "action": "accept", "version": again.group(1)})
    assert ok.status_code == 200
    assert [r.action for r in store.reviews(doc)] == ["correct", "accept"]


@pytest.mark.parametrize("version", ["x", "9" * 20, "-1"])
def test_a_malformed_version_is_refused_with_a_message(
    client: TestClient, store: Store, version: str
) -> None:
    url = f"/field/{seed_id(store)}/{FIELD}"
    csrf, _ = _form(client, url)
    response = client.post(url, data={"csrf": csrf, "action": "accept", "version": version})
    assert response.status_code == 422 and "version" in response.text
    assert store.reviews() == []


def _decide_in_process(db: str, doc: int, i: int, barrier: Any, results: Any) -> None:
    """One reviewer in a process of its own: correct the field, having seen version 0."""
    from nianbao.db import StaleDecision
    from nianbao.review.decisions import decide
    from nianbao.settings import load_settings
    from nianbao.stages.checks import Checks
    from nianbao.template import load_template

    settings = load_settings()
    checks = Checks(Checks.options_from(settings), load_template())
    with Store(db) as store:
        expected = store.identity()
        barrier.wait()
        try:
            decide(store, checks, doc, FIELD, "correct", f"process-{i}", str(100 + i),
                   seen_version=0, expected=expected, busy_timeout_s=30)  # fmt: skip
            results.put((i, "saved", None))
        except StaleDecision as exc:
            results.put((i, "stale", exc.value))


@pytest.mark.slow
def test_eight_reviewer_processes_on_one_sqlite_file(db_path: Path, store: Store) -> None:
    """The same race between processes: SQLite's file lock, not one engine's pool."""
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(REVIEWERS), ctx.Queue()
    doc = seed_id(store)
    procs = [
        ctx.Process(target=_decide_in_process, args=(str(db_path), doc, i, barrier, results))
        for i in range(REVIEWERS)
    ]
    for p in procs:
        p.start()
    outcome = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    saved = [i for i, what, _ in outcome if what == "saved"]
    assert len(saved) == 1, outcome
    assert all(value == 100 + saved[0] for _, what, value in outcome if what == "stale")
    history = [r for r in store.reviews(doc) if r.field_path == FIELD]
    assert [(r.reviewer, r.new_value) for r in history] == [(f"process-{saved[0]}", 100 + saved[0])]


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(
    request: pytest.FixtureRequest, db_path: Path, pipeline: Pipeline
) -> tuple[str, int]:
    """A database holding the seed: (its URL, the seed's document id)."""
    if request.param == "sqlite":
        with Store(str(db_path)) as store:
            return str(db_path), seed_id(store)
    url = str(request.getfixturevalue("pg_url"))
    with Store(url) as store:
        return url, store_document(pipeline, store, SEED)


def test_a_decision_made_while_another_is_being_written_waits_and_is_stale(
    backend_url: tuple[str, int],
) -> None:
    """The overlap forced: A's transaction is held open after it claimed the field; B, on
    the version both saw, waits for A's lock and is then refused, not saved over A."""
    url, doc = backend_url
    inside, go = threading.Event(), threading.Event()

    def hold(_session: object, _doc: int) -> None:
        inside.set()
        assert go.wait(20)

    with Store(url) as a, Store(url) as b:
        with ThreadPoolExecutor(2) as pool:
            first = pool.submit(
                a.apply_review, doc, FIELD, "correct", "a", new_value=5, seen_version=0,
                then=hold, busy_timeout_s=20,
            )  # fmt: skip
            assert inside.wait(20)
            second = pool.submit(
                b.apply_review, doc, FIELD, "correct", "b", new_value=6, seen_version=0,
                busy_timeout_s=20,
            )  # fmt: skip
            time.sleep(0.5)
            assert not second.done()  # B waits for A's lock
            go.set()
            assert first.result(30).new_value == 5
            with pytest.raises(StaleDecision) as refused:
                second.result(30)
        assert refused.value.value == 5 and refused.value.version == 1
        assert [(r.reviewer, r.new_value) for r in a.reviews(doc)] == [("a", 5)]


@pytest.mark.parametrize(
    ("action", "value"), [("accept", ""), ("correct", "1"), ("unreadable", "")]
)
def test_a_form_sent_twice_is_one_decision_reported_saved_both_times(
    client: TestClient, store: Store, action: str, value: str
) -> None:
    doc = seed_id(store)
    url = f"/field/{doc}/{FIELD}"
    csrf, version = _form(client, url)
    data = {"csrf": csrf, "action": action, "value": value, "version": version}
    first = client.post(url, data=data, follow_redirects=False)
    second = client.post(url, data=data, follow_redirects=False)
    assert first.status_code == second.status_code == 303
    (review,) = store.reviews(doc)
    assert f"saved={review.id}" in first.headers["location"]
    assert f"saved={review.id}" in second.headers["location"]
    # the same form with another value is not a repeat: it was decided on an old version
    if action == "correct":
        other = client.post(url, data={**data, "value": "2"})
        assert other.status_code == 409 and len(store.reviews(doc)) == 1
