"""A person signs in on a phone: a real platform under uvicorn, a real headless Chromium.

At 360 px: the sign-in page, the first sign-in with a one-time code, choosing a password, the
person's home, their account page and signing out; each page passes axe-core's WCAG 2.1 AA
audit and does not scroll sideways.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.capture.context import connections_of
from services.platform.composition import WriteSide, build_app
from services.platform.settings import PlatformSettings
from shared.accounts.service import Accounts
from shared.database import prepare
from shared.postgres.tokens import TokenStore
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.projections import Projections
from shared.readmodels.rebuild import rebuild
from shared.records.actors import Role
from shared.records.application import Records
from tests.browser import PHONE_WIDTH, Tab, chromium, serving
from tests.builders import a_grower, a_household
from tests.databases import on_database
from tests.integration.accounts.conftest import PASSWORD, cheap_passwords, issue

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("NGUON_TEST_SCREENSHOTS")  # a folder to keep the pages' pictures in


@pytest.fixture
def side(fresh_database_admin_url: str) -> Iterator[WriteSide]:
    settings = PlatformSettings(**on_database(fresh_database_admin_url))
    urls = prepare(settings)
    records = Records(eventsourcing_env(urls.app, create_table=False), settings.province_code)
    connect = connections_of(records)
    accounts = Accounts.build(settings, connect, records, passwords=cheap_passwords())
    yield WriteSide(settings, records, TokenStore(connect), accounts)
    records.close()


def _looks_right(tab: Tab, name: str) -> None:
    assert tab.scroll_width() <= PHONE_WIDTH, f"{name} scrolls sideways"
    assert tab.axe_violations() == [], name
    if SHOTS:
        tab.screenshot(Path(SHOTS) / f"{name}.png")


def _path(tab: Tab) -> str:
    return str(tab.evaluate("location.pathname + location.search"))


def test_a_province_officer_signs_in_with_a_code_sets_a_password_and_signs_out(
    side: WriteSide,
) -> None:
    issued = issue(side.accounts, "0912345678", Role.PROVINCE)
    with serving(build_app(side)) as base, chromium() as tab:
        tab.open(f"{base}/account")
        assert _path(tab) == "/sign-in?next=/account"
        assert "Đăng nhập" in tab.text("h1")
        _looks_right(tab, "sign-in")

        tab.submit("form[action='/sign-in']", {"username": "0912345678", "password": "sai-ma"})
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in tab.text("#error-summary")
        _looks_right(tab, "sign-in-refused")

        tab.submit(
            "form[action='/sign-in']", {"username": "+84 912 345 678", "password": issued.code}
        )
        assert _path(tab) == "/sign-in/new-password?next=/account"
        _looks_right(tab, "new-password")

        tab.submit(
            "form[action='/sign-in/new-password']",
            {"password": PASSWORD, "confirmation": PASSWORD},
        )
        assert _path(tab) == "/account"
        assert "0912345678" in tab.text("main")
        _looks_right(tab, "account")

        tab.submit("form[action='/sign-out']", {})
        assert _path(tab) == "/sign-in?signed_out=1"
        tab.open(f"{base}/account")
        assert _path(tab).startswith("/sign-in")


def test_a_cooperatives_administrator_lands_in_the_app_and_keeps_its_people(
    side: WriteSide,
) -> None:
    grower = a_grower(side.records)
    household_id = a_household(side.records, grower, "HO-12")
    rebuild(side.records, Projections(connections_of(side.records)), progress=False)
    issued = issue(side.accounts, "0987000111", Role.COOPERATIVE_ADMIN, grower.cooperative_id)
    side.accounts.store.set_password(issued.account_id, PASSWORD)
    with serving(build_app(side)) as base, chromium() as tab:
        tab.open(f"{base}/sign-in")
        tab.submit("form[action='/sign-in']", {"username": "0987000111", "password": PASSWORD})
        assert _path(tab).startswith("/app/")

        tab.open(f"{base}/account/organisations/{grower.cooperative_id}/people")
        _looks_right(tab, "people")
        tab.submit(
            "form[action$='/people']",
            {"display_name": "Hộ Nguyễn Văn Tư", "username": "0987000222", "role": "household",
             "household_ref": str(household_id)},
        )  # fmt: skip
        assert "Mã dùng một lần" in tab.text("main")
        _looks_right(tab, "issued-code")
