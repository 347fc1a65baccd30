"""Building blocks of the request models: strict about shape, the domain judges the facts.

Decimals may be strings or numbers; dates are ISO (``2026-11-20``); times carry an offset
(``2026-11-20T08:30:00+07:00``). Unknown fields are refused, so a typo is a 422 naming it.

Every value capture accepts must also fit where it goes next: the event store's JSON, the wire
envelope, and the read models' PostgreSQL columns. A write accepted here and refused there would
stop a projection, so the limits live once, in the types below, and every request model uses
them (the OpenAPI document then shows each bound):

- counts fit PostgreSQL's ``integer`` (the read models' ``members_count``, ``stars``…);
- texts are bounded and hold no NUL (PostgreSQL ``text`` cannot); lone surrogates, which UTF-8
  cannot encode, are refused by pydantic's own string check;
- amounts are exact decimals with bounded digits (``numeric`` holds them; JSON carries them as
  text), never floats, infinities or NaN;
- days and moments lie between 1900 and 2199, so that adding a day or an offset to one can
  never overflow Python's ``date`` (year 1..9999) anywhere downstream.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from shared import limits
from shared.domain.quantities import Quantity, Unit
from shared.domain.transformation import Conversion

POSTGRES_INT_MAX = 2**31 - 1  # the read models' ``integer`` columns
POSTGRES_BIGINT_MAX = 2**63 - 1  # positions
FIRST_YEAR, LAST_YEAR = 1900, 2199
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold U+0000

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEARS = "use a date in the years {first} to {last}"
_YEARS_CONTEXT = {"first": FIRST_YEAR, "last": LAST_YEAR}


def _iso_date(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        return value
    raise PydanticCustomError("date_expected", "use an ISO date, e.g. 2026-11-20")


def _iso_datetime(value: Any) -> Any:
    if isinstance(value, datetime | str):
        return value  # AwareDatetime then parses it and insists on the offset
    raise PydanticCustomError(
        "time_expected", "use an ISO time with its offset, e.g. 2026-11-20T08:30:00+07:00"
    )


def _day_in_range(value: date) -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise PydanticCustomError(
            "date_out_of_range", _YEARS, {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return value


def _moment_in_range(value: datetime) -> datetime:
    # Judged in UTC too: 0001-01-01T00:00+01:00 is a valid time whose UTC form does not exist.
    if not FIRST_YEAR <= value.year <= LAST_YEAR or not (
        FIRST_YEAR <= value.astimezone(UTC).year <= LAST_YEAR
    ):
        raise PydanticCustomError(
            "date_out_of_range", _YEARS, {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return value


def _text(max_length: int) -> Any:
    return StringConstraints(
        strip_whitespace=True, min_length=1, max_length=max_length, pattern=NO_NUL
    )


Day = Annotated[
    date,
    BeforeValidator(_iso_date),
    AfterValidator(_day_in_range),
    Field(description=f"an ISO date in the years {FIRST_YEAR}-{LAST_YEAR}"),
]
Moment = Annotated[
    AwareDatetime,
    BeforeValidator(_iso_datetime),
    AfterValidator(_moment_in_range),
    Field(description=f"an ISO time with its offset, in the years {FIRST_YEAR}-{LAST_YEAR}"),
]
Text = Annotated[str, _text(limits.TEXT)]
LongText = Annotated[str, _text(limits.LONG_TEXT)]
Key = Annotated[str, StringConstraints(min_length=1, max_length=limits.FACT_KEY, pattern=NO_NUL)]
Value = Annotated[str, StringConstraints(max_length=limits.FACT_VALUE, pattern=NO_NUL)]
Facts = Annotated[dict[Key, Value], Field(max_length=limits.FACTS)]
BatchRef = Annotated[
    str,
    _text(100),
    Field(description="a batch code (TH-2026-000123), a batch id, or $ref in a bulk request"),
]
Count = Annotated[StrictInt, Field(ge=0, le=POSTGRES_INT_MAX)]
Position = Annotated[StrictInt, Field(ge=0, le=POSTGRES_BIGINT_MAX)]


def _decimal(
    integer_digits: int, places: int, description: str, *, maximum: int | None = None
) -> Any:
    """A positive exact decimal of bounded digits, documented as the number or text it is sent as.

    pydantic's own schema for a Decimal shows none of its digit limits, so the document is
    written here from the same figures the validation uses.
    """
    number: dict[str, Any] = {"type": "number", "exclusiveMinimum": 0}
    if maximum is None:
        number["exclusiveMaximum"] = 10**integer_digits
    else:
        number["maximum"] = maximum
    text = {"type": "string", "pattern": rf"^\d{{1,{integer_digits}}}(\.\d{{1,{places}}})?$"}
    return (
        Field(
            gt=0,
            le=maximum,
            max_digits=integer_digits + places,
            decimal_places=places,
            allow_inf_nan=False,
        ),
        WithJsonSchema({"anyOf": [number, text], "description": description}),
    )


# 12 digits before the point and 6 after: a trillion kg, a milligram. A product of two stays
# within the decimal context's 28 digits, so conversions and mass balance remain exact.
Amount = Annotated[
    Decimal, *_decimal(12, 6, "positive decimal (up to 12 digits, 6 after the point)")
]
Money = Annotated[Decimal, *_decimal(16, 2, "in VND, up to 16 digits")]
Area = Annotated[Decimal, *_decimal(5, 4, "hectares, more than 0 and up to 10,000", maximum=10_000)]


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuantityIn(RequestModel):
    amount: Amount
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
