"""Fixtures every app test may ask for by name: a fresh, migrated database per test, the real
records and projections over it, and the app behind ``HeaderGate`` (a person named by a header).

``holder`` is the world of the lot-change, diary and import pages (changes_world.py).
One place for them, so the app's test modules no longer each write out their own twins.
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
from tests.builders import a_grower, a_harvested_batch
from tests.databases import on_database
from tests.integration.cooperative_app.changes_world import Holder
from tests.registry_world import HeaderGate, project


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
    """Connections as the services' role, which owns no table: what production has."""
    return connector(database.app)


@pytest.fixture
def projections(connect: Connect) -> Projections:
    projections = Projections(connect)
    projections.reset()
    return projections


@pytest.fixture
def client(records: Records, connect: Connect) -> Iterator[TestClient]:
    """The app (default settings) over the real records and read models; redirects not followed."""
    app = create_app(NguonSettings(), records, HeaderGate(), connect, PostgresHouseholds(connect))
    with TestClient(app, follow_redirects=False) as client:
        yield client


@pytest.fixture
def holder(records: Records, projections: Projections) -> Holder:
    grower = a_grower(records)
    batch = a_harvested_batch(records, grower)
    project(records, projections)
    return Holder(grower.cooperative_id, grower.plot_id, batch, grower.actor)
