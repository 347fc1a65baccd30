"""The public web service: provenance pages and QR codes for buyers, labels for cooperatives.

Consumes provenance documents through a ``ProvenanceReader`` (read models the projector keeps);
produces HTML pages in Vietnamese or English, their JSON, QR codes (SVG/PNG), A4 label sheets
and the GS1 resolver description. Read-only and stateless: any number run behind a load
balancer; a page is as fresh as the projections, or as a ``?position=`` the client names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from services.web.cooperatives import CooperativePages, ShownCooperatives
from services.web.errors import WebError
from services.web.rendering import Renderer
from services.web.responses import error_response
from services.web.routes import PublicPages
from services.web.scans import ScanCounter
from shared.readmodels.public_directory import PublicDirectoryReader
from shared.readmodels.reader import ProvenanceReader
from shared.settings import NguonSettings

PATHS = ("/b", "/p", "/01", "/.well-known", "/htx")
"""The URL spaces this app answers, wherever it runs (alone, or mounted in the platform)."""


def create_app(
    settings: NguonSettings,
    reader: ProvenanceReader,
    read_side: Callable[[], Mapping[str, object]] | None = None,
    *,
    directory: PublicDirectoryReader | None = None,
    scans: ScanCounter | None = None,
) -> FastAPI:
    """The public pages with their own error pages; no API docs (the pages are not an API).

    ``directory``: the cooperatives' public pages (``/htx``) and the provenance page's links to
    them; ``scans``: where batch pages count their QR scans (the caller flushes it)."""
    app = FastAPI(title="Nguồn — public pages", openapi_url=None, docs_url=None, redoc_url=None)
    renderer = Renderer()
    shown = ShownCooperatives(directory, settings.page_cache_seconds) if directory else None
    pages = PublicPages(settings, reader, renderer, read_side, scans=scans, shown=shown)
    app.include_router(pages.router())
    if directory is not None:
        cooperatives = CooperativePages(
            directory, renderer, settings.public_base_url, settings.page_cache_seconds
        )
        app.include_router(cooperatives.router())
    app.add_exception_handler(WebError, _ErrorPages(renderer, settings.public_base_url))
    return app


class _ErrorPages:
    def __init__(self, renderer: Renderer, public_base_url: str) -> None:
        self._renderer = renderer
        self._base = public_base_url.rstrip("/")

    def __call__(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, WebError)  # registered for WebError only
        return error_response(request, error, self._renderer, self._base)
