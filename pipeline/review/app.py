"""The review page: routes over the database, server-rendered Jinja2 templates (templates/).

    GET  /                              the queue: documents and fields to review, worst first
    GET  /field/{document}/{path}       one field: evidence beside the value, its checks
    POST /field/{document}/{path}       a decision (accept | correct | unreadable) -> next field
    GET  /evidence/{document}/crop      the page around a field's evidence box (?field=path)
    GET  /evidence/{document}/page/{n}  a whole page (?field=path outlines its box)

Every identifier in a request (document id, field path, page number) is looked up in the
database; no part of a request is used as a file path. Filters (reason, table, document) ride
along in query strings so next/previous walk the queue the reviewer chose.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from ..datamodel.base import BBox
from ..datamodel.record import ReportRecord
from ..db import Store
from ..db.models import Document, FieldRow
from ..settings import Settings
from ..stages.checks import Checks
from ..template import load_template
from . import queries
from .decisions import DecisionError, decide
from .evidence import Evidence, EvidenceUnavailable
from .labels import labels
from .queries import QueueFilter
from .security import SESSION_COOKIE, TOKEN_COOKIE, Csrf, same_secret

TEMPLATES = Path(__file__).resolve().parent / "templates"
ACTIONS = {"accept": "accepted", "correct": "corrected", "unreadable": "marked unreadable"}


@dataclass(frozen=True)
class ReviewConfig:
    """How this server runs: who reviews, and who may connect."""

    reviewer: str
    token: str | None  # required on every request when set
    allowed_hosts: tuple[str, ...]  # Host header names accepted when there is no token


def create_app(store: Store, settings: Settings, config: ReviewConfig) -> FastAPI:
    app = FastAPI(title="nianbao review", docs_url=None, redoc_url=None, openapi_url=None)
    templates = Jinja2Templates(directory=str(TEMPLATES))
    template = load_template()
    checks = Checks(Checks.options_from(settings), template)
    evidence = Evidence(settings.render, settings.review)
    words = labels(template)
    groups = settings.review.reason_groups
    csrf = Csrf()
    limit = settings.review.queue_limit

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if config.token is None:
            host = (request.url.hostname or "").strip("[]")
            if host not in config.allowed_hosts:
                return PlainTextResponse(f"unknown host {host!r}", status_code=400)
        else:
            given = request.query_params.get("token")
            if given is not None and same_secret(given, config.token):
                rest = {k: v for k, v in request.query_params.items() if k != "token"}
                target = request.url.path + ("?" + urlencode(rest) if rest else "")
                response: Response = RedirectResponse(target, status_code=303)
                response.set_cookie(TOKEN_COOKIE, config.token, httponly=True, samesite="strict")
                return response
            if not same_secret(request.cookies.get(TOKEN_COOKIE), config.token):
                return PlainTextResponse(
                    "this review page needs its access token: open it once as ?token=...",
                    status_code=401,
                )
        response = await call_next(request)
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
        session = request.cookies.get(SESSION_COOKIE) or csrf.new_session()
        context = {
            **context,
            "csrf": csrf.token(session),
            "reviewer": config.reviewer,
            "groups": list(groups),
            "tables": queries.TABLES,
        }
        response = templates.TemplateResponse(request, name, context, status_code=status)
        if request.cookies.get(SESSION_COOKIE) != session:
            response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict")
        return response

    def problem(request: Request, message: str, status: int) -> Response:
        return page(request, "problem.html", {"message": message}, status)

    def filter_of(reason: str | None, table: str | None, document: int | None) -> QueueFilter:
        return QueueFilter(reason or None, table or None, document)

    def field_url(document_id: int, path: str, flt: QueueFilter, **extra: Any) -> str:
        query = {**flt.query(), **{k: str(v) for k, v in extra.items()}}
        return f"/field/{document_id}/{path}" + ("?" + urlencode(query) if query else "")

    def load(document_id: int) -> tuple[Document, ReportRecord]:
        doc = store.document(document_id)  # KeyError when unknown
        return doc, ReportRecord.model_validate_json(doc.record_json)

    @app.get("/", response_class=HTMLResponse)
    def queue_page(
        request: Request,
        reason: str | None = None,
        table: str | None = None,
        document: int | None = None,
    ) -> Response:
        flt = filter_of(reason, table, document)
        try:
            rows = queries.queue(store, flt, groups, limit)
        except ValueError as exc:
            return problem(request, str(exc), 400)
        items = [
            {
                "row": r,
                "label": words.get(r.path, r.path),
                "groups": queries.groups_of(r, groups),
                "url": field_url(r.document_id, r.path, flt),
            }
            for r in rows
        ]
        docs = queries.documents(store)
        names = {d.id: d.label for d in docs}
        return page(
            request,
            "queue.html",
            {"items": items, "docs": docs, "names": names, "flt": flt, "limit": limit},
        )

    @app.get("/field/{document_id}/{path}", response_class=HTMLResponse)
    def field_page(
        request: Request,
        document_id: int,
        path: str,
        reason: str | None = None,
        table: str | None = None,
        document: int | None = None,
        saved: int | None = None,
        error: str | None = None,
    ) -> Response:
        flt = filter_of(reason, table, document)
        row = queries.field(store, document_id, path)
        if row is None:
            return problem(request, f"document {document_id} has no field {path!r}", 404)
        doc, record = load(document_id)
        try:
            rows = queries.queue(store, flt, groups, limit)
        except ValueError as exc:
            return problem(request, str(exc), 400)
        keys = [(r.document_id, r.path) for r in rows]
        here = keys.index((document_id, path)) if (document_id, path) in keys else None
        prev_url = next_url = None
        if here is not None:
            if here > 0:
                prev_url = field_url(*keys[here - 1], flt)
            if here + 1 < len(keys):
                next_url = field_url(*keys[here + 1], flt)
        elif keys:
            next_url = field_url(*keys[0], flt)
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
                else {c.rule: c for c in load(saved_doc)[1].checks}
            )
            for c in queries.checks_of(store.checks(saved_doc), saved_review.field_path):
                saved_checks.append({"check": c, "was": was.get(c.rule)})
        context = _evidence_context(evidence, doc, record, row)
        return page(
            request,
            "field.html",
            {
                "doc": doc,
                "record": record,
                "row": row,
                "label": words.get(path, path),
                "value": row.reviewed_value if row.review_action else row.value,
                "reason_chips": [
                    (r, queries.group_of_reason(r, groups)) for r in row.review_reasons
                ],
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
                    f"/evidence/{document_id}/page/{row.evidence_page}?"
                    + urlencode({"field": path})
                )
                if row.evidence_page
                else None,
                **context,
            },
        )

    @app.post("/field/{document_id}/{path}")
    def decide_field(
        request: Request,
        document_id: int,
        path: str,
        action: str = Form(...),
        csrf_token: str = Form("", alias="csrf"),
        value: str = Form(""),
        note: str = Form(""),
        reason: str = Form(""),
        table: str = Form(""),
        document: str = Form(""),
    ) -> Response:
        if not csrf.valid(request.cookies.get(SESSION_COOKIE), csrf_token):
            return PlainTextResponse("form expired or forged (CSRF check failed)", 403)
        flt = filter_of(reason, table, int(document) if document.isdigit() else None)
        if action not in ACTIONS:
            return problem(request, f"unknown action {action!r}", 400)
        try:
            before = queries.queue(store, flt, groups, limit)
        except ValueError as exc:
            return problem(request, str(exc), 400)
        keys = [(r.document_id, r.path) for r in before]
        try:
            outcome = decide(store, checks, document_id, path, action, config.reviewer, value, note)
        except DecisionError as exc:
            target = field_url(document_id, path, flt, error=str(exc))
            return RedirectResponse(target, status_code=303)
        after = [(r.document_id, r.path) for r in queries.queue(store, flt, groups, limit)]
        if not after:
            return RedirectResponse(
                field_url(document_id, path, flt, saved=outcome.review.id), status_code=303
            )
        here = keys.index((document_id, path)) if (document_id, path) in keys else 0
        # The decided field left the queue: whatever followed it now stands at its index.
        following = [k for k in keys[here + 1 :] if k in after]
        nxt = following[0] if following else after[min(here, len(after) - 1)]
        return RedirectResponse(field_url(*nxt, flt, saved=outcome.review.id), status_code=303)

    @app.get("/evidence/{document_id}/crop")
    def crop(document_id: int, field: str = Query(...)) -> Response:
        row = queries.field(store, document_id, field)
        if row is None or row.evidence_page is None or row.evidence_bbox is None:
            return PlainTextResponse("no page evidence for this field", status_code=404)
        doc, record = load(document_id)
        bbox = _bbox(row.evidence_bbox)
        try:
            png = evidence.crop_png(doc, record, row.evidence_page, bbox)
        except EvidenceUnavailable as exc:
            return PlainTextResponse(str(exc), status_code=404)
        return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})

    @app.get("/evidence/{document_id}/page/{number}")
    def whole_page(document_id: int, number: int, field: str | None = None) -> Response:
        try:
            doc, record = load(document_id)
        except KeyError:
            return PlainTextResponse(f"no document {document_id}", status_code=404)
        bbox = None
        if field is not None:
            row = queries.field(store, document_id, field)
            if row is None:
                return PlainTextResponse(f"no field {field!r}", status_code=404)
            if row.evidence_page == number and row.evidence_bbox is not None:
                bbox = _bbox(row.evidence_bbox)
        try:
            png = evidence.page_png(doc, record, number, bbox)
        except EvidenceUnavailable as exc:
            return PlainTextResponse(str(exc), status_code=404)
        return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})

    @app.exception_handler(KeyError)
    async def unknown(request: Request, exc: KeyError) -> Response:
        return PlainTextResponse(str(exc.args[0]) if exc.args else "not found", 404)

    return app


def _bbox(values: list[float]) -> BBox:
    x0, y0, x1, y1 = (float(v) for v in values)
    return BBox(x0, y0, x1, y1)


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
