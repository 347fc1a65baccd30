"""The mass balance of a trace: where every kilogram went, computed from the graph alone.

``balance(graph)`` adds up, per unit family (kg and t together; pieces, bundles and litres
each apart, in ``other_units``)::

    produced + entered = on_hand + on_road + sold + lost_in_processing + left + recovered
                         + unaccounted

``produced`` is what the graph's roots were harvested or made with; ``entered`` what batches
outside the graph gave to its transformations (a forward trace meets the lots merged into its
descendants), ``left`` what its transformations gave to batches outside it (a back trace meets
its lot's siblings). ``lost_in_processing`` is what transformations took in and did not give
out, plus what batches lost in place (drying). ``unaccounted`` is what nothing recorded explains:
received less than shipped, corrected down. Quantities the viewer may not see count as zero,
and the balance then says ``complete=False``: its figures are a lower bound.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from shared.trace.graph import Amount, TraceGraph, TraceTransformation

_KG_PER_UNIT = {"kg": Decimal(1), "t": Decimal(1000)}
_ZERO = Decimal(0)


def family(unit: str) -> str:
    """The unit amounts of ``unit`` are added in: ``kg`` for masses, the unit itself otherwise."""
    return "kg" if unit in _KG_PER_UNIT else unit


def in_family(amount: Amount) -> tuple[str, Decimal]:
    """``amount`` in its family's unit: 2 t is ("kg", 2000)."""
    return family(amount.unit), amount.amount * _KG_PER_UNIT.get(amount.unit, Decimal(1))


def convert(amount: Decimal, unit: str, to: str) -> Decimal | None:
    """``amount`` of ``unit`` in ``to``, or None where they are not of one family."""
    if unit == to:
        return amount
    if unit in _KG_PER_UNIT and to in _KG_PER_UNIT:
        return amount * _KG_PER_UNIT[unit] / _KG_PER_UNIT[to]
    return None


@dataclass(frozen=True)
class MassBalance:
    """Kilograms (pieces, litres... counted apart in ``other_units``) through the traced chain.

    ``produced`` harvested or made at the chain's roots; ``shipped`` and ``received`` on the road
    and off it; ``on_hand`` held now; ``sold`` sold or consumed; ``lost_in_processing`` what
    transformations took in minus what they gave out; ``unaccounted`` what none of these
    explains; ``recovered`` withdrawn or destroyed under a recall, ``recovered_share`` of the
    affected quantity (None with no recall). Added by the trace work: ``on_road`` (in transit
    now), ``entered``/``left`` (through transformations, from and to batches outside the graph),
    ``complete`` (False: some quantities were hidden from the viewer, the figures are a lower
    bound).
    """

    unit: str
    produced: Decimal
    shipped: Decimal
    received: Decimal
    on_hand: Decimal
    sold: Decimal
    lost_in_processing: Decimal
    unaccounted: Decimal
    recovered: Decimal
    recovered_share: Decimal | None
    other_units: tuple[MassBalance, ...] = ()
    on_road: Decimal = _ZERO
    entered: Decimal = _ZERO
    left: Decimal = _ZERO
    complete: bool = True


_FIELDS = (
    "produced",
    "shipped",
    "received",
    "on_hand",
    "on_road",
    "sold",
    "lost_in_processing",
    "unaccounted",
    "recovered",
    "entered",
    "left",
    "affected",
)


@dataclass
class _Sums:
    figures: dict[str, dict[str, Decimal]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Decimal))
    )
    complete: bool = True

    def add(self, figure: str, amount: Amount | None, sign: int = 1) -> None:
        if amount is None:
            self.complete = False
            return
        unit, value = in_family(amount)
        self.figures[unit][figure] += sign * value


def balance(graph: TraceGraph) -> MassBalance:
    """The graph's mass balance, kg first (or the first family met), other units apart."""
    sums = _Sums()
    in_graph = {n.batch_id for n in graph.nodes}
    fed = {link.child_id for link in graph.links}
    for node in graph.nodes:
        if node.batch_id not in fed:
            sums.add("produced", node.produced)
        sums.add("lost_in_processing", node.lost)
        sums.add("unaccounted", node.unexplained)
        sums.add("recovered", node.recovered)
        figure = _STATUS_FIGURE.get(node.status)
        if figure is not None:
            sums.add(figure, node.quantity)
        if node.recalled:
            sums.add("affected", node.quantity)
            sums.add("affected", node.recovered)
    for shipment in graph.shipments:
        if shipment.batch_id in in_graph:
            sums.add("shipped", shipment.shipped)
            if shipment.received_at is not None:
                sums.add("received", shipment.received)
    for transformation in graph.transformations:
        _transformation(sums, transformation, in_graph)
    recalled = any(n.recalled for n in graph.nodes)
    units = sorted(sums.figures, key=lambda u: (u != "kg", u)) or ["kg"]
    made = [_one(unit, sums.figures[unit], recalled, sums.complete) for unit in units]
    first, *rest = made
    return _with_others(first, tuple(rest))


def _transformation(sums: _Sums, transformation: TraceTransformation, in_graph: set[str]) -> None:
    """What went in and did not come out is lost. A conversion (kg of rice into pieces of
    packs) takes its inputs out of their family (``left``) and makes its outputs in theirs
    (``produced``): the two families cannot be compared."""
    families_in = {family(f.amount.unit) for f in transformation.inputs if f.amount}
    families_out = {family(f.amount.unit) for f in transformation.outputs if f.amount}
    for flow in transformation.inputs:
        inside = flow.batch_id in in_graph
        if flow.amount is None:
            sums.complete = False
        elif family(flow.amount.unit) in families_out:
            sums.add("lost_in_processing", flow.amount)
            if not inside:
                sums.add("entered", flow.amount)
        elif inside:
            sums.add("left", flow.amount)
    for flow in transformation.outputs:
        inside = flow.batch_id in in_graph
        if flow.amount is None:
            sums.complete = False
        elif family(flow.amount.unit) in families_in:
            sums.add("lost_in_processing", flow.amount, -1)
            if not inside:
                sums.add("left", flow.amount)
        elif inside:
            sums.add("produced", flow.amount)


_STATUS_FIGURE = {
    "active": "on_hand",
    "in_transit": "on_road",
    "sold": "sold",
    "consumed": "sold",
}


def _one(unit: str, figures: dict[str, Decimal], recalled: bool, complete: bool) -> MassBalance:
    affected = figures["affected"]
    share = None
    if recalled:
        share = figures["recovered"] / affected if affected else Decimal(0)
    return MassBalance(
        unit=unit,
        produced=figures["produced"],
        shipped=figures["shipped"],
        received=figures["received"],
        on_hand=figures["on_hand"],
        sold=figures["sold"],
        lost_in_processing=figures["lost_in_processing"],
        unaccounted=figures["unaccounted"],
        recovered=figures["recovered"],
        recovered_share=share,
        on_road=figures["on_road"],
        entered=figures["entered"],
        left=figures["left"],
        complete=complete,
    )


def _with_others(first: MassBalance, others: tuple[MassBalance, ...]) -> MassBalance:
    return replace(first, other_units=others)
