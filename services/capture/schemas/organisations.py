"""Requests about cooperatives and enterprises (registered and followed by provincial staff).

Each ``...Body`` is what its own endpoint takes (ids come from the path); each ``...Item`` is
the same command inside a bulk request, where the ids and a ``type`` travel in the body.
"""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import Field

from services.capture.schemas.common import Count, Day, LongText, Money, RequestModel, Text
from shared.domain.organisations import (
    CertificationScheme,
    CooperativeModel,
    CooperativeStatus,
    SupportKind,
)
from shared.records import commands as c

DEFAULT_PROVINCE = "Thanh Hóa"


class RegisterCooperativeBody(RequestModel):
    name: Text
    registration_number: Text
    commune: Text
    former_district: Text | None = None
    province: Text = DEFAULT_PROVINCE
    sector: Text
    founded: Day
    members_count: Count
    model: CooperativeModel

    def to_command(self) -> c.RegisterCooperative:
        return c.RegisterCooperative(
            name=self.name,
            registration_number=self.registration_number,
            commune=self.commune,
            former_district=self.former_district,
            province=self.province,
            sector=self.sector,
            founded=self.founded,
            members_count=self.members_count,
            model=self.model.value,
        )


class RegisterCooperativeItem(RegisterCooperativeBody):
    type: Literal["register_cooperative"]

    def command(self) -> c.Command:
        return self.to_command()


class RegisterEnterpriseBody(RequestModel):
    name: Text
    tax_code: Text
    address: Text
    commune: Text
    former_district: Text | None = None
    province: Text = DEFAULT_PROVINCE

    def to_command(self) -> c.RegisterEnterprise:
        return c.RegisterEnterprise(
            name=self.name,
            tax_code=self.tax_code,
            address=self.address,
            commune=self.commune,
            former_district=self.former_district,
            province=self.province,
        )


class RegisterEnterpriseItem(RegisterEnterpriseBody):
    type: Literal["register_enterprise"]

    def command(self) -> c.Command:
        return self.to_command()


class ReclassifyBody(RequestModel):
    reason: LongText

    def to_command(self, cooperative_id: UUID) -> c.ReclassifyCooperative:
        return c.ReclassifyCooperative(cooperative_id=cooperative_id, reason=self.reason)


class ReclassifyItem(ReclassifyBody):
    type: Literal["reclassify_cooperative"]
    cooperative_id: UUID

    def command(self) -> c.Command:
        return self.to_command(self.cooperative_id)


class StatusBody(RequestModel):
    status: CooperativeStatus
    reason: LongText

    def to_command(self, cooperative_id: UUID) -> c.ChangeCooperativeStatus:
        return c.ChangeCooperativeStatus(
            cooperative_id=cooperative_id, status=self.status.value, reason=self.reason
        )


class StatusItem(StatusBody):
    type: Literal["change_cooperative_status"]
    cooperative_id: UUID

    def command(self) -> c.Command:
        return self.to_command(self.cooperative_id)


class SupportBody(RequestModel):
    kind: SupportKind
    on: Day
    programme: Text
    amount_vnd: Money | None = None

    def to_command(self, cooperative_id: UUID) -> c.RecordSupport:
        return c.RecordSupport(
            cooperative_id=cooperative_id,
            kind=self.kind.value,
            on=self.on,
            programme=self.programme,
            amount_vnd=self.amount_vnd,
        )


class SupportItem(SupportBody):
    type: Literal["record_support"]
    cooperative_id: UUID

    def command(self) -> c.Command:
        return self.to_command(self.cooperative_id)


class GrantCertificationBody(RequestModel):
    scheme: CertificationScheme
    certificate: Text
    valid_from: Day
    valid_until: Day | None = None
    stars: Count | None = Field(default=None, description="OCOP only: 3, 4 or 5")

    def to_command(self, organisation_id: UUID) -> c.GrantCertification:
        return c.GrantCertification(
            organisation_id=organisation_id,
            scheme=self.scheme.value,
            certificate=self.certificate,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
            stars=self.stars,
        )


class GrantCertificationItem(GrantCertificationBody):
    type: Literal["grant_certification"]
    organisation_id: UUID

    def command(self) -> c.Command:
        return self.to_command(self.organisation_id)


class ExpireCertificationBody(RequestModel):
    on: Day
    reason: LongText

    def to_command(self, organisation_id: UUID, certificate: str) -> c.ExpireCertification:
        return c.ExpireCertification(
            organisation_id=organisation_id, certificate=certificate, on=self.on, reason=self.reason
        )


class ExpireCertificationItem(ExpireCertificationBody):
    type: Literal["expire_certification"]
    organisation_id: UUID
    certificate: Text

    def command(self) -> c.Command:
        return self.to_command(self.organisation_id, self.certificate)
