"""Requests about a cooperative's member households: its private registry (Decree 13/2023).

The reference, the head's name and the phone are personal: capture passes them to the records,
whose handler seals them with the household's own key before any event holds them.
"""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import Field

from services.capture.schemas.common import RequestModel, Text
from shared.records import commands as c


class RegisterHouseholdBody(RequestModel):
    reference: Text = Field(description="the cooperative's own reference, e.g. HO-12: private")
    head_name: Text | None = Field(default=None, description="the head of household: private")
    phone: Text | None = Field(default=None, description="0912345678 or +84912345678: private")

    def to_command(self, cooperative_id: UUID) -> c.RegisterHousehold:
        return c.RegisterHousehold(
            cooperative_id=cooperative_id,
            reference=self.reference,
            head_name=self.head_name,
            phone=self.phone,
        )


class RegisterHouseholdItem(RegisterHouseholdBody):
    type: Literal["register_household"]
    cooperative_id: UUID

    def command(self) -> c.Command:
        return self.to_command(self.cooperative_id)


class AssignHouseholdPlotItem(RequestModel):
    type: Literal["assign_household_plot"]
    household_id: UUID
    plot_id: UUID

    def command(self) -> c.Command:
        return c.AssignHouseholdPlot(household_id=self.household_id, plot_id=self.plot_id)


class ForgetHouseholdItem(RequestModel):
    type: Literal["forget_household"]
    household_id: UUID

    def command(self) -> c.Command:
        return c.ForgetHousehold(household_id=self.household_id)
