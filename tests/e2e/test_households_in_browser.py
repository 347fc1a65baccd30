"""A cooperative's administrator keeps its member households on a phone: a real headless
Chromium on the app under uvicorn, with the tests' gate. Registering (after a refusal shown at
its field), the household's page, and forgetting it: each page fits 360 px without sideways
scroll and passes axe-core's WCAG 2.1 AA audit."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from services.cooperative_app.app import create_app
from shared.database import prepare
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.households import PostgresHouseholds
from shared.readmodels.projections import Projections
from shared.readmodels.sources import run_embedded
from shared.readmodels.tracking import connector
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.browser import PHONE_WIDTH, chromium, serving
from tests.builders import a_grower
from tests.databases import on_database
from tests.people_world import looks_right
from tests.registry_world import HeaderGate

pytestmark = pytest.mark.browser


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
