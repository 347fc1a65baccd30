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
        raise InvalidValue(field, f"unknown {field} {value!r}; use one of {allowed}") from None
