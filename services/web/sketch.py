"""A plot drawn to scale as a tiny SVG, because a picture beats a pair of coordinates.

A polygon is drawn as recorded (outer ring); a point (plots of 4 ha or less) as a dashed
circle of the plot's area. Both sit in a 100 x 100 box, north up, with a scale bar. The
projection is equirectangular around the plot, exact enough for a few hectares.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_METRES_PER_DEGREE_LAT = 110_574.0
_METRES_PER_DEGREE_LON_AT_EQUATOR = 111_320.0
_BOX = 100.0
_MARGIN = 12.0
_NICE_LENGTHS = (5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000)


@dataclass(frozen=True)
class Sketch:
    kind: str  # "polygon" | "point"
    shape: str  # SVG path data, or "cx cy r" for a point
    latitude: float
    longitude: float
    scale_bar: float  # length in the 100-unit box
    scale_label: str  # "50 m"

    @property
    def circle(self) -> tuple[str, str, str]:
        cx, cy, r = self.shape.split()
        return cx, cy, r


def sketch(location: Mapping[str, object], area_ha: str) -> Sketch | None:
    """The plot's sketch, or None when the geometry is not a GeoJSON Point or Polygon."""
    coordinates = location.get("coordinates")
    if location.get("type") == "Polygon" and isinstance(coordinates, list) and coordinates:
        ring = _positions(coordinates[0])
        return _polygon(ring) if len(ring) >= 3 else None
    if location.get("type") == "Point":
        point = _positions([coordinates])
        return _point(point[0], _area_m2(area_ha)) if point else None
    return None


def _positions(raw: object) -> list[tuple[float, float]]:
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        return []
    positions: list[tuple[float, float]] = []
    for item in raw:
        if not isinstance(item, Sequence) or len(item) < 2:
            return []
        lon, lat = item[0], item[1]
        if not isinstance(lon, int | float) or not isinstance(lat, int | float):
            return []
        positions.append((float(lon), float(lat)))
    return positions


def _area_m2(area_ha: str) -> float:
    try:
        return max(float(Decimal(area_ha)) * 10_000.0, 1.0)
    except (InvalidOperation, ValueError):
        return 1_000.0


def _metres(lon: float, lat: float, lon0: float, lat0: float) -> tuple[float, float]:
    east = (lon - lon0) * _METRES_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(lat0))
    north = (lat - lat0) * _METRES_PER_DEGREE_LAT
    return east, north


def _polygon(ring: list[tuple[float, float]]) -> Sketch:
    corners = ring[:-1] if ring[0] == ring[-1] else ring
    lon0 = sum(p[0] for p in corners) / len(corners)
    lat0 = sum(p[1] for p in corners) / len(corners)
    points = [_metres(lon, lat, lon0, lat0) for lon, lat in ring]
    span = max(
        max(p[0] for p in points) - min(p[0] for p in points),
        max(p[1] for p in points) - min(p[1] for p in points),
        1.0,
    )
    unit = (_BOX - 2 * _MARGIN) / span
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    dx = (_BOX - (max(xs) - min(xs)) * unit) / 2 - min(xs) * unit
    dy = (_BOX - (max(ys) - min(ys)) * unit) / 2 + max(ys) * unit
    path = "M" + "L".join(f"{x * unit + dx:.1f} {dy - y * unit:.1f}" for x, y in points) + "Z"
    bar, label = _scale_bar(unit, span)
    return Sketch("polygon", path, lat0, lon0, bar, label)


def _point(position: tuple[float, float], area_m2: float) -> Sketch:
    radius_m = math.sqrt(area_m2 / math.pi)
    span = 2 * radius_m
    unit = (_BOX - 2 * _MARGIN) / span
    circle = f"{_BOX / 2:.1f} {_BOX / 2:.1f} {radius_m * unit:.1f}"
    bar, label = _scale_bar(unit, span)
    return Sketch("point", circle, position[1], position[0], bar, label)


def _scale_bar(unit: float, span_m: float) -> tuple[float, str]:
    """The longest round length no longer than about half the drawing."""
    length = _NICE_LENGTHS[0]
    for candidate in _NICE_LENGTHS:
        if candidate <= span_m / 2:
            length = candidate
    label = f"{length // 1000} km" if length >= 1_000 else f"{length} m"
    return round(length * unit, 1), label
