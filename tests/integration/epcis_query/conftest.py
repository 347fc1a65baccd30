from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from services.epcis.app import create_app
from shared.database import prepare
from shared.postgres.tokens import TokenStore
from shared.postgres.urls import eventsourcing_env
from shared.records.actors import Role
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.databases import on_database
from tests.integration.epcis_query.epcis_world import STRANGER, C, X, create_tables, fill


@pytest.fixture
def world_admin_url(fresh_database_admin_url: str) -> str:
    settings = NguonSettings(**on_database(fresh_database_admin_url))
    prepare(settings)
    create_tables(fresh_database_admin_url)
    fill(fresh_database_admin_url)
    return fresh_database_admin_url


@pytest.fixture
def client(world_admin_url: str) -> Iterator[TestClient]:
    settings = NguonSettings(**on_database(world_admin_url))
    app_url = settings.database_url
    assert app_url is not None

    def connect() -> psycopg.Connection[Any]:
        return psycopg.connect(app_url.get_secret_value())

    tokens = TokenStore(connect)
    records = Records(eventsourcing_env(app_url.get_secret_value(), create_table=False))
    try:
        yield TestClient(create_app(settings, records, tokens, connect))
    finally:
        tokens.close()
        records.close()


@pytest.fixture
def tokens_by_role(client: TestClient) -> dict[str, str]:
    state = client.app.state.nguon_epcis  # type: ignore[attr-defined]
    store: TokenStore = state.tokens
    return {
        "province": store.create(Role.PROVINCE),
        "cooperative": store.create(Role.COOPERATIVE, C),
        "retailer": store.create(Role.ENTERPRISE, X),
        "stranger": store.create(Role.ENTERPRISE, STRANGER),
    }


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
