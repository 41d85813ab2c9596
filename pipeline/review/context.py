"""What every route of the review page shares: the store, the settings, the template's words,
the checks re-run after a decision, the evidence renderer, the CSRF secret, and the helpers
that render a page and build the URLs that carry the queue filter along."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Path as PathParam
from fastapi import Query, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import event

from .. import archive
from ..datamodel.record import ReportRecord
from ..db import Store
from ..db.models import Document
from ..settings import Settings
from ..stages.checks import Checks
from ..template import load_template
from . import queries
from .evidence import Evidence
from .labels import labels
from .queries import QueueFilter
from .security import SESSION_COOKIE, Csrf

TEMPLATES = Path(__file__).resolve().parent / "templates"
ACTIONS = {"accept": "accepted", "correct": "corrected", "unreadable": "marked unreadable"}

# Ids in URLs and forms: what a 64-bit integer column holds. A larger one (20 digits) is
# answered 422 with a message before it reaches the database driver (which would overflow).
MAX_ID = 2**63 - 1
IdPath = Annotated[int, PathParam(ge=0, le=MAX_ID)]
IdQuery = Annotated[int | None, Query(ge=0, le=MAX_ID)]
_DIGITS = re.compile(r"[0-9]{1,18}")


def small_int(text: str) -> int | None:
    """A form's id or version (ASCII digits, at most 18 of them), else None."""
    return int(text) if _DIGITS.fullmatch(text) else None


@dataclass(frozen=True)
class ReviewConfig:
    """How this server runs: who reviews, and who may connect."""

    reviewer: str
    token: str | None  # required on every request when set
    allowed_hosts: tuple[str, ...]  # Host header names accepted when there is no token


def _wait_briefly(store: Store, seconds: float) -> None:
    """SQLite: every connection of the page waits at most `seconds` for a lock another program
    holds (the batch's Store waits a minute), so a page answers 503 soon instead of hanging."""
    if store.engine.dialect.name != "sqlite":
        return

    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    event.listen(store.engine, "connect", on_connect, insert=True)  # before the WAL pragma
    store.engine.dispose()  # connections opened before this (the migration check) waited 60 s


class ReviewContext:
    """One running page's shared state; the routers (routes_*.py) close over it."""

    def __init__(self, store: Store, settings: Settings, config: ReviewConfig) -> None:
        self.store = store
        self.settings = settings
        self.config = config
        self.templates = Jinja2Templates(directory=str(TEMPLATES))
        template = load_template()
        self.checks = Checks(Checks.options_from(settings), template)
        self.judge = archive.Judge.of(settings)  # cross-year agreement, review threshold
        self.evidence = Evidence(settings.render, settings.review)
        self.words = labels(template)
        self.groups = settings.review.reason_groups
        self.csrf = Csrf()
        self.limit = settings.review.queue_limit
        self.identity = store.identity()  # each decision checks the database is still this one
        _wait_briefly(store, settings.review.busy_timeout_s)

    def page(
        self, request: Request, name: str, context: dict[str, Any], status: int = 200
    ) -> Response:
        session = request.cookies.get(SESSION_COOKIE) or self.csrf.new_session()
        context = {
            **context,
            "csrf": self.csrf.token(session),
            "reviewer": self.config.reviewer,
            "groups": list(self.groups),
            "tables": queries.TABLES,
        }
        response = self.templates.TemplateResponse(request, name, context, status_code=status)
        if request.cookies.get(SESSION_COOKIE) != session:
            response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict")
        return response

    def problem(self, request: Request, message: str, status: int) -> Response:
        return self.page(request, "problem.html", {"message": message}, status)

    @staticmethod
    def filter_of(reason: str | None, table: str | None, document: int | None) -> QueueFilter:
        return QueueFilter(reason or None, table or None, document)

    @staticmethod
    def field_url(document_id: int, path: str, flt: QueueFilter, **extra: Any) -> str:
        query = {**flt.query(), **{k: str(v) for k, v in extra.items()}}
        return f"/field/{document_id}/{path}" + ("?" + urlencode(query) if query else "")

    def load(self, document_id: int) -> tuple[Document, ReportRecord]:
        doc = self.store.document(document_id)  # KeyError when unknown
        return doc, ReportRecord.model_validate_json(doc.record_json)
