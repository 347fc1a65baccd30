from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.database import DatabaseUrls, prepare
from shared.postgres.urls import eventsourcing_env
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.builders import Grower, a_grower
from tests.databases import on_database


@pytest.fixture
def database(fresh_database_admin_url: str) -> DatabaseUrls:
    """A fresh database, migrated; the services' URL connects as the append-only role."""
    return prepare(NguonSettings(**on_database(fresh_database_admin_url)))


@pytest.fixture
def records(database: DatabaseUrls) -> Iterator[Records]:
    app = Records(eventsourcing_env(database.app, create_table=False))
    yield app
    app.close()


@pytest.fixture
def grower(records: Records) -> Grower:
    return a_grower(records)
