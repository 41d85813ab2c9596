"""The series generator's breaks are what the archive checks find, and its consistent series
give no cross-year failure."""

from __future__ import annotations

from nianbao import archive
from nianbao.db import Store
from nianbao.db.models import ArchiveCheck
from nianbao.synth.series import Corpus, generate
from sqlalchemy import select


def _stored(store: Store, n: int, broken: float) -> tuple[Corpus, list[int], list[ArchiveCheck]]:
    corpus = generate(n, (2019, 2023), seed=3, broken=broken, contexts=("full",))
    ids = [store.save_record(r.record, f"s{i}", "cfg") for i, r in enumerate(corpus.reports)]
    archive.run_store(store, document_ids=ids)
    with store.session() as s:
        rows = list(s.scalars(select(ArchiveCheck)))
    return corpus, ids, rows


def test_consistent_series_give_no_failure_and_one_agency_each(store: Store) -> None:
    corpus, ids, rows = _stored(store, 8, broken=0.0)
    assert not [r for r in rows if r.outcome == "fail"]
    agencies: dict[int, set[int | None]] = {}
    for i, r in enumerate(corpus.reports):
        agencies.setdefault(r.series, set()).add(store.document(ids[i]).agency_id)
    assert all(len(a) == 1 for a in agencies.values())
    assert len({next(iter(a)) for a in agencies.values()}) == 8


def test_every_injected_break_is_found(store: Store) -> None:
    corpus, ids, rows = _stored(store, 10, broken=1.0)
    assert {b.kind for b in corpus.breaks} == {
        "misread", "missing_year", "duplicate", "revised", "renamed"
    }  # fmt: skip
    for b in corpus.breaks:
        if b.kind == "misread":
            doc = ids[b.report]
            assert any(
                r.outcome == "fail" and r.culprit_document_id == doc and r.culprit_field == b.path
                for r in rows
            ), b
        elif b.kind == "missing_year":
            assert any(r.rule == "year_gap" and r.year_a == b.year for r in rows), b
        elif b.kind in ("duplicate", "revised"):
            doc = ids[b.report]
            assert any(
                r.rule == "one_report_per_year" and r.binding == b.kind
                and doc in (r.document_a_id, r.document_b_id)
                for r in rows
            ), b  # fmt: skip
        else:
            docs = [ids[i] for i, r in enumerate(corpus.reports) if r.series == b.series]
            assert len({store.document(d).agency_id for d in docs}) == 1, b
