"""What the diary pages read: my organisation's plots, and one plot's diary, newest first.

Plots come from the provenance read model (``rm_plots``, which keeps no household reference);
a member household sees only its own plots, which only the plot aggregate knows (its
reference is private), so those few are loaded from the event store. A plot's diary is read
from the plot's own events in the event store (``DiaryEntryRecorded``), which are always
current: a person who has just recorded an entry sees it at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from services.cooperative_app.own_plots import farms
from shared.domain.plot import Plot
from shared.readmodels.tracking import Connect, session
from shared.records.actors import Actor, Role
from shared.records.application import Records

PLOTS_LIMIT = 500


@dataclass(frozen=True)
class PlotLine:
    plot_id: UUID
    name: str  # its planting area code, or its crop
    crop: str
    commune: str
    area_ha: Decimal


@dataclass(frozen=True)
class DiaryLine:
    version: int
    activity: str
    on: date
    details: dict[str, str]
    household_id: UUID | None


def my_plots(connect: Connect, records: Records, actor: Actor) -> list[PlotLine]:
    organisation = actor.organisation_id
    if organisation is None:
        return []
    with session(connect) as conn:
        rows = conn.execute(
            "SELECT id, coalesce(planting_area_code, crop), crop, commune, area_ha FROM rm_plots"
            " WHERE cooperative_id = %s ORDER BY planting_area_code NULLS LAST, crop, id"
            " LIMIT %s",
            (organisation, PLOTS_LIMIT),
        ).fetchall()
    plots = [PlotLine(*row) for row in rows]
    if actor.role is Role.HOUSEHOLD:
        return [p for p in plots if _is_households(records, p.plot_id, actor)]
    return plots


def plot_of(records: Records, plot_id: UUID, actor: Actor) -> Plot | None:
    """The plot, if it is one of my organisation's (and, for a household, its own)."""
    try:
        found: Aggregate = records.repository.get(plot_id)
    except AggregateNotFoundError:
        return None
    if not isinstance(found, Plot) or found.cooperative_id != actor.organisation_id:
        return None
    if actor.role is Role.HOUSEHOLD and not farms(records, actor, found.id):
        return None
    return found


def _is_households(records: Records, plot_id: UUID, actor: Actor) -> bool:
    return plot_of(records, plot_id, actor) is not None


def diary_of(records: Records, plot_id: UUID) -> list[DiaryLine]:
    lines = []
    for event in records.history(plot_id):
        if type(event).__qualname__.endswith("DiaryEntryRecorded"):
            state: dict[str, Any] = event.__dict__
            lines.append(
                DiaryLine(
                    version=event.originator_version,
                    activity=str(state["activity"]),
                    on=state["on"],
                    details=dict(state["details"]),
                    household_id=state.get("household_id"),
                )
            )
    return sorted(lines, key=lambda line: (line.on, line.version), reverse=True)
