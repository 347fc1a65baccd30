"""Plots are located in WGS84: a point up to 4 ha, a closed polygon above; 6 decimals kept."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.domain import geo
from shared.domain.errors import InvalidValue, RuleViolated

from .builders import a_plot, a_point, a_square_polygon, assert_invalid, assert_refused

ANYWHERE = geo.Box("anywhere", -180, -90, 180, 90)  # to test WGS84 itself, not a province


@pytest.mark.parametrize(
    "position",
    [
        [180.000001, 19.8],
        [-181, 19.8],
        [105.4, 90.5],
        [105.4, -91],
        [float("nan"), 19.8],
        [105.4, float("inf")],
    ],
    ids=["east of 180", "west of -180", "north of 90", "south of -90", "nan", "infinite"],
)
def test_coordinates_outside_wgs84_are_refused(position: list[float]) -> None:
    assert_invalid(
        lambda: geo.location({"type": "Point", "coordinates": position}, Decimal(1)), "location"
    )


@pytest.mark.parametrize(
    "position", [[105.4], [105.4, 19.8, 12.0], "105.4,19.8", None, ["east", "north"]]
)
def test_a_position_is_a_longitude_latitude_pair_of_numbers(position: Any) -> None:
    assert_invalid(
        lambda: geo.location({"type": "Point", "coordinates": position}, Decimal(1)), "location"
    )


@pytest.mark.parametrize("position", [[180, 90], [-180, -90], [0, 0]])
def test_the_edges_of_wgs84_are_inside_it(position: list[float]) -> None:
    location = geo.location({"type": "Point", "coordinates": position}, Decimal(1), bounds=ANYWHERE)

    assert location["coordinates"] == position


@pytest.mark.parametrize("shape", [{"type": "LineString"}, {"coordinates": [105, 19]}, "POINT"])
def test_a_location_is_a_geojson_point_or_polygon(shape: Any) -> None:
    assert_invalid(lambda: geo.location(shape, Decimal(1)), "location")


def test_a_point_is_enough_for_a_plot_of_up_to_4_ha() -> None:
    plot = a_plot(area_ha="4", location=a_point())

    assert plot.location["type"] == "Point"


@pytest.mark.parametrize("area_ha", ["4.01", "4.0001", "12"])
def test_a_plot_above_4_ha_needs_a_polygon(area_ha: str) -> None:
    assert_refused(
        lambda: a_plot(area_ha=area_ha, location=a_point()), RuleViolated, "plot_needs_polygon"
    )


def test_a_plot_above_4_ha_located_by_a_polygon_is_accepted() -> None:
    plot = a_plot(area_ha="9.5", location=a_square_polygon())

    assert plot.location["type"] == "Polygon"


def test_a_small_plot_may_also_be_located_by_a_polygon() -> None:
    assert a_plot(area_ha="0.3", location=a_square_polygon()).location["type"] == "Polygon"


def test_a_polygon_ring_must_be_closed() -> None:
    (ring,) = a_square_polygon()["coordinates"]
    open_ring = [*ring[:-1], [ring[0][0] + 0.001, ring[0][1]]]

    assert_invalid(
        lambda: geo.location({"type": "Polygon", "coordinates": [open_ring]}, Decimal(9)),
        "location",
    )


def test_a_polygon_ring_needs_at_least_4_positions() -> None:
    triangle_missing_a_corner = [[105.0, 19.0], [105.1, 19.0], [105.0, 19.0]]

    assert_invalid(
        lambda: geo.location(
            {"type": "Polygon", "coordinates": [triangle_missing_a_corner]}, Decimal(9)
        ),
        "location",
    )


@pytest.mark.parametrize("rings", [[], None, "ring", [{"ring": 1}]])
def test_a_polygon_is_a_list_of_rings_of_positions(rings: Any) -> None:
    assert_invalid(
        lambda: geo.location({"type": "Polygon", "coordinates": rings}, Decimal(9)), "location"
    )


def test_a_position_outside_wgs84_in_a_polygon_is_refused() -> None:
    ring = [[105.0, 19.0], [181.0, 19.0], [105.1, 19.1], [105.0, 19.0]]

    assert_invalid(
        lambda: geo.location({"type": "Polygon", "coordinates": [ring]}, Decimal(9)),
        "location.coordinates",
    )


def test_a_polygon_whose_second_ring_is_not_a_list_is_refused() -> None:
    (ring,) = a_square_polygon()["coordinates"]

    assert_invalid(
        lambda: geo.location({"type": "Polygon", "coordinates": [ring, 5]}, Decimal(9)),
        "location",
    )


def test_coordinates_are_rounded_to_6_decimals() -> None:
    location = geo.location(
        {"type": "Point", "coordinates": [105.46213749, 19.88470251]}, Decimal(1)
    )

    assert location["coordinates"] == [105.462137, 19.884703]


@given(
    st.floats(min_value=-180, max_value=180, allow_nan=False),
    st.floats(min_value=-90, max_value=90, allow_nan=False),
)
def test_every_position_in_wgs84_is_kept_to_6_decimals(lon: float, lat: float) -> None:
    point = {"type": "Point", "coordinates": [lon, lat]}
    (kept_lon, kept_lat) = geo.location(point, Decimal(1), bounds=ANYWHERE)["coordinates"]

    assert abs(kept_lon - lon) <= 0.5e-6 + 1e-12
    assert abs(kept_lat - lat) <= 0.5e-6 + 1e-12
    assert kept_lon == round(kept_lon, 6)
    assert kept_lat == round(kept_lat, 6)


def test_a_ring_closed_within_the_sixth_decimal_counts_as_closed() -> None:
    ring = [[105.0, 19.0], [105.1, 19.0], [105.1, 19.1], [105.0000000004, 19.0]]

    location = geo.location({"type": "Polygon", "coordinates": [ring]}, Decimal(9))

    assert location["coordinates"][0][0] == location["coordinates"][0][-1]


@pytest.mark.parametrize("area_ha", ["0", "-1.5", "10000.01"])
def test_a_plot_area_is_more_than_0_and_at_most_10000_ha(area_ha: str) -> None:
    assert_invalid(lambda: a_plot(area_ha=area_ha), "area_ha")


def test_a_plot_certificate_cannot_expire_before_it_is_valid() -> None:
    plot = a_plot()

    assert_invalid(
        lambda: plot.certify("VietGAP", "VG-2026-1", date(2026, 6, 1), date(2026, 5, 31)),
        "valid_until",
        plot,
    )


def test_a_plot_certificate_of_an_unknown_scheme_is_refused() -> None:
    plot = a_plot()

    assert_invalid(
        lambda: plot.certify("FairTrade", "FT-1", date(2026, 1, 1), None), "scheme", plot
    )


def test_a_point_in_paris_is_not_a_thanh_hoa_plot() -> None:
    paris = {"type": "Point", "coordinates": [2.3522, 48.8566]}

    assert_invalid(lambda: a_plot(location=paris, province="Thanh Hóa"), "location")


def test_a_point_in_ha_noi_is_in_vietnam_but_not_in_thanh_hoa() -> None:
    ha_noi = {"type": "Point", "coordinates": [105.8542, 21.0285]}

    assert_invalid(lambda: a_plot(location=ha_noi, province="Thanh Hóa"), "location")
    assert a_plot(location=ha_noi, province="Hà Nội").location["coordinates"] == [105.8542, 21.0285]


def test_a_refused_position_reminds_of_the_geojson_order() -> None:
    in_the_gulf_of_guinea = {"type": "Point", "coordinates": [5.4, 10.2]}

    with pytest.raises(InvalidValue, match=r"GeoJSON is \[longitude, latitude\]"):
        a_plot(location=in_the_gulf_of_guinea)


def test_a_polygon_with_one_corner_outside_the_province_is_refused() -> None:
    ring = [[105.46, 19.88], [105.47, 19.88], [106.5, 19.89], [105.46, 19.89], [105.46, 19.88]]

    assert_invalid(
        lambda: a_plot(location={"type": "Polygon", "coordinates": [ring]}, province="Thanh Hóa"),
        "location.coordinates",
    )


def test_a_province_is_found_however_its_name_is_spaced_or_cased() -> None:
    assert geo.bounds_of("  thanh  HÓA ") == geo.PROVINCE_BOUNDS["thanh hóa"]
    assert geo.bounds_of("Atlantis") == geo.VIETNAM
    assert geo.bounds_of(None) == geo.VIETNAM
