"""The cooperative app over a fresh database holding the registry's world (two cooperatives,
an enterprise, a chain, a harvested batch), projected: for the app's parts' tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fastapi.testclient import TestClient

from services.cooperative_app.app import create_app
from shared.database import prepare
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.households import PostgresHouseholds
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect, connector
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.databases import on_database
from tests.registry_world import HeaderGate, World, a_registry, project

BASE = "https://nguon.thanhhoa.example"


@dataclass(frozen=True)
class RegistryApp:
    client: TestClient
    world: World
    records: Records
    projections: Projections
    connect: Connect

    def project(self) -> None:
        project(self.records, self.projections)


def as_(role: str, organisation: object) -> dict[str, str]:
    return {HeaderGate.HEADER: f"{role}:{organisation}"}


@contextmanager
def registry_app(admin_url: str) -> Iterator[RegistryApp]:
    database = prepare(NguonSettings(**on_database(admin_url)))
    records = Records(eventsourcing_env(database.app, create_table=False, pool_size=2))
    connect = connector(database.app)
    projections = Projections(connect)
    projections.reset()
    world = a_registry(records)
    project(records, projections)
    settings = NguonSettings(public_base_url=BASE)
    app = create_app(settings, records, HeaderGate(), connect, PostgresHouseholds(connect))
    try:
        with TestClient(app, follow_redirects=False) as client:
            yield RegistryApp(client, world, records, projections, connect)
    finally:
        records.close()
