"""Fixtures for the app's lot-change, diary and import pages: a real database, the real records
and projections, and the app behind ``HeaderGate`` (a person named by a header).

Imported by those tests' modules (``from ... import *`` is avoided: each names what it uses).
"""

from __future__ import annotations

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
from shared.readmodels.tracking import Connect, connector
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.builders import a_grower, a_harvested_batch
from tests.databases import on_database
from tests.registry_world import HeaderGate, project


@dataclass(frozen=True)
class Holder:
    """A cooperative holding one harvested batch (1.000 kg of rice), projected."""

    cooperative_id: UUID
    plot_id: UUID
    batch: str
    actor: Actor

    @property
    def person(self) -> dict[str, str]:
        return {HeaderGate.HEADER: f"cooperative:{self.cooperative_id}"}


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
def holder(records: Records, projections: Projections) -> Holder:
    grower = a_grower(records)
    batch = a_harvested_batch(records, grower)
    project(records, projections)
    return Holder(grower.cooperative_id, grower.plot_id, batch, grower.actor)


@pytest.fixture
def client(records: Records, connect: Connect) -> Iterator[TestClient]:
    app = create_app(NguonSettings(), records, HeaderGate(), connect, PostgresHouseholds(connect))
    with TestClient(app, follow_redirects=False) as client:
        yield client


def another_cooperative(records: Records) -> dict[str, str]:
    """The header of a person of a second cooperative (who holds nothing of the first's)."""
    grower = a_grower(records)
    return {HeaderGate.HEADER: f"cooperative:{grower.cooperative_id}"}


CSRF = {"csrf_token": "csrf-cooperative"}
COOPERATIVE = Role.COOPERATIVE
