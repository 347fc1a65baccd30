"""What a capture answers: each event's outcome, and why an event was refused.

Apart from ``shared.epcis.capture`` (which re-exports them) so that the translation, which
refuses events, and the capture, which executes them, can both name them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

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
