"""The pages a reviewer reads: the queue (GET /) and one field (GET /field/{document}/{path})."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ..datamodel.record import ReportRecord
from ..db import StaleDecision
from ..db.models import Document, FieldRow
from . import archive_view, queries
from .context import ACTIONS, IdPath, IdQuery, ReviewContext
from .evidence import Evidence, EvidenceUnavailable
from .queries import QueueFilter


def router(ctx: ReviewContext) -> APIRouter:
    api = APIRouter()
    store, words, groups, limit = ctx.store, ctx.words, ctx.groups, ctx.limit

    @api.get("/", response_class=HTMLResponse)
    def queue_page(
        request: Request,
        reason: str | None = None,
        table: str | None = None,
        document: IdQuery = None,
    ) -> Response:
        flt = ctx.filter_of(reason, table, document)
        try:
            rows = queries.queue(store, flt, groups, limit)
        except ValueError as exc:
            return ctx.problem(request, str(exc), 400)
        items = [
            {
                "row": r,
                "label": words.get(r.path, r.path),
                "groups": queries.groups_of(r, groups),
                "url": ctx.field_url(r.document_id, r.path, flt),
            }
            for r in rows
        ]
        docs = queries.documents(store)
        names = {d.id: d.label for d in docs}
        return ctx.page(
            request,
            "queue.html",
            {"items": items, "docs": docs, "names": names, "flt": flt, "limit": limit},
        )

    @api.get("/field/{document_id}/{path}", response_class=HTMLResponse)
    def field_page(
        request: Request,
        document_id: IdPath,
        path: str,
        reason: str | None = None,
        table: str | None = None,
        document: IdQuery = None,
        saved: IdQuery = None,
        error: str | None = None,
    ) -> Response:
        flt = ctx.filter_of(reason, table, document)
        return render_field(ctx, request, document_id, path, flt, saved=saved, error=error)

    return api


def render_field(
    ctx: ReviewContext,
    request: Request,
    document_id: int,
    path: str,
    flt: QueueFilter,
    *,
    saved: int | None = None,
    error: str | None = None,
    conflict: StaleDecision | None = None,
    status: int = 200,
) -> Response:
    """One field's page; `conflict` (status 409): the decision just refused as stale."""
    store, words, groups, limit = ctx.store, ctx.words, ctx.groups, ctx.limit
    row = queries.field(store, document_id, path)
    if row is None:
        return ctx.problem(request, f"document {document_id} has no field {path!r}", 404)
    doc, record = ctx.load(document_id)
    try:
        rows = queries.queue(store, flt, groups, limit)
    except ValueError as exc:
        return ctx.problem(request, str(exc), 400)
    keys = [(r.document_id, r.path) for r in rows]
    here = keys.index((document_id, path)) if (document_id, path) in keys else None
    prev_url = next_url = None
    if here is not None:
        if here > 0:
            prev_url = ctx.field_url(*keys[here - 1], flt)
        if here + 1 < len(keys):
            next_url = ctx.field_url(*keys[here + 1], flt)
    elif keys:
        next_url = ctx.field_url(*keys[0], flt)
    stored = store.checks(document_id)
    extracted = {c.rule: c for c in record.checks}
    current = _current_values(store.fields(document_id))
    field_checks = [
        {
            "check": c,
            "was": extracted.get(c.rule),
            "terms": [(p, words.get(p, p), current.get(p)) for p in c.fields],
        }
        for c in queries.checks_of(stored, path)
    ]
    history = [r for r in store.reviews(document_id) if r.field_path == path]
    saved_review = queries.review(store, saved) if saved is not None else None
    saved_checks = []
    if saved_review is not None:  # the decision just made, perhaps in another document
        saved_doc = saved_review.document_id
        was = (
            extracted
            if saved_doc == document_id
            else {c.rule: c for c in ctx.load(saved_doc)[1].checks}
        )
        for c in queries.checks_of(store.checks(saved_doc), saved_review.field_path):
            saved_checks.append({"check": c, "was": was.get(c.rule)})
    context = _evidence_context(ctx.evidence, doc, record, row)
    xs = archive_view.cross_year_of(store, document_id, path)
    cross_year = [_beside(ctx, c) for c in xs]
    return ctx.page(
        request,
        "field.html",
        {
            "doc": doc,
            "record": record,
            "row": row,
            "label": words.get(path, path),
            "value": row.reviewed_value if row.review_action else row.value,
            "reason_chips": [(r, queries.group_of_reason(r, groups)) for r in row.review_reasons],
            "field_checks": field_checks,
            "history": history,
            "saved": saved_review,
            "saved_label": words.get(saved_review.field_path, saved_review.field_path)
            if saved_review
            else None,
            "saved_checks": saved_checks,
            "actions": ACTIONS,
            "error": error,
            "flt": flt,
            "position": None if here is None else here + 1,
            "queue_size": len(keys),
            "prev_url": prev_url,
            "next_url": next_url,
            "queue_url": "/" + ("?" + urlencode(flt.query()) if flt.query() else ""),
            "post_url": f"/field/{document_id}/{path}",
            "crop_url": f"/evidence/{document_id}/crop?" + urlencode({"field": path}),
            "page_url": (
                f"/evidence/{document_id}/page/{row.evidence_page}?" + urlencode({"field": path})
            )
            if row.evidence_page
            else None,
            "conflict": conflict,
            "cross_year": cross_year,
            "agency_url": f"/agency/{doc.agency_id}" if doc.agency_id is not None else None,
            **context,
        },
        status,
    )


def _current_values(rows: list[FieldRow]) -> dict[str, Any]:
    return {r.path: (r.reviewed_value if r.review_action else r.value) for r in rows}


def _evidence_context(
    evidence: Evidence, doc: Document, record: ReportRecord, row: FieldRow
) -> dict[str, Any]:
    """What to show beside the value: a page crop, text lines, or only the evidence text."""
    out: dict[str, Any] = {"has_image": False, "text_context": None, "evidence_problem": None}
    try:
        if row.evidence_page is not None and row.evidence_bbox is not None:
            evidence.source_file(doc)  # fail here, with a message, rather than as a broken image
            out["has_image"] = True
        elif row.evidence_line is not None and record.source.input_kind == "text":
            out["text_context"] = evidence.text_context(doc, record, row.evidence_line)
    except EvidenceUnavailable as exc:
        out["evidence_problem"] = str(exc)
    return out


def _beside(ctx: ReviewContext, c: archive_view.CrossYear) -> dict[str, Any]:
    """A cross-year check of the field on the page, with what to show of the other year's
    field: its value, its evidence (the same crop route, for the other document), a link."""
    out: dict[str, Any] = {"c": c, "words": ctx.words, "other_url": None, "crop_url": None}
    out.update({"has_image": False, "text_context": None, "evidence_problem": None})
    row = c.counterpart
    if row is None or c.other.document_id is None:
        return out
    other = c.other.document_id
    out["other_url"] = f"/field/{other}/{row.path}"
    out["crop_url"] = f"/evidence/{other}/crop?" + urlencode({"field": row.path})
    try:
        doc, record = ctx.load(other)
    except KeyError:
        return out
    out.update(_evidence_context(ctx.evidence, doc, record, row))
    return out
