"""What an upcaster added to a stored event, so the wire keeps the bytes it already published.

eventsourcing upcasts a stored event's state when it is read (``class_version`` and
``upcast_vX_vY`` on the event class). The domain then sees the current shape. The envelope built
from such an event must still be the one published when the event was new: an upcaster names the
fields it filled in under :data:`ADDED_BY_UPCAST` (not a dataclass field, so never part of the
event's payload or equality), and :func:`shared.records.publishing.payload` leaves them out.
Readers of envelopes fill the same fields again from the envelope (``shared.readmodels.upcasting``).
"""

from __future__ import annotations

from typing import Any

ADDED_BY_UPCAST = "_added_by_upcast"


def mark_added(state: dict[str, Any], *names: str) -> None:
    """Records in a stored event's state that ``names`` were added by an upcaster."""
    state[ADDED_BY_UPCAST] = (*state.get(ADDED_BY_UPCAST, ()), *names)


def added_by_upcast(event: object) -> tuple[str, ...]:
    """The fields an upcaster added to this (decoded) event, none for a new one."""
    return tuple(getattr(event, "__dict__", {}).get(ADDED_BY_UPCAST, ()))
