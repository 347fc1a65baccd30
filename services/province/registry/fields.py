"""A registry form's fields, and reading what was typed into them.

The capture API's request models live in another service, so the forms read their own input
here, to the same bounds (``shared.domain`` judges the facts afterwards, for both). Each problem
is a refusal code the catalogues already word (``value_missing``, ``date_expected``...), so a
form and the API say the same thing about the same mistake.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from shared.errors import NguonError
from shared.readmodels.registry_shapes import Choices

TEXT_LIMIT = 200  # as the API's Text
LONG_TEXT_LIMIT = 2000  # as the API's LongText
FIRST_YEAR, LAST_YEAR = 1900, 2199  # as the API's days
INT_LIMIT = 2**31 - 1  # the read models' integer columns
MONEY_DIGITS = 16


class Kind(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    DAY = "day"
    WHOLE = "whole"
    DECIMAL = "decimal"
    CHOICE = "choice"
    MANY = "many"  # several of the options (checkboxes)


@dataclass(frozen=True)
class Subject:
    """What a form is about, loaded for its pick lists: an organisation's or a chain's page."""

    id: str | None
    page: Mapping[str, Any] = field(default_factory=dict)


Options = Callable[[Choices, Subject], Sequence[tuple[str, str]]]
"""A field's pick list: (value, label) pairs, from the registry and the form's subject."""


@dataclass(frozen=True)
class Field:
    name: str  # the command's field of the same name
    label: str  # a message id
    kind: Kind = Kind.TEXT
    required: bool = True
    options: Options | None = None  # choices: what may be picked
    suggest: str | None = None  # texts: a key of ``Choices`` offered as suggestions
    hint: str | None = None  # a message id
    translate: str | None = None  # choices: a message id prefix for the options' labels


@dataclass(frozen=True)
class Problem:
    code: str
    params: dict[str, str] = field(default_factory=dict)


class Refused(NguonError):
    """A field's value cannot be read; ``problem`` says why in the catalogues' words."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


def read(spec: Field, raw: str | list[str], allowed: Sequence[str]) -> Any:
    """The value of one field, or ``Refused``; an optional field left empty is ``None``."""
    if spec.kind is Kind.MANY:
        chosen = raw if isinstance(raw, list) else [raw] if raw else []
        unknown = [value for value in chosen if value not in allowed]
        if unknown:
            raise Refused(Problem("choice_unknown", {"expected": ", ".join(allowed)}))
        return chosen
    text = (raw[0] if raw else "") if isinstance(raw, list) else raw
    text = text.strip()
    if not text:
        if spec.required:
            raise Refused(Problem("value_missing"))
        return None
    if "\x00" in text:
        raise Refused(Problem("text_not_allowed"))
    return _READERS[spec.kind](text, allowed)


def _text(text: str, _allowed: Sequence[str]) -> str:
    return _bounded(text, TEXT_LIMIT)


def _long_text(text: str, _allowed: Sequence[str]) -> str:
    return _bounded(text, LONG_TEXT_LIMIT)


def _bounded(text: str, limit: int) -> str:
    if len(text) > limit:
        raise Refused(Problem("text_too_long", {"max_length": str(limit)}))
    return text


def _day(text: str, _allowed: Sequence[str]) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise Refused(Problem("date_expected")) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise Refused(Problem("date_out_of_range", {"first": "1900", "last": "2199"}))
    return day


def _whole(text: str, _allowed: Sequence[str]) -> int:
    try:
        number = int(text)
    except ValueError:
        raise Refused(Problem("whole_number_expected")) from None
    if number < 0:
        raise Refused(Problem("number_too_small", {"limit": "0"}))
    if number > INT_LIMIT:
        raise Refused(Problem("number_too_large", {"limit": str(INT_LIMIT)}))
    return number


def _decimal(text: str, _allowed: Sequence[str]) -> Decimal:
    # People type "1.250.000" or "1250000,5" in Vietnamese: dots group, a comma is the point.
    normalised = text.replace(" ", "")
    if "," in normalised:
        normalised = normalised.replace(".", "").replace(",", ".")
    elif normalised.count(".") > 1:
        normalised = normalised.replace(".", "")
    try:
        number = Decimal(normalised)
    except InvalidOperation:
        raise Refused(Problem("number_expected")) from None
    if not number.is_finite() or len(number.as_tuple().digits) > MONEY_DIGITS:
        raise Refused(Problem("number_expected"))
    return number


def _choice(text: str, allowed: Sequence[str]) -> str:
    if text not in allowed:
        raise Refused(Problem("choice_unknown", {"expected": ", ".join(allowed)}))
    return text


_READERS: dict[Kind, Callable[[str, Sequence[str]], Any]] = {
    Kind.TEXT: _text,
    Kind.LONG_TEXT: _long_text,
    Kind.DAY: _day,
    Kind.WHOLE: _whole,
    Kind.DECIMAL: _decimal,
    Kind.CHOICE: _choice,
}
