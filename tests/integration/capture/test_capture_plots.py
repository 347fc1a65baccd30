"""A cooperative registers and certifies its own plots; staff may do so for any cooperative."""

from __future__ import annotations

from tests.builders import plot_json
from tests.integration.capture.capture_api import CaptureApi, error_of

VIETGAP = {
    "scheme": "VietGAP",
    "certificate": "VG-TH-0917",
    "valid_from": "2025-01-01",
    "valid_until": "2027-12-31",
}


def test_a_cooperative_registers_its_own_plot(api: CaptureApi) -> None:
    answer = api.post("/plots", plot_json(api.cooperative.org), api.cooperative)

    assert answer.status_code == 201
    assert "plot_id" in answer.json()["results"][0]


def test_staff_register_a_plot_for_a_cooperative(api: CaptureApi) -> None:
    answer = api.post("/plots", plot_json(api.cooperative.org), api.province)

    assert answer.status_code == 201


def test_a_cooperative_may_not_register_a_plot_for_another(api: CaptureApi) -> None:
    stored = api.events_stored()

    answer = api.post("/plots", plot_json(api.other_cooperative.org), api.cooperative)

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "not_own"
    assert api.events_stored() == stored


def test_a_plot_above_four_hectares_needs_a_polygon(api: CaptureApi) -> None:
    answer = api.post("/plots", plot_json(api.cooperative.org, area_ha=6), api.cooperative)

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "plot_needs_polygon"


def test_a_location_that_is_not_geojson_is_refused_naming_the_field(api: CaptureApi) -> None:
    body = plot_json(api.cooperative.org, location={"lat": 19.9, "lon": 105.7})

    answer = api.post("/plots", body, api.cooperative)

    assert answer.status_code == 422
    assert error_of(answer)["field"] == "location"


def test_a_cooperative_certifies_its_own_plot(api: CaptureApi) -> None:
    answer = api.post(f"/plots/{api.cooperative.plot}/certifications", VIETGAP, api.cooperative)

    assert answer.status_code == 200
    assert answer.json()["results"] == [{"plot_id": api.cooperative.plot}]


def test_a_cooperative_may_not_certify_another_cooperatives_plot(api: CaptureApi) -> None:
    answer = api.post(
        f"/plots/{api.other_cooperative.plot}/certifications", VIETGAP, api.cooperative
    )

    assert answer.status_code == 403


def test_certifying_an_unknown_plot_is_not_found(api: CaptureApi) -> None:
    answer = api.post(
        "/plots/3f1d5a8e-0000-4000-8000-000000000000/certifications", VIETGAP, api.province
    )

    assert answer.status_code == 404
