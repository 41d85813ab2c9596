"""The record's JSON Schema is a public contract: it changes only on purpose.

Regenerate the snapshot with NIANBAO_REGEN=1 after a deliberate change (and bump
SCHEMA_VERSION: minor for additions, major for renames/removals)."""

from __future__ import annotations

import json
import os

from nianbao.datamodel.record import SCHEMA_VERSION, ReportRecord, record_json_schema

from tests.conftest import DATA

SNAPSHOT = DATA / "record_schema.json"


def test_schema_matches_snapshot() -> None:
    schema = record_json_schema()
    if os.environ.get("NIANBAO_REGEN"):
        SNAPSHOT.write_text(
            json.dumps(schema, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    assert schema == json.loads(SNAPSHOT.read_text(encoding="utf-8")), (
        "the record schema changed: bump SCHEMA_VERSION and regenerate with NIANBAO_REGEN=1"
    )


def test_schema_version_and_contract_paths() -> None:
    assert SCHEMA_VERSION.startswith("1.")
    props = record_json_schema()["properties"]
    for key in (
        "schema_version",
        "source",
        "status",
        "errors",
        "template",
        "meta",
        "sections",
        "active_disclosure",
        "applications",
        "review_litigation",
        "items",
        "checks",
        "review",
        "provenance",
    ):
        assert key in props, key


def test_get_and_iter_fields_cover_every_field() -> None:
    record = ReportRecord(
        source={"path": "x"}, status="ok", provenance={"nianbao_version": "0", "config_hash": "0"}
    )
    paths = [p for p, _ in record.iter_fields()]
    assert "applications.not_disclosed.three_safety_one_stability.natural_person" in paths
    assert "items.info_processing_fees_yuan" in paths
    assert record.get("review_litigation.litigation_after_review.pending").semantic == "missing"
