"""The shape of every answer: document as HTML or JSON, resolver answers, error pages, headers."""

from __future__ import annotations

import hashlib

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from services.web import resolver
from services.web.cache import RenderedPages
from services.web.cooperative_pages import profile_url
from services.web.errors import LinkTypeNotFoundError, ProjectionsBehindError, WebError
from services.web.negotiation import (
    PAGE_CACHE,
    SECURITY_HEADERS,
    VARY,
    language,
    not_modified,
    wants_json,
    wants_linkset,
)
from services.web.present import batch_page
from services.web.product import product_page
from services.web.rendering import Chrome, Renderer
from shared.domain.clock import today_in_vietnam
from shared.i18n import LANGUAGES, Translator
from shared.readmodels.documents import ProvenanceDocument
from shared.readmodels.reader import GtinProduct

_SHOWN_DETAIL = 120
PUBLIC = {
    # Public data, readable by any site's scripts (the GS1 resolver standard asks for CORS).
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Link, Content-Language, ETag, Location",
}
PREFLIGHT = {
    **PUBLIC,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match",
    "Access-Control-Max-Age": "86400",
    "Allow": "GET, HEAD, OPTIONS",
}


def chrome_for(request: Request, public_base_url: str) -> Chrome:
    explicit = request.query_params.get("lang") in LANGUAGES
    return Chrome(Translator(language(request)), public_base_url, explicit_language=explicit)


def document_response(
    request: Request,
    document: ProvenanceDocument,
    renderer: Renderer,
    canonical: str,
    base: str,
    shown: frozenset[str] = frozenset(),
    rendered: RenderedPages | None = None,
) -> Response:
    """The batch's page, or its JSON when the client prefers it; 304 when unchanged.

    ``shown``: the cooperatives that agreed to a public page, which the page links to;
    ``rendered``: pages already rendered, under the same key as the ETag plus the address."""
    position = document["last_position"]
    if wants_json(request):
        headers = _headers(f'"{position}-json"')
        if not_modified(request, headers["ETag"]):
            return Response(status_code=304, headers=headers)
        return JSONResponse(document, headers=headers)
    chrome = chrome_for(request, base)
    today = today_in_vietnam()  # certifications lapse by the calendar
    producers = sorted(o["id"] for o in document["cooperatives"] if o["id"] in shown)
    linked = hashlib.sha256(" ".join(producers).encode()).hexdigest()[:8] if producers else "0"
    # ``?lang=`` in the address makes the page's links keep it: another body, another tag.
    chosen = "q" if chrome.explicit_language else "h"
    tag = f"{position}-{chrome.lang}{chosen}-{today:%Y%m%d}-{linked}-{renderer.version}"
    headers = _headers(f'"{tag}"')
    headers["Content-Language"] = chrome.lang
    if not_modified(request, headers["ETag"]):
        return Response(status_code=304, headers=headers)

    def render() -> str:
        query = chrome.link_query
        page = batch_page(
            document, chrome.t, today, {i: profile_url(base, i, query) for i in producers}
        )
        return renderer.batch(page, chrome, canonical)

    body = render().encode() if rendered is None else rendered.get((canonical, tag), render)
    return HTMLResponse(body, headers=headers)


def product_response(
    request: Request, product: GtinProduct, renderer: Renderer, base: str
) -> Response:
    """A GTIN's page (the product, who labels it, its public lots), or its JSON."""
    headers = _headers(f'"{product["last_position"]}-{product["gtin"]}"')
    if wants_json(request):
        return JSONResponse(product, headers=headers)
    chrome = chrome_for(request, base)
    headers["Content-Language"] = chrome.lang
    headers["ETag"] = f'"{product["last_position"]}-{chrome.lang}-{renderer.version}"'
    page = product_page(product, chrome.t)
    return HTMLResponse(renderer.product(page, chrome), headers=headers)


def resolver_response(request: Request, item: resolver.Item, cache: str) -> Response:
    """One resolver answer: the linkset, or a 307 to the link asked for (``resolver``)."""
    headers = {"Cache-Control": cache, "Vary": VARY, "Link": resolver.link_header(item), **PUBLIC}
    asked = request.query_params.get(resolver.LINK_TYPE)
    if asked in resolver.LINKSET_REQUESTS or (asked is None and wants_linkset(request)):
        body = resolver.linkset(item)
        return JSONResponse(body, media_type=resolver.LINKSET_MEDIA_TYPE, headers=headers)
    target = item.default
    if asked is not None:
        link_type = resolver.requested_link_type(asked)
        found = item.link(link_type) if link_type else None
        if found is None:
            raise LinkTypeNotFoundError(asked)
        target = found
    location = resolver.forwarded(target.href, request.query_params.multi_items())
    return RedirectResponse(location, status_code=307, headers=headers)


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
