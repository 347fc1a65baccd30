"""The province's trace pages: search a batch, then see its whole chain as a picture.

``/province/trace`` is the search (a batch code or id, or a GTIN with its lot; a plain GET form
that lands on the batch's page); ``/province/trace/{ref}`` draws the trace back, forward or both,
as of a chosen day, with the mass balance and the organisations, plots and communes involved.
Provincial staff see everything (the source is asked with viewer None). Routes stay thin: the
form and the view are ``shared.pages.trace_page``'s, the trace is the ``TraceSource``'s.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.province.people import Staff
from shared.domain.clock import today_in_vietnam
from shared.pages import Pages
from shared.pages.trace_page import ask, direction_options, read_form, trace_view
from shared.trace.graph import TraceNode
from shared.trace.source import TraceSource


def router(pages: Pages, source: TraceSource) -> APIRouter:
    routes = APIRouter(prefix="/province")

    @routes.get("/trace", include_in_schema=False)
    def search(request: Request, person: Staff, ref: str = "") -> Response:
        if ref.strip():
            kept = {k: v for k, v in request.query_params.items() if k != "ref" and v}
            target = f"/province/trace/{quote(ref.strip(), safe='')}"
            return RedirectResponse(f"{target}?{urlencode(kept)}" if kept else target, 303)
        return _page(request, person, pages, source, "")

    @routes.get("/trace/{ref}", include_in_schema=False)
    def trace(request: Request, person: Staff, ref: str) -> Response:
        return _page(request, person, pages, source, ref)

    return routes


def _page(request: Request, person: Staff, pages: Pages, source: TraceSource, ref: str) -> Response:
    chrome = pages.chrome(request, person_name=person.display_name, csrf_token=person.csrf_token)
    form = read_form(request.query_params, ref, chrome.t, today_in_vietnam())
    asked = ask(source, form, None, chrome.t)
    view = trace_view(asked.answer, form, chrome, _batch_href) if asked.answer else None
    return pages.response(
        "trace/trace.html",
        chrome,
        status_code=asked.status,
        form=form,
        errors=asked.errors,
        view=view,
        ref=ref,
        show_ref=not ref,
        directions=direction_options(chrome.t),
        action=request.url.path,
    )


def _batch_href(node: TraceNode) -> str:
    return f"/province/trace/{quote(node.code, safe='')}"
