"""Random lineages for property tests of traces: harvests grown by random drying, splits,
merges, shipments received short and sales, recorded through the real records.

``LINEAGES`` draws the harvests and the operations; :func:`grow` records them and returns the
world: who holds each active batch, every code made, and how much was received short.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

from shared.records import commands as c
from shared.records.actors import Actor
from shared.records.application import Records
from shared.records.results import BatchResult, TransformationResult
from tests.builders import Grower, a_grower, a_harvest, an_enterprise, kg

Op = tuple[str, int, int]  # kind, which batch (modulo), an amount or share


@dataclass
class World:
    holders: dict[str, Actor]  # code -> who holds it (active batches only)
    held: dict[str, int]
    short: int = 0
    codes: list[str] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)  # the harvests


HARVESTS = st.lists(st.integers(10, 2000), min_size=1, max_size=3)
OPS = st.lists(
    st.tuples(
        st.sampled_from(["dry", "split", "merge", "ship", "sell"]),
        st.integers(0, 50),
        st.integers(1, 99),
    ),
    min_size=1,
    max_size=8,
)


_PARTIES: dict[int, tuple[Grower, Actor]] = {}


def parties(records: Records) -> tuple[Grower, Actor]:
    """A grower and a buyer, registered once per database: hypothesis seeds ``random``, so the
    builders' fresh registration numbers would repeat from one example to the next."""
    if id(records) not in _PARTIES:
        _PARTIES[id(records)] = (a_grower(records), an_enterprise(records))
    return _PARTIES[id(records)]


def grow(records: Records, harvests: list[int], ops: list[Op]) -> World:
    """The harvests recorded by the grower, then each operation in turn (some do nothing)."""
    grower, buyer = parties(records)
    world = World(holders={}, held={})
    for amount in harvests:
        outcome = records.execute(grower.actor, [a_harvest([grower.plot_id], quantity=kg(amount))])
        code = outcome.result(BatchResult).code
        world.held[code], world.holders[code] = amount, grower.actor
        world.codes.append(code)
        world.roots.append(code)
    for op in ops:
        play(records, world, op, buyer)
    return world


def play(records: Records, world: World, op: Op, buyer: Actor) -> None:
    kind, which, amount = op
    active = sorted(world.held)
    if not active:
        return
    code = active[which % len(active)]
    actor, held = world.holders[code], world.held[code]
    if kind == "dry" and held > 1:
        after = max(1, held * amount // 100)
        records.execute(
            actor,
            [c.ProcessBatch(batch=code, step="drying", facility="Sân", quantity_after=kg(after))],
        )
        world.held[code] = after
    elif kind == "split" and held > 2:
        first = max(1, held * amount // 100 - 1)
        second = max(1, (held - first) // 2)
        made = records.execute(
            actor,
            [
                c.TransformBatches(
                    step="packing",
                    inputs=[c.TransformInput(batch=code, quantity=kg(held))],
                    outputs=[
                        c.TransformOutput(commodity="rice", quantity=kg(first)),
                        c.TransformOutput(commodity="rice", quantity=kg(second)),
                    ],
                )
            ],
        ).result(TransformationResult)
        del world.held[code]
        for output, quantity in zip(made.outputs, (first, second), strict=True):
            world.held[output.code], world.holders[output.code] = quantity, actor
            world.codes.append(output.code)
    elif kind == "merge":
        partners = [b for b in active if b != code and world.holders[b] == actor]
        if not partners:
            return
        other = partners[amount % len(partners)]
        total = held + world.held[other]
        milled = total * 7 // 10 or 1
        made = records.execute(
            actor,
            [
                c.TransformBatches(
                    step="milling",
                    inputs=[
                        c.TransformInput(batch=code, quantity=kg(held)),
                        c.TransformInput(batch=other, quantity=kg(world.held[other])),
                    ],
                    outputs=[
                        c.TransformOutput(commodity="rice", quantity=kg(total * 7 // 10 or 1))
                    ],
                )
            ],
        ).result(TransformationResult)
        for gone in (code, other):
            del world.held[gone]
        (output,) = made.outputs
        world.held[output.code], world.holders[output.code] = milled, actor
        world.codes.append(output.code)
    elif kind == "ship" and actor != buyer:
        received = max(1, held - amount % 5)
        records.execute(actor, [c.ShipBatch(batch=code, to=buyer.organisation_id)])  # type: ignore[arg-type]
        records.execute(buyer, [c.ReceiveBatch(batch=code, quantity=kg(received))])
        world.short += held - received
        world.held[code], world.holders[code] = received, buyer
    elif kind == "sell":
        records.execute(actor, [c.SellBatch(batch=code)])
        del world.held[code]
