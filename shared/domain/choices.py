"""One of a fixed set of words (a unit, a role, a status): parsed, or refused naming the set."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from shared.domain.errors import InvalidValue

E = TypeVar("E", bound=StrEnum)


def choice(kind: type[E], value: str, field: str) -> E:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        msg = f"unknown {field} {value!r}; use one of {allowed}"
        params = {"field": field, "value": value, "allowed": allowed}
        raise InvalidValue(field, msg, code="unknown_choice", params=params) from None
