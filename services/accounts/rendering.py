"""Rendering the accounts app's pages, and refusals as messages next to their fields."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from shared.accounts.sessions import Session
from shared.domain.errors import DomainError, InvalidValue
from shared.i18n.refusals import refusal_message
from shared.pages import Chrome, Pages


class Screens:
    """``Pages`` with the signed-in person's name and CSRF token in the layout."""

    def __init__(self, pages: Pages) -> None:
        self.pages = pages

    def chrome(self, request: Request, session: Session | None = None) -> Chrome:
        if session is None or session.purpose != "full":
            return self.pages.chrome(request)
        return self.pages.chrome(
            request, person_name=session.account.display_name, csrf_token=session.csrf_token
        )

    def show(
        self,
        name: str,
        request: Request,
        session: Session | None = None,
        *,
        status_code: int = 200,
        chrome: Chrome | None = None,
        **context: Any,
    ) -> HTMLResponse:
        shown = chrome or self.chrome(request, session)
        return self.pages.response(name, shown, status_code=status_code, **context)


def field_errors(error: DomainError, lang: str, fields: set[str], default: str) -> dict[str, str]:
    """``{field: message}``: the refused field's name, or ``default`` if the form has none."""
    message = refusal_message(error.code, error.params, lang, error.message)
    field = error.field if isinstance(error, InvalidValue) else default
    return {field if field in fields else default: message}
