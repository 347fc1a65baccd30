"""The public routes: batch pages, the GS1 Digital Link resolver and QR codes.

Handlers are plain ``def``: the reader blocks (PostgreSQL, or waiting for a position), so
FastAPI runs them in its worker threads. Errors are raised, never caught here; ``app``
maps them to pages.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from services.web import identifiers, resolver
from services.web.cache import DocumentCache, Key, RenderedPages
from services.web.cooperatives import ShownCooperatives
from services.web.errors import (
    BatchNotFoundError,
    MalformedPositionError,
    ProductNotFoundError,
    ProjectionsBehindError,
)
from services.web.negotiation import PAGE_CACHE, SECURITY_HEADERS, not_modified, wants_json
from services.web.rendering import Renderer
from services.web.responses import (
    PREFLIGHT,
    PUBLIC,
    document_response,
    product_response,
    resolver_response,
)
from services.web.scans import ScanCounter
from shared.gs1 import qr
from shared.gs1.digital_link import DigitalLinkPath
from shared.readmodels.documents import ProvenanceDocument
from shared.readmodels.reader import GtinProduct, ProvenanceReader, record_incomplete
from shared.settings import NguonSettings

_POSITION = re.compile(r"\d{1,18}", re.ASCII)
QR_FINAL_CACHE = "public, max-age=31536000, immutable"
"""A GTIN and lot, once assigned, never change: neither does the Digital Link."""
QR_PROVISIONAL_CACHE = "public, max-age=3600"
"""A batch without GTIN yet has the short link; labelling it later switches the QR code."""
WALKED_UP_CACHE = "no-cache"
"""An unknown lot answered by its GTIN may be a lot written a moment ago: ask again each time."""
LABELS_MOVED_TO = "/app/labels"
"""Printing labels is for the batch's holder, signed in: ``/b/<code>/labels`` points there."""
_GET = ["GET", "HEAD"]
_OPTIONS = ["OPTIONS"]


class PublicPages:
    """Everything a buyer's phone, or a cooperative's printer, asks of the web service."""

    def __init__(
        self,
        settings: NguonSettings,
        reader: ProvenanceReader,
        renderer: Renderer,
        read_side: Callable[[], Mapping[str, object]] | None = None,
        scans: ScanCounter | None = None,
        shown: ShownCooperatives | None = None,
    ) -> None:
        self._read_side = read_side  # the read models' health, for /healthz when run alone
        self._scans = scans  # QR scans: requests of a batch's page, counted in memory
        self._shown = shown  # the cooperatives with a public page, for the producers' links
        self._base = settings.public_base_url.rstrip("/")
        self._wait_timeout = settings.read_wait_timeout_seconds
        self._reader = reader
        self._cache = DocumentCache(settings.page_cache_seconds)
        megabytes = settings.rendered_page_cache_megabytes
        self._rendered = RenderedPages(megabytes * 1024 * 1024) if megabytes > 0 else None
        self._renderer = renderer

    def router(self) -> APIRouter:
        router = APIRouter(include_in_schema=False)
        router.add_api_route("/healthz", self.healthz, methods=_GET)
        router.add_api_route("/.well-known/gs1resolver", self.resolver_description, methods=_GET)
        # The page every QR code leads to, as a plain route: FastAPI's parameter injection
        # costs more than the rest of a page served from memory.
        router.add_route("/b/{code}", self.batch, methods=_GET, include_in_schema=False)
        router.add_api_route("/b/{code}/traceability.json", self.traceability, methods=_GET)
        router.add_api_route("/b/{code}/recall.json", self.recall_status, methods=_GET)
        router.add_api_route("/b/{code}/qr.svg", self.qr_svg, methods=_GET)
        router.add_api_route("/b/{code}/qr.png", self.qr_png, methods=_GET)
        router.add_api_route("/b/{code}/labels", self.labels, methods=_GET)
        router.add_api_route("/b/{code}/records", self.records, methods=_GET)
        router.add_api_route("/p/{gtin}", self.product, methods=_GET)
        router.add_api_route("/01/{keys:path}", self.digital_link, methods=_GET)
        # CORS preflight for every public path (GS1-Conformant Resolver: browsers' scripts
        # may resolve links); only these paths, so a host app's API keeps its own rules.
        for path in ("/.well-known/gs1resolver", "/b/{rest:path}", "/p/{rest}", "/01/{rest:path}"):
            router.add_api_route(path, self.preflight, methods=_OPTIONS)
        return router

    def healthz(self) -> JSONResponse:
        body: dict[str, object] = {"status": "ok"}
        if self._read_side is not None:
            read_models = dict(self._read_side())
            body = {"status": read_models["status"], "read_models": read_models}
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    def preflight(self, request: Request) -> Response:
        asked = request.headers.get("access-control-request-headers")
        headers = dict(PREFLIGHT)
        if asked:
            headers["Access-Control-Allow-Headers"] = asked
        return Response(status_code=204, headers=headers)

    def resolver_description(self) -> JSONResponse:
        headers = {"Cache-Control": "public, max-age=3600", **PUBLIC}
        return JSONResponse(resolver.description(self._base), headers=headers)

    async def batch(self, request: Request) -> Response:
        """Most scans find the document and the producers' set in memory: those pages are made
        on the event loop, since handing each to a thread costs more than the page (and threads
        contend for the interpreter); anything that must read goes to the thread pool."""
        code: str = request.path_params["code"]
        position = request.query_params.get("position")
        kept = self._kept(code, position)
        if kept is None:
            return await run_in_threadpool(self._batch, request, code, position)
        document, shown = kept
        self._count_scan(request, document)
        return self._page(request, document, shown)

    def _kept(
        self, raw: str, position: str | None
    ) -> tuple[ProvenanceDocument, frozenset[str]] | None:
        if position is not None:
            return None
        document = self._cache.kept(("code", identifiers.batch_code(raw)))
        shown = self._shown.kept() if self._shown is not None else frozenset()
        if document is None or shown is None:
            return None
        return document, shown

    def _batch(self, request: Request, code: str, position: str | None) -> Response:
        document = self._by_code(code, position)
        self._count_scan(request, document)
        return self._page(request, document)

    def _count_scan(self, request: Request, document: ProvenanceDocument) -> None:
        if self._scans is not None and request.method == "GET" and not wants_json(request):
            # A scan is a person's request for the page; a Digital Link scan lands here too,
            # by the resolver's redirect, so it counts once. Nothing about the person is kept.
            self._scans.count(UUID(document["batch_id"]))

    def traceability(self, code: str, position: str | None = None) -> JSONResponse:
        """``gs1:traceability``: the provenance document as JSON, whatever ``Accept`` says."""
        document = self._by_code(code, position)
        return JSONResponse(document, headers={"Cache-Control": PAGE_CACHE, **PUBLIC})

    def recall_status(self, code: str, position: str | None = None) -> JSONResponse:
        """``gs1:recallStatus``: is this lot recalled, since when, why, and can we tell."""
        document = self._by_code(code, position)
        recall = document["recall"]
        body = {
            "code": document["code"],
            "gtin": document["gtin"],
            "lot": document["lot"],
            "recalled": recall["recalled"],
            "at": recall["at"],
            "reason": recall["reason"],
            "origin_batch_code": recall["origin_batch_code"],
            "record_incomplete": record_incomplete(document),
            "last_position": document["last_position"],
        }
        return JSONResponse(body, headers={"Cache-Control": "no-cache", **PUBLIC})

    def product(self, request: Request, gtin: str, position: str | None = None) -> Response:
        """A GTIN without a lot: the product, who labels it, and its lots that are public."""
        product = self._product(identifiers.gtin14(gtin), position)
        return product_response(request, product, self._renderer, self._base)

    def digital_link(self, request: Request, position: str | None = None) -> Response:
        """The resolver: a Digital Link URI answered with one of its links (see ``resolver``)."""
        keys = identifiers.digital_link_keys(_raw_path(request))
        document = self._lot(keys, position)
        if document is not None:
            item = resolver.lot_item(self._base, document)
            return resolver_response(request, item, PAGE_CACHE)
        item = resolver.gtin_item(self._base, self._product(keys.gtin, position))
        return resolver_response(request, item, WALKED_UP_CACHE)

    def qr_svg(self, request: Request, code: str) -> Response:
        return self._qr(request, code, qr.svg, "image/svg+xml", "svg")

    def qr_png(self, request: Request, code: str) -> Response:
        return self._qr(request, code, qr.png, "image/png", "png")

    def labels(self, code: str) -> RedirectResponse:
        """Label sheets moved behind sign-in, to the cooperative app (it asks to sign in)."""
        return RedirectResponse(f"{LABELS_MOVED_TO}/{quote(code, safe='')}", status_code=301)

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

    def _page(
        self,
        request: Request,
        document: ProvenanceDocument,
        shown: frozenset[str] | None = None,
    ) -> Response:
        canonical = identifiers.link_for(document, self._base)
        if shown is None:
            shown = self._shown() if self._shown is not None else frozenset()
        return document_response(
            request, document, self._renderer, canonical, self._base, shown, self._rendered
        )

    def _by_code(self, raw: str, position: str | None) -> ProvenanceDocument:
        code = identifiers.batch_code(raw)
        document = self._read(position, ("code", code), lambda: self._reader.by_code(code))
        if document is None:
            raise BatchNotFoundError(code)
        return document

    def _lot(self, keys: DigitalLinkPath, position: str | None) -> ProvenanceDocument | None:
        """The lot a Digital Link names; a serial number names a unit of that lot."""
        gtin, lot = keys.gtin, keys.lot
        if lot is None:
            return None
        return self._read(
            position, ("gtin", gtin, lot), lambda: self._reader.by_gtin_lot(gtin, lot)
        )

    def _product(self, gtin: str, position: str | None) -> GtinProduct:
        if position is not None:
            self._wait(position)
        product = self._reader.by_gtin(gtin)
        if product is None:
            raise ProductNotFoundError(gtin)
        return product

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
        link = identifiers.link_for(document, self._base)
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


def _raw_path(request: Request) -> str:
    """The path as sent, still percent-encoded: ``%2F`` inside a lot is not a ``/``.

    Routing sees the path already decoded, where ``A%2FB`` and ``A/B`` look alike; the raw
    path tells them apart. A mount's prefix (``root_path``) is not part of the link.
    """
    raw = request.scope.get("raw_path")
    path = raw.decode("latin-1") if isinstance(raw, bytes) else quote(request.url.path)
    root = str(request.scope.get("root_path", ""))
    return path[len(root) :] if root and path.startswith(root) else path
