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
from shared.readmodels.households import PostgresHouseholds
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.builders import a_grower, a_harvested_batch
from tests.integration.cooperative_app.changes_world import Holder
from tests.platform_world import connect, database, projections, records
from tests.registry_world import HeaderGate, project

__all__ = ["connect", "database", "projections", "records"]


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
