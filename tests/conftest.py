from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.runner import Pipeline
from pipeline.settings import Settings, load_settings
from pipeline.template import Template, load_template

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
