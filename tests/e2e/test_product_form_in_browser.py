"""A cooperative's staff member fills the product form on a phone: a real platform under
uvicorn, a real headless Chromium at 360 px, signed in through real accounts. The form (empty,
and with a refusal at its field) passes axe-core's WCAG 2.1 AA audit and does not scroll
sideways; what it saves is what the form shows again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from services.platform.composition import WriteSide, build_app
from shared.readmodels.projections import Projections
from shared.records import commands as c
from shared.records.actors import Actor, Role
from tests.browser import chromium, serving
from tests.integration.readmodels.readmodel_chain import gtin13
from tests.people_world import a_person, a_write_side, looks_right, sign_in
from tests.registry_world import World, a_registry, project

pytestmark = pytest.mark.browser
USERNAME = "0912000062"
GTIN14 = "0" + gtin13("893850597401")


@pytest.fixture
def side(fresh_database_admin_url: str) -> Iterator[WriteSide]:
    with a_write_side(fresh_database_admin_url) as side:
        yield side


@pytest.fixture
def world(side: WriteSide) -> World:
    world = a_registry(side.records)
    thieu = Actor(Role.COOPERATIVE, world.thieu)
    side.records.execute(thieu, [c.RegisterGtin(organisation_id=world.thieu, gtin=GTIN14[1:])])
    projections = Projections(side.connect)
    projections.reset()
    project(side.records, projections)
    a_person(side, USERNAME, Role.COOPERATIVE, world.thieu)
    return world


def test_the_product_form_is_accessible_on_a_phone_and_saves_what_was_typed(
    side: WriteSide, world: World
) -> None:
    with serving(build_app(side)) as base, chromium() as tab:
        sign_in(tab, base, USERNAME)
        tab.open(f"{base}/app/products/{GTIN14}")
        assert tab.evaluate("document.querySelector('#field-photo').accept") == "image/*"
        looks_right(tab, "product-form")

        tab.submit(
            f"form[action^='/app/products/{GTIN14}']",
            {"name_vi": "Gạo nếp cái hoa vàng", "brand": "HTX", "shelf_life_days": "0"},
        )
        assert "3.650" in tab.text("#error-shelf_life_days")
        looks_right(tab, "product-form-refused")

        tab.submit(
            f"form[action^='/app/products/{GTIN14}']",
            {"name_vi": "Gạo nếp cái hoa vàng", "shelf_life_days": "365"},
        )
        assert "Đã lưu" in tab.text("[role=status]")
        product = side.records.product(GTIN14)
        assert product is not None
        assert (product.name_vi, product.shelf_life_days) == ("Gạo nếp cái hoa vàng", 365)
        tab.open(f"{base}/app/products")
        looks_right(tab, "products")
