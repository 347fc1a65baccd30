"""The diary entry form: which fields each activity shows, and reading them into the records'
``RecordDiaryEntry`` (the same command the API's ``diary`` item builds).

Fields are named as the bulk item's JSON (``amount.amount``, ``pre_harvest_days``) so the
offline outbox sends what the form posts. Which fields an activity needs is the domain's rule
(``shared.domain.diary``); the form shows those and reads them, and the domain judges them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from services.cooperative_app.lot_changes import fields as read
from services.cooperative_app.lot_changes.fields import Unreadable
from services.cooperative_app.lot_changes.refusals import problem_worded
from shared.domain.diary import Activity
from shared.domain.quantities import Quantity, Unit
from shared.i18n.translator import Translator
from shared.records import commands as c


@dataclass(frozen=True)
class EntryField:
    name: str  # the bulk item's JSON path
    kind: str  # text | decimal | whole | unit
    required: bool = True

    @property
    def label(self) -> str:
        return f"appdiary_field_{self.name.replace('.', '_')}"


AMOUNT = (EntryField("amount.amount", "decimal"), EntryField("amount.unit", "unit"))
FIELDS: dict[Activity, tuple[EntryField, ...]] = {
    Activity.SOWING: (EntryField("variety", "text"), EntryField("seed_lot", "text", False)),
    Activity.FERTILISING: (EntryField("product", "text"), *AMOUNT),
    Activity.SPRAYING: (
        EntryField("product", "text"),
        EntryField("active_ingredient", "text"),
        EntryField("dose", "text"),
        EntryField("pre_harvest_days", "whole"),
    ),
    Activity.IRRIGATION: (),
    Activity.CARE: (EntryField("note", "text"),),
}
NOTE = EntryField("note", "text", required=False)  # every activity may have a note


def fields_of(activity: Activity) -> tuple[EntryField, ...]:
    own = FIELDS[activity]
    return own if any(f.name == "note" for f in own) else (*own, NOTE)


def entry_command(
    typed: Mapping[str, str],
    plot_id: UUID,
    activity: Activity,
    households: list[str] | None,
    t: Translator,
) -> tuple[c.RecordDiaryEntry | None, dict[str, str]]:
    """``households``: the ids one may pick (None: a household recording for itself)."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}

    def attempt(name: str, label: str, reader: Any, *args: Any) -> Any:
        try:
            return reader(*args)
        except Unreadable as unreadable:
            errors[name] = problem_worded(unreadable.problem, t(label), t)
            return None

    on: date | None = attempt("on", "appdiary_field_on", read.day, typed.get("on", ""))
    household = typed.get("household_id", "")
    if households is not None and household:
        attempt("household_id", "appdiary_field_household_id", read.choice, household, households)
    for spec in fields_of(activity):
        raw = typed.get(spec.name, "")
        if not raw.strip() and not spec.required:
            continue
        values[spec.name] = attempt(spec.name, spec.label, _READERS[spec.kind], raw)
    if errors or on is None:
        return None, errors
    amount = values.pop("amount.amount", None)
    unit = values.pop("amount.unit", None)
    command = c.RecordDiaryEntry(
        plot_id=plot_id,
        activity=activity.value,
        on=on,
        household_id=UUID(household) if households is not None and household else None,
        amount=None if amount is None else Quantity(amount, unit or Unit.KG),
        **values,
    )
    return command, errors


_READERS: dict[str, Any] = {
    "text": read.needed,
    "decimal": read.decimal,
    "whole": read.whole,
    "unit": read.unit,
}
