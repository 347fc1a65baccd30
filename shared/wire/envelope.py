"""The versioned JSON envelope every stored event is published in (see docs/events.md).

Frozen and separate from the domain: the domain may be refactored, the wire format only grows
by new schema versions. Golden JSON tests pin it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Envelope:
    event_id: str  # uuid5 of aggregate id and version: the same event always has the same id
    type: str  # "<AggregateType>.<EventName>", e.g. "Batch.Shipped"
    aggregate_type: str
    aggregate_id: str
    aggregate_version: int
    position: int  # the event store's gap-free notification id
    occurred_at: str  # ISO 8601, UTC: when the event was recorded
    schema_version: int
    payload: dict[str, Any]  # the event's facts, JSON-safe: decimals and dates as strings

    def to_json(self) -> bytes:
        # vars(), not asdict(): the payload is JSON-safe already, and asdict's deep copy cost
        # the relay a third of its time.
        return json.dumps(
            vars(self), ensure_ascii=False, sort_keys=True, separators=(",", ":")
        ).encode()

    @classmethod
    def from_json(cls, data: bytes | str) -> Envelope:
        raw = json.loads(data)
        if raw.get("schema_version") != SCHEMA_VERSION:
            msg = f"unsupported envelope schema_version {raw.get('schema_version')!r}"
            raise ValueError(msg)
        return cls(**raw)
