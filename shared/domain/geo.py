"""Plot locations in WGS84: a point for plots of 4 ha or less, a polygon above (EUDR).

Locations are GeoJSON-shaped dicts with coordinates rounded to 6 decimals (about 0.1 m).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shared.domain.errors import InvalidValue, RuleViolated

POINT_AREA_LIMIT_HA = Decimal(4)


def _position(value: Any, field: str) -> list[float]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise InvalidValue(field, "a position is [longitude, latitude]")
    try:
        lon, lat = (float(v) for v in value)
    except (TypeError, ValueError):
        raise InvalidValue(field, "longitude and latitude must be numbers") from None
    if not -180 <= lon <= 180:
        raise InvalidValue(field, f"longitude {lon} is outside -180..180")
    if not -90 <= lat <= 90:
        raise InvalidValue(field, f"latitude {lat} is outside -90..90")
    return [round(lon, 6), round(lat, 6)]


def location(value: Any, area_ha: Decimal, field: str = "location") -> dict[str, Any]:
    """Validates a GeoJSON Point or Polygon and the point-or-polygon rule for the area."""
    if not isinstance(value, dict) or value.get("type") not in ("Point", "Polygon"):
        raise InvalidValue(field, 'location must be {"type": "Point" or "Polygon", ...}')
    if value["type"] == "Point":
        if area_ha > POINT_AREA_LIMIT_HA:
            msg = f"a plot of {area_ha} ha needs a polygon: a point is enough only up to 4 ha"
            raise RuleViolated(msg, code="plot_needs_polygon")
        return {"type": "Point", "coordinates": _position(value.get("coordinates"), field)}
    rings = value.get("coordinates")
    if not isinstance(rings, list) or not rings or not all(isinstance(r, list) for r in rings):
        raise InvalidValue(field, "a polygon's coordinates are a list of rings of positions")
    checked = [[_position(p, f"{field}.coordinates") for p in ring] for ring in rings]
    for ring in checked:
        if len(ring) < 4 or ring[0] != ring[-1]:
            raise InvalidValue(field, "each polygon ring needs 4+ positions, first equal to last")
    return {"type": "Polygon", "coordinates": checked}
