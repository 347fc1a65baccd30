"""Jinja2's i18n extension wired to the catalogues, for every app that renders pages.

One environment serves every language: ``_()`` and ``gettext()`` in a template read the ``lang``
the page is rendered with, so templates compile once rather than once per language.
"""

from __future__ import annotations

from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from shared.i18n.catalogues import VI, translations


def install_translations(environment: Environment) -> None:
    """Adds ``jinja2.ext.i18n`` to ``environment``; render with ``lang=...`` in the context."""
    environment.add_extension("jinja2.ext.i18n")

    @pass_context
    def gettext(context: Context, message: str) -> str:
        return translations(context.get("lang", VI)).gettext(message)

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, n: int) -> str:
        return translations(context.get("lang", VI)).ngettext(singular, plural, n)

    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=True
    )
