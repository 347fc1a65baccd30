"""``GET /``: what this is, in a few lines, with the way to the API docs and a demo page.

Vietnamese unless ``?lang=en`` or ``Accept-Language`` asks for English (the public pages' own
negotiation), in the words of the shared catalogues (``home_*``); JSON when the client prefers
it. Unknown paths outside every mounted app answer a 404 here: a page for people, the API's error
format for programs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from services.capture.errors import error_body
from services.web.negotiation import SECURITY_HEADERS, wants_json
from shared.i18n import Translator, choose_language
from shared.i18n.templates import install_translations

DOCS = "/docs"
OPENAPI = "/openapi.json"

_OTHER = {"vi": "en", "en": "vi"}


@dataclass(frozen=True)
class Home:
    demo_page: str | None = None
    """A provenance page to show newcomers (the demo's labelled batch), if there is one."""

    def page(self, request: Request) -> Response:
        lang = _language(request)
        if wants_json(request):
            body = {
                "name": "Nguồn",
                "description": Translator(lang)("home_about"),
                "links": {"api_docs": DOCS, "openapi": OPENAPI, "demo_page": self.demo_page},
            }
            return JSONResponse(body, headers=_headers(lang))
        html = _templates.get_template("home.html").render(
            lang=lang, other=_OTHER[lang], docs=DOCS, demo_page=self.demo_page
        )
        return HTMLResponse(html, headers=_headers(lang))

    def not_found(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)  # registered for 404 only
        lang = _language(request)
        if wants_json(request) or not _accepts_html(request):
            body = error_body(
                "not_found",
                f"nothing is at {request.url.path}",
                "See / for what is here, and /openapi.json for the API's paths.",
            )
            return JSONResponse(body, status_code=404, headers=_headers(lang))
        html = _templates.get_template("not_found.html").render(lang=lang)
        return HTMLResponse(html, status_code=404, headers=_headers(lang))


def _language(request: Request) -> str:
    return choose_language(request.query_params.get("lang"), request.headers.get("accept-language"))


def _accepts_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "html" in accept or "*/*" in accept


def _headers(lang: str) -> dict[str, str]:
    return {
        "Content-Language": lang,
        "Vary": "Accept, Accept-Language",
        "Cache-Control": "no-cache",
        **SECURITY_HEADERS,
    }


_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
install_translations(_templates)  # the words are the catalogues' (home_*), like every page's
