"""A cooperative registers and certifies its own plots; staff may do so for any cooperative."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

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
    assert error_of(answer)["field"] == "location.type"


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


def _square(lon: float, lat: float, side: float) -> dict[str, Any]:
    ring = [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


# About 350 m x 365 m in Hoằng Hóa: its geodesic area is 12.63 ha.
SQUARE_OF_12_6_HA = _square(105.8612, 19.8421, 0.0033)
BOW_TIE = {
    "type": "Polygon",
    "coordinates": [
        [[105.86, 19.84], [105.87, 19.85], [105.87, 19.84], [105.86, 19.85], [105.86, 19.84]]
    ],
}


def _refused_plot(api: CaptureApi, **overrides: Any) -> dict[str, Any]:
    stored = api.events_stored()
    answer = api.post("/plots", plot_json(api.cooperative.org, **overrides), api.cooperative)
    assert answer.status_code == 422, answer.text
    assert api.events_stored() == stored
    return error_of(answer)


def test_a_point_in_paris_is_not_a_thanh_hoa_plot(api: CaptureApi) -> None:
    paris = {"type": "Point", "coordinates": [2.3522, 48.8566]}

    error = _refused_plot(api, location=paris)

    assert error["field"] == "location"
    assert "Thanh Hóa" in error["message"]


def test_a_declared_area_far_from_the_polygons_area_is_refused(api: CaptureApi) -> None:
    error = _refused_plot(api, area_ha="500", location=SQUARE_OF_12_6_HA)

    assert error["field"] == "location"
    assert "12.6281 ha" in error["message"]


@pytest.mark.parametrize("area_ha", ["10.2", "12.63", "15"])
def test_a_declared_area_within_a_fifth_of_the_polygons_is_accepted(
    api: CaptureApi, area_ha: str
) -> None:
    body = plot_json(api.cooperative.org, area_ha=area_ha, location=SQUARE_OF_12_6_HA)

    assert api.post("/plots", body, api.cooperative).status_code == 201


def test_a_self_intersecting_polygon_is_refused(api: CaptureApi) -> None:
    error = _refused_plot(api, area_ha="5", location=BOW_TIE)

    assert error["field"] == "location"
    assert "crossing" in error["message"]


def test_coordinates_are_stored_to_6_decimals(api: CaptureApi) -> None:
    seven = {"type": "Point", "coordinates": [105.6812344, 19.9012341]}

    answer = api.post("/plots", plot_json(api.cooperative.org, location=seven), api.cooperative)

    plot_id = answer.json()["results"][0]["plot_id"]
    (registered,) = api.records.history(UUID(plot_id))
    assert registered.location["coordinates"] == [105.681234, 19.901234]  # type: ignore[attr-defined]
