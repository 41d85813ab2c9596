"""The evidence images: GET /evidence/{document}/crop?field=path (the page around the field's
evidence box) and GET /evidence/{document}/page/{n}[?field=path] (a whole page, the box outlined).
Both name a document and a field or page looked up in the database, never a file."""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse, Response

from ..datamodel.base import BBox
from . import queries
from .context import IdPath, ReviewContext
from .evidence import EvidenceUnavailable


def router(ctx: ReviewContext) -> APIRouter:
    api = APIRouter()
    store, evidence = ctx.store, ctx.evidence

    @api.get("/evidence/{document_id}/crop")
    def crop(document_id: IdPath, field: str = Query(...)) -> Response:
        row = queries.field(store, document_id, field)
        if row is None or row.evidence_page is None or row.evidence_bbox is None:
            return PlainTextResponse("no page evidence for this field", status_code=404)
        doc, record = ctx.load(document_id)
        bbox = _bbox(row.evidence_bbox)
        try:
            png = evidence.crop_png(doc, record, row.evidence_page, bbox)
        except EvidenceUnavailable as exc:
            return PlainTextResponse(str(exc), status_code=404)
        return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})

    @api.get("/evidence/{document_id}/page/{number}")
    def whole_page(document_id: IdPath, number: IdPath, field: str | None = None) -> Response:
        try:
            doc, record = ctx.load(document_id)
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

    return api


def _bbox(values: list[float]) -> BBox:
    x0, y0, x1, y1 = (float(v) for v in values)
    return BBox(x0, y0, x1, y1)
