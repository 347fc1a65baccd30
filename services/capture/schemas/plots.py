"""Requests about plots (vùng trồng): registered by their cooperative, certified."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import Field

from services.capture.schemas.common import Day, RequestModel, Text
from shared.domain.organisations import CertificationScheme
from shared.records import commands as c

Area = Annotated[Decimal, Field(gt=0, max_digits=16, allow_inf_nan=False)]


class RegisterPlotBody(RequestModel):
    cooperative_id: UUID
    crop: Text
    area_ha: Area
    commune: Text
    location: dict[str, Any] = Field(
        description="GeoJSON Point (plots up to 4 ha) or Polygon, WGS84 [longitude, latitude]",
        examples=[{"type": "Point", "coordinates": [105.68, 19.9]}],
    )
    household_ref: Text | None = Field(default=None, description="private: never published")
    planting_area_code: Text | None = Field(default=None, description="mã số vùng trồng")

    def to_command(self) -> c.RegisterPlot:
        return c.RegisterPlot(
            cooperative_id=self.cooperative_id,
            crop=self.crop,
            area_ha=self.area_ha,
            commune=self.commune,
            location=self.location,
            household_ref=self.household_ref,
            planting_area_code=self.planting_area_code,
        )


class RegisterPlotItem(RegisterPlotBody):
    type: Literal["register_plot"]

    def command(self) -> c.Command:
        return self.to_command()


class CertifyPlotBody(RequestModel):
    scheme: CertificationScheme
    certificate: Text
    valid_from: Day
    valid_until: Day | None = None

    def to_command(self, plot_id: UUID) -> c.CertifyPlot:
        return c.CertifyPlot(
            plot_id=plot_id,
            scheme=self.scheme.value,
            certificate=self.certificate,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
        )


class CertifyPlotItem(CertifyPlotBody):
    type: Literal["certify_plot"]
    plot_id: UUID

    def command(self) -> c.Command:
        return self.to_command(self.plot_id)
