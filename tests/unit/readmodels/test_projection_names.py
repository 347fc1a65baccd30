"""The names the position waiter and the health report wait for are every projection's."""

from __future__ import annotations

from shared.readmodels.tracking import ALL_PROJECTIONS
from shared.readmodels.units import all_projections


def test_every_projection_is_waited_for_and_reported() -> None:
    assert sorted(ALL_PROJECTIONS) == sorted(p.name for p in all_projections())
