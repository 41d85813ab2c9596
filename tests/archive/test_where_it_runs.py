"""The archive checks run after `nianbao batch`, on demand with `nianbao check`, and reach the
exports."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from nianbao.batch import run_batch
from nianbao.cli import app
from nianbao.db import Store
from nianbao.settings import Settings
from typer.testing import CliRunner

from tests.conftest import REPORTS, SEED

from .conftest import report, save

runner = CliRunner()
B0, F0, F1 = [1, 0, 0, 0, 0, 0], [2, 1, 0, 0, 0, 0], [3, 0, 0, 0, 0, 0]


def test_batch_groups_what_it_stored_by_agency(tmp_path: Path) -> None:
    inputs = [str(SEED), *map(str, sorted(REPORTS.glob("*.txt"))[:2])]
    url = f"sqlite:///{tmp_path / 'b.db'}"
    with Store(url) as store:
        stats = run_batch(inputs, store, Settings(), workers=1)
        assert stats.archive is not None
        docs = store.documents()
        named = [d for d in docs if d.agency is not None and d.year is not None]
        assert named and all(d.agency_id is not None for d in named)
        assert stats.archive.agencies == len({d.agency_id for d in named})


def _archive(tmp_path: Path, misread: bool) -> str:
    path = tmp_path / "c.db"
    with Store(f"sqlite:///{path}") as store:
        override = {"applications.carried_over.natural_person": 8} if misread else {}
        save(store, report("望舒市司法局", 2021, B0, F0), "a")
        save(store, report("望舒市司法局", 2022, F0, F1, override=override), "b")
        save(store, report("临川市民政局", 2022, B0, B0), "c")
    return str(path)


def test_check_reports_a_broken_carry_over_and_exits_1(tmp_path: Path) -> None:
    db = _archive(tmp_path, misread=True)
    result = runner.invoke(app, ["check", "--db", db])
    assert result.exit_code == 1, result.output
    assert "1 failed" in result.output and "carry_over" in result.output
    # one agency alone, by name
    alone = runner.invoke(app, ["check", "--db", db, "--agency", "临川市民政局"])
    assert alone.exit_code == 0 and "1 agencies checked" in alone.output
    unknown = runner.invoke(app, ["check", "--db", db, "--agency", "没有这个局"])
    assert unknown.exit_code == 2


def test_check_on_a_consistent_archive_exits_0_and_exports_carry_the_checks(
    tmp_path: Path,
) -> None:
    db = _archive(tmp_path, misread=False)
    assert runner.invoke(app, ["check", "--db", db]).exit_code == 0
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["export", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (tmp_path / "out.archive_checks.jsonl").open()]
    assert {r["rule"] for r in rows} >= {"carry_over", "normative_in_force"}
    assert all(r["agency_name"] == "望舒市司法局" for r in rows if r["rule"] == "carry_over")
    records = [json.loads(line) for line in out.open()]
    agree = [
        r for r in records
        if "cross_year_agree" in r["applications"]["carried_over"]["total"]["features"]
    ]  # fmt: skip
    assert len(agree) == 1  # 2022's 上年结转 agrees with 2021
    csv_out = tmp_path / "out.csv"
    assert runner.invoke(app, ["export", str(csv_out), "--db", db]).exit_code == 0
    with (tmp_path / "out.archive_checks.csv").open(encoding="utf-8-sig") as fh:
        assert any(r["outcome"] == "pass" for r in csv.DictReader(fh))
