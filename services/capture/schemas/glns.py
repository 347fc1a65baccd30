"""Request and answer bodies for GLNs: an organisation registers those it was issued."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints

from services.capture.schemas.common import RequestModel
from services.capture.schemas.registry import PagedQuery
from shared.readmodels import registry as r
from shared.records import commands as c

GlnText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=13, max_length=13, pattern=r"^\d+$"),
    Field(description="a GLN: 13 digits with its GS1 check digit"),
]


class RegisterGlnBody(RequestModel):
    gln: GlnText
    organisation_id: UUID | None = Field(
        default=None,
        description="whose GLN it is; the caller's organisation if left out (staff: required)",
    )
    plot_id: UUID | None = Field(
        default=None,
        description="the owner cooperative's plot the GLN names; left out: the organisation",
    )

    def to_command(self, organisation_id: UUID) -> c.RegisterGln:
        return c.RegisterGln(organisation_id=organisation_id, gln=self.gln, plot_id=self.plot_id)


class RegisterGlnItem(RequestModel):
    """One GLN in a bulk request: whose it is is said (a bulk request acts for many)."""

    type: Literal["register_gln"]
    gln: GlnText
    organisation_id: UUID
    plot_id: UUID | None = None

    def command(self) -> c.Command:
        return c.RegisterGln(
            organisation_id=self.organisation_id, gln=self.gln, plot_id=self.plot_id
        )


class GlnOut(BaseModel):
    gln: str
    owner_id: str
    plot_id: str | None = Field(description="null: the GLN names the organisation (party)")


class GlnQuery(PagedQuery):
    organisation_id: UUID | None = Field(
        default=None, description="whose GLNs: staff any organisation's; others their own only"
    )

    def filters(self) -> r.GlnFilters:
        return r.GlnFilters(organisation=self.organisation_id)
