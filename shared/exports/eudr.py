"""EUDR: the plots a lot came from, as the GeoJSON a due-diligence statement attaches.

Regulation (EU) 2023/1115 asks for the geolocation of every plot of land a commodity was
produced on: a point for a plot of up to 4 ha, a polygon above (art. 2(28), 9(1)(d)). The
file is an RFC 7946 FeatureCollection: WGS84 positions as [longitude, latitude] with 6
decimals (about 0.1 m), polygons' outer rings counter-clockwise and holes clockwise (the
right-hand rule, RFC 7946 §3.1.6; shapely's ``orient`` turns a ring the right way).

A feature's properties are what the statement needs and nothing private: the producer is the
cooperative, never a household (households are sealed: docs/privacy.md), with the plot's
area, commune, country, the harvest dates and the product.
"""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from typing import Any

from shapely.geometry import Polygon
from shapely.geometry.polygon import orient

from shared.readmodels.exports import LotFacts, Plot

POINT_AREA_LIMIT_HA = Decimal(4)  # the regulation's: a point is enough up to 4 ha
DECIMALS = 6
GEOJSON_TYPE = "application/geo+json"


def feature_collection(facts: LotFacts) -> dict[str, Any]:
    """The plots of the harvests among the facts' batches, one feature per plot."""
    harvests: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for event in facts.events:
        if event.kind != "Harvested":
            continue
        payload = event.payload
        for plot_id in payload["plot_ids"]:
            product = str(payload["commodity"])
            if payload.get("variety"):
                product = f"{product} ({payload['variety']})"
            harvests[str(plot_id)].append((str(payload["harvested_on"]), product, payload["code"]))
    features = [
        _feature(facts.plots[plot_id], harvests[plot_id], facts)
        for plot_id in sorted(harvests)
        if plot_id in facts.plots
    ]
    return {"type": "FeatureCollection", "features": features}


def to_bytes(collection: dict[str, Any]) -> bytes:
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")


def _feature(plot: Plot, harvests: list[tuple[str, str, str]], facts: LotFacts) -> dict[str, Any]:
    producer = facts.organisations.get(plot.cooperative_id)
    return {
        "type": "Feature",
        "id": plot.id,
        "geometry": geometry(plot),
        "properties": {
            "plot_id": plot.id,
            "planting_area_code": plot.planting_area_code,
            "gln": plot.gln,  # the plot's location identifier, once registered
            "area_ha": float(plot.area_ha),
            "producer": producer.name if producer else None,
            "producer_id": plot.cooperative_id,
            "commune": plot.commune,
            "province": producer.province if producer else None,
            "country": "VN",
            "crop": plot.crop,
            "product": sorted({product for _, product, _ in harvests}),
            "harvest_dates": sorted({day for day, _, _ in harvests}),
            "batches": sorted({code for _, _, code in harvests}),
        },
    }


def geometry(plot: Plot) -> dict[str, Any]:
    """A point up to 4 ha, a polygon above, in RFC 7946's order and winding.

    A small plot drawn as a polygon is given as a point inside it (shapely's
    ``point_on_surface``: unlike a centroid, always within the plot, as the point must be).
    """
    location = plot.location
    if location["type"] == "Point":
        lon, lat = location["coordinates"]
        return _point(lon, lat)
    outer, *holes = location["coordinates"]
    shape = Polygon(outer, holes)
    if plot.area_ha <= POINT_AREA_LIMIT_HA:
        inside = shape.point_on_surface()
        return _point(inside.x, inside.y)
    shaped = orient(shape, sign=1.0)  # outer ring counter-clockwise, holes clockwise
    rings = [shaped.exterior, *shaped.interiors]
    return {
        "type": "Polygon",
        "coordinates": [[[_round(x), _round(y)] for x, y in ring.coords] for ring in rings],
    }


def _point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [_round(lon), _round(lat)]}


def _round(value: float) -> float:
    return round(float(value), DECIMALS)
