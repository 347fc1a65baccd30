"""Reading a plot's farm diary from its events: the write side's own view, as for batches.

The diary is the cooperative's record, not a public one: its cooperative and provincial staff
read it whole; a member household reads the diary of its own plot without household ids;
anyone else is refused (``not_own``).
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from services.capture.schemas.diary import DiaryEntryOut, PlotDiary
from shared.domain.errors import NotFound, NotPermitted
from shared.domain.household import Household, farmed_by
from shared.domain.plot import Plot
from shared.records.actors import Actor, Role
from shared.records.application import Records


def plot_diary(records: Records, actor: Actor, plot_id: UUID) -> PlotDiary:
    plot = _plot(records, plot_id)
    household = actor.role is Role.HOUSEHOLD
    if not actor.is_staff and actor.organisation_id != plot.cooperative_id:
        raise NotPermitted(
            "only the plot's cooperative and provincial staff read its diary",
            code="not_own",
            params={"what": "read the farm diary of its plots"},
        )
    if household and not _farms(records, actor, plot):
        raise NotPermitted(
            "a member household reads only its own plots", code="household_not_own_plot"
        )
    entries = [
        DiaryEntryOut(
            activity=e.activity,
            on=e.on.isoformat(),
            details=dict(e.details),
            household_id=None if household or e.household_id is None else str(e.household_id),
            recorded_at=e.timestamp.isoformat(),
            version=e.originator_version,
        )
        for e in records.history(plot_id)
        if isinstance(e, Plot.DiaryEntryRecorded)  # type: ignore[attr-defined]
    ]
    latest = max((s.safe_from for s in plot.sprayings), default=None)
    return PlotDiary(
        plot_id=str(plot_id),
        entries=entries,
        earliest_harvest_on=None if latest is None else latest.isoformat(),
    )


def _farms(records: Records, actor: Actor, plot: Plot) -> bool:
    """The records' own rule (shared.domain.household.farmed_by): a registered household the
    plot was given, or an old plot's plain reference the account was issued under."""
    linked: object = None
    if actor.household_id is not None:
        try:
            linked = records.repository.get(actor.household_id)
        except AggregateNotFoundError:
            linked = None
    return farmed_by(
        plot.id,
        plot.cooperative_id,
        plot.household_ref,
        linked if isinstance(linked, Household) else None,
        actor.household_ref,
    )


def _plot(records: Records, plot_id: UUID) -> Plot:
    found: object
    try:
        found = records.repository.get(plot_id)
    except AggregateNotFoundError:
        found = None
    if not isinstance(found, Plot):
        raise NotFound(f"no plot {plot_id}", params={"id": plot_id})
    return found
