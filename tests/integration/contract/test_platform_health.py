"""The platform's ``/healthz`` tells an operator when the read side cannot be trusted.

A set-aside event (the ``quarantine-unappliable`` policy) means some pages say "record
incomplete": the platform still answers buyers (200), but says ``degraded`` with the count.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest

from tests.integration.contract.platform import Platform, a_platform


@pytest.fixture
def platform(fresh_database_admin_url: str) -> Iterator[Platform]:
    with a_platform(fresh_database_admin_url) as running:
        yield running


def test_a_healthy_platform_says_ok_for_its_event_store_and_read_models(
    platform: Platform,
) -> None:
    assert platform.waiter.wait_for(platform.records_position(), 60)

    answer = platform.client.get("/healthz")

    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok"
    assert body["checks"]["read_models"] == {
        "status": "ok",
        "quarantined": 0,
        "lag": 0,
        "rebuilding": [],
    }


def test_an_event_set_aside_makes_the_platform_degraded_but_still_serving(
    platform: Platform, fresh_database_admin_url: str
) -> None:
    with psycopg.connect(fresh_database_admin_url, autocommit=True) as admin:
        admin.execute(
            "INSERT INTO rm_quarantine (projection, position, aggregate_id, type, error, envelope)"
            " VALUES ('provenance', 1, %s, 'Cooperative.Registered', 'integer out of range', '{}')",
            (uuid.uuid4(),),
        )

    answer = platform.client.get("/healthz")

    assert answer.status_code == 200
    assert answer.json()["status"] == "degraded"
    assert answer.json()["checks"]["read_models"]["quarantined"] == 1
