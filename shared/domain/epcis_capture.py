"""What EPCIS capture remembers: which partner events it stored, and which lots partners named.

Both are natural-key claims, as GTIN + lot is (``shared.domain.gtins``): the aggregate's id
derives from the key (uuid5), so a second claim of the same key is a second ``version 1`` of
the same id, which the event store refuses even when two capture jobs race. Each claim is
saved in the same unit of work as the commands of its event, so the commands are never stored
without the claim, nor the claim without them.
"""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from shared.domain import identifiers
from shared.domain.errors import RuleViolated


class CapturedEpcisEvent(Aggregate):
    """A partner's EPCIS event stored as the platform's commands, known by its CBV event hash."""

    @staticmethod
    def create_id(event_id: str) -> UUID:
        return uuid5(identifiers.NAMESPACE, f"epcis-event:{event_id}")

    @event("Captured")
    def __init__(self, event_id: str, organisation_id: UUID | None) -> None:
        self.event_id = event_id
        self.organisation_id = organisation_id


class EpcisLot(Aggregate):
    """A partner's own lot class (``urn:acme:lot:123``) bound to the batch made for it here."""

    @staticmethod
    def create_id(epc_class: str) -> UUID:
        return uuid5(identifiers.NAMESPACE, f"epcis-lot:{epc_class}")

    @event("Claimed")
    def __init__(self, epc_class: str, batch_id: UUID, batch_code: str) -> None:
        self.epc_class = epc_class
        self.batch_id = batch_id
        self.batch_code = batch_code


def already_captured(event_id: str) -> RuleViolated:
    msg = f"EPCIS event {event_id} is already captured: it is stored once, nothing to resend"
    return RuleViolated(msg, code="event_captured", params={"event_id": event_id})


def lot_known(epc_class: str) -> RuleViolated:
    msg = (
        f"{epc_class} already names a lot here: commission a new lot under a class of its own,"
        " or send the events of the lot it names"
    )
    return RuleViolated(msg, code="lot_known", params={"epc_class": epc_class})
