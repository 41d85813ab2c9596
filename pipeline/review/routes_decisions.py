"""A reviewer's decision: POST /field/{document}/{path} (accept | correct | unreadable), then on
to the next field of the queue the reviewer chose.

The form carries the field's `version` (its number of decisions when the page was drawn): a
decision on an older version is refused with 409 and the field's page as it is now (the other
decision's value, a banner saying yours was not saved). A database that was deleted, replaced
or is locked answers 503 (app.py's handlers): never a "saved" that did not reach the disk."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

from ..db import StaleDecision
from ..db.models import ReviewRow
from . import queries
from .context import ACTIONS, IdPath, ReviewContext, small_int
from .decisions import DecisionError, decide, parse_value
from .routes_pages import render_field
from .security import SESSION_COOKIE


def router(ctx: ReviewContext) -> APIRouter:
    api = APIRouter()
    store, groups, limit = ctx.store, ctx.groups, ctx.limit
    review = ctx.settings.review

    @api.post("/field/{document_id}/{path}")
    def decide_field(
        request: Request,
        document_id: IdPath,
        path: str,
        action: str = Form(...),
        csrf_token: str = Form("", alias="csrf"),
        value: str = Form(""),
        note: str = Form(""),
        reason: str = Form(""),
        table: str = Form(""),
        document: str = Form(""),
        version: str = Form(""),
    ) -> Response:
        if not ctx.csrf.valid(request.cookies.get(SESSION_COOKIE), csrf_token):
            return PlainTextResponse("form expired or forged (CSRF check failed)", 403)
        flt = ctx.filter_of(reason, table, small_int(document))
        if action not in ACTIONS:
            return ctx.problem(request, f"unknown action {action[:40]!r}", 400)
        seen = small_int(version)
        if version and seen is None:
            return ctx.problem(request, f"bad field version {version[:40]!r}", 422)
        try:
            before = queries.queue(store, flt, groups, limit)
        except ValueError as exc:
            return ctx.problem(request, str(exc), 400)
        keys = [(r.document_id, r.path) for r in before]
        try:
            outcome = decide(
                store,
                ctx.checks,
                document_id,
                path,
                action,
                ctx.config.reviewer,
                value,
                note,
                seen_version=seen,  # a form without it (a script) is not version-checked
                expected=ctx.identity,
                busy_timeout_s=review.busy_timeout_s,
                max_chars=review.max_value_chars,
                judge=ctx.judge,
            )
        except StaleDecision as exc:
            repeated = _repeated(ctx, exc, action, value)
            if repeated is not None:  # a double submit: the decision stands, say it is saved
                target = ctx.field_url(document_id, path, flt, saved=repeated.id)
                return RedirectResponse(target, status_code=303)
            # another reviewer came first: show the field as it is now
            return render_field(ctx, request, document_id, path, flt, conflict=exc, status=409)
        except DecisionError as exc:
            target = ctx.field_url(document_id, path, flt, error=str(exc))
            return RedirectResponse(target, status_code=303)
        after = [(r.document_id, r.path) for r in queries.queue(store, flt, groups, limit)]
        if not after:
            return RedirectResponse(
                ctx.field_url(document_id, path, flt, saved=outcome.review.id), status_code=303
            )
        here = keys.index((document_id, path)) if (document_id, path) in keys else 0
        # The decided field left the queue: whatever followed it now stands at its index.
        following = [k for k in keys[here + 1 :] if k in after]
        nxt = following[0] if following else after[min(here, len(after) - 1)]
        return RedirectResponse(ctx.field_url(*nxt, flt, saved=outcome.review.id), status_code=303)

    return api


def _repeated(ctx: ReviewContext, exc: StaleDecision, action: str, typed: str) -> ReviewRow | None:
    """The field's latest decision when it is this very decision by this reviewer (a form
    sent twice: a double key press), else None."""
    history = [r for r in ctx.store.reviews(exc.document_id) if r.field_path == exc.path]
    if not history or exc.version != exc.seen + 1:  # only one decision came in between
        return None
    last = history[-1]
    if last.reviewer != ctx.config.reviewer or last.action != action:
        return None
    if action == "correct":
        try:
            wanted = parse_value(
                exc.path, last.previous_value, typed, ctx.settings.review.max_value_chars
            )
        except DecisionError:
            return None
        if wanted != last.new_value:
            return None
    return last
