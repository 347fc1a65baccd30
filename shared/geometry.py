"""Plot geometry measured by libraries: a polygon's validity (shapely) and geodesic area
(geographiclib, on the WGS84 ellipsoid).

Why here and not in ``shared.domain``: the domain stays pure (standard library and
``eventsourcing.domain`` only, an import-linter contract), and these checks need compiled
geometry and geodesy that no one should write by hand. Capture runs them on every polygon it
is sent, before the command reaches the domain; the domain keeps the rules it can state alone
(point or polygon, closed rings, the province's bounding area, 6 decimals).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from geographiclib.geodesic import Geodesic
from shapely.geometry import Polygon
from shapely.validation import explain_validity

from shared.domain.geo import DECIMALS

AREA_TOLERANCE = Decimal("0.2")  # a declared area may differ from the measured one by 20%
_M2_PER_HA = 10_000

Ring = Sequence[Sequence[float]]


def _rounded(ring: Ring) -> list[tuple[float, float]]:
    # Judged as it will be stored: rounding to 6 decimals could in principle fold an edge.
    return [(round(p[0], DECIMALS), round(p[1], DECIMALS)) for p in ring]


def polygon_problem(rings: Sequence[Ring]) -> str | None:
    """Why a polygon (outer ring, then holes) is not a simple, valid area; None if it is."""
    outer, *holes = (_rounded(r) for r in rings)
    try:
        polygon = Polygon(outer, holes)
    except ValueError as error:  # too few distinct positions to make a ring
        return f"the polygon is not an area: {error}"
    if polygon.is_valid and polygon.area > 0:
        return None
    reason = explain_validity(polygon)
    return f"the polygon is not a simple area ({reason}): draw it without crossing edges"


def _ring_area_m2(ring: Ring) -> float:
    polygon = Geodesic.WGS84.Polygon()
    for lon, lat in _rounded(ring)[:-1]:  # the closing position repeats the first
        polygon.AddPoint(lat, lon)
    _, _, area = polygon.Compute(False, True)
    return abs(float(area))


def geodesic_area_ha(rings: Sequence[Ring]) -> Decimal:
    """The polygon's area on the WGS84 ellipsoid, holes taken out, in hectares."""
    outer, *holes = rings
    area = _ring_area_m2(outer) - sum(_ring_area_m2(h) for h in holes)
    return Decimal(str(round(area / _M2_PER_HA, 4)))


def area_problem(rings: Sequence[Ring], declared_ha: Decimal) -> str | None:
    """Why the declared area does not match the polygon's (more than 20% off); None if it does."""
    measured = geodesic_area_ha(rings)
    if abs(declared_ha - measured) <= AREA_TOLERANCE * measured:
        return None
    return (
        f"area_ha {declared_ha} is more than 20% away from the polygon's area, {measured} ha:"
        " correct the area or the polygon"
    )
