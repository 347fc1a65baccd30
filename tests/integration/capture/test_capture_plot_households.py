"""A plot names its member household by the id registering it gave, never by a plain reference.

The reference is personal (Decree 13/2023/NĐ-CP): only the household's own events hold it, and
only sealed. A plain ``household_ref`` is refused without a ``household_id``; beside one it is
a check that must match, and is not stored either way (shared.domain.plot.check_household_ref).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import psycopg
import pytest

from services.capture.diary import plot_diary
from shared.domain.errors import NotPermitted
from shared.records.actors import Actor, Role
from tests.builders import plot_json
from tests.integration.capture.capture_api import CaptureApi, error_of

REFERENCE = "HO-Bí-mật-44"
VIETNAMESE = {"Accept-Language": "vi-VN,vi;q=0.9"}


def _household(api: CaptureApi, reference: str = REFERENCE) -> str:
    path = f"/cooperatives/{api.cooperative.org}/households"
    answer = api.post(path, {"reference": reference}, api.cooperative)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["results"][0]["household_id"])


def _stored_events(api: CaptureApi) -> str:
    with psycopg.connect(api.admin_url) as conn:
        rows = conn.execute("SELECT state FROM nguon_events ORDER BY notification_id").fetchall()
    return b"".join(bytes(row[0]) for row in rows).decode()


def _plot_item(api: CaptureApi, **overrides: Any) -> dict[str, Any]:
    return {"type": "register_plot", **plot_json(api.cooperative.org, **overrides)}


def test_a_plot_naming_its_household_by_a_plain_reference_is_refused_and_nothing_is_stored(
    api: CaptureApi,
) -> None:
    stored = api.events_stored()

    answer = api.post(
        "/plots", plot_json(api.cooperative.org, household_ref=REFERENCE), api.cooperative
    )

    assert answer.status_code == 422, answer.text
    error = error_of(answer)
    assert error["code"] == "plot_household_not_registered"
    assert error["field"] == "household_ref"
    assert "register the household first" in error["message"]
    assert "household_id" in error["message"]
    assert api.events_stored() == stored
    assert REFERENCE not in _stored_events(api)


def test_the_refusal_of_a_plain_household_reference_speaks_vietnamese_when_asked(
    api: CaptureApi,
) -> None:
    body = plot_json(api.cooperative.org, household_ref=REFERENCE)

    answer = api.client.post("/api/v1/plots", json=body, headers=api.cooperative.auth | VIETNAMESE)

    assert answer.status_code == 422
    assert error_of(answer)["code"] == "plot_household_not_registered"
    assert "đăng ký hộ trước" in error_of(answer)["message"]


def test_a_plot_names_its_registered_household_and_no_event_holds_the_reference(
    api: CaptureApi,
) -> None:
    household_id = _household(api)

    by_id = api.post(
        "/plots", plot_json(api.cooperative.org, household_id=household_id), api.cooperative
    )
    # Beside its id, the household's own reference is accepted as a check, and not stored.
    checked = plot_json(
        api.cooperative.org, household_id=household_id, household_ref=f" {REFERENCE} "
    )
    with_check = api.post("/plots", checked, api.cooperative)

    assert by_id.status_code == 201, by_id.text
    assert with_check.status_code == 201, with_check.text
    assert REFERENCE not in _stored_events(api)


def test_a_household_reference_that_is_not_the_named_households_is_refused(
    api: CaptureApi,
) -> None:
    household_id = _household(api)
    stored = api.events_stored()
    body = plot_json(api.cooperative.org, household_id=household_id, household_ref="HO-khác")

    answer = api.post("/plots", body, api.cooperative)

    assert answer.status_code == 422, answer.text
    assert error_of(answer)["code"] == "plot_household_ref_mismatch"
    assert error_of(answer)["field"] == "household_ref"
    assert api.events_stored() == stored


def test_a_bulk_request_with_one_plot_named_by_a_plain_reference_stores_none_of_it(
    api: CaptureApi,
) -> None:
    household_id = _household(api)
    stored = api.events_stored()
    commands = [
        _plot_item(api, household_id=household_id),
        _plot_item(api, household_ref=REFERENCE),
    ]

    answer = api.post("/bulk", {"commands": commands}, api.cooperative)

    assert answer.status_code == 422, answer.text
    error = error_of(answer)
    assert error["index"] == 1
    assert error["code"] == "plot_household_not_registered"
    assert error["field"] == "household_ref"
    assert api.events_stored() == stored


def test_a_registered_household_reads_the_diary_of_the_plot_it_farms_and_no_other(
    api: CaptureApi,
) -> None:
    household_id = UUID(_household(api))
    answer = api.post(
        "/plots", plot_json(api.cooperative.org, household_id=str(household_id)), api.cooperative
    )
    own = UUID(answer.json()["results"][0]["plot_id"])
    account = Actor(Role.HOUSEHOLD, UUID(api.cooperative.org), household_ref=str(household_id))

    diary = plot_diary(api.records, account, own)

    assert diary.plot_id == str(own)
    with pytest.raises(NotPermitted) as refused:
        plot_diary(api.records, account, UUID(api.cooperative.plot))
    assert refused.value.code == "household_not_own_plot"
