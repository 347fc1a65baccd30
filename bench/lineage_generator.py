"""A lineage of many batches written straight into the event store, for ``bench/trace.py``.

Organisations and plots are registered through the records application (a few hundred
commands). The batches are not: going through ``Records.execute`` a million times would take
hours (about 1,000 events/s, see the README). Instead the Batch aggregates are made in memory by
the domain itself (``Batch.harvest``, ``transformation.transform``, ``Batch.ship`` and
``receive``), so every guard runs and the events are exactly those the domain emits; the
application's own mapper turns them into stored events, and the application's recorder appends
them, tens of thousands at a time (one ``nguon_append`` call each).

The shape (``plan_chains``):

* many chains of a cooperative's harvests → drying (a transformation, 1 → 1) → shipped to a
  mill, received → milling merges them → packing splits the rice into retail lots. Most are
  small (1–3 harvests, 1–6 lots), some medium (10 → 30 lots), large (40 → 200) and huge
  (200 → 1,000), so traces of every size class exist;
* one big tree: a harvest lot whose descendants (``descendants``, 10,000 by default) spread
  over six levels of splits (dried lots, shipped to a mill; milled, graded, bagged, packed).

What was generated is summed up in a ``Lineage``: the big lot's code and level sizes, and for
each direction and trace size class a random sample of lots (the node counts of their traces
are known by construction, and checked by the bench against the answers).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent

from shared.domain import clock
from shared.domain.batch import Batch
from shared.domain.quantities import Quantity
from shared.domain.transformation import Output, Take, transform
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.records.results import CooperativeResult, EnterpriseResult, PlotResult

STAFF = Actor(Role.PROVINCE)
DIRECTIONS = ("back", "forward", "both")
# Trace sizes in nodes (the batch asked about included): (label, smallest, largest).
SIZE_CLASSES = (
    ("1", 1, 1),
    ("2–10", 2, 10),
    ("11–100", 11, 100),
    ("101–1,000", 101, 1_000),
    ("1,001–10,000", 1_001, 10_001),  # the big lot's forward trace is 10,000 + itself
)
LEVELS = 6  # the big tree's levels below its harvest
# Chain kinds: (name, harvests, retail lots, share of all batches)
CHAIN_KINDS = (
    ("huge", 200, 1_000, 0.0085),
    ("large", 40, 200, 0.017),
    ("medium", 10, 30, 0.03),
)
SMALL_HARVESTS = (1, 2, 3, 3)
SMALL_LOTS = (1, 2, 4, 4, 6)
COOPERATIVES = 40
MILLS = 4
FLUSH_EVENTS = 20_000  # stored events per append
CODES_AT_A_TIME = 50_000
G = Decimal("0.001")


def size_class(nodes: int) -> str | None:
    for label, low, high in SIZE_CLASSES:
        if low <= nodes <= high:
            return label
    return None


@dataclass(frozen=True)
class ChainPlan:
    kind: str
    harvests: int
    lots: int

    @property
    def batches(self) -> int:
        return 2 * self.harvests + 1 + self.lots  # harvests, dried, milled, lots


@dataclass(frozen=True)
class BigTree:
    descendants: int

    @property
    def batches(self) -> int:
        return self.descendants + 1

    def level_sizes(self) -> list[int]:
        """Six levels growing about five-fold each, the last taking what is left."""
        weights = [5**i for i in range(LEVELS)]
        total = sum(weights)
        sizes: list[int] = []
        for weight in weights[:-1]:
            sizes.append(max(sizes[-1] if sizes else 1, round(self.descendants * weight / total)))
        sizes.append(self.descendants - sum(sizes))
        if sizes[-1] < sizes[-2]:
            raise ValueError(f"{self.descendants} descendants are too few for {LEVELS} levels")
        return sizes


def plan_chains(batches: int, descendants: int, rng: random.Random) -> list[ChainPlan | BigTree]:
    """Chains adding up to at least ``batches`` batches, the big tree among them."""
    tree = BigTree(descendants)
    left = batches - tree.batches
    plans: list[ChainPlan | BigTree] = []
    for name, harvests, lots, share in CHAIN_KINDS:
        size = ChainPlan(name, harvests, lots).batches
        count = round(batches * share / size)
        if count == 0 and size * 4 <= left:
            count = 1
        plans += [ChainPlan(name, harvests, lots)] * count
        left -= count * size
    while left > 0:
        chain = ChainPlan("small", rng.choice(SMALL_HARVESTS), rng.choice(SMALL_LOTS))
        plans.append(chain)
        left -= chain.batches
    rng.shuffle(plans)
    plans.insert(rng.randrange(len(plans) + 1), tree)
    return plans


class Reservoir:
    """A uniform random sample of at most ``size`` of the items offered (algorithm R)."""

    def __init__(self, size: int, rng: random.Random) -> None:
        self.size = size
        self.items: list[tuple[str, int]] = []
        self.seen = 0
        self._rng = rng

    def offer(self, item: tuple[str, int]) -> None:
        self.seen += 1
        if len(self.items) < self.size:
            self.items.append(item)
        else:
            slot = self._rng.randrange(self.seen)
            if slot < self.size:
                self.items[slot] = item


@dataclass
class Lineage:
    """What was generated: counts, the big lot, and sampled lots with their trace sizes."""

    batches: int = 0
    events: int = 0
    chains: int = 0
    big_lot: str = ""
    big_lot_descendants: int = 0
    level_sizes: list[int] = field(default_factory=list)
    big_leaves: list[str] = field(default_factory=list)  # a few of its deepest descendants
    # direction → size class → [(code, planned node count)]
    samples: dict[str, dict[str, list[tuple[str, int]]]] = field(default_factory=dict)
    available: dict[str, dict[str, int]] = field(default_factory=dict)  # how many existed

    def to_json(self) -> dict[str, Any]:
        return {
            "batches": self.batches,
            "events": self.events,
            "chains": self.chains,
            "big_lot": self.big_lot,
            "big_lot_descendants": self.big_lot_descendants,
            "level_sizes": self.level_sizes,
            "big_leaves": self.big_leaves,
            "samples": self.samples,
            "available": self.available,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Lineage:
        samples = {
            d: {k: [(str(code), int(n)) for code, n in v] for k, v in by.items()}
            for d, by in data["samples"].items()
        }
        return cls(
            batches=data["batches"],
            events=data["events"],
            chains=data["chains"],
            big_lot=data["big_lot"],
            big_lot_descendants=data["big_lot_descendants"],
            level_sizes=list(data["level_sizes"]),
            big_leaves=list(data["big_leaves"]),
            samples=samples,
            available=data["available"],
        )


@dataclass(frozen=True)
class Parties:
    cooperatives: list[tuple[UUID, list[UUID]]]  # id, its plots
    mills: list[UUID]


def register_parties(records: Records, cooperatives: int = COOPERATIVES) -> Parties:
    """Cooperatives with two plots each and the mills, through the records application."""
    registered = records.execute(
        STAFF,
        [
            c.RegisterCooperative(
                name=f"HTX Nông nghiệp truy xuất {i + 1}",
                registration_number=f"BENCH-TRACE-{i:05d}",
                commune=f"Xã Thiệu {i % 9}",
                former_district="Thiệu Hóa",
                province="Thanh Hóa",
                sector="lúa gạo",
                founded=date(2012, 1, 1),
                members_count=30 + i,
                model="new",
            )
            for i in range(cooperatives)
        ],
    ).results
    ids = [r.cooperative_id for r in registered if isinstance(r, CooperativeResult)]
    mills = records.execute(
        STAFF,
        [
            c.RegisterEnterprise(
                name=f"Nhà máy xay xát truy xuất {i + 1}",
                tax_code=f"28090{i:05d}",
                address="KCN Lễ Môn",
                commune="Phường Quảng Hưng",
                former_district=None,
                province="Thanh Hóa",
            )
            for i in range(MILLS)
        ],
    ).results
    found = []
    for n, cooperative in enumerate(ids):
        plots = records.execute(
            Actor(Role.COOPERATIVE, cooperative),
            [
                c.RegisterPlot(
                    cooperative_id=cooperative,
                    crop="lúa",
                    area_ha=Decimal("2.5"),
                    commune=f"Xã Thiệu {n % 9}",
                    location={"type": "Point", "coordinates": [105.6 + n / 500, 19.8 + p / 100]},
                    planting_area_code=f"VT-TRACE-{n}-{p}",
                )
                for p in range(2)
            ],
        ).results
        found.append((cooperative, [p.plot_id for p in plots if isinstance(p, PlotResult)]))
    return Parties(found, [m.enterprise_id for m in mills if isinstance(m, EnterpriseResult)])


def kg(amount: Decimal) -> Quantity:
    return Quantity.positive(amount, "kg")


def shares(total: Decimal, parts: int) -> list[Quantity]:
    """``parts`` equal outputs to the gram, never more than ``total`` together."""
    each = (total / parts).quantize(G, rounding=ROUND_DOWN)
    return [kg(each)] * parts


class Writer:
    """Collects the domain's pending events, maps them with the application's mapper and
    appends them through its recorder in large batches."""

    def __init__(self, records: Records, on_flush: Callable[[int], None]) -> None:
        self._records = records
        self._pending: list[StoredEvent] = []
        self._codes: Iterator[str] = iter(())
        self._on_flush = on_flush
        self.events = 0

    def code(self) -> str:
        try:
            return next(self._codes)
        except StopIteration:
            self._codes = iter(self._records.allocate_codes(CODES_AT_A_TIME))
            return next(self._codes)

    def collect(self, *aggregates: Aggregate) -> None:
        to_stored = self._records.mapper.to_stored_event
        for aggregate in aggregates:
            self._pending.extend(to_stored(e) for e in aggregate.collect_events())
        if len(self._pending) >= FLUSH_EVENTS:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self._records.recorder.insert_events(self._pending)
            self.events += len(self._pending)
            self._on_flush(len(self._pending))
            self._pending = []


class Generator:
    """Makes the chains of a plan with the domain, in time order within each chain."""

    def __init__(
        self, writer: Writer, parties: Parties, samples_per_class: int, rng: random.Random
    ) -> None:
        self.writer = writer
        self.parties = parties
        self.rng = rng
        self.reservoirs = {
            d: {label: Reservoir(samples_per_class, rng) for label, _, _ in SIZE_CLASSES}
            for d in DIRECTIONS
        }
        self.lineage = Lineage()
        today = clock.today_in_vietnam()
        self.harvested_on = today - timedelta(days=30)
        self.day0 = clock.start_of_day_in_vietnam(self.harvested_on) + timedelta(hours=7)

    def at(self, step: int, minutes: int = 0) -> datetime:
        return self.day0 + timedelta(days=step, minutes=minutes)

    def offer(self, code: str, back: int, forward: int, both: int) -> None:
        for direction, nodes in zip(DIRECTIONS, (back, forward, both), strict=True):
            label = size_class(nodes)
            if label is not None:
                self.reservoirs[direction][label].offer((code, nodes))

    def harvest(self, index: int, amount: Decimal) -> tuple[Batch, UUID]:
        cooperative, plots = self.parties.cooperatives[index % len(self.parties.cooperatives)]
        plot = plots[index % len(plots)]
        batch = Batch.harvest(
            code=self.writer.code(),
            plots=[(plot, cooperative)],
            harvester_id=cooperative,
            commodity="lúa",
            variety="Nếp cái hoa vàng",
            quantity=kg(amount),
            harvested_on=self.harvested_on,
            at=self.at(0, index % 300),
        )
        self.writer.collect(batch)
        return batch, cooperative

    def split(
        self, batch: Batch, by: UUID, step: str, parts: int, at: datetime, keep: Decimal
    ) -> list[Batch]:
        """All of ``batch`` into ``parts`` outputs; ``keep`` of the mass comes out (drying
        loses water, milling husk and bran)."""
        outputs = [
            Output(self.writer.code(), "gạo" if step != "drying" else "lúa", batch.variety, q)
            for q in shares(batch.quantity.amount * keep, parts)
        ]
        made = transform(
            transformation_id=uuid4(),
            by=by,
            step=step,
            takes=[Take(batch, batch.quantity)],
            outputs=outputs,
            at=at,
        )
        self.writer.collect(batch, *made)
        return made

    def ship(self, batch: Batch, by: UUID, to: UUID, at: datetime) -> None:
        batch.ship(by=by, to=to, transport_document=None, at=at)
        batch.receive(by=to, quantity=batch.quantity, at=at + timedelta(hours=3))
        self.writer.collect(batch)

    def chain(self, plan: ChainPlan, index: int) -> None:
        mill = self.parties.mills[index % len(self.parties.mills)]
        k, m = plan.harvests, plan.lots
        dried: list[Batch] = []
        harvests: list[Batch] = []
        for h in range(k):
            harvest, cooperative = self.harvest(index + h, Decimal(900 + 10 * (h % 7)))
            harvests.append(harvest)
            (one,) = self.split(harvest, cooperative, "drying", 1, self.at(1), Decimal("0.9"))
            self.ship(one, cooperative, mill, self.at(2))
            dried.append(one)
        total = sum((d.quantity.amount for d in dried), Decimal(0))
        (milled,) = transform(
            transformation_id=uuid4(),
            by=mill,
            step="milling",
            takes=[Take(d, d.quantity) for d in dried],
            outputs=[Output(self.writer.code(), "gạo", "Nếp cái hoa vàng", kg(total * 6 / 10))],
            at=self.at(4),
        )
        self.writer.collect(*dried, milled)
        lots = self.split(milled, mill, "packing", m, self.at(5), Decimal(1))
        for harvest in harvests:
            self.offer(harvest.code, 1, m + 3, m + 3)
        for one in dried:
            self.offer(one.code, 2, m + 2, m + 3)
        self.offer(milled.code, 2 * k + 1, m + 1, 2 * k + 1 + m)
        for lot in lots:
            self.offer(lot.code, 2 * k + 2, 1, 2 * k + 2)
        self.lineage.batches += plan.batches

    def big_tree(self, tree: BigTree, index: int) -> None:
        """The harvest lot with ``tree.descendants`` descendants over six levels of splits."""
        sizes = tree.level_sizes()
        mill = self.parties.mills[0]
        root, cooperative = self.harvest(index, Decimal(600_000))
        levels: list[list[Batch]] = [[root]]
        steps = ("drying", "milling", "grading", "bagging", "packing", "packing")
        for depth, (size, step) in enumerate(zip(sizes, steps, strict=True), start=1):
            parents = levels[-1]
            by = cooperative if depth == 1 else mill
            made: list[Batch] = []
            for p, parent in enumerate(parents):
                # children spread as evenly as the counts allow
                parts = size // len(parents) + (1 if p < size % len(parents) else 0)
                keep = Decimal("0.9") if step == "drying" else Decimal(1)
                made += self.split(parent, by, step, parts, self.at(depth, p % 600), keep)
            if depth == 1:
                for batch in made:
                    self.ship(batch, cooperative, mill, self.at(1, 700))
            levels.append(made)
        subtree = self._subtree_sizes(levels)
        for depth, level in enumerate(levels):
            for batch in level:
                below = subtree[batch.code]
                self.offer(batch.code, depth + 1, below, depth + below)
        self.lineage.big_lot = root.code
        self.lineage.big_lot_descendants = tree.descendants
        self.lineage.level_sizes = sizes
        self.lineage.big_leaves = [b.code for b in levels[-1][:: max(1, len(levels[-1]) // 20)]]
        self.lineage.batches += tree.batches

    @staticmethod
    def _subtree_sizes(levels: list[list[Batch]]) -> dict[str, int]:
        sizes = {b.code: 1 for b in levels[-1]}
        for level in reversed(levels[:-1]):
            for batch in level:
                sizes[batch.code] = 1 + sum(sizes[code] for code in batch.output_codes)
        return sizes

    def finish(self) -> Lineage:
        self.writer.flush()
        self.lineage.events = self.writer.events
        self.lineage.samples = {
            d: {label: list(r.items) for label, r in by.items()}
            for d, by in self.reservoirs.items()
        }
        self.lineage.available = {
            d: {label: r.seen for label, r in by.items()} for d, by in self.reservoirs.items()
        }
        return self.lineage


def generate(
    records: Records,
    batches: int,
    descendants: int = 10_000,
    samples_per_class: int = 1_000,
    seed: int = 10,
    progress: Callable[[int], object] = lambda _: None,
) -> Lineage:
    """Fills the event store; ``progress`` is told how many batches each chain added."""
    rng = random.Random(seed)
    parties = register_parties(records)
    generator = Generator(Writer(records, lambda _: None), parties, samples_per_class, rng)
    plans = plan_chains(batches, descendants, rng)
    for index, plan in enumerate(plans):
        if isinstance(plan, BigTree):
            generator.big_tree(plan, index)
        else:
            generator.chain(plan, index)
        progress(plan.batches)
    generator.lineage.chains = len(plans)
    return generator.finish()
