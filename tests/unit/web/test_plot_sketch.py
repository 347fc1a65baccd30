"""A plot's sketch: drawn to scale, north up, inside its little box."""

from __future__ import annotations

import re

from services.web.sketch import sketch

_RING = [
    [105.901112, 19.860021],
    [105.904873, 19.860134],
    [105.905011, 19.857702],
    [105.901254, 19.857518],
    [105.901112, 19.860021],
]


def _numbers(path: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]


def test_a_polygon_is_drawn_inside_the_box() -> None:
    drawing = sketch({"type": "Polygon", "coordinates": [_RING]}, "7.15")

    assert drawing is not None
    assert drawing.kind == "polygon"
    assert all(0 <= n <= 100 for n in _numbers(drawing.shape))
    assert drawing.shape.startswith("M")
    assert drawing.shape.endswith("Z")


def test_north_is_up() -> None:
    drawing = sketch({"type": "Polygon", "coordinates": [_RING]}, "7.15")

    assert drawing is not None
    first_y, second_y = _numbers(drawing.shape)[1], _numbers(drawing.shape)[3]
    third_y = _numbers(drawing.shape)[5]
    assert first_y < third_y, "the northern corner is drawn above the southern one"
    assert abs(first_y - second_y) < 5


def test_a_point_is_drawn_as_a_circle_of_the_plot_area() -> None:
    small = sketch({"type": "Point", "coordinates": [105.687421, 19.893512]}, "0.5")
    large = sketch({"type": "Point", "coordinates": [105.687421, 19.893512]}, "4")

    assert small is not None
    assert large is not None
    assert small.kind == "point"
    assert small.latitude == 19.893512
    assert small.scale_label == "20 m"
    assert large.scale_label == "100 m"


def test_geometry_that_is_not_a_point_or_polygon_has_no_sketch() -> None:
    assert sketch({"type": "LineString", "coordinates": _RING}, "1") is None
    assert sketch({"type": "Polygon", "coordinates": [[["a", "b"]]]}, "1") is None
    assert sketch({"type": "Point", "coordinates": "19.8,105.6"}, "1") is None
    assert sketch({}, "1") is None
