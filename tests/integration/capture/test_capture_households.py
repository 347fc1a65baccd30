"""The API of a cooperative's member households: its own and staff only, sealed, forgettable."""

from __future__ import annotations

import psycopg

from shared.readmodels.projections import Projections
from shared.readmodels.rebuild import connections_of, rebuild
from tests.integration.capture.capture_api import CaptureApi, error_of

HOUSEHOLD = {"reference": "HO-12", "head_name": "Nguyễn Văn Tư", "phone": "0912 345 678"}


def _registered(api: CaptureApi) -> str:
    answer = api.post(f"/cooperatives/{api.cooperative.org}/households", HOUSEHOLD, api.cooperative)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["results"][0]["household_id"])


def _projected(api: CaptureApi) -> None:
    rebuild(api.records, Projections(connections_of(api.records)), progress=False)


def test_a_cooperative_registers_a_household_and_reads_it_back_with_its_plot(
    api: CaptureApi,
) -> None:
    household_id = _registered(api)
    assign = {
        "type": "assign_household_plot",
        "household_id": household_id,
        "plot_id": api.cooperative.plot,
    }
    assert api.post("/bulk", {"commands": [assign]}, api.cooperative).status_code == 200
    _projected(api)

    answer = api.get(f"/cooperatives/{api.cooperative.org}/households", api.cooperative)

    assert answer.status_code == 200
    [household] = answer.json()["households"]
    assert household == {
        "household_id": household_id,
        "reference": "HO-12",
        "head_name": "Nguyễn Văn Tư",
        "phone": "0912345678",
        "forgotten": False,
        "plot_ids": [api.cooperative.plot],
    }
    staff = api.get(f"/cooperatives/{api.cooperative.org}/households", api.province)
    assert staff.json() == answer.json()


def test_another_cooperative_or_an_enterprise_may_not_read_or_forget_the_households(
    api: CaptureApi,
) -> None:
    household_id = _registered(api)
    path = f"/cooperatives/{api.cooperative.org}/households"
    stored = api.events_stored()

    for stranger in (api.other_cooperative, api.enterprise):
        listed = api.get(path, stranger)
        assert listed.status_code == 403
        assert error_of(listed)["code"] == "households_private"
        forgot = api.post(f"{path}/{household_id}/forget", None, stranger)
        assert forgot.status_code == 403
    # Through another cooperative's URL, the household is not found at all.
    sideways = f"/cooperatives/{api.other_cooperative.org}/households/{household_id}/forget"
    assert api.post(sideways, None, api.province).status_code == 404
    assert api.events_stored() == stored


def test_a_forgotten_household_is_listed_as_forgotten_without_its_data(api: CaptureApi) -> None:
    household_id = _registered(api)
    path = f"/cooperatives/{api.cooperative.org}/households"

    forgot = api.post(f"{path}/{household_id}/forget", None, api.cooperative)
    _projected(api)

    assert forgot.status_code == 200
    [household] = api.get(path, api.cooperative).json()["households"]
    assert household["forgotten"] is True
    assert (household["reference"], household["head_name"], household["phone"]) == (None,) * 3
    with psycopg.connect(api.admin_url) as conn:
        assert conn.execute("SELECT count(*) FROM nguon_person_keys").fetchone() == (0,)


def test_a_badly_written_phone_is_refused_with_its_field_and_nothing_is_stored(
    api: CaptureApi,
) -> None:
    stored = api.events_stored()

    answer = api.post(
        f"/cooperatives/{api.cooperative.org}/households",
        {**HOUSEHOLD, "phone": "12-34"},
        api.cooperative,
    )

    assert answer.status_code == 422
    assert error_of(answer)["code"] == "phone_format"
    assert api.events_stored() == stored
