"""The fixtures most integration tests of the apps need, by name: a fresh, migrated database per
test, the real records over it, connections as the services' role, and emptied projections.

Import them into a test module or a conftest (``from tests.platform_world import database,
records, connect, projections``) rather than writing out their twins.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.database import DatabaseUrls, prepare
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect, connector
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.databases import on_database


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
