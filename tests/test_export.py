"""nianbao export: JSONL reproduces stored records; CSV and Parquet hold one row per field."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
from nianbao.cli import app
from nianbao.db import Store
from nianbao.runner import Pipeline
from typer.testing import CliRunner

from tests.conftest import REPORTS, SEED


def test_exports_from_the_database(tmp_path: Path, pipeline: Pipeline) -> None:
    db = tmp_path / "n.db"
    records = [pipeline.run(SEED), pipeline.run(REPORTS / "chinese_numerals.txt")]
    with Store(str(db)) as store:
        ids = [store.save_record(r, f"{i:064d}", "c") for i, r in enumerate(records)]
        store.apply_review(ids[0], "applications.new.total", "correct", "li", new_value=20)
    runner = CliRunner()
    for suffix in ("jsonl", "csv", "parquet"):
        out = tmp_path / f"out.{suffix}"
        result = runner.invoke(app, ["export", str(out), "--db", str(db)])
        assert result.exit_code == 0, result.output
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["source"]["path"] for line in lines] == [
        str(SEED),
        records[1].source.path,
    ]
    assert json.loads(lines[1]) == json.loads(records[1].model_dump_json())
    assert json.loads(lines[0])["applications"]["new"]["total"]["value"] == 20
    with (tmp_path / "out.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    n_fields = len(records[0].iter_fields())
    assert len(rows) == 2 * n_fields
    total = next(
        r for r in rows if r["path"] == "applications.new.total" and r["document_id"] == str(ids[0])
    )
    assert (total["value"], total["method"], total["reviewed_by"]) == ("20", "review", "li")
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.num_rows == 2 * n_fields
    assert table.column("value_num").to_pylist()[:n_fields].count(None) < n_fields
    bad = runner.invoke(app, ["export", str(tmp_path / "out.xls"), "--db", str(db)])
    assert bad.exit_code == 2 and "format" in bad.output


FORMULAS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", '=HYPERLINK("http://x")']


def test_csv_neutralises_formula_cells_and_keeps_numbers_and_other_formats_raw(
    tmp_path: Path, pipeline: Pipeline
) -> None:
    """A spreadsheet opening fields.csv evaluates no cell that came from a document (label,
    agency, evidence text); negative numbers stay numbers; JSONL and Parquet hold the raw text."""
    db = tmp_path / "n.db"
    body = SEED.read_text(encoding="utf-8")
    with Store(str(db)) as store:
        for i, payload in enumerate(FORMULAS):
            src = tmp_path / f"{i}.txt"
            src.write_text(body, encoding="utf-8")
            record = pipeline.run(src)
            record.source.path = payload  # the label a hostile file name gives
            record.meta.agency.value = payload
            record.applications.new.total.evidence.text = payload
            record.applications.new.total.value = -3  # a negative number is a number
            store.save_record(record, f"{i:064d}", "c", label=payload)
    runner = CliRunner()
    for suffix in ("csv", "jsonl", "parquet"):
        result = runner.invoke(app, ["export", str(tmp_path / f"o.{suffix}"), "--db", str(db)])
        assert result.exit_code == 0, result.output
    with (tmp_path / "o.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        for column, cell in row.items():
            if _is_number(cell):
                continue  # a number (-3, -3.0) is read as a number, not a formula
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
    totals = [r for r in rows if r["path"] == "applications.new.total"]
    assert {r["value"] for r in totals} == {"-3"}
    assert {r["label"] for r in totals} == {"'" + p for p in FORMULAS}
    assert {r["agency"] for r in totals} == {"'" + p for p in FORMULAS}
    lines = (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["meta"]["agency"]["value"] for line in lines} == set(FORMULAS)
    table = pq.read_table(tmp_path / "o.parquet").to_pydict()
    assert set(table["label"]) == set(FORMULAS)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return cell.strip() == cell
