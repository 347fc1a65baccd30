"""Jinja2 for the staff apps: one environment per app over its templates and the shared ones.

Autoescaping is on for every ``.html`` template: names, reasons and notes are typed by people
and are shown as text, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from shared.i18n import EN, VI, Translator, choose_language
from shared.i18n.templates import install_translations

SHARED_TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class NavItem:
    label: str  # a message id
    href: str


@dataclass(frozen=True)
class Chrome:
    """What the layout needs besides a page's content."""

    t: Translator
    path: str
    query: dict[str, str]
    person_name: str | None = None
    csrf_token: str | None = None
    nav: tuple[NavItem, ...] = field(default=())
    # A count beside a tab (its href → how many wait there), e.g. recall notices not yet answered.
    badges: Mapping[str, int] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        return self.t.lang

    def other_language_url(self) -> str:
        return self.url_with(lang=VI if self.lang == EN else EN)

    def url_with(self, **changes: str | None) -> str:
        """This page's address with query parameters changed (``None`` drops one)."""
        query = {**self.query, **changes}
        kept = {k: v for k, v in query.items() if v not in (None, "")}
        return f"{self.path}?{urlencode(kept)}" if kept else self.path


class Pages:
    def __init__(
        self,
        templates: Path,
        nav: tuple[NavItem, ...] = (),
        badges: Callable[[Request], Mapping[str, int]] | None = None,
    ) -> None:
        """``badges`` counts, per request, what waits behind each tab (its href → a count)."""
        self._environment = Environment(
            loader=ChoiceLoader([FileSystemLoader(templates), FileSystemLoader(SHARED_TEMPLATES)]),
            autoescape=select_autoescape(enabled_extensions=("html", "svg"), default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        install_translations(self._environment)
        self._nav = nav
        self._badges = badges

    def chrome(
        self, request: Request, *, person_name: str | None = None, csrf_token: str | None = None
    ) -> Chrome:
        lang = choose_language(
            request.query_params.get("lang"), request.headers.get("accept-language")
        )
        return Chrome(
            t=Translator(lang),
            path=request.url.path,
            query=dict(request.query_params),
            person_name=person_name,
            csrf_token=csrf_token,
            nav=self._nav,
            badges=self._badges(request) if self._badges and self._nav else {},
        )

    def render(self, name: str, chrome: Chrome, **context: Any) -> str:
        template = self._environment.get_template(name)
        return template.render(chrome=chrome, t=chrome.t, lang=chrome.lang, **context)

    def response(
        self, name: str, chrome: Chrome, *, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        html = self.render(name, chrome, **context)
        headers = {"Content-Language": chrome.lang, "Cache-Control": "no-store"}
        return HTMLResponse(html, status_code=status_code, headers=headers)
