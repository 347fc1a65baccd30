"""Requests about a plot's farm diary (nhật ký sản xuất): one entry per activity.

Which fields an entry has depends on its activity (``shared.domain.diary``): the schema takes
them all as optional, and the domain refuses a missing or an inapplicable one by its code, so
the rule lives in one place. ``household_id`` is private: only the plot's cooperative and
provincial staff ever see it again.
"""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StrictInt

from services.capture.schemas.common import Day, QuantityIn, RequestModel, Text, quantity
from shared.domain.diary import MAX_PRE_HARVEST_DAYS, OVERRIDE_LIMIT, Activity
from shared.records import commands as c

Note = Annotated[str, Field(min_length=1, max_length=OVERRIDE_LIMIT)]

_SPRAYING: dict[str, JsonValue] = {
    "activity": "spraying",
    "on": "2026-09-10",
    "product": "Anvil 5SC",
    "active_ingredient": "hexaconazole",
    "dose": "20 ml / bình 16 l",
    "pre_harvest_days": 14,
}
_FERTILISING: dict[str, JsonValue] = {
    "activity": "fertilising",
    "on": "2026-08-20",
    "product": "NPK 16-16-8",
    "amount": {"amount": "50", "unit": "kg"},
}


class DiaryEntryBody(RequestModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra={"examples": [_SPRAYING, _FERTILISING]}
    )

    activity: Activity = Field(
        description="sowing (variety; seed_lot), fertilising (product, amount), spraying"
        " (product, active_ingredient, dose, pre_harvest_days), irrigation, care (note)"
    )
    on: Day = Field(description="the day it was done: not in the future, at most 5 years ago")
    household_id: UUID | None = Field(
        default=None, description="the member household that did it: private, never published"
    )
    variety: Text | None = None
    seed_lot: Text | None = None
    product: Text | None = None
    amount: QuantityIn | None = None
    active_ingredient: Text | None = None
    dose: Text | None = Field(default=None, description='as the label gives it: "20 ml / 16 l"')
    pre_harvest_days: Annotated[StrictInt, Field(ge=0, le=MAX_PRE_HARVEST_DAYS)] | None = Field(
        default=None,
        description="the product's pre-harvest interval (thời gian cách ly) in days: no harvest"
        " from the plot until this many days after the spraying",
    )
    note: Note | None = None

    def to_command(self, plot_id: UUID) -> c.RecordDiaryEntry:
        return c.RecordDiaryEntry(
            plot_id=plot_id,
            activity=self.activity.value,
            on=self.on,
            household_id=self.household_id,
            variety=self.variety,
            seed_lot=self.seed_lot,
            product=self.product,
            amount=quantity(self.amount),
            active_ingredient=self.active_ingredient,
            dose=self.dose,
            pre_harvest_days=self.pre_harvest_days,
            note=self.note,
        )


class DiaryItem(DiaryEntryBody):
    type: Literal["diary"]
    plot_id: UUID

    def command(self) -> c.Command:
        return self.to_command(self.plot_id)


class DiaryEntryOut(BaseModel):
    activity: str
    on: str
    details: dict[str, str] = Field(
        description="the activity's own fields (amount and unit as text, pre_harvest_days too)"
    )
    household_id: str | None = Field(
        default=None, description="shown to the plot's cooperative and provincial staff only"
    )
    recorded_at: str
    version: int = Field(description="the plot's version this entry made")


class PlotDiary(BaseModel):
    plot_id: str
    entries: list[DiaryEntryOut] = Field(description="in the order they were recorded")
    earliest_harvest_on: str | None = Field(
        description="the first day a harvest may be made without an override: the latest"
        " spraying's date plus its pre-harvest interval (None: no spraying)"
    )
