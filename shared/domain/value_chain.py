"""Value chains (chuỗi liên kết): participants with roles, linkage contracts (Decree 98/2018)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.domain import clock
from shared.domain.choices import choice
from shared.domain.errors import InvalidValue, RuleViolated
from shared.domain.organisations import required_text
from shared.domain.quantities import Quantity
from shared.domain.upcasting import mark_added


class Role(StrEnum):
    INPUT_SUPPLIER = "input_supplier"
    PRODUCER = "producer"
    PROCESSOR = "processor"
    DISTRIBUTOR = "distributor"
    RETAILER = "retailer"
    EXPORTER = "exporter"
    LEAD = "lead"


class ValueChain(Aggregate):
    @classmethod
    def establish(cls, *, name: str, commodity: str, lead_organisation_id: UUID) -> ValueChain:
        return cls(
            name=required_text(name, "name"),
            commodity=required_text(commodity, "commodity", 100),
            lead_organisation_id=lead_organisation_id,
        )

    @event("Established")
    def __init__(self, name: str, commodity: str, lead_organisation_id: UUID) -> None:
        self.name = name
        self.commodity = commodity
        self.lead_organisation_id = lead_organisation_id
        # organisation id (str) -> set of roles; the lead is a participant from the start
        self.participants: dict[str, set[str]] = {str(lead_organisation_id): {Role.LEAD.value}}
        self.contracts: dict[str, dict[str, Any]] = {}
        # organisation id (str) -> the day it last joined (for the leaving date's rule)
        self.joined_on: dict[str, date] = {}

    class ParticipantJoined(Aggregate.Event):
        """v2 carries ``joined_on``, the business date the organisation joined."""

        organisation_id: UUID
        role: str
        joined_on: date
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            # v1 said nothing of the date: the day it was recorded, in Vietnam.
            state["joined_on"] = clock.today_in_vietnam(state["timestamp"])
            mark_added(state, "joined_on")

    class ParticipantLeft(Aggregate.Event):
        """v2 carries ``left_on``, the business date the organisation left."""

        organisation_id: UUID
        reason: str
        left_on: date
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["left_on"] = clock.today_in_vietnam(state["timestamp"])
            mark_added(state, "left_on")

    def is_participant(self, organisation_id: UUID) -> bool:
        return bool(self.participants.get(str(organisation_id)))

    def join(self, organisation_id: UUID, role: str, on: date | None = None) -> None:
        """``on``: the day it joined (not in the future in Vietnam); today when not given."""
        checked = choice(Role, role, "role")
        if checked.value in self.participants.get(str(organisation_id), set()):
            msg = f"the organisation already takes part in this chain as {checked.value}"
            raise RuleViolated(msg, code="already_participant", params={"role": checked.value})
        joined_on = clock.date_not_in_future(on or clock.today_in_vietnam(), "joined_on")
        self._participant_joined(organisation_id, checked.value, joined_on)

    @event(ParticipantJoined)
    def _participant_joined(self, organisation_id: UUID, role: str, joined_on: date) -> None:
        key = str(organisation_id)
        self.participants.setdefault(key, set()).add(role)
        self.joined_on[key] = max(joined_on, self.joined_on.get(key, joined_on))

    def leave(self, organisation_id: UUID, reason: str, on: date | None = None) -> None:
        """``on``: the day it left: not in the future, not before it last joined."""
        if not self.is_participant(organisation_id):
            raise RuleViolated("the organisation is not in this chain", code="not_participant")
        if organisation_id == self.lead_organisation_id:
            raise RuleViolated("the lead organisation cannot leave its chain", code="lead_leaves")
        left_on = clock.date_not_in_future(on or clock.today_in_vietnam(), "left_on")
        joined_on = self.joined_on.get(str(organisation_id))
        if joined_on is not None and left_on < joined_on:
            msg = f"left_on {left_on.isoformat()} is before it joined on {joined_on.isoformat()}"
            params = {"left_on": left_on.isoformat(), "joined_on": joined_on.isoformat()}
            raise InvalidValue("left_on", msg, code="left_before_joined", params=params)
        self._participant_left(organisation_id, required_text(reason, "reason", 500), left_on)

    @event(ParticipantLeft)
    def _participant_left(self, organisation_id: UUID, reason: str, left_on: date) -> None:
        self.participants.pop(str(organisation_id), None)
        self.joined_on.pop(str(organisation_id), None)

    def sign_contract(
        self,
        *,
        contract_number: str,
        parties: list[UUID],
        commodity: str,
        committed_volume: Quantity,
        starts_on: date,
        ends_on: date,
    ) -> None:
        number = required_text(contract_number, "contract_number", 60)
        if number in self.contracts:
            msg = f"contract {number} is already recorded"
            raise RuleViolated(msg, code="contract_exists", params={"number": number})
        if len(set(parties)) < 2:
            msg = "a linkage contract binds at least two organisations"
            raise InvalidValue("parties", msg, code="contract_parties")
        outsiders = [str(p) for p in parties if not self.is_participant(p)]
        if outsiders:
            msg = f"parties {', '.join(outsiders)} must join the chain before signing"
            params = {"parties": ", ".join(outsiders)}
            raise RuleViolated(msg, code="party_not_participant", params=params)
        if committed_volume.amount <= 0:
            msg = "the committed volume must be positive"
            raise InvalidValue("committed_volume", msg, code="committed_volume_not_positive")
        if ends_on <= starts_on:
            msg = "a contract must end after it starts"
            raise InvalidValue("ends_on", msg, code="contract_ends_before_start")
        self._contract_signed(
            number,
            [str(p) for p in dict.fromkeys(parties)],
            required_text(commodity, "commodity", 100),
            committed_volume.as_dict(),
            starts_on,
            ends_on,
        )

    @event("LinkageContractSigned")
    def _contract_signed(
        self,
        contract_number: str,
        parties: list[str],
        commodity: str,
        committed_volume: dict[str, str],
        starts_on: date,
        ends_on: date,
    ) -> None:
        self.contracts[contract_number] = {"parties": parties, "ended": False}

    def end_contract(self, contract_number: str, on: date, reason: str) -> None:
        contract = self.contracts.get(contract_number)
        if contract is None or contract["ended"]:
            msg = f"contract {contract_number} is not in force in this chain"
            params = {"number": contract_number}
            raise RuleViolated(msg, code="contract_not_in_force", params=params)
        self._contract_ended(contract_number, on, required_text(reason, "reason", 500))

    @event("LinkageContractEnded")
    def _contract_ended(self, contract_number: str, on: date, reason: str) -> None:
        self.contracts[contract_number]["ended"] = True
