"""What the app's forms pick from, as one JSON document the service worker keeps for offline use.

Forms render their own pick lists on the server, and the service worker keeps the last-seen
form pages, so a form opens offline with the lists it had. This document is for scripts: the
outbox adds the batches recorded offline to the forms' batch lists, and a part that builds
a list in the browser reads it here. My plots come from the registry's read model, scoped to
the person's organisation; the units are the domain's.
"""

from __future__ import annotations

from typing import Any

from shared.domain.quantities import Unit
from shared.readmodels.registry import Paging, PlotFilters, RegistryReader
from shared.readmodels.tracking import Connect
from shared.records.actors import Actor

MOST_PLOTS = 500  # a cooperative has tens to a few hundred plots: one page holds them all


def pick_lists(connect: Connect, actor: Actor) -> dict[str, Any]:
    plots = RegistryReader(connect).plots(actor, PlotFilters(), Paging(limit=MOST_PLOTS))
    return {
        "plots": [
            {
                "id": plot["id"],
                "label": " · ".join(
                    part
                    for part in (plot["planting_area_code"], plot["crop"], plot["commune"])
                    if part
                ),
            }
            for plot in plots["items"]
        ],
        "units": [unit.value for unit in Unit],
    }
