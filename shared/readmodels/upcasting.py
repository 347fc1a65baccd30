"""Envelopes of older event versions, read in the current shape.

An envelope already published never changes (docs/events.md): a chain's participation recorded
before its events carried business dates travels without ``joined_on`` / ``left_on``. Readers
(projections, exports) call :func:`upcast` and see the date every such event now has: the day
it was recorded, in Vietnam, exactly as the domain's upcaster gives it
(``ValueChain.ParticipantJoined.upcast_v1_v2``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Final

from shared.domain.clock import today_in_vietnam
from shared.wire.envelope import Envelope

# event type -> the business date field its v2 added
_DATED: Final = {
    "ValueChain.ParticipantJoined": "joined_on",
    "ValueChain.ParticipantLeft": "left_on",
}


def upcast(envelope: Envelope) -> Envelope:
    """The envelope with the fields of the event's current version (itself when it has them)."""
    field = _DATED.get(envelope.type)
    if field is None or field in envelope.payload:
        return envelope
    recorded = today_in_vietnam(datetime.fromisoformat(envelope.occurred_at))
    return replace(envelope, payload={**envelope.payload, field: recorded.isoformat()})
