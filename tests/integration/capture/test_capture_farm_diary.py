"""A plot's farm diary over the capture API, and the pre-harvest-interval rule on harvests,
against the real event store: refusals name their code, and nothing is stored."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from shared.domain.plot import Plot
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import CommandRefused
from tests.builders import HARVEST_DAY, harvest_json
from tests.integration.capture.capture_api import CaptureApi, error_of

HOUSEHOLD = {"reference": "HO-12", "head_name": "Nguyễn Văn Tư", "phone": "0912 345 678"}


def a_household(api: CaptureApi) -> str:
    """A member household registered in the plot's cooperative (a diary entry may name it)."""
    path = f"/cooperatives/{api.cooperative.org}/households"
    answer = api.post(path, HOUSEHOLD, api.cooperative)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["results"][0]["household_id"])


def spraying_json(days_before_harvest: int, interval: int = 14, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "activity": "spraying",
        "on": (HARVEST_DAY - timedelta(days=days_before_harvest)).isoformat(),
        "product": "Anvil 5SC",
        "active_ingredient": "hexaconazole",
        "dose": "20 ml / bình 16 l",
        "pre_harvest_days": interval,
    }
    return body | overrides


def test_a_cooperative_records_a_spraying_on_its_plot(api: CaptureApi) -> None:
    household = a_household(api)
    body = spraying_json(20, household_id=household)
    answer = api.post(f"/plots/{api.cooperative.plot}/diary", body, api.cooperative)

    assert answer.status_code == 201, answer.text
    assert answer.json()["results"] == [{"plot_id": api.cooperative.plot}]
    diary = api.get(f"/plots/{api.cooperative.plot}/diary", api.cooperative).json()
    (entry,) = diary["entries"]
    assert entry["activity"] == "spraying"
    assert entry["details"]["pre_harvest_days"] == "14"
    assert entry["household_id"] == household
    assert diary["earliest_harvest_on"] == (HARVEST_DAY - timedelta(days=6)).isoformat()


def test_staff_read_a_plots_diary_with_its_household(api: CaptureApi) -> None:
    household = a_household(api)
    body = spraying_json(20, household_id=household)
    api.post(f"/plots/{api.cooperative.plot}/diary", body, api.cooperative)

    diary = api.get(f"/plots/{api.cooperative.plot}/diary", api.province).json()

    assert diary["entries"][0]["household_id"] == household


def test_a_diary_entry_may_not_name_another_cooperatives_household(api: CaptureApi) -> None:
    path = f"/cooperatives/{api.other_cooperative.org}/households"
    theirs = api.post(path, HOUSEHOLD, api.other_cooperative).json()["results"][0]["household_id"]
    stored = api.events_stored()

    body = spraying_json(20, household_id=theirs)
    answer = api.post(f"/plots/{api.cooperative.plot}/diary", body, api.cooperative)

    assert answer.status_code == 404, answer.text
    assert api.events_stored() == stored


def test_another_organisation_may_neither_write_nor_read_a_plots_diary(api: CaptureApi) -> None:
    stored = api.events_stored()
    path = f"/plots/{api.cooperative.plot}/diary"

    written = api.post(path, spraying_json(20), api.other_cooperative)
    read = api.get(path, api.enterprise)

    assert (written.status_code, error_of(written)["code"]) == (403, "not_own")
    assert (read.status_code, error_of(read)["code"]) == (403, "not_own")
    assert api.events_stored() == stored


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        (spraying_json(20, interval=400), "pre_harvest_days", "number_too_large"),
        (spraying_json(20, dose=None), "dose", "diary_field_missing"),
        ({"activity": "irrigation", "on": "2025-09-01", "product": "x"}, "product", None),
        ({"activity": "ploughing", "on": "2025-09-01"}, "activity", None),
        ({"activity": "care", "on": "2999-01-01", "note": "x"}, "on", None),
    ],
    ids=[
        "interval_beyond_a_year",
        "spraying_without_dose",
        "irrigation_with_product",
        "unknown_activity",
        "far_future",
    ],
)
def test_a_bad_diary_entry_is_refused_with_its_field_and_nothing_is_stored(
    api: CaptureApi, body: dict[str, Any], field: str, code: str | None
) -> None:
    stored = api.events_stored()

    answer = api.post(f"/plots/{api.cooperative.plot}/diary", body, api.cooperative)

    assert answer.status_code == 422, answer.text
    assert error_of(answer)["field"] == field
    if code is not None:
        assert error_of(answer)["code"] == code
    assert api.events_stored() == stored


def test_a_harvest_before_the_interval_ends_is_refused_in_vietnamese(api: CaptureApi) -> None:
    api.post(f"/plots/{api.cooperative.plot}/diary", spraying_json(13), api.cooperative)
    stored = api.events_stored()

    answer = api.client.post(
        "/api/v1/batches",
        json=harvest_json(api.cooperative.plot),
        headers=api.cooperative.auth | {"Accept-Language": "vi"},
    )

    assert answer.status_code == 409, answer.text
    error = error_of(answer)
    assert error["code"] == "pre_harvest_interval"
    assert error["params"]["earliest_harvest_on"] == (HARVEST_DAY + timedelta(1)).isoformat()
    assert "thời gian cách ly" in error["message"]
    assert api.events_stored() == stored


def test_a_harvest_on_the_day_the_interval_ends_is_stored(api: CaptureApi) -> None:
    api.post(f"/plots/{api.cooperative.plot}/diary", spraying_json(14), api.cooperative)

    code = api.harvest()

    history = api.get(f"/batches/{code}/events", api.cooperative).json()
    assert history["events"][0]["payload"]["interval_override"] is None


def test_a_harvest_with_an_override_is_stored_with_its_reason(api: CaptureApi) -> None:
    api.post(f"/plots/{api.cooperative.plot}/diary", spraying_json(3), api.cooperative)

    code = api.harvest(interval_override="Bão số 5 sắp vào, phải gặt sớm")

    history = api.get(f"/batches/{code}/events", api.cooperative).json()
    assert history["events"][0]["payload"]["interval_override"] == "Bão số 5 sắp vào, phải gặt sớm"


def test_a_blank_override_is_refused(api: CaptureApi) -> None:
    api.post(f"/plots/{api.cooperative.plot}/diary", spraying_json(3), api.cooperative)
    stored = api.events_stored()

    answer = api.post(
        "/batches", harvest_json(api.cooperative.plot, interval_override="   "), api.cooperative
    )

    assert answer.status_code == 422, answer.text
    assert error_of(answer)["code"] == "interval_override_reason"
    assert api.events_stored() == stored


def test_a_diary_entry_and_a_harvest_travel_in_one_bulk_request(api: CaptureApi) -> None:
    body = {
        "commands": [
            {"type": "diary", "plot_id": api.cooperative.plot, **spraying_json(30)},
            {"type": "harvest", **harvest_json(api.cooperative.plot)},
        ]
    }

    answer = api.post("/bulk", body, api.cooperative)

    assert answer.status_code == 200, answer.text
    assert answer.json()["results"][0] == {"plot_id": api.cooperative.plot}


def _household_of(api: CaptureApi, plot_id: str) -> Actor:
    """The account of a registered household that was given the plot to farm."""
    plot: object = api.records.repository.get(UUID(plot_id))
    assert isinstance(plot, Plot)
    household_id = UUID(a_household(api))
    assign = c.AssignHouseholdPlot(household_id=household_id, plot_id=plot.id)
    api.records.execute(Actor(Role.COOPERATIVE, plot.cooperative_id), [assign])
    return Actor(
        Role.HOUSEHOLD,
        plot.cooperative_id,
        account_id=uuid4(),
        household_ref=str(household_id),
    )


def _irrigation(plot_id: str, household_id: UUID | None = None) -> c.RecordDiaryEntry:
    return c.RecordDiaryEntry(
        plot_id=UUID(plot_id),
        activity="irrigation",
        on=HARVEST_DAY,
        household_id=household_id,
    )


def test_a_household_records_on_its_own_plot(api: CaptureApi) -> None:
    household = _household_of(api, api.cooperative.plot)

    outcome = api.records.execute(household, [_irrigation(api.cooperative.plot)])

    assert outcome.position > 0


def test_a_household_may_not_record_on_another_households_plot(api: CaptureApi) -> None:
    household = _household_of(api, api.cooperative.plot)
    stranger = Actor(Role.HOUSEHOLD, household.organisation_id, uuid4(), household_ref=str(uuid4()))

    with pytest.raises(CommandRefused) as refusal:
        api.records.execute(stranger, [_irrigation(api.cooperative.plot)])

    assert refusal.value.code == "household_not_own_plot"


def test_a_household_may_not_record_under_another_household(api: CaptureApi) -> None:
    household = _household_of(api, api.cooperative.plot)
    stored = api.events_stored()

    with pytest.raises(CommandRefused) as refusal:
        api.records.execute(household, [_irrigation(api.cooperative.plot, uuid4())])

    assert refusal.value.code == "household_not_own_household"
    assert api.events_stored() == stored


def test_an_override_no_interval_needed_is_not_recorded(api: CaptureApi) -> None:
    # A buyer must not read of an early harvest that was not one.
    api.post(f"/plots/{api.cooperative.plot}/diary", spraying_json(30), api.cooperative)

    code = api.harvest(interval_override="cho chắc")

    history = api.get(f"/batches/{code}/events", api.cooperative).json()
    assert history["events"][0]["payload"]["interval_override"] is None
