from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

# Strict mode for every pipeline the tests build (and the workers they start): a stage that
# raises fails the test instead of hiding as a stage_error record, and a stage that writes a
# slot outside its contract (nianbao/stages/base.py) raises ContractError.
os.environ.setdefault("NIANBAO_STRICT", "1")

import pytest
from nianbao.runner import Pipeline
from nianbao.settings import Settings, load_settings
from nianbao.template import Template, load_template

from tests.pgcluster import PgCluster, find_bin

DATA = Path(__file__).parent / "data"
SEED = DATA / "seed_liaocheng_2021.txt"
REPORTS = DATA / "reports"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def template() -> Template:
    return load_template()


@pytest.fixture(scope="session")
def pipeline(settings: Settings) -> Pipeline:
    return Pipeline(settings)


# ---- PostgreSQL (issue #6): a throwaway cluster per test session, a fresh database per test --


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    bindir = find_bin()
    if bindir is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install postgresql")
    cluster = PgCluster(bindir)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> str:
    return pg_cluster.new_database()
