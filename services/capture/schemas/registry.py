"""The registry's reads: query parameters of each list, and the typed answers.

The answers are the read model's own shapes (``shared.readmodels.registry_shapes``), so the
OpenAPI document describes exactly what the reader returns.
"""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.capture.schemas.common import NO_NUL, POSTGRES_BIGINT_MAX
from shared.domain.organisations import CooperativeModel, CooperativeStatus, EnterpriseStatus
from shared.readmodels import registry as r
from shared.readmodels.registry_shapes import (
    ChainDetail,
    ChainPage,
    OrganisationDetail,
    OrganisationPage,
    PlotDetail,
    PlotPage,
)

_SEARCH = "name, registration number or tax code; case and accents are ignored"


class PagedQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    page: int = Field(default=1, ge=1, le=1_000_000, description="from 1")
    limit: int = Field(default=50, ge=1, le=r.MAX_LIMIT)
    after_position: int | None = Field(
        default=None,
        ge=0,
        le=POSTGRES_BIGINT_MAX,
        description="wait until the list reflects this write position (one a write answered"
        " with; a position beyond the last stored is refused at once)",
    )

    def paging(self) -> r.Paging:
        return r.Paging(page=self.page, limit=self.limit)


Filter = Field(default=None, min_length=1, max_length=200, pattern=NO_NUL)


class CooperativeQuery(PagedQuery):
    search: str | None = Field(
        default=None, min_length=1, max_length=200, pattern=NO_NUL, description=_SEARCH
    )
    commune: str | None = Filter
    former_district: str | None = Filter
    sector: str | None = Filter
    model: CooperativeModel | None = None
    status: CooperativeStatus | None = None
    value_chain: UUID | None = Field(default=None, description="takes part in this chain")

    def filters(self) -> r.OrganisationFilters:
        return r.OrganisationFilters(
            search=self.search,
            commune=self.commune,
            former_district=self.former_district,
            sector=self.sector,
            model=None if self.model is None else self.model.value,
            status=None if self.status is None else self.status.value,
            value_chain=self.value_chain,
        )


class EnterpriseQuery(PagedQuery):
    search: str | None = Field(
        default=None, min_length=1, max_length=200, pattern=NO_NUL, description=_SEARCH
    )
    commune: str | None = Filter
    status: EnterpriseStatus | None = None

    def filters(self) -> r.OrganisationFilters:
        return r.OrganisationFilters(
            search=self.search,
            commune=self.commune,
            status=None if self.status is None else self.status.value,
        )


class ValueChainQuery(PagedQuery):
    search: str | None = Field(
        default=None, min_length=1, max_length=200, pattern=NO_NUL, description="the chain's name"
    )
    commodity: str | None = Filter
    lead: UUID | None = Field(default=None, description="the lead organisation")

    def filters(self) -> r.ChainFilters:
        return r.ChainFilters(search=self.search, commodity=self.commodity, lead=self.lead)


class PlotQuery(PagedQuery):
    search: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        pattern=NO_NUL,
        description="planting-area code or crop; case and accents are ignored",
    )
    cooperative: UUID | None = Field(
        default=None, description="staff: any cooperative; a cooperative: only its own"
    )
    commune: str | None = Filter
    crop: str | None = Filter
    certified: bool | None = Field(default=None, description="holds a certificate valid today")

    def filters(self) -> r.PlotFilters:
        return r.PlotFilters(
            search=self.search,
            cooperative=self.cooperative,
            commune=self.commune,
            crop=self.crop,
            certified=self.certified,
        )


__all__ = [
    "ChainDetail",
    "ChainPage",
    "CooperativeQuery",
    "EnterpriseQuery",
    "OrganisationDetail",
    "OrganisationPage",
    "PlotDetail",
    "PlotPage",
    "PlotQuery",
    "ValueChainQuery",
]
