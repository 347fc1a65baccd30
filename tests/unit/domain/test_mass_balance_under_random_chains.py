"""Mass balance under random chains of harvests, splits, merges, processing, shipments and sales.

A model keeps, for every batch, what it should hold (in kg), who holds it and where it is. Each
rule tries a step that may or may not be allowed, in kg or in tonnes, works out from the model
which rules the step would break, and checks that the domain agrees: a step that breaks nothing is
accepted; any other step is refused with the code of one of the rules it breaks and leaves every
batch as it was. A recall reaches every batch made from the recalled one, which then refuses
to go further. After every step, no batch holds less than nothing, each holds what the model
says, and the mass held by live batches plus what was sold never exceeds what was harvested.

One module of ~370 lines because the model, its rules and its invariants are one machine.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from uuid import UUID, uuid4

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from shared.domain.batch import FINISHED, Batch
from shared.domain.errors import DomainError, InvalidValue
from shared.domain.quantities import Quantity, Unit
from shared.domain.recall import recall
from shared.domain.transformation import Take, transform

from .builders import (
    ANOTHER_COOPERATIVE,
    HARVEST_DAY,
    HARVESTED_AT,
    THE_COOPERATIVE,
    THE_MILL,
    a_batch_code,
    an_output,
    saved,
)

ORGANISATIONS = (THE_COOPERATIVE, ANOTHER_COOPERATIVE, THE_MILL)
GRAM = Decimal("0.001")
PER_MILLE = st.integers(min_value=1, max_value=1100)  # above 1000 asks for more than there is


@dataclass
class Expected:
    """What the model says about one batch."""

    holder: UUID
    kg: Decimal
    last_at: datetime
    status: str = "active"
    recalled: bool = False
    addressee: UUID | None = None
    children: list[str] = field(default_factory=list)  # outputs it fed: a recall reaches them


def share(kg: Decimal, per_mille: int) -> Decimal:
    return (kg * per_mille / 1000).quantize(GRAM, rounding=ROUND_DOWN)


def weighed(kg: Decimal, in_tonnes: bool) -> Quantity:
    return Quantity(kg / 1000, Unit.TONNE) if in_tonnes else Quantity(kg, Unit.KG)


def code_of(refusal: DomainError) -> str:
    return f"invalid:{refusal.field}" if isinstance(refusal, InvalidValue) else refusal.code


class MassBalance(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.batches: dict[str, Batch] = {}
        self.expected: dict[str, Expected] = {}
        self.harvested = Decimal(0)
        self.sold = Decimal(0)
        self.lost = Decimal(0)  # dried off, milled off, lost in transit: left the chain openly
        self.now = HARVESTED_AT

    # The model's view of the rules -----------------------------------------------------------

    def tick(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now

    def broken_by_acting(self, expected: Expected, by: UUID, at: datetime) -> set[str]:
        broken = set()
        if expected.status in ("sold", "depleted"):
            broken.add("batch_finished")
        if expected.status == "in_transit":
            broken.add("in_transit")
        if expected.recalled:
            broken.add("recalled")
        if by != expected.holder:
            broken.add("not_custodian")
        if at < expected.last_at:
            broken.add("time_order")
        return broken

    def broken_by_taking(self, expected: Expected, kg: Decimal) -> set[str]:
        if kg <= 0:
            return {"invalid:quantity"}
        return {"mass_balance"} if kg > expected.kg else set()

    def attempt(self, broken: set[str], step: Callable[[], object], *involved: str) -> bool:
        """Runs ``step``; True if accepted. Checks the domain's verdict against ``broken``."""
        before = {code: copy.deepcopy(vars(self.batches[code])) for code in involved}
        versions = {code: batch.version for code, batch in self.batches.items()}
        refusal: DomainError | None = None
        try:
            step()
        except DomainError as error:
            refusal = error
        if refusal is None:
            assert not broken, f"accepted a step that breaks {sorted(broken)}"
            for batch in self.batches.values():
                batch.collect_events()
            return True
        assert broken, f"refused a step that breaks no rule: {refusal.code}: {refusal}"
        assert code_of(refusal) in broken, f"refused with {code_of(refusal)}, not {broken}"
        for code, state in before.items():
            assert vars(self.batches[code]) == state, f"refused step changed {code}"
        for code, batch in self.batches.items():
            assert batch.collect_events() == [], f"refused step left events on {code}"
            assert batch.version == versions[code]
        return False

    def record(self, batch: Batch, expected: Expected) -> None:
        self.batches[batch.code] = saved(batch)
        self.expected[batch.code] = expected

    def pick_batch(self, data: st.DataObject, status: str = "active") -> tuple[Batch, Expected]:
        """Any batch, three times likelier one in ``status`` and not recalled, so that most
        steps have a chance to be accepted."""
        likely = [c for c, e in self.expected.items() if e.status == status and not e.recalled]
        code = data.draw(st.sampled_from(sorted(likely) * 3 + sorted(self.batches)), label="batch")
        return self.batches[code], self.expected[code]

    def pick_actor(self, data: st.DataObject, likely: UUID | None) -> UUID:
        choices = [likely] * 3 if likely else []
        return data.draw(st.sampled_from([*choices, *ORGANISATIONS]), label="by")

    def has_batches(self) -> bool:
        return bool(self.batches)

    # Steps -----------------------------------------------------------------------------------

    @rule(
        kg=st.decimals(min_value=GRAM, max_value=Decimal(50_000), places=3),
        in_tonnes=st.booleans(),
        by=st.sampled_from((THE_COOPERATIVE, ANOTHER_COOPERATIVE)),
    )
    def harvest(self, kg: Decimal, in_tonnes: bool, by: UUID) -> None:
        at = self.tick()
        batch = Batch.harvest(
            code=a_batch_code(),
            plots=[(uuid4(), by)],
            harvester_id=by,
            commodity="paddy",
            variety="ST25",
            quantity=weighed(kg, in_tonnes),
            harvested_on=HARVEST_DAY,
            at=at,
        )
        self.record(batch, Expected(holder=by, kg=kg, last_at=at))
        self.harvested += kg

    @precondition(has_batches)
    @rule(data=st.data())
    def split(self, data: st.DataObject) -> None:
        batch, expected = self.pick_batch(data)
        by, at = self.pick_actor(data, expected.holder), self.tick()
        taken = share(expected.kg, data.draw(PER_MILLE, label="take"))
        parts = [share(taken, p) for p in data.draw(st.lists(PER_MILLE, min_size=1, max_size=3))]
        broken = self.broken_by_acting(expected, by, at) | self.broken_by_taking(expected, taken)
        if any(part <= 0 for part in parts):
            broken.add("invalid:outputs")
        elif sum(parts) > taken:
            broken.add("mass_balance")
        self.run_transformation([(batch, expected, taken)], parts, by, at, broken, data)

    @precondition(lambda self: len(self.batches) >= 2)
    @rule(data=st.data())
    def merge(self, data: st.DataObject) -> None:
        first = self.pick_batch(data)
        others = st.sampled_from(sorted(set(self.batches) - {first[0].code}))
        codes = data.draw(st.lists(others, min_size=1, max_size=2, unique=True), label="others")
        inputs = [first, *((self.batches[c], self.expected[c]) for c in codes)]
        by, at = self.pick_actor(data, inputs[0][1].holder), self.tick()
        takes = [(b, e, share(e.kg, data.draw(PER_MILLE, label="take"))) for b, e in inputs]
        total = sum((taken for _, _, taken in takes), Decimal(0))
        merged = share(total, data.draw(PER_MILLE, label="merged"))
        broken = set()
        for _, expected, taken in takes:
            broken |= self.broken_by_acting(expected, by, at)
            broken |= self.broken_by_taking(expected, taken)
        if merged <= 0:
            broken.add("invalid:outputs")
        elif merged > total:
            broken.add("mass_balance")
        self.run_transformation(takes, [merged], by, at, broken, data)

    def run_transformation(
        self,
        takes: list[tuple[Batch, Expected, Decimal]],
        parts: list[Decimal],
        by: UUID,
        at: datetime,
        broken: set[str],
        data: st.DataObject,
    ) -> None:
        given = [Take(b, weighed(kg, data.draw(st.booleans()))) for b, _, kg in takes]
        wanted = [an_output(weighed(kg, data.draw(st.booleans()))) for kg in parts]
        made: list[Batch] = []

        def step() -> None:
            made.extend(
                transform(
                    transformation_id=uuid4(),
                    by=by,
                    step="milling",
                    takes=given,
                    outputs=wanted,
                    at=at,
                )
            )

        if not self.attempt(broken, step, *(batch.code for batch, _, _ in takes)):
            return
        for _, expected, taken in takes:
            expected.kg -= taken
            expected.last_at = at
            expected.status = "depleted" if expected.kg == 0 else expected.status
            expected.children.extend(output.code for output in made)
        for output, kg in zip(made, parts, strict=True):
            self.record(output, Expected(holder=by, kg=kg, last_at=at))
        self.lost += sum(t for _, _, t in takes) - sum(parts)

    @precondition(has_batches)
    @rule(data=st.data(), in_tonnes=st.booleans(), backdated=st.booleans())
    def process(self, data: st.DataObject, in_tonnes: bool, backdated: bool) -> None:
        batch, expected = self.pick_batch(data)
        by = self.pick_actor(data, expected.holder)
        at = expected.last_at - timedelta(seconds=1) if backdated else self.tick()
        after = share(expected.kg, data.draw(PER_MILLE, label="after"))
        broken = self.broken_by_acting(expected, by, at)
        if after <= 0:
            broken.add("invalid:quantity")
        elif after > expected.kg:
            broken.add("mass_balance")

        def step() -> None:
            batch.process(
                by=by,
                step="drying",
                facility="Sân phơi",
                quantity_after=weighed(after, in_tonnes),
                at=at,
            )

        if self.attempt(broken, step, batch.code):
            self.lost += expected.kg - after
            expected.kg, expected.last_at = after, at

    @precondition(has_batches)
    @rule(data=st.data(), in_tonnes=st.booleans(), whole=st.booleans())
    def ship(self, data: st.DataObject, in_tonnes: bool, whole: bool) -> None:
        batch, expected = self.pick_batch(data)
        by, at = self.pick_actor(data, expected.holder), self.tick()
        to = data.draw(st.sampled_from(ORGANISATIONS), label="to")
        kg = expected.kg if whole else share(expected.kg, data.draw(PER_MILLE, label="part"))
        broken = self.broken_by_acting(expected, by, at) | self.broken_by_taking(expected, kg)
        if to == by:
            broken.add("ship_to_self")
        if kg != expected.kg:
            broken.add("partial_shipment")

        def step() -> None:
            batch.ship(
                by=by, to=to, transport_document="PXK", quantity=weighed(kg, in_tonnes), at=at
            )

        if self.attempt(broken, step, batch.code):
            expected.status, expected.addressee, expected.last_at = "in_transit", to, at

    @precondition(lambda self: any(e.status == "in_transit" for e in self.expected.values()))
    @rule(data=st.data(), in_tonnes=st.booleans())
    def receive(self, data: st.DataObject, in_tonnes: bool) -> None:
        batch, expected = self.pick_batch(data, status="in_transit")
        by, at = self.pick_actor(data, expected.addressee), self.tick()
        kg = share(expected.kg, data.draw(PER_MILLE, label="received"))
        broken = set()
        if expected.status != "in_transit":
            broken.add("not_in_transit")
        if by != expected.addressee:
            broken.add("not_addressee")
        broken |= self.broken_by_taking(expected, kg)

        def step() -> None:
            batch.receive(by=by, quantity=weighed(kg, in_tonnes), at=at)

        if self.attempt(broken, step, batch.code):
            self.lost += expected.kg - kg
            expected.kg, expected.holder, expected.last_at = kg, by, at
            expected.status, expected.addressee = "active", None

    @precondition(has_batches)
    @rule(data=st.data(), rare=st.integers(min_value=0, max_value=1))
    def sell(self, data: st.DataObject, rare: int) -> None:
        if rare:  # a sale ends a batch: let the other steps happen first
            return
        batch, expected = self.pick_batch(data)
        by, at = self.pick_actor(data, expected.holder), self.tick()
        broken = self.broken_by_acting(expected, by, at)
        if self.attempt(broken, lambda: batch.sell(by=by, at=at), batch.code):
            self.sold += expected.kg
            expected.status, expected.last_at = "sold", at

    @precondition(has_batches)
    @rule(data=st.data(), rare=st.integers(min_value=0, max_value=3))
    def recall(self, data: st.DataObject, rare: int) -> None:
        if rare:  # a recall stops a batch for good: let the other steps happen first
            return
        batch, expected = self.pick_batch(data)
        by, at = self.pick_actor(data, expected.holder), self.tick()
        broken = set()
        if expected.recalled:
            broken.add("already_recalled")
        if by != expected.holder:
            broken.add("recall_not_permitted")

        def step() -> None:
            by_id = {b.id: b for b in self.batches.values()}
            recall(batch, load=by_id.__getitem__, by=by, reason="mould", at=at)

        if self.attempt(broken, step, *self.batches):
            expected.recalled, expected.last_at = True, at
            for code in self.lineage_of(batch.code):
                reached = self.expected[code]
                reached.recalled, reached.last_at = True, max(reached.last_at, at)

    def lineage_of(self, code: str) -> set[str]:
        """Every batch made from ``code``, as the model saw the transformations."""
        found: set[str] = set()
        waiting = list(self.expected[code].children)
        while waiting:
            child = waiting.pop()
            if child not in found:
                found.add(child)
                waiting.extend(self.expected[child].children)
        return found

    # Invariants ------------------------------------------------------------------------------

    @invariant()
    def every_batch_holds_what_the_model_says_and_never_less_than_nothing(self) -> None:
        for code, batch in self.batches.items():
            expected = self.expected[code]
            held = batch.quantity.to(Unit.KG).amount
            assert held >= 0, f"{code} holds {batch.quantity}"
            assert held == expected.kg, f"{code} holds {batch.quantity}, expected {expected.kg} kg"
            assert batch.holder_id == expected.holder
            assert batch.status.value == expected.status
            assert batch.recalled == expected.recalled

    @invariant()
    def live_batches_and_sales_never_exceed_the_harvest(self) -> None:
        live = sum(
            (
                b.quantity.to(Unit.KG).amount
                for b in self.batches.values()
                if b.status not in FINISHED
            ),
            Decimal(0),
        )
        assert live + self.sold <= self.harvested
        assert live + self.sold + self.lost == self.harvested

    @invariant()
    def nothing_is_left_unsaved(self) -> None:
        assert all(not batch.collect_events() for batch in self.batches.values())


def test_no_chain_of_steps_creates_mass_and_no_refused_step_changes_anything() -> None:
    run_state_machine_as_test(
        MassBalance,
        settings=settings(max_examples=150, stateful_step_count=30, deadline=None),
    )
