"""The review page: the routers composed with the access guard (pipeline/review/security.py).

    GET  /                              the queue: documents and fields to review, worst first
    GET  /field/{document}/{path}       one field: evidence beside the value, its checks
    POST /field/{document}/{path}       a decision (accept | correct | unreadable) -> next field
    GET  /evidence/{document}/crop      the page around a field's evidence box (?field=path)
    GET  /evidence/{document}/page/{n}  a whole page (?field=path outlines its box)
    GET  /agencies, /agency/{id}        the archive: an agency's reports by year (issue #16)

routes_pages.py (queue, field view), routes_decisions.py (the POST) and routes_evidence.py (the
images) each build an APIRouter over one ReviewContext (context.py: store, settings, checks,
evidence, CSRF). Every identifier in a request (document id, field path, page number) is looked
up in the database; no part of a request is used as a file path. Filters (reason, table,
document) ride along in query strings so next/previous walk the queue the reviewer chose.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, OperationalError

from ..db import DatabaseBusy, DatabaseChanged, Store
from ..db.review_write import check_identity
from ..settings import Settings
from . import routes_agency, routes_decisions, routes_evidence, routes_pages
from .context import ReviewConfig, ReviewContext
from .security import TOKEN_COOKIE, same_secret

__all__ = ["ReviewConfig", "create_app"]


def create_app(store: Store, settings: Settings, config: ReviewConfig) -> FastAPI:
    app = FastAPI(title="nianbao review", docs_url=None, redoc_url=None, openapi_url=None)
    ctx = ReviewContext(store, settings, config)

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
                target = same_site(request.url.path) + ("?" + urlencode(rest) if rest else "")
                response: Response = RedirectResponse(target, status_code=303)
                response.set_cookie(TOKEN_COOKIE, config.token, httponly=True, samesite="strict")
                return response
            if not same_secret(request.cookies.get(TOKEN_COOKIE), config.token):
                return PlainTextResponse(
                    "this review page needs its access token: open it once as ?token=...",
                    status_code=401,
                )
        try:  # a database file deleted or replaced under the page: say so on every request
            check_identity(store, ctx.identity)
        except DatabaseChanged as exc:
            return PlainTextResponse(str(exc), status_code=503)
        response = await call_next(request)
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    app.include_router(routes_pages.router(ctx))
    app.include_router(routes_decisions.router(ctx))
    app.include_router(routes_evidence.router(ctx))
    app.include_router(routes_agency.router(ctx))

    @app.exception_handler(KeyError)
    async def unknown(request: Request, exc: KeyError) -> Response:
        return PlainTextResponse(str(exc.args[0]) if exc.args else "not found", 404)

    # Requests a browser can send but the routes cannot answer: a message, never a 500.
    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return PlainTextResponse(f"bad request: {_problems(exc)}", 422)

    @app.exception_handler(DataError)
    @app.exception_handler(OverflowError)
    async def unstorable(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("bad request: a value the database cannot hold", 422)

    # The database went away, was replaced or stays locked: nothing was saved, and it says so.
    @app.exception_handler(DatabaseChanged)
    @app.exception_handler(DatabaseBusy)
    async def database_problem(request: Request, exc: Exception) -> Response:
        return PlainTextResponse(f"not saved: {exc}", 503)

    @app.exception_handler(OperationalError)
    async def database_error(request: Request, exc: OperationalError) -> Response:
        reason = str(exc.orig).splitlines()[0] if exc.orig else "unknown"
        return PlainTextResponse(f"the database cannot be used right now ({reason})", 503)

    return app


def same_site(path: str) -> str:
    """A redirect target that stays on this site: one leading slash (browsers read `//host`
    and `/\\host` as another site) and every character that is not a plain path character
    percent-encoded (backslashes, tabs and newlines included)."""
    return "/" + quote(path.lstrip("/\\"), safe="/:@!$&'()*+,;=-._~")


def _problems(exc: RequestValidationError) -> str:
    out = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error.get("loc", ())[1:]) or "request"
        out.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(out)
