"""What ``OPTIONS`` and the top-level resource tell a partner's client about capture."""

from __future__ import annotations

import pytest

from tests.integration.epcis_capture_http.conftest import World

__all__: list[str] = []


def test_options_on_capture_advertises_its_methods_limits_and_both_behaviours(
    world: World,
) -> None:
    answer = world.client.options("/epcis/capture")
    assert answer.status_code == 204
    assert answer.headers["Allow"] == "GET, POST, OPTIONS"
    assert answer.headers["GS1-EPCIS-Capture-Limit"] == "1000"
    assert answer.headers["GS1-EPCIS-Capture-File-Size-Limit"] == str(4 * 1024 * 1024)
    assert answer.headers["GS1-Capture-Error-Behaviour"] == "all"
    assert answer.headers["GS1-EPCIS-Version"] == "2.0.0"


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/epcis/events", "GET, POST, OPTIONS"),
        ("/epcis/capture/some-job", "GET, OPTIONS"),
        ("/epcis/bizSteps", "GET, OPTIONS"),
        ("/epcis", "GET, OPTIONS"),
    ],
)
def test_options_answers_the_methods_of_each_path(world: World, path: str, allowed: str) -> None:
    answer = world.client.options(path)
    assert answer.status_code == 204
    assert answer.headers["Allow"] == allowed


def test_only_capture_answers_carry_the_capture_limits(world: World) -> None:
    assert "GS1-EPCIS-Capture-Limit" in world.client.options("/epcis/events").headers
    queried = world.client.get("/epcis/events", headers=world.province)
    assert queried.status_code == 200
    assert "GS1-EPCIS-Capture-Limit" not in queried.headers
    assert "GS1-EPCIS-Capture-Limit" in world.client.get("/epcis/capture").headers


def test_the_top_level_resource_lists_capture(world: World) -> None:
    members = world.client.get("/epcis", headers=world.province).json()["member"]
    assert members[:2] == ["capture", "events"]


def test_a_method_capture_does_not_take_is_refused_with_405(world: World) -> None:
    answer = world.client.delete("/epcis/capture", headers=world.province)
    assert answer.status_code == 405
    assert answer.headers["GS1-EPCIS-Capture-Limit"] == "1000"
