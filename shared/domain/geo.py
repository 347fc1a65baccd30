"""Plot locations in WGS84: a point for plots of 4 ha or less, a polygon above (EUDR).

Locations are GeoJSON-shaped dicts with coordinates rounded to 6 decimals (about 0.1 m), as
EUDR asks. Every position must lie in the bounding area of the cooperative's province (a
province this table does not know gets Vietnam's): a point in Paris is not a Thanh Hóa plot.
The boxes are deliberately coarse, a guard against swapped or mistyped coordinates, not a
border. Geometry that needs a library (self-intersection, geodesic area) is measured outside
the pure domain, in ``shared.geometry``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shared.domain.errors import InvalidValue, RuleViolated

POINT_AREA_LIMIT_HA = Decimal(4)
DECIMALS = 6


@dataclass(frozen=True)
class Box:
    """A bounding area in degrees: west and east longitude, south and north latitude."""

    name: str
    west: float
    south: float
    east: float
    north: float

    def holds(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north


# Mainland Vietnam with its islands, Hoàng Sa and Trường Sa included.
VIETNAM = Box("Vietnam", 102.1, 6.8, 117.9, 23.4)
# Thanh Hóa's extent (19.3-20.7 N, 104.4-106.1 E) with a margin of about 5 km.
PROVINCE_BOUNDS: dict[str, Box] = {
    "thanh hóa": Box("Thanh Hóa", 104.3, 19.2, 106.2, 20.7),
}


def bounds_of(province: str | None) -> Box:
    """The province's bounding area, or Vietnam's if the table does not know it."""
    if province is None:
        return VIETNAM
    key = unicodedata.normalize("NFC", " ".join(province.split())).casefold()
    return PROVINCE_BOUNDS.get(key, VIETNAM)


def _position(value: Any, field: str, bounds: Box) -> list[float]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise InvalidValue(field, "a position is [longitude, latitude]", code="position_shape")
    try:
        lon, lat = (float(v) for v in value)
    except (TypeError, ValueError):
        msg = "longitude and latitude must be numbers"
        raise InvalidValue(field, msg, code="position_not_numbers") from None
    if not -180 <= lon <= 180:
        msg = f"longitude {lon} is outside -180..180"
        raise InvalidValue(field, msg, code="longitude_range", params={"longitude": lon})
    if not -90 <= lat <= 90:
        msg = f"latitude {lat} is outside -90..90"
        raise InvalidValue(field, msg, code="latitude_range", params={"latitude": lat})
    if not bounds.holds(lon, lat):
        msg = (
            f"[{lon}, {lat}] lies outside {bounds.name} ({bounds.south}-{bounds.north} N,"
            f" {bounds.west}-{bounds.east} E): check the coordinates and their order"
            " (GeoJSON is [longitude, latitude])"
        )
        params = {"longitude": lon, "latitude": lat, "area": bounds.name}
        raise InvalidValue(field, msg, code="position_outside_area", params=params)
    return [round(lon, DECIMALS), round(lat, DECIMALS)]


def location(
    value: Any, area_ha: Decimal, field: str = "location", bounds: Box = VIETNAM
) -> dict[str, Any]:
    """Validates a GeoJSON Point or Polygon inside ``bounds`` and the point-or-polygon rule."""
    if not isinstance(value, dict) or value.get("type") not in ("Point", "Polygon"):
        msg = 'location must be {"type": "Point" or "Polygon", ...}'
        raise InvalidValue(field, msg, code="location_shape")
    if value["type"] == "Point":
        if area_ha > POINT_AREA_LIMIT_HA:
            msg = f"a plot of {area_ha} ha needs a polygon: a point is enough only up to 4 ha"
            raise RuleViolated(msg, code="plot_needs_polygon", params={"area_ha": area_ha})
        return {"type": "Point", "coordinates": _position(value.get("coordinates"), field, bounds)}
    rings = value.get("coordinates")
    if not isinstance(rings, list) or not rings or not all(isinstance(r, list) for r in rings):
        msg = "a polygon's coordinates are a list of rings of positions"
        raise InvalidValue(field, msg, code="polygon_shape")
    checked = [[_position(p, f"{field}.coordinates", bounds) for p in ring] for ring in rings]
    for ring in checked:
        if len(ring) < 4 or ring[0] != ring[-1]:
            msg = "each polygon ring needs 4+ positions, first equal to last"
            raise InvalidValue(field, msg, code="polygon_ring")
    return {"type": "Polygon", "coordinates": checked}
