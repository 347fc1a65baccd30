"""Transformations: N input batches → M output batches (split, merge, milling into lots, packing).

The one place where a command spans several aggregates: the guards look at all inputs and outputs
together (custody, time order, mass balance) before any event is triggered, and the application
saves inputs and outputs in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from shared.domain import clock, identifiers
from shared.domain.batch import Batch
from shared.domain.errors import InvalidValue, RuleViolated
from shared.domain.organisations import required_text
from shared.domain.quantities import Quantity, Unit


@dataclass(frozen=True)
class Take:
    batch: Batch
    quantity: Quantity


@dataclass(frozen=True)
class Output:
    code: str
    commodity: str
    variety: str | None
    quantity: Quantity


@dataclass(frozen=True)
class Conversion:
    """Outputs counted otherwise: one ``from_unit`` gives ``factor`` ``to_unit``."""

    from_unit: Unit
    to_unit: Unit
    factor: Decimal


def transform(
    *,
    transformation_id: UUID,
    by: UUID,
    step: str,
    takes: list[Take],
    outputs: list[Output],
    conversion: Conversion | None = None,
    at: datetime | None = None,
    takes_part_in: Callable[[UUID], bool] = lambda _: True,
) -> list[Batch]:
    """``takes_part_in`` says whether ``by`` takes part in a value chain: outputs stay in only
    those chains of their inputs (a mill outside a chain makes rice outside it)."""
    if not takes or not outputs:
        raise InvalidValue(
            "inputs",
            "a transformation has at least one input and one output",
            code="transformation_incomplete",
        )
    if len({t.batch.id for t in takes}) != len(takes):
        raise InvalidValue("inputs", "each input batch is listed once", code="input_repeated")
    if len({o.code for o in outputs}) != len(outputs):
        raise InvalidValue("outputs", "each output has its own code", code="output_code_repeated")
    at = clock.not_in_future(at or clock.now())
    for take in takes:
        take.batch.check_acts(by, at)
        take.batch.check_can_give(take.quantity)
    for output in outputs:
        if output.quantity.amount <= 0:
            msg = f"output quantities are positive, got {output.quantity}"
            params = {"quantity": str(output.quantity)}
            raise InvalidValue("outputs", msg, code="quantity_not_positive", params=params)
        if not identifiers.is_batch_code(output.code):
            msg = f"{output.code!r} is not a batch code like TH-2026-000123"
            params = {"code": output.code}
            raise InvalidValue("code", msg, code="batch_code_format", params=params)
        required_text(output.commodity, "commodity", 100)
    _check_balance([t.quantity for t in takes], [o.quantity for o in outputs], conversion)

    chains = [
        c
        for c in dict.fromkeys(c for t in takes for c in t.batch.value_chain_ids)
        if takes_part_in(c)
    ]
    parents = [
        {"batch_id": str(t.batch.id), "code": t.batch.code, **t.quantity.as_dict()} for t in takes
    ]
    codes = [o.code for o in outputs]
    for take in takes:
        take.batch.give_to_transformation(
            by=by,
            at=at,
            transformation_id=transformation_id,
            quantity_taken=take.quantity.to(take.batch.quantity.unit).as_dict(),
            output_codes=codes,
        )
    return [
        Batch.produce(
            code=o.code,
            commodity=o.commodity,
            variety=o.variety,
            quantity=o.quantity,
            holder_id=by,
            value_chain_ids=chains,
            at=at,
            transformation_id=transformation_id,
            step=step,
            parents=parents,
        )
        for o in outputs
    ]


def _check_balance(
    taken: list[Quantity], produced: list[Quantity], conversion: Conversion | None
) -> None:
    total_in = _total(taken, "inputs")
    total_out = _total(produced, "outputs")
    if not total_out.commensurable_with(total_in):
        if conversion is None or not (
            Quantity(Decimal(1), conversion.from_unit).commensurable_with(total_in)
            and Quantity(Decimal(1), conversion.to_unit).commensurable_with(total_out)
        ):
            msg = (
                f"inputs in {total_in.unit.value} and outputs in {total_out.unit.value}:"
                " declare a conversion between them"
            )
            params = {"unit": total_in.unit.value, "other_unit": total_out.unit.value}
            raise RuleViolated(msg, code="units_not_convertible", params=params)
        if conversion.factor <= 0:
            msg = "a conversion factor is positive"
            raise InvalidValue("conversion.factor", msg, code="conversion_factor_not_positive")
        converted = total_in.to(conversion.from_unit).amount * conversion.factor
        total_in = Quantity(converted, conversion.to_unit)
    if total_out.exceeds(total_in):
        msg = f"outputs ({total_out}) exceed what went in ({total_in})"
        params = {"quantity": str(total_out), "limit": str(total_in)}
        raise RuleViolated(msg, code="mass_balance", params=params)


def _total(quantities: list[Quantity], field: str) -> Quantity:
    total = quantities[0]
    for quantity in quantities[1:]:
        if not quantity.commensurable_with(total):
            msg = f"{field} mix {total.unit.value} and {quantity.unit.value}"
            params = {"unit": total.unit.value, "other_unit": quantity.unit.value}
            raise RuleViolated(msg, code="units_not_convertible", params=params)
        total = total + quantity
    return total
