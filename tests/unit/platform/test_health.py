"""One ``/healthz`` for the whole platform: each part's check, the worst on top."""

from __future__ import annotations

from services.platform.health import Health
from tests.unit.platform.conftest import a_platform


def _broken() -> dict[str, object]:
    raise ConnectionError("no route to the event store")


def test_the_platform_is_healthy_when_every_part_is() -> None:
    health = Health()
    health.add("event_store", lambda: {"status": "ok", "position": 42})

    answer = a_platform(health).get("/healthz")

    assert answer.status_code == 200
    assert answer.json() == {
        "status": "ok",
        "checks": {"event_store": {"status": "ok", "position": 42}},
    }


def test_a_degraded_part_degrades_the_platform_but_keeps_it_in_service() -> None:
    health = Health()
    health.add("event_store", lambda: {"status": "ok"})
    health.add("read_models", lambda: {"status": "degraded", "quarantined": 1})

    answer = a_platform(health).get("/healthz")

    assert answer.status_code == 200
    assert answer.json()["status"] == "degraded"


def test_a_part_that_cannot_answer_takes_the_platform_out_of_service() -> None:
    health = Health()
    health.add("event_store", _broken)

    answer = a_platform(health).get("/healthz")

    assert answer.status_code == 503
    assert answer.json()["checks"]["event_store"]["status"] == "down"
    assert "no route" in answer.json()["checks"]["event_store"]["error"]
