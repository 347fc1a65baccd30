"""People in a real browser: the platform's write side over a fresh database, a person signed in
through the real accounts (sign-in form, session cookie), and the check every page of the app
passes — no sideways scroll at 360 px and no axe violations, with pictures at 360 and 1280 px
kept in ``NGUON_TEST_SCREENSHOTS`` when that names a folder.

One place for what the app's browser tests each used to write out.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from uuid import UUID

from starlette.applications import Starlette

from services.capture.context import connections_of
from services.platform.composition import WriteSide, build_app
from services.platform.settings import PlatformSettings
from shared.accounts.service import Accounts
from shared.database import prepare
from shared.postgres.tokens import TokenStore
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.projections import Projections
from shared.records.actors import Role
from shared.records.application import Records
from tests.browser import PHONE_WIDTH, Tab
from tests.databases import on_database
from tests.integration.accounts.conftest import PASSWORD, an_account, cheap_passwords

SHOTS = os.environ.get("NGUON_TEST_SCREENSHOTS")  # a folder to keep the pages' pictures in
DESKTOP_WIDTH = 1280


@contextmanager
def a_write_side(admin_url: str, public_base_url: str | None = None) -> Iterator[WriteSide]:
    """The platform's write side (records, tokens, accounts) on a fresh, migrated database,
    answering at ``public_base_url`` when one is given."""
    platform = PlatformSettings(**on_database(admin_url))
    if public_base_url is not None:
        platform = platform.model_copy(update={"public_base_url": public_base_url})
    urls = prepare(platform)
    records = Records(eventsourcing_env(urls.app, create_table=False), platform.province_code)
    connect = connections_of(records)
    accounts = Accounts.build(platform, connect, records, passwords=cheap_passwords())
    try:
        yield WriteSide(platform, records, TokenStore(connect), accounts)
    finally:
        records.close()


def projections_of(side: WriteSide) -> Projections:
    """The read models over the side's database, emptied: project by position from here."""
    projections = Projections(side.connect)
    projections.reset()
    return projections


def a_person(side: WriteSide, username: str, role: Role, organisation_id: UUID) -> str:
    """An account of the organisation's that has set its password (``PASSWORD``); its username."""
    return an_account(side.accounts, username, role, organisation_id).username


def site_at(side: WriteSide, base: str) -> Starlette:
    """The platform at the address the browser uses (its public base URL)."""
    settings = side.settings.model_copy(update={"public_base_url": base})
    return build_app(replace(side, settings=settings))


def path_of(tab: Tab) -> str:
    """Where the tab is: the page's path and query."""
    return str(tab.evaluate("location.pathname + location.search"))


def sign_in(tab: Tab, base: str, username: str, then: str = "/app/") -> None:
    """Signs in through the sign-in form, as a person does, and lands on ``then``."""
    tab.open(f"{base}/sign-in")
    tab.submit("form[action='/sign-in']", {"username": username, "password": PASSWORD})
    assert path_of(tab).startswith(then), path_of(tab)


def looks_right(tab: Tab, name: str) -> None:
    """The page fits a 360 px phone and passes axe; its pictures are kept if asked for."""
    assert tab.scroll_width() <= PHONE_WIDTH, f"{name} scrolls sideways"
    assert tab.axe_violations() == [], name
    if SHOTS:
        tab.screenshot(Path(SHOTS) / f"app-{name}-360.png")
        tab.resize(DESKTOP_WIDTH)
        tab.screenshot(Path(SHOTS) / f"app-{name}-1280.png")
        tab.resize(PHONE_WIDTH)
