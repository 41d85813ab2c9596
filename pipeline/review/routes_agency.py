"""The archive on the review page (issue #16): GET /agencies (every agency, its number of
reports) and GET /agency/{id} (its reports by year, the statutory figures as a table and an
inline SVG plot with the years whose cross-report checks fail marked, the checks, links to each
document's fields and queue), and the grouping corrections:

    POST /document/{id}/agency   move a document to another agency (agency=ID) or a new one
                                 (new_name=...); the form's `seen` is the agency it was shown in
    POST /agency/{id}/name       rename an agency; `seen` is the name shown

Both check the CSRF token like a decision, and refuse with 409 (the agency page as it is now)
when what the form saw changed first (grouping.py: GroupingConflict)."""

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

    @api.post("/document/{document_id}/agency")
    def move(
        request: Request,
        document_id: IdPath,
        csrf_token: str = Form("", alias="csrf"),
        seen: str = Form(""),
        agency: str = Form(""),
        new_name: str = Form(""),
    ) -> Response:
        if not ctx.csrf.valid(request.cookies.get(SESSION_COOKIE), csrf_token):
            return PlainTextResponse("form expired or forged (CSRF check failed)", 403)
        seen_id = small_int(seen)
        target = small_int(agency) if agency else None
        if (seen and seen_id is None) or (agency and target is None):
            return ctx.problem(request, "bad agency id in the form", 422)
        back = seen_id if seen_id is not None else target
        try:
            now = grouping.move_document(
                store,
                document_id,
                seen_id,
                to_agency=target,
                new_name=new_name if new_name.strip() else None,
                expected=ctx.identity,
                busy_timeout_s=review.busy_timeout_s,
            )
        except GroupingConflict as exc:
            if back is None:
                return ctx.problem(request, str(exc), 409)
            return render_agency(request, back, conflict=str(exc), status=409)
        except GroupingError as exc:
            if back is None:
                return ctx.problem(request, str(exc), 400)
            query = urlencode({"error": str(exc)})
            return RedirectResponse(f"/agency/{back}?{query}", status_code=303)
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
