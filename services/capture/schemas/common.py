"""Building blocks of the request models: strict about shape, the domain judges the facts.

Decimals may be strings or numbers; dates are ISO (``2026-11-20``); times carry an offset
(``2026-11-20T08:30:00+07:00``). Unknown fields are refused, so a typo is a 422 naming it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
)

from shared.domain.quantities import Quantity, Unit
from shared.domain.transformation import Conversion

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        return value
    raise ValueError("use an ISO date, e.g. 2026-11-20")


def _iso_datetime(value: Any) -> Any:
    if isinstance(value, datetime | str):
        return value  # AwareDatetime then parses it and insists on the offset
    raise ValueError("use an ISO time with its offset, e.g. 2026-11-20T08:30:00+07:00")


Day = Annotated[date, BeforeValidator(_iso_date)]
Moment = Annotated[AwareDatetime, BeforeValidator(_iso_datetime)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
BatchRef = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    Field(description="a batch code (TH-2026-000123), a batch id, or $ref in a bulk request"),
]
Count = Annotated[StrictInt, Field(ge=0)]
Amount = Annotated[Decimal, Field(gt=0, max_digits=24, allow_inf_nan=False)]


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuantityIn(RequestModel):
    amount: Amount = Field(description="positive decimal, as a string or a number")
    unit: Unit

    def value(self) -> Quantity:
        return Quantity(self.amount, self.unit)


def quantity(given: QuantityIn | None) -> Quantity | None:
    return None if given is None else given.value()


class ConversionIn(RequestModel):
    """One ``from_unit`` of input gives ``factor`` ``to_unit`` of output (e.g. 1 kg → 4 packs)."""

    from_unit: Unit
    to_unit: Unit
    factor: Amount

    def value(self) -> Conversion:
        return Conversion(self.from_unit, self.to_unit, self.factor)
