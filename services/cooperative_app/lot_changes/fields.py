"""Reading what a person typed into an app form, to the API's bounds, with refusal codes the
catalogues already word (``value_missing``, ``number_expected``…).

The capture API's request models belong to another service, so the app reads its own input
here (the diary and the CSV import read theirs with the same functions); the domain then
judges the facts for both, so a form and the API refuse the same mistake with the same code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from shared.domain.quantities import Quantity, Unit
from shared.errors import NguonError

TEXT_LIMIT = 200  # as the API's Text
LONG_TEXT_LIMIT = 2000  # as the API's LongText
COUNT_LIMIT = 2**31 - 1  # the read models' integer columns
DIGITS_LIMIT = 16


@dataclass(frozen=True)
class Problem:
    code: str
    params: dict[str, str] = field(default_factory=dict)


class Unreadable(NguonError):
    """A field's value cannot be read; ``problem`` says why in the catalogues' words."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


def text(raw: str, *, required: bool = True, limit: int = TEXT_LIMIT) -> str | None:
    value = raw.strip()
    if not value:
        if required:
            raise Unreadable(Problem("value_missing"))
        return None
    if "\x00" in value:
        raise Unreadable(Problem("text_not_allowed"))
    if len(value) > limit:
        raise Unreadable(Problem("text_too_long", {"max_length": str(limit)}))
    return value


def needed(raw: str, *, limit: int = TEXT_LIMIT) -> str:
    value = text(raw, required=True, limit=limit)
    assert value is not None  # required: an empty value raised
    return value


def decimal(raw: str) -> Decimal:
    """``1.250,5`` or ``1250.5``: in Vietnamese dots group digits and a comma is the point."""
    value = needed(raw).replace(" ", "")
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    elif value.count(".") > 1:
        value = value.replace(".", "")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise Unreadable(Problem("number_expected")) from None
    if not number.is_finite() or len(number.as_tuple().digits) > DIGITS_LIMIT:
        raise Unreadable(Problem("number_expected"))
    return number


def whole(raw: str) -> int:
    try:
        number = int(needed(raw))
    except ValueError:
        raise Unreadable(Problem("whole_number_expected")) from None
    if number < 0:
        raise Unreadable(Problem("number_too_small", {"limit": "0"}))
    if number > COUNT_LIMIT:
        raise Unreadable(Problem("number_too_large", {"limit": str(COUNT_LIMIT)}))
    return number


def day(raw: str) -> date:
    try:
        return date.fromisoformat(needed(raw))
    except ValueError:
        raise Unreadable(Problem("date_expected")) from None


def choice(raw: str, allowed: Sequence[str]) -> str:
    value = needed(raw)
    if value not in allowed:
        raise Unreadable(Problem("choice_unknown", {"expected": ", ".join(allowed)}))
    return value


def unit(raw: str) -> Unit:
    return Unit(choice(raw, [u.value for u in Unit]))


def quantity(amount: str, unit_text: str) -> Quantity:
    """The amount is read first: its problem is the one a person fixes first."""
    number = decimal(amount)
    return Quantity(number, unit(unit_text))


UNITS = tuple((u.value, u.value) for u in Unit)
