"""A member household's own plots: the records' rule (``shared.domain.household.farmed_by``)
asked for the app, so that a household is offered, and shown the harvests of, its own plots
only. Plot and household are read from their own events, never from a read model: which
household farms which plot is private.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from shared.domain.household import Household, farmed_by
from shared.domain.plot import Plot
from shared.readmodels.my_lots import PlotChoice
from shared.records.actors import Actor, Role
from shared.records.application import Records


def own_plots(records: Records, actor: Actor, plots: list[PlotChoice]) -> list[PlotChoice]:
    """``plots`` as the actor may harvest from them: all for the cooperative's staff."""
    if actor.role is not Role.HOUSEHOLD:
        return plots
    return [plot for plot in plots if farms(records, actor, UUID(plot.plot_id))]


def farms(records: Records, actor: Actor, plot_id: UUID) -> bool:
    """Whether the household account ``actor`` farms the plot (see the module's docstring)."""
    plot: object = records.repository.get(plot_id)
    if not isinstance(plot, Plot):
        return False
    household: object = None
    if actor.household_id is not None:
        try:
            household = records.repository.get(actor.household_id)
        except AggregateNotFoundError:
            household = None
    linked = household if isinstance(household, Household) else None
    return farmed_by(plot.id, plot.cooperative_id, plot.household_ref, linked, actor.household_ref)


def household_plot_ids(records: Records, actor: Actor, plots: list[PlotChoice]) -> list[str] | None:
    """The plots whose harvests a household sees; None: no such limit (not a household)."""
    if actor.role is not Role.HOUSEHOLD:
        return None
    return [plot.plot_id for plot in own_plots(records, actor, plots)]
