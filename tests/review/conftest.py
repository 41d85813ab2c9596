"""Databases made by running the real pipeline: the seed (text) and a text-layer PDF."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from nianbao.db import Store
from nianbao.hashing import sha256_file
from nianbao.review.app import ReviewConfig, create_app
from nianbao.runner import Pipeline
from nianbao.settings import Settings

from tests.conftest import SEED

PDF = Path(__file__).resolve().parents[2] / "sample_scans" / "pdf" / "lanjiang-city-2024.pdf"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
# The seed's 复议后起诉 group: 维持 0, 纠正 0, 其他 0, 尚未审结 1, 总计 printed as 0.
AFTER_REVIEW = "review_litigation.litigation_after_review"


def store_document(pipeline: Pipeline, store: Store, path: Path) -> int:
    record = pipeline.run(path)
    return store.save_record(record, sha256_file(path), pipeline.settings.digest(), label=str(path))


@pytest.fixture(scope="session")
def seed_db_template(pipeline: Pipeline, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed and the PDF, extracted once per session; tests copy the file."""
    folder = tmp_path_factory.mktemp("review-db")
    pdf = folder / PDF.name  # a copy the tests may alter without touching sample_scans
    shutil.copy(PDF, pdf)
    db = folder / "template.db"
    with Store(str(db)) as store:
        store_document(pipeline, store, SEED)
        store_document(pipeline, store, pdf)
    return db


@pytest.fixture
def db_path(seed_db_template: Path, tmp_path: Path) -> Path:
    db = tmp_path / "review.db"
    shutil.copy(seed_db_template, db)
    return db


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store(str(db_path)) as s:
        yield s


def seed_id(store: Store) -> int:
    return next(d.id for d in store.documents() if d.label == str(SEED))


def pdf_id(store: Store) -> int:
    return next(d.id for d in store.documents() if d.label.endswith(".pdf"))


@pytest.fixture
def client(store: Store, settings: Settings) -> TestClient:
    app = create_app(store, settings, ReviewConfig("tester", None, LOOPBACK))
    return TestClient(app, base_url="http://127.0.0.1")
