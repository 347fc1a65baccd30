"""The cooperative app's home, my lots, a lot's page and the harvest / processing / shipping /
receiving forms, over HTTP on a real database with the real records and projections: a form
stores exactly one event or refuses at its field in Vietnamese and stores nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.cooperative_app.app import create_app
from shared.database import DatabaseUrls, prepare
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.households import PostgresHouseholds
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect, connector
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.databases import on_database
from tests.registry_world import HeaderGate, World, a_registry, project

CSRF = "csrf-cooperative"


@pytest.fixture
def database(fresh_database_admin_url: str) -> DatabaseUrls:
    return prepare(NguonSettings(**on_database(fresh_database_admin_url)))


@pytest.fixture
def records(database: DatabaseUrls) -> Iterator[Records]:
    app = Records(eventsourcing_env(database.app, create_table=False, pool_size=2))
    yield app
    app.close()


@pytest.fixture
def connect(database: DatabaseUrls) -> Connect:
    return connector(database.app)


@pytest.fixture
def projections(connect: Connect) -> Projections:
    projections = Projections(connect)
    projections.reset()
    return projections


@pytest.fixture
def world(records: Records, projections: Projections) -> World:
    world = a_registry(records)
    project(records, projections)
    return world


@pytest.fixture
def client(records: Records, connect: Connect, world: World) -> Iterator[TestClient]:
    app = create_app(NguonSettings(), records, HeaderGate(), connect, PostgresHouseholds(connect))
    with TestClient(app, follow_redirects=False) as client:
        yield client


def thieu(world: World) -> dict[str, str]:
    return {HeaderGate.HEADER: f"cooperative:{world.thieu}"}


def enterprise(world: World) -> dict[str, str]:
    return {HeaderGate.HEADER: f"enterprise:{world.enterprise}"}


def harvest_form(world: World, **changes: str) -> dict[str, str]:
    return {
        "csrf_token": CSRF,
        "plot_ids": str(world.plot_thieu),
        "commodity": "lúa",
        "quantity.amount": "1250,5",
        "quantity.unit": "kg",
        "harvested_on": "2026-10-05",
    } | changes


def test_the_home_offers_a_harvest_and_counts_what_is_coming(
    client: TestClient, world: World
) -> None:
    page = client.get("/app/", headers=thieu(world))
    assert page.status_code == 200
    assert 'href="/app/record/harvest"' in page.text
    assert 'href="/app/diary/new"' in page.text
    assert "Nhận hàng đang đến" in page.text


def test_an_enterprise_has_no_harvest_button_and_may_not_open_the_harvest_form(
    client: TestClient, world: World
) -> None:
    page = client.get("/app/", headers=enterprise(world))
    assert 'href="/app/record/harvest"' not in page.text
    assert client.get("/app/record/harvest", headers=enterprise(world)).status_code == 403


def test_the_record_list_links_to_every_form(client: TestClient, world: World) -> None:
    page = client.get("/app/record", headers=thieu(world)).text
    for path in ("harvest", "process", "ship", "receive", "transform", "recall"):
        assert f'href="/app/record/{path}"' in page
    assert 'href="/app/outbox"' in page


def test_my_lots_lists_what_i_hold_and_finds_it_by_code(client: TestClient, world: World) -> None:
    page = client.get("/app/lots", headers=thieu(world))
    assert page.status_code == 200
    assert world.batch in page.text
    found = client.get(f"/app/lots?q={world.batch[-4:]}", headers=thieu(world)).text
    assert world.batch in found
    assert world.batch not in client.get("/app/lots?q=ZZZ", headers=thieu(world)).text


def test_another_organisations_lot_is_not_found(client: TestClient, world: World) -> None:
    other = {HeaderGate.HEADER: f"cooperative:{world.hoang}"}
    assert world.batch not in client.get("/app/lots", headers=other).text
    assert client.get(f"/app/lots/{world.batch}", headers=other).status_code == 404


def test_a_lots_page_shows_its_plot_its_events_and_what_may_be_done(
    client: TestClient, world: World
) -> None:
    page = client.get(f"/app/lots/{world.batch}", headers=thieu(world))
    assert page.status_code == 200
    assert "Thu hoạch từ vùng trồng" in page.text
    assert f"/app/record/ship?batch={world.batch}" in page.text
    assert f'href="/b/{world.batch}"' in page.text
    assert f'href="/app/labels/{world.batch}"' in page.text


def test_the_harvest_form_picks_the_only_plot_and_today(client: TestClient, world: World) -> None:
    page = client.get("/app/record/harvest", headers=thieu(world)).text
    assert 'data-command="harvest"' in page
    assert f'value="{world.plot_thieu}" checked' in page
    assert 'name="quantity.amount"' in page
    assert 'inputmode="decimal"' in page


def test_a_harvest_stores_one_event_and_confirms_its_code(
    client: TestClient, records: Records, world: World
) -> None:
    before = records.position()
    answer = client.post("/app/record/harvest", data=harvest_form(world), headers=thieu(world))
    assert answer.status_code == 303, answer.text
    assert records.position() == before + 1
    location = answer.headers["location"]
    assert location.startswith("/app/record/harvest/done?code=TH-")
    done = client.get(location, headers=thieu(world)).text
    assert "Đã lưu thu hoạch" in done
    assert "/app/labels/TH-" in done


def test_a_harvest_without_a_quantity_is_refused_at_its_field_and_stores_nothing(
    client: TestClient, records: Records, world: World
) -> None:
    before = records.position()
    answer = client.post(
        "/app/record/harvest", data=harvest_form(world, **{"quantity.amount": ""}),
        headers=thieu(world),
    )  # fmt: skip
    assert answer.status_code == 422
    assert 'id="error-quantity.amount"' in answer.text
    assert "Khối lượng thu hoạch: cần có giá trị này" in answer.text
    assert records.position() == before


def test_a_harvest_of_nothing_is_refused_by_the_records_in_vietnamese(
    client: TestClient, records: Records, world: World
) -> None:
    before = records.position()
    answer = client.post(
        "/app/record/harvest", data=harvest_form(world, **{"quantity.amount": "0"}),
        headers=thieu(world),
    )  # fmt: skip
    assert answer.status_code == 422
    assert 'id="error-quantity.amount"' in answer.text
    assert "Số lượng phải lớn hơn 0" in answer.text
    assert 'value="0"' in answer.text  # what was typed is kept
    assert records.position() == before


def test_a_form_posted_without_the_persons_token_is_refused(
    client: TestClient, records: Records, world: World
) -> None:
    before = records.position()
    answer = client.post(
        "/app/record/harvest", data=harvest_form(world, csrf_token="stale"), headers=thieu(world)
    )
    assert answer.status_code == 403
    assert records.position() == before


def test_a_drying_stores_one_event(client: TestClient, records: Records, world: World) -> None:
    page = client.get(f"/app/record/process?batch={world.batch}", headers=thieu(world)).text
    assert f'value="{world.batch}" selected' in page
    assert 'value="drying" selected' in page
    before = records.position()
    answer = client.post(
        "/app/record/process",
        data={"csrf_token": CSRF, "batch": world.batch, "step": "drying",
              "quantity_after.amount": "900", "quantity_after.unit": "kg",
              "facility": "Sân phơi HTX"},
        headers=thieu(world),
    )  # fmt: skip
    assert answer.status_code == 303, answer.text
    assert records.position() == before + 1


def test_a_drying_into_more_than_the_lot_held_is_refused_at_the_quantity(
    client: TestClient, records: Records, world: World
) -> None:
    before = records.position()
    answer = client.post(
        "/app/record/process",
        data={"csrf_token": CSRF, "batch": world.batch, "step": "drying",
              "quantity_after.amount": "5000", "quantity_after.unit": "kg",
              "facility": "Sân phơi HTX"},
        headers=thieu(world),
    )  # fmt: skip
    assert answer.status_code == 422
    assert 'id="error-quantity_after.amount"' in answer.text
    assert records.position() == before


def test_a_lot_shipped_to_a_chain_partner_is_coming_to_it_and_received_in_full(
    client: TestClient, records: Records, projections: Projections, world: World
) -> None:
    form = client.get(f"/app/record/ship?batch={world.batch}", headers=thieu(world)).text
    assert f'value="{world.enterprise}"' in form  # the chain's lead, a partner
    assert f'value="{world.hoang}"' in form  # another producer in the chain
    before = records.position()
    shipped = client.post(
        "/app/record/ship",
        data={"csrf_token": CSRF, "batch": world.batch, "to": str(world.enterprise)},
        headers=thieu(world),
    )
    assert shipped.status_code == 303, shipped.text
    assert records.position() == before + 1
    project(records, projections)

    home = client.get("/app/", headers=enterprise(world)).text
    assert f"/app/record/receive?batch={world.batch}" in home
    assert world.batch in client.get("/app/lots?view=shipped", headers=thieu(world)).text
    receive = client.get(f"/app/record/receive?batch={world.batch}", headers=enterprise(world))
    assert 'value="1000"' in receive.text  # the whole shipment, typed by no one
    received = client.post(
        "/app/record/receive",
        data={"csrf_token": "csrf-enterprise", "batch": world.batch,
              "quantity.amount": "1000", "quantity.unit": "kg"},
        headers=enterprise(world),
    )  # fmt: skip
    assert received.status_code == 303, received.text
    assert records.position() == before + 2


def test_shipping_to_someone_outside_my_chains_is_refused(
    client: TestClient, records: Records, world: World
) -> None:
    before = records.position()
    answer = client.post(
        "/app/record/ship",
        data={"csrf_token": CSRF, "batch": world.batch, "to": str(world.thieu)},
        headers=thieu(world),
    )
    assert answer.status_code == 422
    assert 'id="error-to"' in answer.text
    assert records.position() == before


def test_receiving_what_is_not_coming_to_me_is_refused(
    client: TestClient, records: Records, world: World
) -> None:
    answer = client.post(
        "/app/record/receive",
        data={"csrf_token": "csrf-enterprise", "batch": world.batch,
              "quantity.amount": "1000", "quantity.unit": "kg"},
        headers=enterprise(world),
    )  # fmt: skip
    assert answer.status_code == 422
    assert 'href="#field-batch"' in answer.text  # nothing is coming: the summary says why


def test_a_harvest_from_no_plot_is_refused_at_the_plots(
    client: TestClient, records: Records, world: World
) -> None:
    before = records.position()
    answer = client.post(
        "/app/record/harvest", data=harvest_form(world, plot_ids=""), headers=thieu(world)
    )
    assert answer.status_code == 422
    assert 'id="error-plot_ids"' in answer.text
    assert records.position() == before
