"""What every part of the cooperative app is built from: one value handed to each router.

The parts (``lots``, ``work``, ``diary``, ``households``, ``offline``, ``labels``, ``products``)
each take an :class:`AppContext` and return their router, so a new part needs no new wiring
beyond one line in ``app.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.pages import Pages
from shared.readmodels.households import HouseholdDirectory
from shared.readmodels.tracking import Connect
from shared.records.application import Records
from shared.settings import NguonSettings
from shared.trace.source import TraceSource


@dataclass(frozen=True)
class AppContext:
    settings: NguonSettings
    records: Records
    connect: Connect
    pages: Pages
    households: HouseholdDirectory
    traces: TraceSource | None = None  # the trace part answers 404 until a source is given
