"""Capture: a partner's EPCIS events executed as the platform's own commands, as its organisation.

Each event is translated (``shared.epcis.translation``) to the commands a person would have sent
through the API for the same facts, and executed by the records application as the token's
actor, so every domain rule (mass balance, custody, time order, GTIN licences) holds for EPCIS
as for everything else. An event is known by its CBV 2.0 event hash: one sent again stores
nothing and is answered ``duplicate``.

``rollback`` (the binding's default) stores every event of the document or none; ``proceed``
stores each event (or each transformation, whose events share a ``transformationID``) on its
own and refuses the rest.

The HTTP side (``services.epcis.capture``) validates the document against GS1's schema before
anything here runs, keeps the capture job and answers its status.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from shared.records.actors import Actor
from shared.records.application import Records

# Advertised in GS1-EPCIS-Capture-Limit and GS1-EPCIS-Capture-File-Size-Limit. A rollback
# document is one transaction; a thousand events keep it well under a second.
CAPTURE_LIMIT = 1_000
CAPTURE_FILE_SIZE_LIMIT = 4 * 1024 * 1024


class Behaviour(StrEnum):
    ROLLBACK = "rollback"
    PROCEED = "proceed"


Status = Literal["captured", "duplicate", "refused", "rolled_back"]


@dataclass(frozen=True)
class EventRefusal:
    """Why one event was refused: where in the document, a stable code, and what to do."""

    index: int  # the event's place in the document's eventList (0-based)
    field: str  # a JSON path in the document: "$.epcisBody.eventList[3].bizLocation.id"
    code: str  # machine-readable: "unknown_location", "mass_balance", "not_mappable", …
    message: str  # what was wrong and what to do


@dataclass(frozen=True)
class EventOutcome:
    index: int
    event_id: str  # its CBV 2.0 event hash, ni:///sha-256;…?ver=CBV2.0
    status: Status
    refusal: EventRefusal | None = None  # set when refused
    batches: tuple[str, ...] = ()  # codes of the batches the event created or changed


@dataclass(frozen=True)
class CaptureOutcome:
    behaviour: Behaviour
    events: tuple[EventOutcome, ...]
    position: int | None  # the event store's position of the last event stored; None: none

    @property
    def success(self) -> bool:
        return all(e.status in ("captured", "duplicate") for e in self.events)

    @property
    def refusals(self) -> list[EventRefusal]:
        return [e.refusal for e in self.events if e.refusal is not None]


def capture(
    records: Records, actor: Actor, events: list[dict[str, Any]], behaviour: Behaviour
) -> CaptureOutcome:
    """Executes schema-valid ``events`` as ``actor``; never raises for a refused event."""
    raise NotImplementedError("built on branch h1")
