from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from services.web.app import create_app
from shared.readmodels.documents import ProvenanceDocument
from shared.settings import NguonSettings

from .fakes import InMemoryProvenanceReader

PUBLIC_BASE_URL = "https://nguon.thanhhoa.example"

ClientFactory = Callable[..., TestClient]


@pytest.fixture
def settings() -> NguonSettings:
    return NguonSettings(public_base_url=PUBLIC_BASE_URL, read_wait_timeout_seconds=0.5)


@pytest.fixture
def serving(settings: NguonSettings) -> ClientFactory:
    """``serving(document, ...)``: a client of the web app reading those documents."""

    def client(*documents: ProvenanceDocument, position: int | None = None) -> TestClient:
        reader = InMemoryProvenanceReader(*documents, position=position)
        return TestClient(create_app(settings, reader))

    return client
