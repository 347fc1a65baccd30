"""The cooperative's registry of member households in the app: its admin and staff register,
read, give plots and forget; no one else sees it."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from services.cooperative_app.app import create_app
from shared.database import DatabaseUrls, prepare
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.households import PostgresHouseholds
from shared.readmodels.projections import Projections
from shared.readmodels.sources import run_embedded
from shared.readmodels.tracking import connector
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.builders import Grower, a_grower
from tests.databases import on_database
from tests.registry_world import HeaderGate

NAME, PHONE, REFERENCE = "Phạm Văn Cam", "0977111222", "HO-05"


@dataclass(frozen=True)
class World:
    client: TestClient
    records: Records
    grower: Grower

    def headers(self, role: str = "cooperative_admin", org: UUID | None = None) -> dict[str, str]:
        return {HeaderGate.HEADER: f"{role}:{org or self.grower.cooperative_id}"}

    def post(self, path: str, data: dict[str, str], role: str = "cooperative_admin") -> str:
        answer = self.client.post(
            path, data={**data, "csrf_token": f"csrf-{role}"}, headers=self.headers(role)
        )
        assert answer.status_code == 303, answer.text
        return str(answer.headers["location"])

    def page(self, path: str, role: str = "cooperative_admin") -> str:
        answer = self.client.get(path, headers=self.headers(role))
        assert answer.status_code == 200, answer.text
        return str(answer.text)


@pytest.fixture
def world(fresh_database_admin_url: str) -> Iterator[World]:
    database: DatabaseUrls = prepare(NguonSettings(**on_database(fresh_database_admin_url)))
    records = Records(eventsourcing_env(database.app, create_table=False, pool_size=2))
    connect = connector(database.app)
    projections = Projections(connect)
    projections.reset()
    stop = threading.Event()
    feeding = run_embedded(records, projections, stop)  # the read models, as in production
    app = create_app(NguonSettings(), records, HeaderGate(), connect, PostgresHouseholds(connect))
    try:
        with TestClient(app, follow_redirects=False) as client:
            yield World(client, records, a_grower(records))
    finally:
        stop.set()
        feeding.join(30)
        records.close()


def _registered(world: World) -> str:
    data = {"reference": REFERENCE, "head_name": NAME, "phone": PHONE}
    return world.post("/app/households/new", data)


def test_a_cooperatives_admin_registers_a_household_and_sees_it_with_the_plot_it_was_given(
    world: World,
) -> None:
    location = _registered(world)
    assert re.fullmatch(r"/app/households/[0-9a-f-]{36}\?after=\d+", location)
    page = world.page(location)
    assert REFERENCE in page
    assert NAME in page
    assert PHONE in page

    path = location.split("?")[0]
    after = world.post(f"{path}/plots", {"plot_id": str(world.grower.plot_id)})
    page = world.page(after)
    assert "lúa · Xã Thiệu Trung" in page
    listed = world.page(after.replace(path, "/app/households"), role="cooperative")
    assert REFERENCE in listed
    assert NAME in listed


def test_a_badly_written_phone_is_shown_at_its_field_and_nothing_is_stored(
    world: World,
) -> None:
    before = world.records.position()
    answer = world.client.post(
        "/app/households/new",
        data={"reference": "HO-6", "phone": "12-34", "csrf_token": "csrf-cooperative_admin"},
        headers=world.headers(),
    )
    assert answer.status_code == 422
    assert 'id="error-phone"' in answer.text
    assert "Số điện thoại gồm 10 hoặc 11 chữ số" in answer.text
    assert 'value="HO-6"' in answer.text
    assert world.records.position() == before


def test_households_enterprises_and_other_cooperatives_do_not_see_the_registry(
    world: World,
) -> None:
    location = _registered(world)
    assert NAME in world.page(location)
    household = location.split("?")[0]
    for role in ("household", "enterprise"):
        answer = world.client.get("/app/households", headers=world.headers(role))
        assert answer.status_code == 403
    stranger = world.headers("cooperative_admin", UUID(int=5))
    assert world.client.get(household, headers=stranger).status_code == 404
    assert world.client.get(f"{household}/forget", headers=stranger).status_code == 404
    posted = world.client.post(
        f"{household}/forget", data={"csrf_token": "csrf-cooperative_admin"}, headers=stranger
    )
    assert posted.status_code == 404
    assert NAME in world.page(household)  # not forgotten


def test_forgetting_says_what_it_does_and_then_no_page_shows_the_household(
    world: World,
) -> None:
    location = _registered(world)
    world.page(location)  # the registry has it
    household = location.split("?")[0]
    confirm = world.page(f"{household}/forget")
    assert "xoá khoá riêng của hộ" in confirm
    assert "docs/privacy.md" in confirm

    after = world.post(f"{household}/forget", {})

    listed = world.page(after)
    assert "đã xoá theo yêu cầu" in listed
    gone = world.page(household)
    for page in (listed, gone, world.page(f"{after}&lang=en")):
        for secret in (NAME, PHONE, REFERENCE):
            assert secret not in page
    assert world.client.get(f"{household}/forget", headers=world.headers()).status_code == 404
