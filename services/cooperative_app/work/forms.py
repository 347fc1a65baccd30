"""The four work forms: what each offers to pick, its defaults, and the command it builds.

Defaults save taps (a person on a phone, one thumb): today's date, the only plot, the plot's
crop as the commodity, drying as the step, the batch's own unit, the whole shipped quantity on
receiving, the only value chain a harvest can name. Pick lists come from
:class:`~shared.readmodels.my_lots.MyLots`: my plots (a member household: its own only), my
value chains, my lots, partners in my value chains, what is on its way to me.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from services.cooperative_app.own_plots import own_plots
from services.cooperative_app.work.reading import Reading
from shared.accounts.gate import Person
from shared.domain.batch import PROCESSING_STEPS
from shared.domain.clock import today_in_vietnam
from shared.domain.quantities import Unit
from shared.readmodels.my_lots import ChainChoice, LotLine, MyLots, PlotChoice
from shared.records import commands as c
from shared.records.actors import Role
from shared.records.application import Records

UNITS = [unit.value for unit in Unit]
# The steps a cooperative does most come first: drying is the common first step of a harvest.
STEPS = ["drying", *sorted(PROCESSING_STEPS - {"drying"})]


@dataclass(frozen=True)
class Form:
    kind: str  # the bulk API item type (data-command) and the path: /app/record/<kind>
    fields: tuple[str, ...]  # in page order: a refusal about no field shows at the first
    labels: dict[str, str]  # field name → message id
    offers: Callable[[Records, MyLots, Person], dict[str, Any]]
    defaults: Callable[[dict[str, Any], dict[str, str]], dict[str, Any]]
    build: Callable[[Reading, dict[str, Any]], c.Command | None]
    roles: frozenset[Role]


def _own_plots(records: Records, lots: MyLots, person: Person) -> list[PlotChoice]:
    return own_plots(records, person.actor, lots.plots(person.actor.organisation("harvest")))


def _batch_default(picks: list[LotLine], query: dict[str, str]) -> LotLine | None:
    wanted = query.get("batch", "").upper()
    found = next((line for line in picks if line.code == wanted), None)
    if found is None and len(picks) == 1:
        return picks[0]
    return found


# Harvest ------------------------------------------------------------------------------------


def _harvest_offers(records: Records, lots: MyLots, person: Person) -> dict[str, Any]:
    plots = _own_plots(records, lots, person)
    crops = list(dict.fromkeys(plot.crop for plot in plots))
    chains = lots.chains(person.actor.organisation("harvest"))
    return {"plots": plots, "crops": crops, "units": UNITS, "chains": chains}


def _chain_default(chains: list[ChainChoice], crop: str) -> str:
    """The only chain, or the one chain of the harvest's crop; else none (the person picks)."""
    fits = chains if len(chains) == 1 else [ch for ch in chains if ch.commodity == crop]
    return fits[0].value_chain_id if len(fits) == 1 else ""


def _harvest_defaults(offers: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
    plots: list[PlotChoice] = offers["plots"]
    chosen = [p.plot_id for p in plots if p.plot_id == query.get("plot")] or (
        [plots[0].plot_id] if len(plots) == 1 else []
    )
    crop = next((p.crop for p in plots if p.plot_id in chosen), offers["crops"][:1] or [""])
    commodity = crop if isinstance(crop, str) else crop[0]
    return {
        "plot_ids": chosen,
        "commodity": commodity,
        "value_chain_id": _chain_default(offers["chains"], commodity),
        "quantity.unit": "kg",
        "harvested_on": today_in_vietnam().isoformat(),
    }


def _harvest(reading: Reading, offers: dict[str, Any]) -> c.Command | None:
    plot_ids = reading.choices("plot_ids", {p.plot_id for p in offers["plots"]})
    commodity = reading.text("commodity")
    chains = {ch.value_chain_id for ch in offers["chains"]}
    chain = reading.choice("value_chain_id", chains, required=False)  # none: in no chain
    quantity = reading.quantity("quantity")
    harvested_on = reading.day("harvested_on")
    # Each is None only with a problem kept; a problem elsewhere (plot_ids) also stops here.
    if reading.problems or commodity is None or quantity is None or harvested_on is None:
        return None
    return c.HarvestBatch(
        plot_ids=plot_ids,
        commodity=commodity,
        quantity=quantity,
        harvested_on=harvested_on,
        variety=reading.text("variety", required=False),
        value_chain_id=UUID(chain) if chain else None,
        interval_override=reading.text("interval_override", required=False),
    )


HARVEST = Form(
    kind="harvest",
    fields=(
        "plot_ids",
        "commodity",
        "value_chain_id",
        "quantity.amount",
        "quantity.unit",
        "harvested_on",
        "variety",
        "interval_override",
    ),
    labels={
        "plot_ids": "work_plots",
        "commodity": "work_commodity",
        "value_chain_id": "work_value_chain",
        "quantity.amount": "work_quantity",
        "quantity.unit": "work_unit",
        "harvested_on": "work_harvested_on",
        "variety": "work_variety",
        "interval_override": "work_interval_override",
    },
    offers=_harvest_offers,
    defaults=_harvest_defaults,
    build=_harvest,
    roles=frozenset({Role.COOPERATIVE, Role.COOPERATIVE_ADMIN, Role.HOUSEHOLD}),
)

# Processing ---------------------------------------------------------------------------------

TRADERS = frozenset({Role.COOPERATIVE, Role.COOPERATIVE_ADMIN, Role.ENTERPRISE})


def _held(records: Records, lots: MyLots, person: Person) -> dict[str, Any]:
    del records
    organisation = person.actor.organisation("process")
    return {
        "batches": lots.picks(organisation, "held"),
        "units": UNITS,
        "steps": STEPS,
        "facility": lots.name_of(organisation) or "",
        "partners": lots.partners(organisation),
    }


def _process_defaults(offers: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
    batch = _batch_default(offers["batches"], query)
    return {
        "batch": batch.code if batch else "",
        "step": "drying",
        "facility": offers["facility"],
        "quantity_after.unit": batch.unit if batch else "kg",
    }


def _process(reading: Reading, offers: dict[str, Any]) -> c.Command | None:
    batch = reading.choice("batch", {line.code for line in offers["batches"]})
    step = reading.choice("step", offers["steps"])
    facility = reading.text("facility")
    quantity_after = reading.quantity("quantity_after")
    if (
        batch is None or step is None or facility is None or quantity_after is None
    ):  # each kept a problem
        return None
    return c.ProcessBatch(
        batch=batch,
        step=step,
        facility=facility,
        quantity_after=quantity_after,
        commodity_after=reading.text("commodity_after", required=False),
    )


PROCESS = Form(
    kind="process",
    fields=(
        "batch",
        "step",
        "quantity_after.amount",
        "quantity_after.unit",
        "facility",
        "commodity_after",
    ),
    labels={
        "batch": "work_batch",
        "step": "work_step",
        "facility": "work_facility",
        "quantity_after.amount": "work_quantity_after",
        "quantity_after.unit": "work_unit",
        "commodity_after": "work_commodity_after",
    },
    offers=_held,
    defaults=_process_defaults,
    build=_process,
    roles=TRADERS,
)

# Shipping -----------------------------------------------------------------------------------


def _ship_defaults(offers: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
    batch = _batch_default(offers["batches"], query)
    partners = offers["partners"]
    return {
        "batch": batch.code if batch else "",
        "to": partners[0].organisation_id if len(partners) == 1 else query.get("to", ""),
    }


def _ship(reading: Reading, offers: dict[str, Any]) -> c.Command | None:
    batch = reading.choice("batch", {line.code for line in offers["batches"]})
    to = reading.choice("to", {p.organisation_id for p in offers["partners"]})
    # Each is None only with a problem kept; a problem elsewhere (plot_ids) also stops here.
    if reading.problems or batch is None or to is None:
        return None
    return c.ShipBatch(
        batch=batch,
        to=UUID(to),
        transport_document=reading.text("transport_document", required=False),
    )


SHIP = Form(
    kind="ship",
    fields=("batch", "to", "transport_document"),
    labels={"batch": "work_batch", "to": "work_to", "transport_document": "work_document"},
    offers=_held,
    defaults=_ship_defaults,
    build=_ship,
    roles=TRADERS,
)

# Receiving ----------------------------------------------------------------------------------


def _coming(records: Records, lots: MyLots, person: Person) -> dict[str, Any]:
    del records
    return {"batches": lots.picks(person.actor.organisation("receive"), "coming"), "units": UNITS}


def _receive_defaults(offers: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
    batch = _batch_default(offers["batches"], query)
    if batch is None:
        return {"batch": "", "quantity.unit": "kg"}
    # The whole of what was shipped: a person types only what differs.
    return {"batch": batch.code, "quantity.amount": str(batch.amount), "quantity.unit": batch.unit}


def _receive(reading: Reading, offers: dict[str, Any]) -> c.Command | None:
    batch = reading.choice("batch", {line.code for line in offers["batches"]})
    quantity = reading.quantity("quantity")
    # Each is None only with a problem kept; a problem elsewhere (plot_ids) also stops here.
    if reading.problems or batch is None or quantity is None:
        return None
    return c.ReceiveBatch(batch=batch, quantity=quantity)


RECEIVE = Form(
    kind="receive",
    fields=("batch", "quantity.amount", "quantity.unit"),
    labels={
        "batch": "work_batch_coming",
        "quantity.amount": "work_quantity_received",
        "quantity.unit": "work_unit",
    },
    offers=_coming,
    defaults=_receive_defaults,
    build=_receive,
    roles=TRADERS,
)

FORMS = (HARVEST, PROCESS, SHIP, RECEIVE)
