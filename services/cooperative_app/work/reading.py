"""Reading a posted form into a command's values, field by field, keeping every problem.

Inputs are named by the bulk API item's JSON path (``quantity.amount``, ``plot_ids``), so the
offline outbox sends the same names this reads. A problem is an ``InvalidValue`` naming the
form's field, worded later like any refusal of the records (``shared.i18n.refusals``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from typing import TypeVar
from uuid import UUID

from starlette.datastructures import FormData

from shared.domain.errors import DomainError, InvalidValue
from shared.domain.quantities import Quantity

T = TypeVar("T")


class Reading:
    def __init__(self, form: FormData) -> None:
        self.form = form
        self.problems: dict[str, DomainError] = {}

    def raw(self, name: str) -> str:
        value = self.form.get(name)
        return value.strip() if isinstance(value, str) else ""

    def take(self, name: str, parse: Callable[[], T]) -> T | None:
        """``parse()``, or None with its problem kept at ``name``."""
        try:
            return parse()
        except InvalidValue as problem:
            self.problems.setdefault(problem.field or name, problem)
            return None

    def text(self, name: str, *, required: bool = True) -> str | None:
        value = self.raw(name)
        if not value and required:
            self.problems[name] = _missing(name)
        return value or None

    def choice(self, name: str, allowed: Collection[str], *, required: bool = True) -> str | None:
        value = self.raw(name)
        if not value:
            if required:
                self.problems[name] = _missing(name)
            return None
        if value not in allowed:
            msg = f"{value!r} is not one of the choices offered"
            self.problems[name] = InvalidValue(
                name, msg, code="choice_unknown", params={"field": name, "expected": "…"}
            )
            return None
        return value

    def choices(self, name: str, allowed: Collection[str]) -> list[UUID]:
        values = [str(v) for v in self.form.getlist(name) if str(v)]
        if not values or any(v not in allowed for v in values):
            self.problems[name] = _missing(name)
            return []
        return [UUID(v) for v in values]

    def day(self, name: str) -> date | None:
        value = self.raw(name)
        try:
            return date.fromisoformat(value)
        except ValueError:
            msg = f"{value!r} is not a date"
            self.problems[name] = InvalidValue(
                name, msg, code="date_expected", params={"field": name}
            )
            return None

    def quantity(self, prefix: str) -> Quantity | None:
        amount, unit = f"{prefix}.amount", f"{prefix}.unit"
        if not self.raw(amount):
            self.problems[amount] = _missing(amount)
            return None
        # A comma is how Vietnamese writes a decimal point (12,5 kg).
        typed = self.raw(amount).replace(" ", "").replace(",", ".")
        return self.take(amount, lambda: Quantity.of(typed, self.raw(unit), amount))


def _missing(name: str) -> InvalidValue:
    return InvalidValue(name, f"{name} is missing", code="value_missing", params={"field": name})
