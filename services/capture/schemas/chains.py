"""Requests about value chains (chuỗi liên kết): participants and linkage contracts."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import Field

from services.capture.schemas.common import Day, LongText, QuantityIn, RequestModel, Text
from shared.domain.value_chain import Role
from shared.records import commands as c


class EstablishValueChainBody(RequestModel):
    name: Text
    commodity: Text
    lead_organisation_id: UUID

    def to_command(self) -> c.EstablishValueChain:
        return c.EstablishValueChain(
            name=self.name, commodity=self.commodity, lead_organisation_id=self.lead_organisation_id
        )


class EstablishValueChainItem(EstablishValueChainBody):
    type: Literal["establish_value_chain"]

    def command(self) -> c.Command:
        return self.to_command()


class JoinBody(RequestModel):
    organisation_id: UUID
    role: Role
    joined_on: Day | None = None  # the day it joined; today in Vietnam when left out

    def to_command(self, value_chain_id: UUID) -> c.JoinValueChain:
        return c.JoinValueChain(
            value_chain_id=value_chain_id,
            organisation_id=self.organisation_id,
            role=self.role.value,
            joined_on=self.joined_on,
        )


class JoinItem(JoinBody):
    type: Literal["join_value_chain"]
    value_chain_id: UUID

    def command(self) -> c.Command:
        return self.to_command(self.value_chain_id)


class LeaveBody(RequestModel):
    reason: LongText
    left_on: Day | None = None  # the day it left; today in Vietnam when left out

    def to_command(self, value_chain_id: UUID, organisation_id: UUID) -> c.LeaveValueChain:
        return c.LeaveValueChain(
            value_chain_id=value_chain_id,
            organisation_id=organisation_id,
            reason=self.reason,
            left_on=self.left_on,
        )


class LeaveItem(LeaveBody):
    type: Literal["leave_value_chain"]
    value_chain_id: UUID
    organisation_id: UUID

    def command(self) -> c.Command:
        return self.to_command(self.value_chain_id, self.organisation_id)


class SignContractBody(RequestModel):
    contract_number: Text
    parties: list[UUID] = Field(min_length=2, max_length=100)
    commodity: Text
    committed_volume: QuantityIn
    starts_on: Day
    ends_on: Day

    def to_command(self, value_chain_id: UUID) -> c.SignLinkageContract:
        return c.SignLinkageContract(
            value_chain_id=value_chain_id,
            contract_number=self.contract_number,
            parties=list(self.parties),
            commodity=self.commodity,
            committed_volume=self.committed_volume.value(),
            starts_on=self.starts_on,
            ends_on=self.ends_on,
        )


class SignContractItem(SignContractBody):
    type: Literal["sign_contract"]
    value_chain_id: UUID

    def command(self) -> c.Command:
        return self.to_command(self.value_chain_id)


class EndContractBody(RequestModel):
    on: Day
    reason: LongText

    def to_command(self, value_chain_id: UUID, contract_number: str) -> c.EndLinkageContract:
        return c.EndLinkageContract(
            value_chain_id=value_chain_id,
            contract_number=contract_number,
            on=self.on,
            reason=self.reason,
        )


class EndContractItem(EndContractBody):
    type: Literal["end_contract"]
    value_chain_id: UUID
    contract_number: Text

    def command(self) -> c.Command:
        return self.to_command(self.value_chain_id, self.contract_number)
