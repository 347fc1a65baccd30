"""The platform's apps mounted as ``nguon serve`` mounts them, on in-memory collaborators."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from services.capture import app as capture
from services.platform.composition import platform_app
from services.platform.health import Health
from services.platform.home import Home
from services.platform.mounting import MountedApp
from services.web import app as web
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.unit.capture.fakes import InMemoryBatchCatalogue, KnownTokens
from tests.unit.web.builders import a_provenance_document
from tests.unit.web.fakes import InMemoryProvenanceReader

DEMO_PAGE = "/b/TH-2026-000123"


def a_platform(health: Health | None = None, demo_page: str | None = DEMO_PAGE) -> TestClient:
    settings = NguonSettings(public_base_url="https://nguon.thanhhoa.example")
    records = Records({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    capture_app = capture.create_app(settings, records, KnownTokens({}), InMemoryBatchCatalogue())
    web_app = web.create_app(settings, InMemoryProvenanceReader(a_provenance_document()))
    app = platform_app(
        home=Home(demo_page),
        health=health or Health(),
        mounts=[
            MountedApp(capture.PATHS, capture_app, name="capture"),
            MountedApp(web.PATHS, web_app, name="web"),
        ],
    )
    return TestClient(app)


@pytest.fixture
def platform() -> TestClient:
    return a_platform()
