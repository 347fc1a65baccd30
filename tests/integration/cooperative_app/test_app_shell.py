"""Who reaches the cooperative app at all: people of an organisation; others are sent to sign
in, or shown why not."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from services.cooperative_app.app import create_app
from shared.database import DatabaseUrls, prepare
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.households import PostgresHouseholds
from shared.readmodels.tracking import connector
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.databases import on_database
from tests.registry_world import HeaderGate


@pytest.fixture
def database(fresh_database_admin_url: str) -> DatabaseUrls:
    return prepare(NguonSettings(**on_database(fresh_database_admin_url)))


@pytest.fixture
def app_client(database: DatabaseUrls) -> Iterator[TestClient]:
    records = Records(eventsourcing_env(database.app, create_table=False, pool_size=2))
    connect = connector(database.app)
    settings = NguonSettings()
    app = create_app(settings, records, HeaderGate(), connect, PostgresHouseholds(connect))
    with TestClient(app, follow_redirects=False) as client:
        yield client
    records.close()


def test_a_visitor_who_has_not_signed_in_is_sent_to_sign_in_and_back(
    app_client: TestClient,
) -> None:
    answer = app_client.get("/app/lots?q=TH")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/sign-in?next=/app/lots%3Fq%3DTH"


def test_provincial_staff_are_told_the_app_is_for_organisations(app_client: TestClient) -> None:
    answer = app_client.get("/app/lots", headers={HeaderGate.HEADER: "province"})
    assert answer.status_code == 403
    assert "/province" in answer.text
    assert answer.headers["content-language"] == "vi"


def test_a_cooperatives_person_is_let_in(app_client: TestClient) -> None:
    person = f"cooperative:{uuid4()}"
    answer = app_client.get("/app/lots", headers={HeaderGate.HEADER: person})
    assert answer.status_code != 403
