"""The cooperative app's ``trace`` part: a lot's whole chain, from its lot page.

``/app/lots/{code}/trace`` draws the trace back, forward or both, as of a chosen day, with the
mass balance and the organisations, plots and communes involved, as the person's organisation may
see it: the source is asked with the organisation as viewer, and answers None for a lot it may
not trace (404 here, as the lot page does for another organisation's lot). The form and the view
are ``shared.pages.trace_page``'s, shared with the province's page.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from services.cooperative_app.context import AppContext
from services.cooperative_app.people import Worker
from shared.domain.clock import today_in_vietnam
from shared.pages import Pages
from shared.pages.trace_page import ask, direction_options, read_form, trace_view
from shared.trace.graph import TraceNode
from shared.trace.source import TraceSource


def router(context: AppContext) -> APIRouter:
    return trace_routes(context.pages, context.traces)


def trace_routes(pages: Pages, source: TraceSource | None) -> APIRouter:
    """The part's routes from the two things they use (a page test gives a fake source)."""
    routes = APIRouter()

    @routes.get("/app/lots/{code}/trace", include_in_schema=False)
    def trace(request: Request, person: Worker, code: str) -> Response:
        organisation = str(person.actor.organisation("use the app"))
        chrome = pages.chrome(
            request, person_name=person.display_name, csrf_token=person.csrf_token
        )
        form = read_form(request.query_params, code.upper(), chrome.t, today_in_vietnam())
        asked = ask(source, form, organisation, chrome.t)

        def batch_href(node: TraceNode) -> str:
            # One's own lots open their page; another's only its trace, which is all one may see.
            own = node.holder_id == organisation
            tail = "" if own else "/trace"
            return f"/app/lots/{quote(node.code, safe='')}{tail}"

        view = trace_view(asked.answer, form, chrome, batch_href) if asked.answer else None
        return pages.response(
            "trace_lot.html",
            chrome,
            status_code=asked.status,
            form=form,
            errors=asked.errors,
            view=view,
            ref=code,
            show_ref=False,
            directions=direction_options(chrome.t),
            action=request.url.path,
        )

    return routes
