"""What the API answers about a cooperative's member households: to the cooperative and staff."""

from __future__ import annotations

from pydantic import BaseModel, Field

from shared.readmodels.households import HouseholdEntry


class HouseholdOut(BaseModel):
    household_id: str
    reference: str | None = Field(description="null once the household was forgotten")
    head_name: str | None
    phone: str | None
    forgotten: bool = Field(description="forgotten at its request: its personal data is gone")
    plot_ids: list[str]

    @classmethod
    def of(cls, entry: HouseholdEntry) -> HouseholdOut:
        return cls(
            household_id=str(entry.household_id),
            reference=entry.reference,
            head_name=entry.head_name,
            phone=entry.phone,
            forgotten=entry.forgotten,
            plot_ids=[str(p) for p in entry.plot_ids],
        )


class HouseholdList(BaseModel):
    households: list[HouseholdOut]
