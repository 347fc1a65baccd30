"""Requests about plots (vùng trồng): registered by their cooperative, certified.

A plot's location is typed GeoJSON, so the API document shows its shape and capture refuses
anything else before the domain sees it. A polygon must be a simple area whose geodesic area
is within 20% of the declared ``area_ha`` (``shared.geometry``); the domain then checks the
province's bounding area and keeps 6 decimals.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from services.capture.schemas.common import Area, Day, RequestModel, Text
from shared import geometry
from shared.domain.organisations import CertificationScheme
from shared.records import commands as c

Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Position = Annotated[
    tuple[Longitude, Latitude],
    Field(description="[longitude, latitude] in WGS84; stored to 6 decimals (about 0.1 m)"),
]
Ring = Annotated[
    list[Position],
    Field(min_length=4, max_length=10_000, description="closed: the last position is the first"),
]


class PointIn(RequestModel):
    type: Literal["Point"]
    coordinates: Position


class PolygonIn(RequestModel):
    type: Literal["Polygon"]
    coordinates: list[Ring] = Field(
        min_length=1, max_length=100, description="the outer ring, then any holes"
    )


Location = Annotated[
    PointIn | PolygonIn,
    Field(
        discriminator="type",
        description="GeoJSON Point (plots up to 4 ha) or Polygon, WGS84 [longitude, latitude],"
        " inside the cooperative's province",
        examples=[{"type": "Point", "coordinates": [105.68, 19.9]}],
    ),
]


class RegisterPlotBody(RequestModel):
    cooperative_id: UUID
    crop: Text
    area_ha: Area
    commune: Text
    location: Location
    household_id: UUID | None = Field(
        default=None,
        description="the member household farming it, registered first (POST"
        " /api/v1/cooperatives/{id}/households); the plot's event carries its reference sealed",
    )
    household_ref: Text | None = Field(
        default=None,
        description="optional check only, never stored: the registered reference of the"
        " household named by household_id (refused if it differs: plot_household_ref_mismatch)."
        " Without household_id it is refused (plot_household_not_registered): a plot never"
        " names a household by a plain reference",
    )
    planting_area_code: Text | None = Field(default=None, description="mã số vùng trồng")

    @field_validator("location")
    @classmethod
    def _polygon_is_a_simple_area_of_the_declared_size(
        cls, location: PointIn | PolygonIn, info: ValidationInfo
    ) -> PointIn | PolygonIn:
        if isinstance(location, PointIn):
            return location
        problem = geometry.polygon_problem(location.coordinates)
        if problem is not None:
            raise PydanticCustomError("polygon_invalid", problem)
        if "area_ha" in info.data:  # a bad area_ha is refused on its own
            problem = geometry.area_problem(location.coordinates, info.data["area_ha"])
        if problem is not None:
            raise PydanticCustomError("area_mismatch", problem)
        return location

    def to_command(self) -> c.RegisterPlot:
        return c.RegisterPlot(
            cooperative_id=self.cooperative_id,
            crop=self.crop,
            area_ha=self.area_ha,
            commune=self.commune,
            location=self._geojson(),
            household_ref=self.household_ref,
            planting_area_code=self.planting_area_code,
            household_id=self.household_id,
        )

    def _geojson(self) -> dict[str, Any]:
        return self.location.model_dump(mode="json")


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
