"""The dashboard's recall panel: real recalls this year, how many are open now, and drills with
their median time-to-trace, from the recall read model (``RecallReader``).

Drills are exercises: they count apart from recalls and are never added to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import median

from shared.readmodels.recalls import RecallReader


@dataclass(frozen=True)
class RecallPanel:
    year: int
    recalls_this_year: int
    open_now: int
    drills_this_year: int
    drill_median_ms: int | None  # None: no drill this year has a time-to-trace yet


def recall_panel(reader: RecallReader, today: date) -> RecallPanel:
    views = reader.recalls(viewer=None, include_drills=True)
    this_year = [v for v in views if v.opened_at.year == today.year]
    real = [v for v in this_year if not v.drill]
    drills = [v for v in this_year if v.drill]
    timed = [v.time_to_trace_ms for v in drills if v.time_to_trace_ms is not None]
    return RecallPanel(
        year=today.year,
        recalls_this_year=len(real),
        open_now=sum(1 for v in views if not v.drill and v.state == "open"),
        drills_this_year=len(drills),
        drill_median_ms=round(median(timed)) if timed else None,
    )
