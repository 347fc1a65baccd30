"""The EPCIS app on a fresh, migrated PostgreSQL with two trading partners (a cooperative and a
mill, ``tests.integration.epcis_capture.partners``) and a token for each, and one for staff."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.epcis.app import create_app
from shared.epcis import vocabulary
from shared.postgres.tokens import TokenStore
from shared.readmodels.tracking import Connect
from shared.records.actors import Role
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.integration.epcis_capture.partners import Partners, partners
from tests.platform_world import connect, database, records

__all__ = ["connect", "database", "records"]


@dataclass(frozen=True)
class World:
    client: TestClient
    records: Records
    partners: Partners
    cooperative: dict[str, str]  # the Authorization header of each token
    mill: dict[str, str]
    province: dict[str, str]


@pytest.fixture
def world(records: Records, connect: Connect) -> Iterator[World]:
    tokens = TokenStore(connect)
    known = partners(records)
    cooperative = tokens.create(Role.COOPERATIVE, known.cooperative_id)
    mill = tokens.create(Role.ENTERPRISE, known.mill_id)
    province = tokens.create(Role.PROVINCE)
    try:
        client = TestClient(create_app(NguonSettings(), records, tokens, connect))
        yield World(client, records, known, auth(cooperative), auth(mill), auth(province))
    finally:
        tokens.close()


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def a_document(*events: dict[str, Any]) -> dict[str, Any]:
    return {
        "@context": vocabulary.CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-03-01T08:00:00+07:00",
        "epcisBody": {"eventList": list(events)},
    }
