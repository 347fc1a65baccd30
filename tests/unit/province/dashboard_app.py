"""The province's dashboard pages over fake figures, with a tiny test-only sign-in gate.

The gate knows two sessions by their cookie: ``staff`` (provincial staff) and ``cooperative``
(a cooperative's account, which may not see the province's pages). The app is laid out as the
province's own: the same templates, navigation and refusals (sign-in redirect, 403 page).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any
from uuid import UUID

import psycopg
from fastapi import FastAPI
from starlette.requests import Request

from services.province import dashboard
from services.province.app import NAV, TEMPLATES, _ForbiddenPage, _to_sign_in
from services.province.people import NotAllowed, SignInNeeded
from shared.accounts.gate import SESSION_COOKIE, Gate, Person
from shared.pages import Pages
from shared.readmodels.monitoring.figures import Indicators
from shared.records.actors import Actor, Role
from shared.settings import NguonSettings

STAFF_COOKIE = {SESSION_COOKIE: "staff"}
COOPERATIVE_COOKIE = {SESSION_COOKIE: "cooperative"}
_PEOPLE = {
    "staff": Person(
        account_id=UUID("11111111-1111-4111-8111-111111111111"),
        username="0912345678",
        display_name="Lê Thị Hoa",
        actor=Actor(Role.PROVINCE, account_id=UUID("11111111-1111-4111-8111-111111111111")),
        csrf_token="csrf-staff",
    ),
    "cooperative": Person(
        account_id=UUID("22222222-2222-4222-8222-222222222222"),
        username="htx@example.vn",
        display_name="HTX Thọ Xuân",
        actor=Actor(
            Role.COOPERATIVE,
            organisation_id=UUID("0f6c1a52-3d7e-4b8a-9c21-5e4f6a7b8c90"),
            account_id=UUID("22222222-2222-4222-8222-222222222222"),
        ),
        csrf_token="csrf-coop",
    ),
}


class CookieGate(Gate):
    """Test-only: the session cookie's value names the person outright."""

    def person(self, request: Request) -> Person | None:
        return _PEOPLE.get(request.cookies.get(SESSION_COOKIE, ""))

    def csrf_ok(self, person: Person, submitted: str | None) -> bool:
        return submitted == person.csrf_token


def _no_database() -> AbstractContextManager[psycopg.Connection[Any]]:
    msg = "the dashboard's pages read their figures from the fake, not a database"
    raise AssertionError(msg)


def dashboard_app(indicators: Indicators) -> FastAPI:
    app = FastAPI()
    app.state.gate = CookieGate()
    pages = Pages(TEMPLATES, nav=NAV)
    app.include_router(dashboard.router(NguonSettings(), _no_database, pages, indicators))
    app.add_exception_handler(SignInNeeded, _to_sign_in)
    app.add_exception_handler(NotAllowed, _ForbiddenPage(pages))
    return app
