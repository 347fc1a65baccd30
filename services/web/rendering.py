"""The Jinja2 templates, loaded and compiled once when the app is built.

Autoescaping is on for every ``.html`` template: all text on a page comes from records that
cooperatives typed, and is shown as text, never as markup.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape

from services.web.cooperative_pages import CooperativePage, ListPage
from services.web.present import BatchPage
from services.web.product import ProductPage
from shared.i18n import EN, VI, Translator
from shared.i18n.templates import install_translations

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Chrome:
    """What every page needs besides its content."""

    t: Translator
    public_base_url: str
    explicit_language: bool  # ``?lang=`` was given, so links keep it

    @property
    def lang(self) -> str:
        return self.t.lang

    @property
    def other_language_query(self) -> str:
        return f"?lang={VI if self.lang == EN else EN}"

    @property
    def link_query(self) -> str:
        return f"?lang={self.lang}" if self.explicit_language else ""


class Renderer:
    """Renders the public pages; holds nothing that changes per request."""

    def __init__(self) -> None:
        environment = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(enabled_extensions=("html",), default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        install_translations(environment)
        names = environment.list_templates()
        self._templates: dict[str, Template] = {n: environment.get_template(n) for n in names}
        sources = b"".join((TEMPLATES / name).read_bytes() for name in sorted(names))
        self.version = hashlib.sha256(sources).hexdigest()[:12]
        """Changes when any template does, so ETags of old renders stop matching."""

    def batch(self, page: BatchPage, chrome: Chrome, canonical: str) -> str:
        return self._render("batch.html", chrome, page=page, canonical=canonical)

    def product(self, page: ProductPage, chrome: Chrome) -> str:
        return self._render("product.html", chrome, page=page)

    def cooperatives(self, page: ListPage, chrome: Chrome) -> str:
        return self._render("cooperatives.html", chrome, page=page)

    def cooperative(self, page: CooperativePage, chrome: Chrome) -> str:
        return self._render("cooperative.html", chrome, page=page)

    def error(self, title: str, message: str, detail: str, chrome: Chrome) -> str:
        return self._render("error.html", chrome, title=title, message=message, detail=detail)

    def _render(self, name: str, chrome: Chrome, **context: object) -> str:
        return self._templates[name].render(chrome=chrome, t=chrome.t, lang=chrome.lang, **context)
