"""The bundled example corpus (sample_scans/) and its generator (nianbao.synth): reproducible,
internally consistent, complete.

The scan path is measured against these files, so a truth file that disagrees with its own
tables, a manifest entry without a file, or a generator that no longer reproduces what is
committed would silently corrupt every evaluation made on them.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from nianbao.synth.corpus import Output, generate_synthetic
from nianbao.synth.degrade import degrade, rasterise
from nianbao.synth.report import build_report
from nianbao.synth.specs import SPECS, Variant
from nianbao.synth.truth import synthetic_truth
from nianbao.synth.typeset import render_pdf
from nianbao.template import Template
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_scans"
MANIFEST = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
DOCS = MANIFEST["documents"]
MAX_BYTES = 20 * 1000 * 1000
TRUTH_KEYS = {
    "meta",
    "template_version",
    "sections_found",
    "values",
    "failed_checks_expected",
    "notes",
    "pages",
    "variant",
}


def _script() -> ModuleType:
    """sample_scans/generate.py (a script, not a package module)."""
    name = "sample_scans_generate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SAMPLES / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _truth(doc: dict[str, Any]) -> dict[str, Any]:
    return json.loads((SAMPLES / doc["truth"]).read_text(encoding="utf-8"))


# ---- determinism ---------------------------------------------------------------------------
def test_generating_a_report_twice_gives_identical_files(
    template: Template, tmp_path: Path
) -> None:
    spec = next(s for s in SPECS if s.name == "baishui-street-2023")  # the smallest
    for run in ("a", "b"):
        generate_synthetic(spec, tmp_path / run, Output(), template, scans=False)
    for rel in (f"pdf/{spec.name}.pdf", f"pdf/{spec.name}.truth.json"):
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_the_script_writes_what_the_package_writes(tmp_path: Path) -> None:
    """sample_scans/generate.py is a thin entry point: its files are the package's."""
    name = "baishui-street-2023"
    argv = ["--only", name, "--no-scans", "--skip-real", "--out", str(tmp_path)]
    assert _script().main(argv) == 0
    for rel in (f"pdf/{name}.pdf", f"pdf/{name}.truth.json"):
        assert (tmp_path / rel).read_bytes() == (SAMPLES / rel).read_bytes(), rel


def test_scan_degradation_is_deterministic(template: Template, tmp_path: Path) -> None:
    spec = next(s for s in SPECS if s.name == "baishui-street-2023")
    generate_synthetic(spec, tmp_path, Output(), template, scans=False)
    page = rasterise(tmp_path / "pdf" / f"{spec.name}.pdf", 60, [1])[0]
    variant = Variant(
        "t", 60, 1.7, blur=0.6, noise=8, speckle=0.002, tint=True, orientation=((1, 90),)
    )
    once = degrade(page, variant, 7, 1)
    again = degrade(page, variant, 7, 1)
    assert once.tobytes() == again.tobytes()
    assert once.size == (page.height, page.width)  # turned sideways
    assert degrade(page, variant, 8, 1).tobytes() != once.tobytes()  # the seed matters


def test_committed_synthetic_truth_is_what_the_generator_writes(
    template: Template, tmp_path: Path
) -> None:
    """A change to the generator or the template must come with a regenerated corpus."""
    stale = []
    for spec in SPECS:
        rep = build_report(spec, template)
        comp = render_pdf(rep, tmp_path / f"{spec.name}.pdf")
        fresh = synthetic_truth(template, rep, comp)
        committed = json.loads(
            (SAMPLES / "pdf" / f"{spec.name}.truth.json").read_text(encoding="utf-8")
        )
        stale += [f"{spec.name}: {k}" for k in fresh if fresh[k] != committed.get(k)]
    assert not stale, "run .venv/bin/python sample_scans/generate.py: " + ", ".join(stale)


# ---- truth files -----------------------------------------------------------------------------
def _relations(template: Template, values: dict[str, Any], fmt: str) -> set[str]:
    """The 勾稽 relations of report-format.md §5, written out here independently of the
    generator: returns the ids (as pipeline/stages/checks.py names them) of those that fail.
    A relation with a missing or not-applicable value is not assessable and never fails."""
    apps = template.tables.applications
    cols = [c.key for c in apps.columns]
    applicants = [c.key for c in apps.columns if not c.is_total]
    rows = [r.key for r in apps.rows if r.formats is None or fmt in r.formats]
    leaves = [r.key for r in apps.rows if r.leaf and (r.formats is None or fmt in r.formats)]

    def num(path: str) -> float | None:
        v = values.get(path)
        return v if isinstance(v, int | float) else None

    def check(rule: str, lhs: list[str], rhs: list[str]) -> str | None:
        vals = [num(p) for p in lhs + rhs]
        if any(v is None for v in vals):
            return None
        left = sum(v for v in vals[: len(lhs)] if v is not None)
        right = sum(v for v in vals[len(lhs) :] if v is not None)
        return None if abs(left - right) < 1e-6 else rule

    a = "applications"
    results = []
    for c in cols:
        results.append(
            check(
                f"t3_column_balance[{c}]",
                [f"{a}.new.{c}", f"{a}.carried_over.{c}"],
                [f"{a}.total.{c}", f"{a}.carried_forward.{c}"],
            )
        )
        results.append(
            check(f"t3_column_total[{c}]", [f"{a}.total.{c}"], [f"{a}.{x}.{c}" for x in leaves])
        )
    for r in rows:
        results.append(
            check(f"t3_row_total[{r}]", [f"{a}.{r}.total"], [f"{a}.{r}.{x}" for x in applicants])
        )
    for g in ("review", "litigation_direct", "litigation_after_review"):
        parts = [f"review_litigation.{g}.{p}" for p in ("upheld", "corrected", "other", "pending")]
        results.append(check(f"t4_group_total[{g}]", [f"review_litigation.{g}.total"], parts))
    for path, v in values.items():
        if isinstance(v, int | float) and v < 0 and not path.endswith(".delta"):
            results.append(f"non_negative[{path}]")
    return {r for r in results if r}


@pytest.mark.parametrize("doc", DOCS, ids=[d["file"] for d in DOCS])
def test_truth_relations_hold_except_the_declared_failures(
    template: Template, doc: dict[str, Any]
) -> None:
    truth = _truth(doc)
    fmt = truth.get("table_formats", {}).get("applications", truth["template_version"])
    declared = {entry.split(":", 1)[0] for entry in truth["failed_checks_expected"]}
    assert _relations(template, truth["values"], fmt) == declared


@pytest.mark.parametrize("doc", DOCS, ids=[d["file"] for d in DOCS])
def test_truth_file_has_the_fixture_format_plus_pages_and_variant(doc: dict[str, Any]) -> None:
    truth = _truth(doc)
    assert set(truth) >= TRUTH_KEYS
    assert set(truth["meta"]) == {"agency", "year", "publish_date"}
    assert [p["page"] for p in truth["pages"]] == list(range(1, doc["pages"] + 1))
    assert all(p["text"] and not any(ch.isspace() for ch in p["text"]) for p in truth["pages"])
    assert truth["variant"] == doc["variant"]
    if doc["kind"] == "text_pdf":
        assert truth["variant"] is None
    else:
        assert len(truth["variant"]["orientation"]) == doc["pages"]


def test_corpus_covers_what_the_scan_path_must_handle() -> None:
    variants = [d["variant"] for d in DOCS if d["variant"]]
    turns = {o for v in variants for o in v["orientation"]}
    assert {90, 180} <= turns
    assert {150, 200, 300} <= {v["dpi"] for v in variants}
    assert {"png", "jpg", "tiff", "pdf"} <= {v["format"] for v in variants}
    truths = [_truth(d) for d in DOCS if d["kind"] == "text_pdf"]
    assert {t["meta"]["year"] for t in truths} >= set(range(2019, 2026))
    assert any(t["failed_checks_expected"] for t in truths)
    assert any(
        t["table_formats"]["active_disclosure"] == "2019" and t["meta"]["year"] >= 2021
        for t in truths
    )


# ---- manifest and files ------------------------------------------------------------------------
def _page_count(path: Path) -> int:
    if path.suffix == ".pdf":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        try:
            return len(doc)
        finally:
            doc.close()
    with Image.open(path) as img:
        return getattr(img, "n_frames", 1)


@pytest.mark.parametrize("doc", DOCS, ids=[d["file"] for d in DOCS])
def test_manifest_lists_files_that_exist(doc: dict[str, Any]) -> None:
    path = SAMPLES / doc["file"]
    assert path.is_file() and (SAMPLES / doc["truth"]).is_file()
    assert doc["kind"] in {"text_pdf", "scan_pdf", "image"}
    assert _page_count(path) == doc["pages"]
    if doc["variant"]:
        source = doc["variant"]["source"]
        assert source.startswith("shared/real-pdfs/") or (SAMPLES / source).is_file()


def test_every_generated_file_is_in_the_manifest() -> None:
    listed = {d["file"] for d in DOCS} | {d["truth"] for d in DOCS}
    on_disk = {
        p.relative_to(SAMPLES).as_posix()
        for folder in ("pdf", "scans", "images", "real")
        for p in (SAMPLES / folder).iterdir()
        if p.is_file()
    }
    assert on_disk == listed


def test_corpus_stays_within_its_size_budget() -> None:
    size = sum(p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file())
    assert size <= MAX_BYTES, f"sample_scans/ is {size / 1e6:.1f} MB"
