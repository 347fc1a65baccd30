"""The public routes: batch pages, the GS1 Digital Link resolver, QR codes and label sheets.

Handlers are plain ``def``: the reader blocks (PostgreSQL, or waiting for a position), so
FastAPI runs them in its worker threads. Errors are raised, never caught here; ``app``
maps them to pages.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Annotated
from urllib.parse import unquote

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from services.web import identifiers, qr, resolver
from services.web.cache import DocumentCache, Key
from services.web.errors import BatchNotFoundError, MalformedPositionError, ProjectionsBehindError
from services.web.labels import label_sheet, parse_count
from services.web.negotiation import PAGE_CACHE, SECURITY_HEADERS, not_modified
from services.web.rendering import Renderer
from services.web.responses import PUBLIC, chrome_for, document_response
from shared.readmodels.documents import ProvenanceDocument
from shared.readmodels.reader import ProvenanceReader
from shared.settings import NguonSettings

_POSITION = re.compile(r"\d{1,18}", re.ASCII)
QR_FINAL_CACHE = "public, max-age=31536000, immutable"
"""A GTIN and lot, once assigned, never change: neither does the Digital Link."""
QR_PROVISIONAL_CACHE = "public, max-age=3600"
"""A batch without GTIN yet has the short link; labelling it later switches the QR code."""
_GET = ["GET", "HEAD"]


class PublicPages:
    """Everything a buyer's phone, or a cooperative's printer, asks of the web service."""

    def __init__(
        self, settings: NguonSettings, reader: ProvenanceReader, renderer: Renderer
    ) -> None:
        self._base = settings.public_base_url.rstrip("/")
        self._wait_timeout = settings.read_wait_timeout_seconds
        self._reader = reader
        self._cache = DocumentCache(settings.page_cache_seconds)
        self._renderer = renderer

    def router(self) -> APIRouter:
        router = APIRouter(include_in_schema=False)
        router.add_api_route("/healthz", self.healthz, methods=_GET)
        router.add_api_route("/.well-known/gs1resolver", self.resolver_description, methods=_GET)
        router.add_api_route("/b/{code}", self.batch, methods=_GET)
        router.add_api_route("/b/{code}/qr.svg", self.qr_svg, methods=_GET)
        router.add_api_route("/b/{code}/qr.png", self.qr_png, methods=_GET)
        router.add_api_route("/b/{code}/labels", self.labels, methods=_GET)
        router.add_api_route("/b/{code}/records", self.records, methods=_GET)
        router.add_api_route("/01/{gtin}/10/{lot:path}", self.digital_link, methods=_GET)
        router.add_api_route("/01/{gtin}", self.gtin_without_lot, methods=_GET)
        return router

    def healthz(self) -> JSONResponse:
        return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})

    def resolver_description(self) -> JSONResponse:
        headers = {"Cache-Control": "public, max-age=3600", **PUBLIC}
        return JSONResponse(resolver.description(self._base), headers=headers)

    def batch(self, request: Request, code: str, position: str | None = None) -> Response:
        document = self._by_code(code, position)
        return self._page(request, document)

    def digital_link(
        self,
        request: Request,
        gtin: str,
        lot: str,
        position: str | None = None,
        link_type: Annotated[str | None, Query(alias="linkType")] = None,
    ) -> Response:
        key = identifiers.gtin14(gtin)
        lot_number = identifiers.lot(_last_segment(request, lot))
        document = self._read(
            position, ("gtin", key, lot_number), lambda: self._reader.by_gtin_lot(key, lot_number)
        )
        if document is None:
            raise BatchNotFoundError(f"{key} / {lot_number}")
        if link_type in resolver.LINKSET_REQUESTS:
            anchor = qr.link_for(document, self._base)
            body = resolver.linkset(anchor, document["product"])
            headers = {"Cache-Control": PAGE_CACHE, **PUBLIC}
            return JSONResponse(body, media_type=resolver.LINKSET_MEDIA_TYPE, headers=headers)
        return self._page(request, document)

    def gtin_without_lot(self, gtin: str) -> Response:
        """A GTIN alone names a product, not a batch: nothing to trace without the lot."""
        raise BatchNotFoundError(identifiers.gtin14(gtin))

    def qr_svg(self, request: Request, code: str) -> Response:
        return self._qr(request, code, qr.svg, "image/svg+xml", "svg")

    def qr_png(self, request: Request, code: str) -> Response:
        return self._qr(request, code, qr.png, "image/png", "png")

    def labels(self, request: Request, code: str, count: str | None = None) -> HTMLResponse:
        number = parse_count(count)
        document = self._by_code(code, None)
        chrome = chrome_for(request, self._base)
        sheet = label_sheet(document, self._base, number, chrome.t)
        headers = {"Cache-Control": PAGE_CACHE, "Vary": "Accept-Language", **SECURITY_HEADERS}
        headers["Content-Language"] = chrome.lang
        return HTMLResponse(self._renderer.labels(sheet, chrome), headers=headers)

    def records(self, code: str) -> JSONResponse:
        """The public side of the fingerprint: one SHA-256 digest per event it covers.

        sha256 of the digests joined by newlines is the page's fingerprint; whoever holds the
        events themselves (an auditor, from the event store or Kafka) rehashes each one.
        """
        document = self._by_code(code, None)
        digests = self._reader.event_digests(document["code"]) or []
        body = {
            "code": document["code"],
            "fingerprint": document["fingerprint"],
            "algorithm": "sha256(join('\\n', sha256(canonical envelope JSON) per event))",
            "events": digests,
        }
        return JSONResponse(body, headers={"Cache-Control": PAGE_CACHE, **PUBLIC})

    def _page(self, request: Request, document: ProvenanceDocument) -> Response:
        canonical = qr.link_for(document, self._base)
        return document_response(request, document, self._renderer, canonical, self._base)

    def _by_code(self, raw: str, position: str | None) -> ProvenanceDocument:
        code = identifiers.batch_code(raw)
        document = self._read(position, ("code", code), lambda: self._reader.by_code(code))
        if document is None:
            raise BatchNotFoundError(code)
        return document

    def _read(
        self, position: str | None, key: Key, load: Callable[[], ProvenanceDocument | None]
    ) -> ProvenanceDocument | None:
        """From the short cache, unless the client waits for its own write: then live."""
        if position is None:
            return self._cache.get(key, load)
        self._wait(position)
        return load()

    def _wait(self, position: str) -> None:
        """Read-your-writes: a client naming the position capture gave it sees that write."""
        if not _POSITION.fullmatch(position):
            raise MalformedPositionError(position)
        if not self._reader.wait_for(int(position), self._wait_timeout):
            raise ProjectionsBehindError(position)

    def _qr(
        self,
        request: Request,
        code: str,
        draw: Callable[[str], bytes],
        media_type: str,
        extension: str,
    ) -> Response:
        document = self._by_code(code, None)
        link = qr.link_for(document, self._base)
        final = bool(document["gtin"] and document["lot"])
        headers = {
            "Cache-Control": QR_FINAL_CACHE if final else QR_PROVISIONAL_CACHE,
            "ETag": f'"{hashlib.sha256(link.encode()).hexdigest()[:20]}"',
            "Content-Disposition": f'inline; filename="{document["code"]}.{extension}"',
            **SECURITY_HEADERS,
            **PUBLIC,
        }
        if not_modified(request, headers["ETag"]):
            return Response(status_code=304, headers=headers)
        return Response(draw(link), media_type=media_type, headers=headers)


def _last_segment(request: Request, lot: str) -> str:
    """The lot as one percent-decoded path segment: ``%2F`` is part of it, ``/`` is not.

    Routing sees the path already decoded, so ``A%2FB`` and ``A/B`` look alike there; the
    raw path tells them apart. A trailing slash is tolerated, as resolvers should.
    """
    raw = request.scope.get("raw_path")
    if not isinstance(raw, bytes):
        return lot
    path = raw.decode("latin-1")
    if path.endswith("/") and lot.endswith("/"):
        path, lot = path[:-1], lot[:-1]
    segment = unquote(path.rsplit("/", 1)[-1])
    if segment != lot:
        raise BatchNotFoundError(lot)
    return segment
