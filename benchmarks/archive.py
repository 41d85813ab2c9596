"""The archive as evidence (issue #16): are injected breaks found and localised, what do
cross-year checks catch that in-report checks do not, and what they cost.

1. Truth: generated series (pipeline/synth/series.py; several agencies, 2019-2025, about half
   with one injected break: a misread carried-over cell, a missing year, a duplicate, a revised
   report, a renamed agency; name variants on consistent ones) are stored and checked as
   `nianbao batch` does. Every break must be found (and a misread localised to its field and
   report); a consistent series must show no failed cross-year check; each series must be one
   agency.
2. Misreads: series that each carry one misread carried cell, read in four contexts (every
   cell read; only the 总计 column printed; the 本年新收 row unread; both). For each misread:
   does an in-report hard check fail on it (flagged), do the in-report failures single it out
   (the one cell their failed row and column relations share), does a cross-year check fail
   on it, and is it the cross-year culprit.
3. Cost: archive-check time per document in a batch (all years stored, then the next year
   added incrementally), and on an archive of 10,000 stored documents (filled directly with
   consistent series, not through extraction): a full `nianbao check` and batches of 1 and 100
   new reports.

    .venv/bin/python benchmarks/archive.py --json benchmarks/results/archive.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from nianbao import archive
from nianbao.datamodel.record import ReportRecord
from nianbao.db import Store
from nianbao.db.models import ArchiveCheck, Document, FieldRow
from nianbao.synth.series import CONTEXTS, Corpus, generate, make_record, plain_series
from sqlalchemy import insert, select


def store_corpus(store: Store, corpus: Corpus) -> list[int]:
    return [store.save_record(r.record, f"c{i}", "bench") for i, r in enumerate(corpus.reports)]


def truth(n_series: int, seed: int, tmp: Path) -> dict[str, Any]:
    corpus = generate(n_series, seed=seed, broken=0.5)
    with Store(f"sqlite:///{tmp / f'truth{seed}.db'}") as store:
        ids = store_corpus(store, corpus)
        summary = archive.run_store(store, document_ids=ids)
        with store.session() as s:
            rows = list(s.scalars(select(ArchiveCheck)))
            agency_of = dict(s.execute(select(Document.id, Document.agency_id)).all())
    doc_of = dict(enumerate(ids))
    series_agencies: dict[int, set[int | None]] = defaultdict(set)
    for i, r in enumerate(corpus.reports):
        series_agencies[r.series].add(agency_of[doc_of[i]])
    broken_series = {b.series for b in corpus.breaks}
    results: dict[str, Counter[str]] = defaultdict(Counter)
    misses = []
    for b in corpus.breaks:
        agencies = series_agencies[b.series]
        (agency,) = agencies if len(agencies) == 1 else (None,)
        found = localised = False
        if b.kind == "misread":
            assert b.report is not None and b.path is not None
            doc = doc_of[b.report]
            failing = [
                r
                for r in rows
                if r.outcome == "fail"
                and r.rule == "carry_over"
                and (
                    (r.document_a_id == doc and b.path in r.fields_a)
                    or (r.document_b_id == doc and b.path in r.fields_b)
                )
            ]
            found = bool(failing)
            localised = any(
                r.culprit_document_id == doc and r.culprit_field == b.path for r in failing
            )
        elif b.kind == "missing_year":
            found = localised = any(
                r.rule == "year_gap"
                and r.agency_id == agency
                and r.year_a is not None
                and r.year_b is not None
                and r.year_a <= b.year <= r.year_b
                for r in rows
            )
        elif b.kind in ("duplicate", "revised"):
            assert b.report is not None
            doc = doc_of[b.report]
            found = any(
                r.rule == "one_report_per_year"
                and doc in (r.document_a_id, r.document_b_id)
                and r.binding == b.kind
                for r in rows
            )
            localised = found
        elif b.kind == "renamed":
            found = localised = agency is not None
        results[b.kind]["injected"] += 1
        results[b.kind]["found"] += found
        results[b.kind]["localised"] += localised
        if not (found and localised):
            misses.append({"kind": b.kind, "series": b.series, "year": b.year, "path": b.path})
    consistent_agencies = {
        a for s, ags in series_agencies.items() if s not in broken_series for a in ags
    }
    false_fail = [r for r in rows if r.agency_id in consistent_agencies and r.outcome == "fail"]
    split = [s for s, ags in series_agencies.items() if len(ags) != 1]
    agencies_total = len({a for ags in series_agencies.values() for a in ags})
    return {
        "series": n_series,
        "reports": len(corpus.reports),
        "breaks": {k: dict(v) for k, v in sorted(results.items())},
        "missed_or_not_localised": misses,
        "consistent_series": n_series - len(broken_series),
        "false_failures_on_consistent_series": len(false_fail),
        "soft_differences_reported": summary.soft_diffs,
        "series_split_over_agencies": len(split),
        "agencies_found": agencies_total,
        "name_variants_printed": sum(1 for r in corpus.reports if r.agency not in corpus.names),
    }


def _in_report(record: ReportRecord, path: str) -> tuple[bool, bool]:
    """(an in-report hard check fails on `path`, the failed relations single it out)."""
    failed = [c for c in record.checks if c.passed is False and c.severity == "hard"]
    mine = [c for c in failed if path in c.fields]
    if not mine:
        return False, False
    table = [c for c in failed if c.fields and c.fields[0].split(".")[0] == "applications"]
    common = set(table[0].fields).intersection(*(c.fields for c in table[1:])) if table else set()
    return True, common == {path}


def misreads(n_series: int, seed: int, tmp: Path) -> dict[str, Any]:
    corpus = generate(n_series, seed=seed, broken=1.0, kinds=("misread",), contexts=CONTEXTS)
    with Store(f"sqlite:///{tmp / f'misread{seed}.db'}") as store:
        ids = store_corpus(store, corpus)
        archive.run_store(store, document_ids=ids)
        with store.session() as s:
            rows = list(s.scalars(select(ArchiveCheck).where(ArchiveCheck.outcome == "fail")))
    by_context: dict[str, Counter[str]] = defaultdict(Counter)
    for b in corpus.breaks:
        assert b.report is not None and b.path is not None
        doc = ids[b.report]
        flagged, singled = _in_report(corpus.reports[b.report].record, b.path)
        cross = [
            r
            for r in rows
            if (r.document_a_id == doc and b.path in r.fields_a)
            or (r.document_b_id == doc and b.path in r.fields_b)
        ]
        culprit = any(r.culprit_document_id == doc and r.culprit_field == b.path for r in cross)
        c = by_context[b.context]
        c["misread"] += 1
        c["in_report_flagged"] += flagged
        c["in_report_singled_out"] += singled
        c["cross_year_found"] += bool(cross)
        c["cross_year_culprit"] += culprit
        c["cross_year_only"] += bool(cross) and not flagged
        c["cross_year_localises_what_in_report_cannot"] += culprit and not singled
    total: Counter[str] = Counter()
    for c in by_context.values():
        total.update(c)
    return {
        "series": n_series,
        "by_context": {k: dict(v) for k, v in sorted(by_context.items())},
        "total": dict(total),
        "share_caught_only_cross_year": round(total["cross_year_only"] / total["misread"], 3),
        "share_localised_only_cross_year": round(
            total["cross_year_localises_what_in_report_cannot"] / total["misread"], 3
        ),
    }


# ---- cost ------------------------------------------------------------------------------------
_BASE: dict[str, Any] = {}


def _base_json() -> str:
    if "json" not in _BASE:
        _BASE["json"] = make_record("基准", 2020, {}).model_dump_json()
        _BASE["paths"] = [
            p for p, _ in ReportRecord.model_validate_json(_BASE["json"]).iter_fields()
        ]
    return str(_BASE["json"])


def _semantic(v: int | None) -> str:
    return "missing" if v is None else ("zero" if v == 0 else "number")


def bulk_store(store: Store, reports: list[tuple[str, int, dict[str, int]]], tag: str) -> list[int]:
    """Documents and every field row written directly, 200 documents per transaction (the
    record JSON is one shared stand-in: the archive reads fields, not the JSON)."""
    from datetime import UTC, datetime

    record_json = _base_json()
    paths: list[str] = _BASE["paths"]
    ids: list[int] = []
    now = datetime.now(UTC)
    for start in range(0, len(reports), 200):
        with store.session() as s, s.begin():
            for i, (agency, year, values) in enumerate(reports[start : start + 200], start):
                doc = Document(
                    content_hash=f"{tag}{i}", config_hash="bench", label=f"{tag}{i}",
                    status="ok", schema_version="1.3", input_kind="html", pages=None,
                    agency=agency, year=year, template_version="2021", review_needed=False,
                    fields_to_review=0, elapsed_ms=None, record_json=record_json,
                    created_at=now,
                )  # fmt: skip
                s.add(doc)
                s.flush()
                ids.append(doc.id)
                rows = []
                for p in paths:
                    v = values.get(p)
                    rows.append(
                        {
                            "document_id": doc.id, "path": p, "value": v,
                            "value_num": None if v is None else float(v), "raw": None,
                            "semantic": _semantic(v),
                            "confidence": 0.95, "method": "table.html", "review_needed": False,
                            "review_reasons": [],
                        }
                    )  # fmt: skip
                s.execute(insert(FieldRow), rows)
    return ids


_CPU: list[float] = []


def _timed(store: Store, **kw: Any) -> tuple[float, archive.RunSummary]:
    """Wall time in ms; the process's CPU time (SQLite runs in-process) goes to _CPU, a fairer
    figure on a shared, loaded machine."""
    t, c = time.perf_counter(), time.process_time()
    summary = archive.run_store(store, **kw)
    _CPU.append((time.process_time() - c) * 1000)
    return (time.perf_counter() - t) * 1000, summary


def cost(n_agencies: int, tmp: Path) -> dict[str, Any]:
    reports = plain_series(n_agencies, (2019, 2026), seed=7)
    first = [r for r in reports if r[1] <= 2025]
    later = [r for r in reports if r[1] == 2026]
    out: dict[str, Any] = {"agencies": n_agencies}
    with Store(f"sqlite:///{tmp / f'cost{n_agencies}.db'}") as store:
        # a batch: the 2019-2025 reports stored, then the archive checks of all of them
        half = [r for r in first if r[1] <= 2024]
        ids = bulk_store(store, half, "h")
        ms, summary = _timed(store, document_ids=ids)
        out["batch_first"] = {
            "documents": len(ids), "ms": round(ms), "ms_per_document": round(ms / len(ids), 2),
            "cpu_ms_per_document": round(_CPU[-1] / len(ids), 2),
            "checks": summary.checks, "failed": summary.failed,
        }  # fmt: skip
        # the next year's batch: incremental
        ids = bulk_store(store, [r for r in first if r[1] == 2025], "n")
        ms, summary = _timed(store, document_ids=ids)
        out["batch_next_year"] = {
            "documents": len(ids), "ms": round(ms), "ms_per_document": round(ms / len(ids), 2),
            "cpu_ms_per_document": round(_CPU[-1] / len(ids), 2),
            "checks": summary.checks, "failed": summary.failed,
        }  # fmt: skip
        stored = store.count()
        out["stored"] = stored
        # the whole archive on demand (nianbao check)
        ms, summary = _timed(store)
        out["check_all"] = {
            "documents": stored, "ms": round(ms), "ms_per_document": round(ms / stored, 3),
            "cpu_ms_per_document": round(_CPU[-1] / stored, 3),
            "checks": summary.checks, "failed": summary.failed,
        }  # fmt: skip
        for n in (1, 100):
            ids = bulk_store(store, later[:n] if n == 1 else later[1 : 1 + n], f"l{n}")
            ms, summary = _timed(store, document_ids=ids)
            out[f"batch_of_{n}_into_archive"] = {
                "documents": n, "ms": round(ms), "ms_per_document": round(ms / n, 2),
                "cpu_ms_per_document": round(_CPU[-1] / n, 2),
                "checks": summary.checks,
            }  # fmt: skip
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--series", type=int, default=60, help="series for the truth run")
    ap.add_argument("--misread-series", type=int, default=80)
    ap.add_argument("--batch-agencies", type=int, default=300, help="agencies for the batch cost")
    ap.add_argument("--archive-agencies", type=int, default=1430, help="x7 years ~ 10,000 docs")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        result: dict[str, Any] = {
            "machine": {
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "load_average_at_start": os.getloadavg(),
            },
            "truth": [truth(args.series, seed, tmp) for seed in (16, 17)],
            "misreads": misreads(args.misread_series, 16, tmp),
            "batch_cost": cost(args.batch_agencies, tmp),
            "archive_10k": cost(args.archive_agencies, tmp),
        }
    result["machine"]["load_average_at_end"] = os.getloadavg()
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
