"""A cooperative's staff member fills the product form on a phone: a real platform under
uvicorn, a real headless Chromium at 360 px, signed in through real accounts. The form (empty,
and with a refusal at its field) passes axe-core's WCAG 2.1 AA audit and does not scroll
sideways; what it saves is what the form shows again."""

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
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from tests.browser import PHONE_WIDTH, Tab, chromium, serving
from tests.databases import on_database
from tests.integration.accounts.conftest import PASSWORD, cheap_passwords, issue
from tests.integration.readmodels.readmodel_chain import gtin13
from tests.registry_world import World, a_registry, project

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("NGUON_TEST_SCREENSHOTS")  # a folder to keep the pages' pictures in
USERNAME = "0912000062"
GTIN14 = "0" + gtin13("893850597401")


@pytest.fixture
def side(fresh_database_admin_url: str) -> Iterator[WriteSide]:
    settings = PlatformSettings(**on_database(fresh_database_admin_url))
    urls = prepare(settings)
    records = Records(eventsourcing_env(urls.app, create_table=False), settings.province_code)
    connect = connections_of(records)
    accounts = Accounts.build(settings, connect, records, passwords=cheap_passwords())
    yield WriteSide(settings, records, TokenStore(connect), accounts)
    records.close()


@pytest.fixture
def world(side: WriteSide) -> World:
    world = a_registry(side.records)
    thieu = Actor(Role.COOPERATIVE, world.thieu)
    side.records.execute(thieu, [c.RegisterGtin(organisation_id=world.thieu, gtin=GTIN14[1:])])
    projections = Projections(side.connect)
    projections.reset()
    project(side.records, projections)
    issued = issue(side.accounts, USERNAME, Role.COOPERATIVE, world.thieu)
    side.accounts.store.set_password(issued.account_id, PASSWORD)
    return world


def _looks_right(tab: Tab, name: str) -> None:
    assert tab.scroll_width() <= PHONE_WIDTH, f"{name} scrolls sideways"
    assert tab.axe_violations() == [], name
    if SHOTS:
        tab.screenshot(Path(SHOTS) / f"app-{name}-360.png")


def test_the_product_form_is_accessible_on_a_phone_and_saves_what_was_typed(
    side: WriteSide, world: World
) -> None:
    with serving(build_app(side)) as base, chromium() as tab:
        tab.open(f"{base}/sign-in")
        tab.submit("form[action='/sign-in']", {"username": USERNAME, "password": PASSWORD})
        tab.open(f"{base}/app/products/{GTIN14}")
        assert tab.evaluate("document.querySelector('#field-photo').accept") == "image/*"
        _looks_right(tab, "product-form")

        tab.submit(
            f"form[action^='/app/products/{GTIN14}']",
            {"name_vi": "Gạo nếp cái hoa vàng", "brand": "HTX", "shelf_life_days": "0"},
        )
        assert "3.650" in tab.text("#error-shelf_life_days")
        _looks_right(tab, "product-form-refused")

        tab.submit(
            f"form[action^='/app/products/{GTIN14}']",
            {"name_vi": "Gạo nếp cái hoa vàng", "shelf_life_days": "365"},
        )
        assert "Đã lưu" in tab.text("[role=status]")
        product = side.records.product(GTIN14)
        assert product is not None
        assert (product.name_vi, product.shelf_life_days) == ("Gạo nếp cái hoa vàng", 365)
        tab.open(f"{base}/app/products")
        _looks_right(tab, "products")
