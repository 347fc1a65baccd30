"""The public pages of cooperatives that agreed to be shown: ``/htx`` and ``/htx/{id}``.

Publicising the models that work (Conclusion 70-KL/TW): a list of new-model cooperatives in
value chains, filterable by commune and commodity with a plain GET form, and a page for each.
Same budgets as the provenance page: no script, no external asset, Vietnamese first, a short
shared cache with an ETag. A cooperative that has not agreed answers exactly as an unknown one.

Handlers are plain ``def`` (the reader blocks); errors are raised, and ``app`` maps them.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Final, Generic, TypeVar
from uuid import UUID

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from services.web.cooperative_pages import PATH, cooperative_page, list_page
from services.web.errors import BatchNotFoundError, MalformedRequestError
from services.web.negotiation import PAGE_CACHE, SECURITY_HEADERS, VARY, not_modified
from services.web.rendering import Renderer
from services.web.responses import PUBLIC, chrome_for
from shared.domain.clock import today_in_vietnam
from shared.readmodels.public_directory import (
    Filters,
    PublicCooperative,
    PublicDirectoryReader,
    PublicList,
)

T = TypeVar("T")
_PAGE_NUMBER = re.compile(r"[1-9]\d{0,5}", re.ASCII)
_FILTER_LIMIT: Final = 200
PAGE_HEADERS: Final = {
    **SECURITY_HEADERS,
    # The list's filter is a GET form to this same page: allow that form, nothing else.
    "Content-Security-Policy": SECURITY_HEADERS["Content-Security-Policy"].replace(
        "form-action 'none'", "form-action 'self'"
    ),
}


class CooperativeNotFoundError(BatchNotFoundError):
    """No cooperative that agreed to be shown has this id (unknown, or not agreed)."""

    message_key = "pub_not_found_message"


class MalformedPageNumberError(MalformedRequestError):
    message_key = "pub_malformed_page_message"


class Recent(Generic[T]):
    """Reads of the public directory reused for ``ttl`` seconds (``page_cache_seconds``).

    The pages are public and cached for a minute by browsers and proxies anyway; reusing a
    read for a couple of seconds saves the read models from a crowd opening the same page.
    Unlike provenance documents, "not shown" is kept too: it is the same answer for everyone.
    """

    def __init__(
        self,
        ttl_seconds: float,
        max_entries: int = 1_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl_seconds
        self._max = max_entries
        self._clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, T]] = OrderedDict()
        self._lock = threading.Lock()  # routes run in a thread pool

    def kept(self, key: Hashable) -> tuple[T] | None:
        """``(value,)`` if it is here and fresh; never reads (for the event loop)."""
        with self._lock:
            hit = self._entries.get(key)
        return (hit[1],) if hit is not None and hit[0] > self._clock() else None

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        now = self._clock()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] > now:
                return hit[1]
        value = load()  # outside the lock: a slow read must not hold up other pages
        with self._lock:
            self._entries[key] = (now + self._ttl, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return value


class ShownCooperatives:
    """Which cooperatives agreed to be shown, for the provenance page's links to them.

    Asking the read models once per page would cost every scan a round trip for a set that
    rarely changes: it is reread at most every ``ttl`` seconds.
    """

    def __init__(
        self,
        reader: PublicDirectoryReader,
        ttl_seconds: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._reader = reader
        self._recent: Recent[frozenset[str]] = Recent(ttl_seconds, 1, clock)

    def __call__(self) -> frozenset[str]:
        return self._recent.get((), self._reader.shown)

    def kept(self) -> frozenset[str] | None:
        """The set if read recently; never reads (for the event loop)."""
        hit = self._recent.kept(())
        return None if hit is None else hit[0]


class CooperativePages:
    def __init__(
        self,
        reader: PublicDirectoryReader,
        renderer: Renderer,
        public_base_url: str,
        cache_seconds: float = 2.0,
    ) -> None:
        self._reader = reader
        self._renderer = renderer
        self._base = public_base_url.rstrip("/")
        self._lists: Recent[PublicList] = Recent(cache_seconds)
        self._pages: Recent[PublicCooperative | None] = Recent(cache_seconds)

    def router(self) -> APIRouter:
        router = APIRouter(include_in_schema=False)
        router.add_api_route(PATH, self.listing, methods=["GET", "HEAD"])
        router.add_api_route(PATH + "/{cooperative_id}", self.cooperative, methods=["GET", "HEAD"])
        return router

    def listing(
        self,
        request: Request,
        commune: str | None = None,
        commodity: str | None = None,
        page: str | None = None,
    ) -> Response:
        number = _page_number(page)
        filters = Filters(commune=_filter(commune), commodity=_filter(commodity))
        chrome = chrome_for(request, self._base)
        found = self._lists.get(filters, lambda: self._reader.cooperatives(filters))
        shown = list_page(
            found,
            filters,
            number,
            chrome.t,
            self._base,
            chrome.link_query,
        )
        return _html(request, self._renderer.cooperatives(shown, chrome), chrome.lang)

    def cooperative(self, request: Request, cooperative_id: str) -> Response:
        asked = _uuid(cooperative_id)
        found = self._pages.get(asked, lambda: self._reader.cooperative(asked))
        if found is None:
            raise CooperativeNotFoundError(cooperative_id)
        chrome = chrome_for(request, self._base)
        today = today_in_vietnam()  # certificates lapse by the calendar
        shown = cooperative_page(found, chrome.t, today, self._base, chrome.link_query)
        return _html(request, self._renderer.cooperative(shown, chrome), chrome.lang)


def _html(request: Request, html: str, lang: str) -> Response:
    """The page with the public pages' caching: a short shared cache, and an ETag of its text."""
    etag = f'"{hashlib.sha256(html.encode()).hexdigest()[:20]}"'
    headers = {
        "Cache-Control": PAGE_CACHE,
        "Vary": VARY,
        "ETag": etag,
        "Content-Language": lang,
        **PAGE_HEADERS,
        **PUBLIC,
    }
    if not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    return HTMLResponse(html, headers=headers)


def _uuid(raw: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise CooperativeNotFoundError(raw) from None  # the same page as any unknown id


def _page_number(raw: str | None) -> int:
    if raw is None or raw == "":
        return 1
    if not _PAGE_NUMBER.fullmatch(raw):
        raise MalformedPageNumberError(raw)
    return int(raw)


def _filter(raw: str | None) -> str | None:
    """An empty choice ("every commune") is no filter; an overlong one finds nothing."""
    value = (raw or "").strip()
    return value[:_FILTER_LIMIT] or None
