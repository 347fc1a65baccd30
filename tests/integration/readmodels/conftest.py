"""A fresh, migrated database per test, its records, and the read models over it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.database import DatabaseUrls, prepare
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.postgres_readers import PostgresBatchCatalogue, PostgresProvenanceReader
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect, PositionWaiter, connector
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.databases import on_database
from tests.integration.readmodels.readmodel_chain import Chain, a_chain


@pytest.fixture
def database(fresh_database_admin_url: str) -> DatabaseUrls:
    settings = NguonSettings(
        **on_database(fresh_database_admin_url),
    )
    return prepare(settings)


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
def reader(connect: Connect) -> PostgresProvenanceReader:
    return PostgresProvenanceReader(connect, PositionWaiter(connect))


@pytest.fixture
def catalogue(connect: Connect) -> PostgresBatchCatalogue:
    return PostgresBatchCatalogue(connect, PositionWaiter(connect))


@pytest.fixture
def chain(records: Records) -> Chain:
    return a_chain(records)
