"""A lineage of many batches written straight into the event store, for ``bench/trace.py``.

Organisations and plots are registered through the records application (a few hundred
commands). The batches are not: going through ``Records.execute`` a million times would take
hours, and even the domain alone makes about 1,000 events/s (the aggregates, the transformation
guards and the JSON encoding per event). So each chain *shape* (harvests × retail lots) is made
once by the domain itself (``Batch.harvest``, ``transformation.transform``, ``Batch.ship`` and
``receive``; every guard runs), mapped by the application's own mapper, and cut into a
``Stamp``: the encoded states with slots where one chain of that shape differs from the next
(codes and the ids derived from them, transformation ids, cooperative, plot, mill, harvest
time, the moment recorded). Every chain is then that stamp with its own values filled in, and
the rows go into the event store's table with ``COPY``, 50,000 a transaction, under the same
table lock ``nguon_append`` takes. ``stamped=False`` runs the domain for every chain: the
integration test checks the two give the same stored events, byte for byte bar the moment
each was recorded. The big tree is always made by the domain (one tree).

The shape (``plan_chains``):

* many chains of a cooperative's harvests → drying (a transformation, 1 → 1) → shipped to a
  mill, received → milling merges them → packing splits the rice into retail lots. Most are
  small (1–3 harvests, 1–6 lots), some medium (10 → 30 lots), large (40 → 200) and huge
  (200 → 1,000), so traces of every size class exist;
* with ``retail=True`` (``bench/epcis.py``: the events a partner exports, not only the
  lineage), each retail lot is then labelled, inspected and sold by the mill;
* one big tree: a harvest lot whose descendants (``descendants``, 10,000 by default) spread
  over six levels of splits (dried lots, shipped to a mill; milled, graded, bagged, packed).

What was generated is summed up in a ``Lineage``: the big lot's code and level sizes, and for
each direction and trace size class a random sample of lots (the node counts of their traces
are known by construction, and checked by the bench against the answers).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from hashlib import sha1
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.sql import SQL, Identifier

from shared.domain import clock
from shared.domain.batch import Batch
from shared.domain.identifiers import NAMESPACE, batch_code, batch_id, check_digit
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
FLUSH_EVENTS = 50_000  # stored events per COPY
HARVEST_MINUTES = 300  # harvests of a chain are this many minutes apart at most
ROLES = ("harvest", "dried", "milled", "lot")  # a chain's batches, in the ChainCodes order
ChainCodes = tuple[list[str], list[str], list[str], list[str]]
# What a placeholder of a stamp looks like once encoded: ids (hex, text), codes, times.
PLACEHOLDER_LIKE = re.compile(
    rb"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}"
    rb"|[A-Z]{2}-\d{4}-\d+|\d{4}-\d\d-\d\dT[0-9:.]+\+00:00"
)
CODES_AT_A_TIME = 50_000
_BATCH_NAMESPACE = NAMESPACE.bytes + b"batch:"  # batch_id(code) = uuid5 of "batch:" + code
G = Decimal("0.001")
RETAIL_GTIN_BODY = "893123450001"  # a retail pack's GTIN-13 without its check digit
RETAIL_LABELS = 400
RETAIL_CHECKS = {"moisture_pct": "13.5", "broken_pct": "4"}


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
        self.offer_all([item[0]], item[1])

    def offer_all(self, codes: list[str], nodes: int) -> None:
        """Each of ``codes``, whose traces all have ``nodes`` nodes (a chain's lots)."""
        size, items, draw = self.size, self.items, self._rng.random
        for code in codes:
            self.seen += 1
            if len(items) < size:
                items.append((code, nodes))
            else:
                slot = int(draw() * self.seen)
                if slot < size:
                    items[slot] = (code, nodes)


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
    """Stored events, appended with one ``COPY`` into the event store's table per flush.

    A row is what the application's recorder would insert (originator id, version, topic and
    the mapper's state; ``notification_id`` comes from the table's own sequence), so the relay,
    the notification log and every projection read them as any other events. The flush takes
    the same table lock as ``nguon_append``, and notifies its listeners, in the COPY's own
    transaction: positions stay in commit order.
    """

    def __init__(self, records: Records) -> None:
        self.records = records
        self._lines: list[bytes] = []
        self._pending = 0  # events in _lines
        # One COPY at a time runs in this thread while the next rows are being made: the
        # server's work and Python's overlap. Waiting for the previous COPY before starting
        # the next keeps the positions in the order the rows were made.
        self._copier = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lineage-copy")
        self._copying: Future[None] | None = None
        self.events = 0

    def collect(self, *aggregates: Aggregate) -> None:
        """The domain's pending events of ``aggregates``, through the application's mapper."""
        to_stored = self.records.mapper.to_stored_event
        for aggregate in aggregates:
            for event in aggregate.collect_events():
                self.stored(to_stored(event))

    def stored(self, event: StoredEvent) -> None:
        self.add(str(event.originator_id), event.originator_version, event.topic, event.state)

    def add(self, originator_id: str, version: int, topic: str, state: bytes) -> None:
        # COPY's text format: "\\x" is bytea's hex form once COPY has read its backslash.
        self._lines.append(
            b"%s\t%d\t%s\t\\\\x%s\n"
            % (originator_id.encode(), version, topic.encode(), state.hex().encode())
        )
        self._pending += 1
        if self._pending >= FLUSH_EVENTS:
            self.flush()

    def add_rows(self, rows: bytes, events: int) -> None:
        """``events`` rows at once, already in COPY's text format."""
        self._lines.append(rows)
        self._pending += events
        if self._pending >= FLUSH_EVENTS:
            self.flush()

    def flush(self) -> None:
        """Hands the rows made so far to the COPY thread (after the previous COPY is done)."""
        if not self._lines:
            return
        lines, self._lines = self._lines, []
        events, self._pending = self._pending, 0
        self.wait()
        self._copying = self._copier.submit(self._copy, lines, events)

    def wait(self) -> None:
        """Returns once every row handed over is committed (raises what a COPY raised)."""
        if self._copying is not None:
            copying, self._copying = self._copying, None
            copying.result()

    def close(self) -> None:
        self.flush()
        self.wait()
        self._copier.shutdown()

    def _copy(self, lines: list[bytes], events: int) -> None:
        recorder = self.records.recorder
        if not isinstance(recorder, PostgresApplicationRecorder):
            raise TypeError("the event store is not PostgreSQL: nothing to COPY into")
        table = Identifier(recorder.events_table_name)
        channel = Identifier(recorder.channel_name)
        with recorder.datastore.transaction(commit=True) as curs:
            curs.execute(SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(table))
            curs.execute(SQL("NOTIFY {}").format(channel))
            copy_sql = SQL("COPY {} (originator_id, originator_version, topic, state) FROM STDIN")
            with curs.copy(copy_sql.format(table)) as copy:
                copy.write(b"".join(lines))
        self.events += events


class Fragments:
    """How the application's transcoder writes the values a stamp fills in, as JSON bytes.

    Each form is learnt from the transcoder itself (one sample value each), so a stamped
    event's state is what the mapper would have written, never a hand-made imitation.
    """

    def __init__(self, records: Records) -> None:
        encode = records.mapper.transcoder.encode
        sample_id = UUID(int=0x1234_5678_9ABC_DEF0_1234_5678_9ABC_DEF0)
        self._uuid = encode(sample_id).split(sample_id.hex.encode())
        sample_at = datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=UTC)
        self._at = encode(sample_at).split(sample_at.isoformat().encode())
        if len(self._uuid) != 2 or len(self._at) != 2 or encode("TH-1") != b'"TH-1"':
            raise ValueError("the transcoder's forms are not those a stamp knows how to fill")
        self._uuid_hex = [part.hex().encode() for part in self._uuid]
        for code in ("TH-2026-000001", "TH-2026-1000001"):
            made = batch_id(code)
            if self.batch_id(code) != (made.hex, str(made)):
                raise ValueError("batch ids are no longer uuid5 of the code: follow batch_id")

    def typed_id(self, value: UUID) -> bytes:
        return value.hex.encode().join(self._uuid)

    def typed_hex(self, hexed: str) -> bytes:
        """The hex (bytea's form) of ``typed_id`` of the id whose ``.hex`` is ``hexed``."""
        return hexed.encode().hex().encode().join(self._uuid_hex)

    @staticmethod
    def batch_id(code: str) -> tuple[str, str]:
        """``batch_id(code)``'s ``.hex`` and text, without making a UUID (a million times);
        the rule stays ``batch_id``'s: ``make_stamp`` checks this against it."""
        digest = bytearray(sha1(_BATCH_NAMESPACE + code.encode()).digest()[:16])
        digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
        digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
        h = digest.hex()
        return h, f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def at(self, value: datetime) -> bytes:
        return value.isoformat().encode().join(self._at)

    @staticmethod
    def text(value: str) -> bytes:
        return b'"' + value.encode() + b'"'

    def cut(
        self, state: bytes, slots: dict[bytes, str]
    ) -> tuple[tuple[bytes, ...], tuple[str, ...]]:
        """``state`` split at every value that is a key of ``slots``: the segments between
        them, and the slots' names. Values are found as JSON tokens (typed ids and times
        first, then strings), so one pass over the state does it."""
        token = re.compile(
            re.escape(self._uuid[0])
            + rb"[0-9a-f]{32}"
            + re.escape(self._uuid[1])
            + b"|"
            + re.escape(self._at[0])
            + rb'[^"]*'
            + re.escape(self._at[1])
            + rb'|"(?:[^"\\]|\\.)*"'
        )
        segments: list[bytes] = []
        names: list[str] = []
        start = 0
        for match in token.finditer(state):
            name = slots.get(match.group())
            if name is not None:
                segments.append(state[start : match.start()])
                names.append(name)
                start = match.end()
        segments.append(state[start:])
        return tuple(segments), tuple(names)


@dataclass(frozen=True)
class Stamp:
    """A chain's events as the domain made them once, with placeholders for what differs.

    What differs from one chain of the same shape to the next: the batch codes (and the ids
    derived from them), the transformation ids, each harvest's cooperative, plot and time, the
    mill, and each event's recording time. Everything else (quantities, steps, versions,
    topics, field order) is the domain's own output, copied.

    ``rows`` is the chain's rows in COPY's text format, each state already in bytea's hex
    form, with ``%s`` wherever a value goes (the hex of a concatenation is the hexes
    concatenated, so a state's pieces and values are hexed apart): one ``%`` per chain
    fills in every event.
    """

    harvests: int
    lots: int
    codes: int
    transformations: int
    events: int
    rows: bytes
    order: tuple[str, ...]  # the values' names, in the order of the rows' ``%s``
    roles: tuple[str, ...]  # per code slot: harvest, dried, milled, lot


class _Placeholders:
    """Distinct values for a template run, each recognisable in the encoded states."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.codes: list[str] = []
        self.ids: list[UUID] = []

    def uuid(self) -> UUID:
        return UUID(int=self.rng.getrandbits(128), version=4)

    def code(self) -> str:
        made = batch_code("TH", 2000, 900_000_000 + len(self.codes))
        self.codes.append(made)
        return made

    def transformation_id(self) -> UUID:
        made = self.uuid()
        self.ids.append(made)
        return made


def make_stamp(records: Records, generator: Generator, harvests: int, lots: int) -> Stamp:
    """Runs the domain once for a chain of this shape and cuts its events into a stamp."""
    marks = _Placeholders(random.Random(f"stamp {harvests} {lots}"))
    parties = Parties([(marks.uuid(), [marks.uuid()]) for _ in range(harvests)], [marks.uuid()])
    captured: list[StoredEvent] = []

    class Capture(Writer):
        def stored(self, event: StoredEvent) -> None:
            captured.append(event)

    run = Generator(
        Capture(records),
        parties,
        0,
        random.Random(0),
        marks.code,
        marks.transformation_id,
        retail=generator.retail,
    )
    run.harvested_on, run.day0 = generator.harvested_on, generator.day0
    made = run.domain_chain(ChainPlan("stamp", harvests, lots), 0)
    role_of = {code: role for role, codes in zip(ROLES, made, strict=True) for code in codes}
    roles = [role_of[code] for code in marks.codes]
    fragments = Fragments(records)
    found: dict[bytes, str] = {}
    leftovers: set[bytes] = set()
    for i, code in enumerate(marks.codes):
        found[fragments.text(code)] = f"code{i}"
        found[fragments.text(str(batch_id(code)))] = f"batch{i}:s"
        found[fragments.typed_id(batch_id(code))] = f"batch{i}"
        leftovers |= {code.encode(), batch_id(code).hex.encode(), str(batch_id(code)).encode()}
    named: list[tuple[str, UUID]] = [(f"tid{i}", t) for i, t in enumerate(marks.ids)]
    named += [(f"coop{h}", cooperative) for h, (cooperative, _) in enumerate(parties.cooperatives)]
    named += [(f"plot{h}", plots[0]) for h, (_, plots) in enumerate(parties.cooperatives)]
    named.append(("mill", parties.mills[0]))
    for name, value in named:
        found[fragments.typed_id(value)] = name
        found[fragments.text(str(value))] = f"{name}:s"
        leftovers |= {value.hex.encode(), str(value).encode()}
    for h in range(harvests):
        found[fragments.at(run.harvest_time(h))] = f"at{h}"
        leftovers.add(run.harvest_time(h).isoformat().encode())
    batch_of = {batch_id(code): i for i, code in enumerate(marks.codes)}
    decode = records.mapper.transcoder.decode
    rows: list[bytes] = []
    order: list[str] = []
    for event in captured:
        now = fragments.at(decode(event.state)["timestamp"])
        segments, slots = fragments.cut(event.state, {**found, now: "now"})
        for segment in segments:
            if any(m.group() in leftovers for m in PLACEHOLDER_LIKE.finditer(segment)):
                raise ValueError(f"a placeholder is left uncut in a {event.topic}")
        order.append(f"id{batch_of[UUID(str(event.originator_id))]}")
        order += slots
        head = b"\t%d\t%s\t\\\\x" % (event.originator_version, event.topic.encode())
        rows.append(
            b"%s"
            + head.replace(b"%", b"%%")
            + b"%s".join(x.hex().encode() for x in segments)
            + b"\n"
        )
    return Stamp(
        harvests,
        lots,
        len(marks.codes),
        len(marks.ids),
        len(captured),
        b"".join(rows),
        tuple(order),
        tuple(roles),
    )


class Generator:
    """Makes the chains of a plan in time order within each chain: each with the domain, or
    (``stamps``) each shape once with the domain and every chain of it from that stamp."""

    def __init__(
        self,
        writer: Writer,
        parties: Parties,
        samples_per_class: int,
        rng: random.Random,
        code: Callable[[], str],
        new_id: Callable[[], UUID],
        fragments: Fragments | None = None,
        retail: bool = False,
    ) -> None:
        self.writer = writer
        self.retail = retail  # each retail lot also labelled, inspected and sold
        self.parties = parties
        self.rng = rng
        self.code = code
        self.new_id = new_id
        self.fragments = fragments  # None: every chain through the domain
        self.stamps: dict[tuple[int, int], Stamp] = {}
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

    def harvest_time(self, index: int) -> datetime:
        return self.at(0, index % HARVEST_MINUTES)

    def offer(self, code: str, back: int, forward: int, both: int) -> None:
        self.offer_all([code], back, forward, both)

    def offer_all(self, codes: list[str], back: int, forward: int, both: int) -> None:
        """Batches whose traces have these sizes, to the samples of their size classes."""
        for direction, nodes in zip(DIRECTIONS, (back, forward, both), strict=True):
            label = size_class(nodes)
            if label is not None:
                self.reservoirs[direction][label].offer_all(codes, nodes)

    def harvest(self, index: int, amount: Decimal) -> tuple[Batch, UUID]:
        cooperative, plots = self.parties.cooperatives[index % len(self.parties.cooperatives)]
        plot = plots[index % len(plots)]
        batch = Batch.harvest(
            code=self.code(),
            plots=[(plot, cooperative)],
            harvester_id=cooperative,
            commodity="lúa",
            variety="Nếp cái hoa vàng",
            quantity=kg(amount),
            harvested_on=self.harvested_on,
            at=self.harvest_time(index),
        )
        self.writer.collect(batch)
        return batch, cooperative

    def split(
        self, batch: Batch, by: UUID, step: str, parts: int, at: datetime, keep: Decimal
    ) -> list[Batch]:
        """All of ``batch`` into ``parts`` outputs; ``keep`` of the mass comes out (drying
        loses water, milling husk and bran)."""
        outputs = [
            Output(self.code(), "gạo" if step != "drying" else "lúa", batch.variety, q)
            for q in shares(batch.quantity.amount * keep, parts)
        ]
        made = transform(
            transformation_id=self.new_id(),
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

    def sell(self, lots: list[Batch], mill: UUID) -> None:
        """Each retail lot labelled (its code as the GS1 lot), inspected, then sold."""
        gtin = RETAIL_GTIN_BODY + str(check_digit(RETAIL_GTIN_BODY))
        for lot in lots:
            lot.label(
                by=mill, gtin=gtin, lot=lot.code, labels_issued=RETAIL_LABELS, at=self.at(5, 60)
            )
            lot.inspect(
                by=mill,
                lab="Phòng thử nghiệm nhà máy",
                parameters=RETAIL_CHECKS,
                result="pass",
                document=None,
                at=self.at(5, 120),
            )
            lot.sell(by=mill, at=self.at(6))
        self.writer.collect(*lots)

    def chain(self, plan: ChainPlan, index: int) -> None:
        if self.fragments is None:
            made = self.domain_chain(plan, index)
        else:
            made = self.stamped_chain(plan, index, self.fragments)
        self.offer_chain(*made)
        self.lineage.batches += plan.batches

    def domain_chain(self, plan: ChainPlan, index: int) -> ChainCodes:
        """The chain through the domain: harvests, dried, milled and retail lots' codes."""
        if plan.harvests > HARVEST_MINUTES:
            raise ValueError(f"at most {HARVEST_MINUTES} harvests a chain")
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
            transformation_id=self.new_id(),
            by=mill,
            step="milling",
            takes=[Take(d, d.quantity) for d in dried],
            outputs=[Output(self.code(), "gạo", "Nếp cái hoa vàng", kg(total * 6 / 10))],
            at=self.at(4),
        )
        self.writer.collect(*dried, milled)
        lots = self.split(milled, mill, "packing", m, self.at(5), Decimal(1))
        if self.retail:
            self.sell(lots, mill)
        return (
            [b.code for b in harvests],
            [b.code for b in dried],
            [milled.code],
            [b.code for b in lots],
        )

    def stamped_chain(self, plan: ChainPlan, index: int, f: Fragments) -> ChainCodes:
        """The same chain's events from the stamp of its shape, the values of this chain
        filled in (see ``Stamp``)."""
        shape = (plan.harvests, plan.lots)
        stamp = self.stamps.get(shape)
        if stamp is None:
            stamp = self.stamps[shape] = make_stamp(self.writer.records, self, *shape)
        codes = [self.code() for _ in range(stamp.codes)]
        values: dict[str, bytes] = {"now": f.at(datetime.now(UTC)).hex().encode()}
        for i, code in enumerate(codes):
            hexed, text = f.batch_id(code)
            values[f"id{i}"] = text.encode()
            values[f"code{i}"] = f.text(code).hex().encode()
            values[f"batch{i}"] = f.typed_hex(hexed)
            values[f"batch{i}:s"] = f.text(text).hex().encode()
        for i in range(stamp.transformations):
            made = self.new_id()
            values[f"tid{i}"] = f.typed_hex(made.hex)
            values[f"tid{i}:s"] = f.text(str(made)).hex().encode()
        cooperatives = self.parties.cooperatives
        for h in range(stamp.harvests):
            cooperative, plots = cooperatives[(index + h) % len(cooperatives)]
            plot = plots[(index + h) % len(plots)]
            values[f"coop{h}"] = f.typed_hex(cooperative.hex)
            values[f"coop{h}:s"] = f.text(str(cooperative)).hex().encode()
            values[f"plot{h}"] = f.typed_hex(plot.hex)
            values[f"plot{h}:s"] = f.text(str(plot)).hex().encode()
            values[f"at{h}"] = f.at(self.harvest_time(index + h)).hex().encode()
        mill = self.parties.mills[index % len(self.parties.mills)]
        values["mill"] = f.typed_hex(mill.hex)
        values["mill:s"] = f.text(str(mill)).hex().encode()
        self.writer.add_rows(stamp.rows % tuple(map(values.__getitem__, stamp.order)), stamp.events)
        grouped: dict[str, list[str]] = {role: [] for role in ROLES}
        for role, code in zip(stamp.roles, codes, strict=True):
            grouped[role].append(code)
        return tuple(grouped[role] for role in ROLES)  # type: ignore[return-value]

    def offer_chain(
        self, harvests: list[str], dried: list[str], milled: list[str], lots: list[str]
    ) -> None:
        k, m = len(harvests), len(lots)
        self.offer_all(harvests, 1, m + 3, m + 3)
        self.offer_all(dried, 2, m + 2, m + 3)
        self.offer_all(milled, 2 * k + 1, m + 1, 2 * k + 1 + m)
        self.offer_all(lots, 2 * k + 2, 1, 2 * k + 2)

    def big_tree(self, tree: BigTree, index: int) -> None:
        """The harvest lot with ``tree.descendants`` descendants over six levels of splits,
        always through the domain (one tree: a few seconds)."""
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
        self.writer.close()
        self.lineage.events = self.writer.events
        self.lineage.samples = {
            d: {label: list(r.items) for label, r in by.items()}
            for d, by in self.reservoirs.items()
        }
        self.lineage.available = {
            d: {label: r.seen for label, r in by.items()} for d, by in self.reservoirs.items()
        }
        return self.lineage


def code_source(allocate: Callable[[int], list[str]]) -> Callable[[], str]:
    """Batch codes one at a time, allocated ``CODES_AT_A_TIME`` at a time."""
    codes: Iterator[str] = iter(())

    def code() -> str:
        nonlocal codes
        try:
            return next(codes)
        except StopIteration:
            codes = iter(allocate(CODES_AT_A_TIME))
            return next(codes)

    return code


def id_source(seed: int) -> Callable[[], UUID]:
    """Transformation ids from a seeded generator: two runs of one plan make the same ids."""
    rng = random.Random(f"transformations {seed}")
    return lambda: UUID(int=rng.getrandbits(128), version=4)


def generate(
    records: Records,
    batches: int,
    descendants: int = 10_000,
    samples_per_class: int = 1_000,
    seed: int = 10,
    progress: Callable[[int, int], object] = lambda _batches, _events: None,
    stamped: bool = True,
    writer: Writer | None = None,
    allocate: Callable[[int], list[str]] | None = None,
    parties: Parties | None = None,
    retail: bool = False,
) -> Lineage:
    """Fills the event store; ``progress`` is told how many batches each chain added and how
    many events are stored so far. ``stamped=False`` runs the domain for every chain (the
    slow path, kept to check the stamps against); ``retail`` labels, inspects and sells every
    chain's retail lots."""
    rng = random.Random(seed)
    parties = parties or register_parties(records)
    writer = writer or Writer(records)
    generator = Generator(
        writer,
        parties,
        samples_per_class,
        rng,
        code_source(allocate or records.allocate_codes),
        id_source(seed),
        Fragments(records) if stamped else None,
        retail,
    )
    plans = plan_chains(batches, descendants, rng)
    for index, plan in enumerate(plans):
        if isinstance(plan, BigTree):
            generator.big_tree(plan, index)
        else:
            generator.chain(plan, index)
        progress(plan.batches, writer.events)
    generator.lineage.chains = len(plans)
    return generator.finish()
