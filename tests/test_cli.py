"""The `nianbao` command as a user runs it, and the record against its published schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from nianbao.cli import app
from nianbao.datamodel.record import SCHEMA_VERSION
from typer.testing import CliRunner

from tests.conftest import REPORTS, SEED

runner = CliRunner()


@pytest.fixture(scope="module")
def schema() -> dict:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    return json.loads(result.stdout)


def test_extract_writes_a_record_that_validates_against_the_schema(
    tmp_path: Path, schema: dict
) -> None:
    out = tmp_path / "seed.json"
    result = runner.invoke(app, ["extract", str(SEED), "-o", str(out)])
    assert result.exit_code == 0, result.output
    record = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(record, schema)
    assert record["schema_version"] == SCHEMA_VERSION
    assert record["applications"]["new"]["total"]["value"] == 18
    assert set(record["applications"]["new"]["total"]) >= {
        "value",
        "confidence",
        "raw",
        "semantic",
        "evidence",
        "method",
        "review",
    }


def test_failed_records_validate_too_and_set_the_exit_code(tmp_path: Path, schema: dict) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    out_dir = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(SEED), str(bad), "--out-dir", str(out_dir)])
    assert result.exit_code == 1
    failed = json.loads((out_dir / "empty.json").read_text(encoding="utf-8"))
    jsonschema.validate(failed, schema)
    assert failed["status"] == "failed" and failed["errors"][0]["code"] == "empty_file"
    assert json.loads((out_dir / "seed_liaocheng_2021.json").read_text())["status"] == "ok"


def test_every_fixture_record_validates(tmp_path: Path, schema: dict) -> None:
    files = sorted(str(p) for p in REPORTS.iterdir() if p.suffix in (".txt", ".html"))
    result = runner.invoke(app, ["extract", *files, "--out-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for path in tmp_path.glob("*.json"):
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)


def test_bad_config_is_a_clear_error(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("headings:\n  min_score: high\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(SEED), "--config", str(cfg)])
    assert result.exit_code == 2
    assert "bad.yaml" in result.output and "min_score" in result.output


@pytest.mark.slow
def test_installed_console_script_runs(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "nianbao"
    out = tmp_path / "r.json"
    proc = subprocess.run(
        [str(exe), "extract", str(SEED), "-o", str(out)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text())["meta"]["agency"]["value"] == "聊城市市场监督管理局"


def test_eval_reports_accuracy_by_group_and_confidence(tmp_path: Path) -> None:
    out = tmp_path / "eval.json"
    result = runner.invoke(app, ["eval", str(REPORTS), "--json", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["documents"] == 6
    assert set(report["by_group"]) == {"meta", "table 二", "table 三", "table 四", "items"}
    assert report["accuracy"] > 0.99
    assert sum(row["fields"] for row in report["confidence_table"]) == report["fields"]
    assert "confidence against accuracy" in result.output


def test_eval_counts_a_wrong_value_as_wrong(tmp_path: Path) -> None:
    """A truth file that disagrees with the document is reported, not papered over."""
    doc = tmp_path / "seed.txt"
    doc.write_bytes(SEED.read_bytes())
    truth = {
        "meta": {"year": 2021},
        "values": {"applications.new.total": 19, "items.npc_suggestions_handled": 7},
    }
    (tmp_path / "seed.truth.json").write_text(json.dumps(truth), encoding="utf-8")
    out = tmp_path / "eval.json"
    assert runner.invoke(app, ["eval", str(tmp_path), "--json", str(out)]).exit_code == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["fields"] == 3 and report["accuracy"] == round(2 / 3, 4)
    assert report["wrong"] == [
        {
            "doc": str(doc),
            "path": "applications.new.total",
            "truth": 19,
            "value": 18,
            "flagged": False,
        }
    ]


def test_eval_without_truth_files_is_an_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code == 2 and "truth.json" in result.output
