"""A cooperative agrees to be shown on the public pages; no other organisation decides it."""

from __future__ import annotations

import pytest

from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import CommandRefused
from tests.integration.capture.capture_api import CaptureApi, error_of


def test_a_cooperative_agrees_to_be_shown_publicly(api: CaptureApi) -> None:
    stored = api.events_stored()

    answer = api.post(
        f"/cooperatives/{api.cooperative.org}/profile", {"show_profile": True}, api.cooperative
    )

    assert answer.status_code == 200, answer.text
    assert api.events_stored() == stored + 1
    history = api.records.history(api.cooperative.organisation_id)  # type: ignore[arg-type]
    assert type(history[-1]).__qualname__.endswith("ProfileVisibilityChanged")


def test_another_organisation_cannot_show_a_cooperative(api: CaptureApi) -> None:
    stored = api.events_stored()

    answer = api.post(
        f"/cooperatives/{api.cooperative.org}/profile", {"show_profile": True}, api.enterprise
    )

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "not_own"
    assert api.events_stored() == stored


def test_being_hidden_is_already_the_default(api: CaptureApi) -> None:
    answer = api.post(
        f"/cooperatives/{api.cooperative.org}/profile", {"show_profile": False}, api.cooperative
    )

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "profile_visibility_unchanged"


def test_show_profile_must_be_a_boolean(api: CaptureApi) -> None:
    answer = api.post(
        f"/cooperatives/{api.cooperative.org}/profile", {"show_profile": "yes"}, api.cooperative
    )

    assert answer.status_code == 422


def test_a_member_household_cannot_decide_for_its_cooperative(api: CaptureApi) -> None:
    household = Actor(Role.HOUSEHOLD, api.cooperative.organisation_id)
    cooperative_id = api.cooperative.organisation_id
    assert cooperative_id is not None
    command = c.ChangeProfileVisibility(cooperative_id=cooperative_id, show_profile=True)

    with pytest.raises(CommandRefused) as refused:
        api.records.execute(household, [command])

    assert refused.value.code == "household_harvest_only"
    assert refused.value.error.__class__.__name__ == "NotPermitted"
