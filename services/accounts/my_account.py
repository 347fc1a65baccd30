"""``/account``: who I am, the organisation I act for, and changing my password."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.accounts.rendering import Screens, field_errors
from services.accounts.who import PostedBy, SignedIn, accounts_of, text
from shared.accounts.permissions import may_see_people_of
from shared.accounts.sessions import Session
from shared.domain.errors import DomainError

ACCOUNT_PATH = "/account"
FIELDS = {"current_password", "password", "confirmation"}


def router(screens: Screens) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    def page(
        request: Request, session: Session, status_code: int = 200, **context: Any
    ) -> Response:
        account = session.account
        organisations = accounts_of(request).store.organisations
        organisation = (
            None
            if account.organisation_id is None
            else organisations.name_of(account.organisation_id)
        )
        manages = account.organisation_id is not None and may_see_people_of(
            account.actor, account.organisation_id
        )
        shown: dict[str, Any] = {"errors": {}, "changed": False, **context}
        return screens.show(
            "account.html",
            request,
            session,
            status_code=status_code,
            account=account,
            organisation=organisation,
            manages=manages,
            **shown,
        )

    @routes.get(ACCOUNT_PATH)
    def my_account(request: Request, session: SignedIn) -> Response:
        return page(request, session, changed=request.query_params.get("changed") == "1")

    @routes.post(f"{ACCOUNT_PATH}/password")
    def change_password(request: Request, posted: PostedBy) -> Response:
        session, form = posted
        try:
            accounts_of(request).sign_in.change_password(
                session,
                text(form, "current_password"),
                text(form, "password"),
                text(form, "confirmation"),
            )
        except DomainError as error:
            lang = screens.chrome(request, session).lang
            errors = field_errors(error, lang, FIELDS, "password")
            return page(request, session, status_code=422, errors=errors)
        return RedirectResponse(f"{ACCOUNT_PATH}?changed=1", status_code=303)

    return routes
