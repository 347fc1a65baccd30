"""A member household's own plots: those whose household reference is the household's.

The records' rule (``shared.records.handlers``: a household harvests only where its reference
is) read back for the app, so that a household is offered, and shown the harvests of, its own
plots only. The reference is read from the plot's own events, never from a read model: it is
private and no read model keeps it.
"""

from __future__ import annotations

from uuid import UUID

from shared.domain.plot import Plot
from shared.readmodels.my_lots import PlotChoice
from shared.records.actors import Actor, Role
from shared.records.application import Records


def own_plots(records: Records, actor: Actor, plots: list[PlotChoice]) -> list[PlotChoice]:
    """``plots`` as the actor may harvest from them: all for the cooperative's staff."""
    if actor.role is not Role.HOUSEHOLD:
        return plots
    mine = []
    for plot in plots:
        aggregate: object = records.repository.get(UUID(plot.plot_id))
        if isinstance(aggregate, Plot) and aggregate.household_ref == actor.household_ref:
            mine.append(plot)
    return mine


def household_plot_ids(records: Records, actor: Actor, plots: list[PlotChoice]) -> list[str] | None:
    """The plots whose harvests a household sees; None: no such limit (not a household)."""
    if actor.role is not Role.HOUSEHOLD:
        return None
    return [plot.plot_id for plot in own_plots(records, actor, plots)]
