"""The shape of every answer: document as HTML or JSON, error pages, and their headers."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from services.web.errors import ProjectionsBehindError, WebError
from services.web.i18n import LANGUAGES, Translator
from services.web.negotiation import (
    PAGE_CACHE,
    SECURITY_HEADERS,
    VARY,
    language,
    not_modified,
    wants_json,
)
from services.web.present import batch_page
from services.web.rendering import Chrome, Renderer
from shared.domain.clock import VIETNAM_TIME
from shared.readmodels.documents import ProvenanceDocument

_SHOWN_DETAIL = 120
PUBLIC = {"Access-Control-Allow-Origin": "*"}


def chrome_for(request: Request, public_base_url: str) -> Chrome:
    explicit = request.query_params.get("lang") in LANGUAGES
    return Chrome(Translator(language(request)), public_base_url, explicit_language=explicit)


def document_response(
    request: Request, document: ProvenanceDocument, renderer: Renderer, canonical: str, base: str
) -> Response:
    """The batch's page, or its JSON when the client prefers it; 304 when unchanged."""
    position = document["last_position"]
    if wants_json(request):
        headers = _headers(f'"{position}-json"')
        if not_modified(request, headers["ETag"]):
            return Response(status_code=304, headers=headers)
        return JSONResponse(document, headers=headers)
    chrome = chrome_for(request, base)
    today = dt.datetime.now(VIETNAM_TIME).date()  # certifications lapse by the calendar
    headers = _headers(f'"{position}-{chrome.lang}-{today:%Y%m%d}-{renderer.version}"')
    headers["Content-Language"] = chrome.lang
    if not_modified(request, headers["ETag"]):
        return Response(status_code=304, headers=headers)
    page = batch_page(document, chrome.t, today)
    return HTMLResponse(renderer.batch(page, chrome, canonical), headers=headers)


def error_response(request: Request, error: WebError, renderer: Renderer, base: str) -> Response:
    """A friendly page (or JSON) in the reader's language, with the error's status."""
    chrome = chrome_for(request, base)
    t = chrome.t
    headers = {"Cache-Control": "no-store", "Vary": VARY, **SECURITY_HEADERS, **PUBLIC}
    if isinstance(error, ProjectionsBehindError):
        headers["Retry-After"] = "1"
    title, message = t(error.title_key), t(error.message_key)
    if wants_json(request):
        body = {"error": type(error).__name__, "title": title, "message": message}
        return JSONResponse(body, status_code=error.status_code, headers=headers)
    headers["Content-Language"] = chrome.lang
    detail = error.detail[:_SHOWN_DETAIL]
    html = renderer.error(title, message, detail, chrome)
    return HTMLResponse(html, status_code=error.status_code, headers=headers)


def _headers(etag: str) -> dict[str, str]:
    return {"Cache-Control": PAGE_CACHE, "Vary": VARY, "ETag": etag, **SECURITY_HEADERS, **PUBLIC}
