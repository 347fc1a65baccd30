"""Turns stored domain events into wire envelopes: the one place that knows both."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import DomainEventProtocol

from shared.domain.identifiers import NAMESPACE
from shared.domain.upcasting import added_by_upcast
from shared.wire.envelope import SCHEMA_VERSION, Envelope

_HEADER = frozenset({"originator_id", "originator_version", "timestamp", "originator_topic"})


def json_safe(value: Any) -> Any:
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    return value


def aggregate_type(event: DomainEventProtocol[Any]) -> str:
    topic = getattr(event, "originator_topic", None)
    if topic:  # created events name their aggregate class
        return str(topic).rsplit(":", 1)[-1].rsplit(".", 1)[-1]
    qualname = type(event).__qualname__
    return qualname.split(".")[0]


def event_name(event: DomainEventProtocol[Any]) -> str:
    return type(event).__qualname__.rsplit(".", 1)[-1]


def payload(event: DomainEventProtocol[Any]) -> dict[str, Any]:
    """The event's fields, less those an upcaster filled in for a stored older version: an
    envelope already published stays byte-identical (``shared.domain.upcasting``)."""
    assert is_dataclass(event)
    left_out = _HEADER.union(added_by_upcast(event))
    return {
        f.name: json_safe(getattr(event, f.name)) for f in fields(event) if f.name not in left_out
    }


def to_envelope(
    event: DomainEventProtocol[Any], position: int, kind: str | None = None
) -> Envelope:
    """``kind`` is the aggregate type when the event class is shared (certifications)."""
    aggregate = kind or aggregate_type(event)
    return Envelope(
        event_id=str(uuid5(NAMESPACE, f"{event.originator_id}:{event.originator_version}")),
        type=f"{aggregate}.{event_name(event)}",
        aggregate_type=aggregate,
        aggregate_id=str(event.originator_id),
        aggregate_version=event.originator_version,
        position=position,
        occurred_at=getattr(event, "timestamp").astimezone(UTC).isoformat(),  # noqa: B009
        schema_version=SCHEMA_VERSION,
        payload=payload(event),
    )
