"""The province's "run a recall" form on the real records and database: a recall it runs is
stored on the batch (and every descendant, by the domain), a batch it cannot name is refused at
its field with nothing stored, whatever the reader shows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.province import app as province_app
from services.province.app import create_app
from services.province.recalls import RecordsDesk, router
from shared.database import DatabaseUrls, prepare
from shared.domain import identifiers
from shared.pages import Pages
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import connector
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.builders import a_harvested_batch
from tests.databases import on_database
from tests.integration.trace.tracing import project
from tests.registry_world import HeaderGate
from tests.unit.recall_pages.world import FakeRecalls

STAFF = {HeaderGate.HEADER: "province"}
CSRF = "csrf-province"


@pytest.fixture
def settings(fresh_database_admin_url: str) -> NguonSettings:
    return NguonSettings(**on_database(fresh_database_admin_url), read_wait_timeout_seconds=0.2)


@pytest.fixture
def database(settings: NguonSettings) -> DatabaseUrls:
    return prepare(settings)


@pytest.fixture
def records(database: DatabaseUrls) -> Iterator[Records]:
    app = Records(eventsourcing_env(database.app, create_table=False, pool_size=2))
    yield app
    app.close()


@pytest.fixture
def client(records: Records) -> Iterator[TestClient]:
    # The form writes through the real records; what the list reads is another part's (the
    # recall projection's) and plays no part here, so the reader is an empty one.
    app = FastAPI()
    app.state.gate = HeaderGate()
    pages = Pages(Path(province_app.TEMPLATES), nav=province_app.NAV)
    app.include_router(router(pages, FakeRecalls(), RecordsDesk(records)))
    with TestClient(app, follow_redirects=False) as client:
        yield client


def test_a_recall_run_from_the_form_recalls_the_batch(client: TestClient, records: Records) -> None:
    code = a_harvested_batch(records)
    before = records.position()

    posted = client.post(
        "/province/recalls/new",
        headers=STAFF,
        data={"csrf_token": CSRF, "drill": "0", "batch": code, "reason": "Nhiễm aflatoxin"},
    )

    assert posted.status_code == 303
    recall_id = posted.headers["location"].split("/")[3].split("?")[0]
    assert posted.headers["location"] == (
        f"/province/recalls/{recall_id}?after={records.position()}&started={code}"
    )
    assert records.position() > before
    assert records.batch(identifiers.batch_id(code)).recalled is True


def test_a_recall_of_a_batch_that_does_not_exist_is_refused_at_the_batch_and_stores_nothing(
    client: TestClient, records: Records
) -> None:
    a_harvested_batch(records)
    before = records.position()

    posted = client.post(
        "/province/recalls/new",
        headers=STAFF,
        data={"csrf_token": CSRF, "drill": "0", "batch": "TH-2026-999999", "reason": "Nhiễm"},
    )

    assert posted.status_code == 422
    assert 'id="error-batch"' in posted.text
    assert records.position() == before


def test_a_gtin_and_lot_no_batch_carries_is_refused_at_the_gtin(
    client: TestClient, records: Records
) -> None:
    before = records.position()

    posted = client.post(
        "/province/recalls/new?lang=en",
        headers=STAFF,
        data={"csrf_token": CSRF, "drill": "0", "gtin": "08936000000017", "lot": "L9",
              "reason": "Mould"},
    )  # fmt: skip

    assert posted.status_code == 422
    assert 'id="error-gtin"' in posted.text
    assert "No batch has GTIN 08936000000017 and lot L9." in posted.text
    assert records.position() == before


def test_a_drill_run_from_the_form_is_stored_and_recalls_nothing(
    client: TestClient, records: Records
) -> None:
    code = a_harvested_batch(records)
    before = records.position()

    posted = client.post(
        "/province/recalls/new",
        headers=STAFF,
        data={"csrf_token": CSRF, "drill": "1", "batch": code, "reason": "Diễn tập"},
    )

    assert posted.status_code == 303
    assert records.position() > before
    assert records.batch(identifiers.batch_id(code)).recalled is False  # a drill recalls nothing


def test_a_recall_run_in_the_province_app_shows_on_its_page_once_projected(
    settings: NguonSettings, records: Records, database: DatabaseUrls
) -> None:
    connect = connector(database.app)
    projections = Projections(connect)
    projections.reset()
    code = a_harvested_batch(records)
    client = TestClient(
        create_app(settings, records, HeaderGate(), connect), follow_redirects=False
    )

    posted = client.post(
        "/province/recalls/new",
        headers=STAFF,
        data={"csrf_token": CSRF, "drill": "0", "batch": code, "reason": "Nhiễm aflatoxin"},
    )
    project(records, projections)
    page = client.get(posted.headers["location"], headers=STAFF)
    listed = client.get("/province/recalls", headers=STAFF)

    assert page.status_code == 200
    assert "Nhiễm aflatoxin" in page.text
    assert code in listed.text
    assert 'href="/province/recalls"' in listed.text  # the tab
