"""The review page: the routers composed with the access guard (pipeline/review/security.py).

    GET  /                              the queue: documents and fields to review, worst first
    GET  /field/{document}/{path}       one field: evidence beside the value, its checks
    POST /field/{document}/{path}       a decision (accept | correct | unreadable) -> next field
    GET  /evidence/{document}/crop      the page around a field's evidence box (?field=path)
    GET  /evidence/{document}/page/{n}  a whole page (?field=path outlines its box)

routes_pages.py (queue, field view), routes_decisions.py (the POST) and routes_evidence.py (the
images) each build an APIRouter over one ReviewContext (context.py: store, settings, checks,
evidence, CSRF). Every identifier in a request (document id, field path, page number) is looked
up in the database; no part of a request is used as a file path. Filters (reason, table,
document) ride along in query strings so next/previous walk the queue the reviewer chose.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

from ..db import Store
from ..settings import Settings
from . import routes_decisions, routes_evidence, routes_pages
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

    app.include_router(routes_pages.router(ctx))
    app.include_router(routes_decisions.router(ctx))
    app.include_router(routes_evidence.router(ctx))

    @app.exception_handler(KeyError)
    async def unknown(request: Request, exc: KeyError) -> Response:
        return PlainTextResponse(str(exc.args[0]) if exc.args else "not found", 404)

    return app
