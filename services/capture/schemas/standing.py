"""Request bodies for an organisation's standing: an enterprise's status, what it publishes."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import Field, StrictBool

from services.capture.schemas.common import LongText, RequestModel
from shared.domain.organisations import EnterpriseStatus
from shared.records import commands as c


class EnterpriseStatusBody(RequestModel):
    status: EnterpriseStatus
    reason: LongText

    def to_command(self, enterprise_id: UUID) -> c.ChangeEnterpriseStatus:
        return c.ChangeEnterpriseStatus(
            enterprise_id=enterprise_id, status=self.status.value, reason=self.reason
        )


class PublicationBody(RequestModel):
    publish_quantities: StrictBool = Field(
        description="true: buyers' pages show the quantities of this organisation's lots;"
        " false (the default for every organisation): they do not. Retail units labelled"
        " with a GTIN show their net quantity either way."
    )

    def to_command(self, organisation_id: UUID) -> c.ChangePublication:
        return c.ChangePublication(
            organisation_id=organisation_id, publish_quantities=self.publish_quantities
        )


class ProfileVisibilityBody(RequestModel):
    show_profile: StrictBool = Field(
        description="true: the cooperative agrees to be shown on the public pages (/htx: its"
        " commune, model, chains, partners, certifications and products; never members,"
        " prices, or quantities it does not publish); false (the default for every"
        " cooperative): it is not shown, and its public page answers 404."
    )

    def to_command(self, cooperative_id: UUID) -> c.ChangeProfileVisibility:
        return c.ChangeProfileVisibility(
            cooperative_id=cooperative_id, show_profile=self.show_profile
        )


class EnterpriseStatusItem(EnterpriseStatusBody):
    type: Literal["change_enterprise_status"]
    enterprise_id: UUID

    def command(self) -> c.Command:
        return self.to_command(self.enterprise_id)


class PublicationItem(PublicationBody):
    type: Literal["change_publication"]
    organisation_id: UUID

    def command(self) -> c.Command:
        return self.to_command(self.organisation_id)


class ProfileVisibilityItem(ProfileVisibilityBody):
    type: Literal["change_profile_visibility"]
    cooperative_id: UUID

    def command(self) -> c.Command:
        return self.to_command(self.cooperative_id)
