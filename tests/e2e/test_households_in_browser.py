"""A cooperative's administrator keeps its member households on a phone: a real headless
Chromium on the app under uvicorn, with the tests' gate. Registering (after a refusal shown at
its field), the household's page, and forgetting it: each page fits 360 px without sideways
scroll and passes axe-core's WCAG 2.1 AA audit."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from services.cooperative_app.app import create_app
from services.platform.composition import build_app
from shared.database import prepare
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.households import PostgresHouseholds
from shared.readmodels.projections import Projections
from shared.readmodels.sources import run_embedded
from shared.readmodels.tracking import connector
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.browser import PHONE_WIDTH, chromium, serving
from tests.builders import a_grower
from tests.databases import on_database
from tests.people_world import (
    DESKTOP_WIDTH,
    a_person,
    a_write_side,
    looks_right,
    projections_of,
    sign_in,
)
from tests.registry_world import HeaderGate, project

pytestmark = pytest.mark.browser
# A head of household whose name is long, as some are: the pick list must still fit a phone.
LONG_NAME = "Nguyễn Thị Hoàng Phương Thảo Ngọc Bích"


@pytest.fixture
def base(fresh_database_admin_url: str) -> Iterator[tuple[str, str]]:
    settings = NguonSettings(**on_database(fresh_database_admin_url))
    urls = prepare(settings)
    records = Records(eventsourcing_env(urls.app, create_table=False, pool_size=2))
    connect = connector(urls.app)
    projections = Projections(connect)
    projections.reset()
    grower = a_grower(records)
    stop = threading.Event()
    follower = run_embedded(records, projections, stop)
    app = create_app(settings, records, HeaderGate(), connect, PostgresHouseholds(connect))
    try:
        with serving(app) as served:
            yield served, f"cooperative_admin:{grower.cooperative_id}"
    finally:
        stop.set()
        follower.join(timeout=30)
        records.close()


def test_an_admin_registers_a_household_on_a_phone_then_forgets_it(
    base: tuple[str, str],
) -> None:
    served, person = base
    with chromium() as tab:
        tab.call("Network.setExtraHTTPHeaders", headers={HeaderGate.HEADER: person})
        tab.open(f"{served}/app/households/new", PHONE_WIDTH)
        typed = {"reference": "HO-12", "head_name": "Nguyễn Văn Tư", "phone": "12-34"}
        tab.submit("main form", typed)
        assert "Số điện thoại gồm 10 hoặc 11 chữ số" in tab.text("#error-phone")
        looks_right(tab, "refused")

        tab.submit("main form", {"phone": "0912 345 678"})
        assert tab.text("h1") == "HO-12"
        assert "0912345678" in tab.text("main")
        household = str(tab.evaluate("location.pathname"))
        looks_right(tab, "household")

        tab.open(f"{served}/app/households", PHONE_WIDTH)
        assert "Nguyễn Văn Tư" in tab.text("main")
        looks_right(tab, "registry")

        tab.open(f"{served}{household}/forget", PHONE_WIDTH)
        looks_right(tab, "forget")
        tab.submit("main form", {})
        assert "đã xoá theo yêu cầu" in tab.text("main")
        assert "Nguyễn Văn Tư" not in tab.text("main")
        looks_right(tab, "forgotten")


def test_the_people_page_offers_the_registered_households_to_pick_on_a_phone_and_a_desk(
    fresh_database_admin_url: str,
) -> None:
    with a_write_side(fresh_database_admin_url) as side:
        grower = a_grower(side.records)
        cooperative = Actor(Role.COOPERATIVE, grower.cooperative_id)
        for reference, head in (("HO-05", "Phạm Văn Cam"), ("HO-12", LONG_NAME)):
            registered = c.RegisterHousehold(
                cooperative_id=grower.cooperative_id, reference=reference, head_name=head
            )
            side.records.execute(cooperative, [registered])
        project(side.records, projections_of(side))
        admin = a_person(side, "0913000201", Role.COOPERATIVE_ADMIN, grower.cooperative_id)
        with serving(build_app(side)) as served, chromium() as tab:
            sign_in(tab, served, admin)
            tab.open(f"{served}/account/organisations/{grower.cooperative_id}/people")
            offered = tab.evaluate(
                "[...document.querySelectorAll('select[name=household_ref] option')]"
                ".map(o => o.textContent.trim())"
            )
            assert offered[1:] == ["HO-05 · Phạm Văn Cam", f"HO-12 · {LONG_NAME}"]
            assert tab.text("label[for=field-household_ref]") == "Hộ thành viên"  # not a code
            tab.evaluate("document.querySelector('select[name=household_ref]').selectedIndex = 2")
            looks_right(tab, "people-households")
            tab.resize(DESKTOP_WIDTH)
            assert tab.axe_violations() == [], "the people page at 1280 px"
            widest = "document.querySelector('select[name=household_ref]').getBoundingClientRect()"
            assert tab.evaluate(f"{widest}.right") <= tab.scroll_width()
