"""Builders for domain tests: organisations, plots, batches in every state, and the refusal check.
(Aggregates only: the records' commands and the capture API's bodies are in tests/builders.py.)

Every builder returns an aggregate whose events have already been collected, as if it had just
been saved, so a test can check that a refused command leaves nothing pending. Times are fixed in
the past (October 2026, Vietnam time) so the clock-skew rule never interferes unless a test means
it to. Longer than most modules because CONVENTIONS.md wants the domain builders in one place.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import Aggregate

from shared.domain import clock, identifiers
from shared.domain.batch import Batch
from shared.domain.errors import DomainError, InvalidValue
from shared.domain.organisations import Cooperative, Enterprise
from shared.domain.plot import Plot
from shared.domain.quantities import Quantity
from shared.domain.transformation import Conversion, Output, Take, transform
from shared.domain.value_chain import ValueChain
from tests import builders as records_builders

A = TypeVar("A", bound=Aggregate)

# Organisations -------------------------------------------------------------------------------

THE_COOPERATIVE = identifiers.cooperative_id("2801-HTX-000123")  # grows and harvests the paddy
ANOTHER_COOPERATIVE = identifiers.cooperative_id("2801-HTX-000456")
THE_MILL = identifiers.enterprise_id("2801234567")  # processor, lead of the rice chain
THE_RETAILER = identifiers.enterprise_id("0101234567")
A_STRANGER = identifiers.enterprise_id("0309876543")  # holds nothing, leads nothing

# Time ------------------------------------------------------------------------------------------

VIETNAM = clock.VIETNAM_TIME
HARVEST_DAY = date(2026, 10, 5)
HARVESTED_AT = datetime(2026, 10, 5, 8, 0, tzinfo=VIETNAM)


def later(hours: float) -> datetime:
    """A moment ``hours`` after the harvest was recorded."""
    return HARVESTED_AT + timedelta(hours=hours)


def naive(at: datetime) -> datetime:
    """The same wall-clock time without its UTC offset."""
    return at.replace(tzinfo=None)


# Quantities ------------------------------------------------------------------------------------


kg = records_builders.kg  # one definition for every suite, in tests/builders.py


def tonnes(amount: str | int) -> Quantity:
    return Quantity.positive(amount, "t")


def pieces(count: str | int) -> Quantity:
    return Quantity.positive(count, "piece")


# Identifiers -----------------------------------------------------------------------------------

A_GTIN_13 = "8934567890120"  # Vietnam's GS1 prefix 893
THE_SAME_GTIN_14 = "08934567890120"
ANOTHER_GTIN_14 = "18934567890127"
A_LOT = "ST25-2026-10"

_codes = itertools.count(1)


def a_batch_code() -> str:
    """A fresh short code (and so a fresh batch id) for every batch a test makes."""
    return identifiers.batch_code("TH", 2026, next(_codes))


# Aggregates ------------------------------------------------------------------------------------


def saved(aggregate: A) -> A:
    """Collects the pending events, as the application does when it saves the aggregate."""
    aggregate.collect_events()
    return aggregate


def a_cooperative(
    *, members_count: int = 7, model: str = "new", registration_number: str | None = None
) -> Cooperative:
    return saved(
        Cooperative.register(
            name="HTX Nông nghiệp Xuân Lập",
            registration_number=registration_number or f"2801-HTX-{uuid4().hex[:6]}",
            commune="Xuân Lập",
            former_district="Thọ Xuân",
            province="Thanh Hóa",
            sector="rice",
            founded=date(2019, 3, 1),
            members_count=members_count,
            model=model,
        )
    )


def a_cooperative_that_is(status: str) -> Cooperative:
    cooperative = a_cooperative()
    cooperative.change_status(status, "decided by the general assembly")
    return saved(cooperative)


def an_enterprise(*, tax_code: str = "2801234567") -> Enterprise:
    return saved(
        Enterprise.register(
            name="Công ty CP Gạo Thanh Hóa",
            tax_code=tax_code,
            address="12 Lê Lợi",
            commune="Hạc Thành",
            former_district=None,
            province="Thanh Hóa",
        )
    )


def a_value_chain(*, lead: UUID = THE_MILL) -> ValueChain:
    return saved(
        ValueChain.establish(name="Chuỗi lúa gạo ST25", commodity="rice", lead_organisation_id=lead)
    )


def a_point(lon: float = 105.4621, lat: float = 19.8847) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def a_square_polygon(
    lon: float = 105.46, lat: float = 19.88, side: float = 0.003
) -> dict[str, Any]:
    ring = [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def a_plot(
    *, area_ha: str = "1.5", location: dict[str, Any] | None = None, province: str | None = None
) -> Plot:
    return saved(
        Plot.register(
            cooperative_id=THE_COOPERATIVE,
            crop="rice",
            area_ha=Decimal(area_ha),
            commune="Xuân Lập",
            location=location or a_point(),
            province=province,
        )
    )


def a_harvested_batch(
    *,
    quantity: Quantity | None = None,
    holder: UUID = THE_COOPERATIVE,
    value_chain_id: UUID | None = None,
) -> Batch:
    """1,000 kg of ST25 paddy harvested by the cooperative from its own plot."""
    return saved(
        Batch.harvest(
            code=a_batch_code(),
            plots=[(uuid4(), holder)],
            harvester_id=holder,
            commodity="paddy",
            variety="ST25",
            quantity=quantity or kg(1000),
            harvested_on=HARVEST_DAY,
            value_chain_id=value_chain_id,
            at=HARVESTED_AT,
        )
    )


def a_batch_in_transit(*, to: UUID = THE_MILL, quantity: Quantity | None = None) -> Batch:
    """Harvested by the cooperative, then shipped whole one hour later."""
    batch = a_harvested_batch(quantity=quantity)
    batch.ship(by=THE_COOPERATIVE, to=to, transport_document="PXK-0042", at=later(1))
    return saved(batch)


def a_received_batch(*, by: UUID = THE_MILL) -> Batch:
    """Shipped to ``by`` and received whole two hours after the harvest."""
    batch = a_batch_in_transit(to=by)
    batch.receive(by=by, quantity=batch.quantity, at=later(2))
    return saved(batch)


def a_sold_batch() -> Batch:
    batch = a_harvested_batch()
    batch.sell(by=THE_COOPERATIVE, at=later(1))
    return saved(batch)


def a_consumed_batch() -> Batch:
    batch = a_harvested_batch()
    batch.sell(by=THE_COOPERATIVE, at=later(1), consumed=True)
    return saved(batch)


def a_depleted_batch() -> Batch:
    """Everything it held went into a transformation one hour after the harvest."""
    batch = a_harvested_batch()
    transform(
        transformation_id=uuid4(),
        by=THE_COOPERATIVE,
        step="milling",
        takes=[Take(batch, batch.quantity)],
        outputs=[an_output(kg(650))],
        at=later(1),
    )
    return saved(batch)


def a_finished_batch(outcome: str) -> Batch:
    builders = {"sold": a_sold_batch, "consumed": a_consumed_batch, "depleted": a_depleted_batch}
    return builders[outcome]()


def a_recalled_batch() -> Batch:
    batch = a_harvested_batch()
    batch.recall(by=THE_COOPERATIVE, reason="pesticide residue above the limit", at=later(1))
    return saved(batch)


def an_output(quantity: Quantity, *, commodity: str = "rice", code: str | None = None) -> Output:
    return Output(
        code=code or a_batch_code(), commodity=commodity, variety="ST25", quantity=quantity
    )


def transformation(
    takes: list[Take],
    outputs: list[Output],
    *,
    by: UUID = THE_COOPERATIVE,
    conversion: Conversion | None = None,
    at: datetime | None = None,
) -> list[Batch]:
    """Runs a transformation (by the cooperative, one hour after the harvest unless told)."""
    return transform(
        transformation_id=uuid4(),
        by=by,
        step="milling",
        takes=takes,
        outputs=outputs,
        conversion=conversion,
        at=at or later(1),
    )


def split(batch: Batch, *parts: Quantity, by: UUID = THE_COOPERATIVE) -> list[Batch]:
    """Takes the sum of ``parts`` from ``batch`` into one new batch per part, at ``later(2)``."""
    taken = parts[0]
    for part in parts[1:]:
        taken = taken + part
    outputs = transform(
        transformation_id=uuid4(),
        by=by,
        step="sorting",
        takes=[Take(batch, taken)],
        outputs=[an_output(part, commodity=batch.commodity) for part in parts],
        at=later(2),
    )
    saved(batch)
    return [saved(output) for output in outputs]


# What a holder can do to a batch it holds: each entry acts as ``by`` at ``at``. --------------

BatchAction = Callable[[Batch, UUID, datetime], object]

HOLDER_ACTIONS: dict[str, BatchAction] = {
    "process": lambda batch, by, at: batch.process(
        by=by, step="drying", facility="Sân phơi HTX", quantity_after=kg(900), at=at
    ),
    "transform": lambda batch, by, at: transformation(
        [Take(batch, kg(100))], [an_output(kg(65))], by=by, at=at
    ),
    "ship": lambda batch, by, at: batch.ship(
        by=by, to=THE_RETAILER, transport_document="PXK-0043", at=at
    ),
    "label": lambda batch, by, at: batch.label(
        by=by, gtin=A_GTIN_13, lot=A_LOT, labels_issued=200, at=at
    ),
    "sell": lambda batch, by, at: batch.sell(by=by, at=at),
    "certify": lambda batch, by, at: batch.certify(
        by=by,
        scheme="VietGAP",
        certificate="VG-2026-118",
        valid_from=date(2026, 1, 1),
        valid_until=date(2028, 1, 1),
        at=at,
    ),
    "inspect": lambda batch, by, at: batch.inspect(
        by=by,
        lab="Quatest 3",
        parameters={"moisture": "13.5%"},
        result="pass",
        document=None,
        at=at,
    ),
}

# Refusals --------------------------------------------------------------------------------------


def assert_refused(
    attempt: Callable[[], object],
    error: type[DomainError],
    code: str | None,
    *untouched: Aggregate,
) -> DomainError:
    """``attempt`` raises ``error`` with ``code``, and every aggregate in ``untouched`` is as
    before: the same state and no pending event, so nothing would be stored."""
    before = [_state(aggregate) for aggregate in untouched]
    with pytest.raises(error) as refusal:
        attempt()
    if code is not None:  # None: any code of ``error`` (a malformed value's code is its own)
        assert refusal.value.code == code, refusal.value.message
    for aggregate, state in zip(untouched, before, strict=True):
        assert aggregate.collect_events() == [], f"{type(refusal.value).__name__} left events"
        assert _state(aggregate) == state
    return refusal.value


def assert_invalid(attempt: Callable[[], object], field: str, *untouched: Aggregate) -> None:
    """``attempt`` is refused as an :class:`InvalidValue` of ``field``; nothing is stored."""
    refusal = assert_refused(attempt, InvalidValue, None, *untouched)
    assert isinstance(refusal, InvalidValue)
    assert refusal.code != "invalid_value", "a refusal names what is wrong in its own code"
    assert refusal.field == field, refusal.message


def _state(aggregate: Aggregate) -> dict[str, Any]:
    return copy.deepcopy(vars(aggregate))
