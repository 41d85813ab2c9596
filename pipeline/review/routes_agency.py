"""The archive on the review page (issue #16): GET /agencies (every agency, its number of
reports) and GET /agency/{id} (its reports by year, the statutory figures as a table and an
inline SVG plot with the years whose cross-report checks fail marked, the checks, links to each
document's fields and queue), and the grouping corrections:

    POST /agency/{id}/move   move one of its documents (document=ID) to another agency
                             (agency=ID) or to a new one (new_name=...)
    POST /agency/{id}/name   rename the agency; the form's `seen` is the name it showed

Both check the CSRF token like a decision, and refuse with 409 (the agency page as it is now)
when what the form saw changed first: the document is no longer in this agency, the name is
no longer the one shown (grouping.py: GroupingConflict)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from . import archive_view, grouping
from .context import IdPath, IdQuery, ReviewContext, small_int
from .grouping import GroupingConflict, GroupingError
from .plot import series_svg
from .security import SESSION_COOKIE


def router(ctx: ReviewContext) -> APIRouter:
    api = APIRouter()
    store = ctx.store

    @api.get("/agencies", response_class=HTMLResponse)
    def agencies_page(request: Request) -> Response:
        return ctx.page(request, "agencies.html", {"agencies": archive_view.agencies(store)})

    @api.get("/agency/{agency_id}", response_class=HTMLResponse)
    def agency_page(
        request: Request,
        agency_id: IdPath,
        moved: IdQuery = None,
        renamed: IdQuery = None,
        error: str | None = None,
    ) -> Response:
        return render_agency(request, agency_id, moved=moved, renamed=bool(renamed), error=error)

    def render_agency(
        request: Request,
        agency_id: int,
        *,
        moved: int | None = None,
        renamed: bool = False,
        error: str | None = None,
        conflict: str | None = None,
        status: int = 200,
    ) -> Response:
        try:
            view = archive_view.agency_series(store, agency_id)
        except KeyError:
            return ctx.problem(request, f"no agency {agency_id}", 404)
        years = view.years
        plot = series_svg(years, view.series(), view.failing_years)
        others = [(a, n) for a, n in archive_view.agencies(store) if a.id != agency_id]
        return ctx.page(
            request,
            "agency.html",
            {
                "view": view,
                "series_names": [name for name, _ in archive_view.SERIES],
                "series_paths": dict(archive_view.SERIES),
                "plot": plot,
                "others": others,
                "moved": moved,
                "renamed": renamed,
                "error": error,
                "conflict": conflict,
                "grouping": True,
                "missing_years": [
                    y for y in range(min(years), max(years) + 1) if y not in set(years)
                ]
                if years
                else [],
            },
            status,
        )

    review = ctx.settings.review

    @api.post("/agency/{agency_id}/move")
    def move(
        request: Request,
        agency_id: IdPath,
        csrf_token: str = Form("", alias="csrf"),
        document: str = Form(""),
        agency: str = Form(""),
        new_name: str = Form(""),
    ) -> Response:
        if not ctx.csrf.valid(request.cookies.get(SESSION_COOKIE), csrf_token):
            return PlainTextResponse("form expired or forged (CSRF check failed)", 403)
        document_id = small_int(document)
        target = small_int(agency) if agency else None
        if document_id is None or (agency and target is None):
            return ctx.problem(request, "bad document or agency id in the form", 422)
        try:
            now = grouping.move_document(
                store,
                document_id,
                agency_id,  # the agency the page showed it in
                to_agency=target,
                new_name=None if target is not None else new_name,
                expected=ctx.identity,
                busy_timeout_s=review.busy_timeout_s,
                judge=ctx.judge,
            )
        except GroupingConflict as exc:
            return render_agency(request, agency_id, conflict=str(exc), status=409)
        except GroupingError as exc:
            query = urlencode({"error": str(exc)})
            return RedirectResponse(f"/agency/{agency_id}?{query}", status_code=303)
        return RedirectResponse(f"/agency/{now}?moved={document_id}", status_code=303)

    @api.post("/agency/{agency_id}/name")
    def rename(
        request: Request,
        agency_id: IdPath,
        csrf_token: str = Form("", alias="csrf"),
        seen: str = Form(""),
        name: str = Form(""),
    ) -> Response:
        if not ctx.csrf.valid(request.cookies.get(SESSION_COOKIE), csrf_token):
            return PlainTextResponse("form expired or forged (CSRF check failed)", 403)
        try:
            grouping.rename_agency(
                store,
                agency_id,
                seen,
                name,
                expected=ctx.identity,
                busy_timeout_s=review.busy_timeout_s,
            )
        except GroupingConflict as exc:
            return render_agency(request, agency_id, conflict=str(exc), status=409)
        except GroupingError as exc:
            query = urlencode({"error": str(exc)})
            return RedirectResponse(f"/agency/{agency_id}?{query}", status_code=303)
        return RedirectResponse(f"/agency/{agency_id}?renamed=1", status_code=303)

    return api
