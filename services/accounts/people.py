"""``/account/organisations/{id}/people``: an organisation's accounts, kept by those who may.

Provincial staff reach every organisation's page, a cooperative's administrator only its own
(``shared.accounts.permissions``). Creating or resetting an account shows its one-time code once,
on the answer to that POST, to hand over in person; it is never shown again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.accounts.rendering import Screens, field_errors
from services.accounts.who import NotAllowed, PostedBy, SignedIn, accounts_of, text
from shared.accounts.organisations import kind_needed
from shared.accounts.permissions import may_manage, may_see_people_of
from shared.accounts.sessions import Session
from shared.accounts.store import IssuedCode, NewAccount
from shared.domain.errors import DomainError, InvalidValue, NotFound, NotPermitted
from shared.readmodels.households import HouseholdDirectory
from shared.records.actors import Role

PEOPLE_PATH = "/account/organisations/{organisation_id}/people"
FIELDS = {"username", "display_name", "role", "household_ref"}

T = TypeVar("T")


def router(screens: Screens, households: HouseholdDirectory | None = None) -> APIRouter:
    """``households``: the cooperatives' registries of member households; a household's
    account is then linked to a registered household (by its id), picked from a list."""
    routes = APIRouter(include_in_schema=False)

    def registered(kind: str, organisation_id: UUID) -> dict[str, str]:
        """The cooperative's registered households: id → label (empty: none, or no registry)."""
        if households is None or kind != "cooperative":
            return {}
        return {str(h.household_id): h.label for h in households.households_of(organisation_id)}

    def organisation(request: Request, session: Session, organisation_id: UUID) -> tuple[str, str]:
        """(kind, name) of an organisation the person may see the people of."""
        if not may_see_people_of(session.account.actor, organisation_id):
            raise NotAllowed("accounts_people_not_allowed")
        organisations = accounts_of(request).store.organisations
        kind, name = organisations.kind_of(organisation_id), organisations.name_of(organisation_id)
        if kind is None or name is None:
            raise NotAllowed("accounts_no_such_organisation")
        return kind, name

    def roles(session: Session, kind: str, organisation_id: UUID) -> list[Role]:
        return [
            role
            for role in Role
            if kind_needed(role) == kind
            and may_manage(session.account.actor, role, organisation_id)
        ]

    def page(
        request: Request,
        session: Session,
        organisation_id: UUID,
        *,
        status_code: int = 200,
        errors: dict[str, str] | None = None,
        typed: dict[str, str] | None = None,
    ) -> Response:
        kind, name = organisation(request, session, organisation_id)
        store = accounts_of(request).store
        people = store.of_organisation(organisation_id)
        actor = session.account.actor
        return screens.show(
            "people.html",
            request,
            session,
            status_code=status_code,
            organisation_id=organisation_id,
            organisation_name=name,
            people=people,
            households=registered(kind, organisation_id),
            manageable={p.id for p in people if may_manage(actor, p.role, p.organisation_id)},
            roles=roles(session, kind, organisation_id),
            errors=errors or {},
            typed=typed or {},
            now=store.now(),
            done=request.query_params.get("done"),
            me=session.account.id,
        )

    def issued(
        request: Request, session: Session, organisation_id: UUID, code: IssuedCode, *, reset: bool
    ) -> Response:
        _, name = organisation(request, session, organisation_id)
        return screens.show(
            "issued_code.html",
            request,
            session,
            organisation_id=organisation_id,
            organisation_name=name,
            issued=code,
            reset=reset,
        )

    @routes.get(PEOPLE_PATH)
    def people(request: Request, session: SignedIn, organisation_id: UUID) -> Response:
        return page(request, session, organisation_id)

    @routes.post(PEOPLE_PATH)
    def create(request: Request, posted: PostedBy, organisation_id: UUID) -> Response:
        session, form = posted
        typed = {name: text(form, name) for name in FIELDS}
        organisation(request, session, organisation_id)  # refuses one the person may not manage
        try:
            role = _role(typed["role"])
            # Whether the household is registered in this cooperative is the store's rule
            # (shared.accounts.organisations.check_binding), for this page and the CLI alike.
            new = NewAccount(
                typed["username"],
                typed["display_name"],
                role,
                organisation_id,
                typed["household_ref"] if role is Role.HOUSEHOLD else None,
            )
            code = accounts_of(request).store.create(session.account.actor, new)
        except DomainError as error:
            lang = screens.chrome(request, session).lang
            errors = field_errors(error, lang, FIELDS, "role")
            return page(
                request, session, organisation_id, status_code=422, errors=errors, typed=typed
            )
        return issued(request, session, organisation_id, code, reset=False)

    @routes.post(f"{PEOPLE_PATH}/{{account_id}}/reset")
    def reset(
        request: Request, posted: PostedBy, organisation_id: UUID, account_id: UUID
    ) -> Response:
        session, _ = posted
        _check_member(request, organisation_id, account_id)
        code = _managing(
            lambda: accounts_of(request).store.reset(session.account.actor, account_id)
        )
        return issued(request, session, organisation_id, code, reset=True)

    @routes.post(f"{PEOPLE_PATH}/{{account_id}}/disable")
    def disable(
        request: Request, posted: PostedBy, organisation_id: UUID, account_id: UUID
    ) -> Response:
        session, _ = posted
        _check_member(request, organisation_id, account_id)
        _managing(lambda: accounts_of(request).store.disable(session.account.actor, account_id))
        location = PEOPLE_PATH.format(organisation_id=organisation_id) + "?done=disabled"
        return RedirectResponse(location, status_code=303)

    return routes


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidValue(
            "role", "choose the person's role", code="account_role_missing"
        ) from None


def _check_member(request: Request, organisation_id: UUID, account_id: UUID) -> None:
    """The account is one of this organisation's: a page's forms act on its own people only."""
    try:
        account = accounts_of(request).store.get(account_id)
    except NotFound:
        raise NotAllowed("accounts_no_such_account") from None
    if account.organisation_id != organisation_id:
        raise NotAllowed("accounts_no_such_account")


def _managing(action: Callable[[], T]) -> T:
    try:
        return action()
    except NotPermitted:
        raise NotAllowed("accounts_people_not_allowed") from None
