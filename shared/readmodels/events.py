"""Batch events as the read side keeps them: the envelope's facts plus its canonical JSON.

The canonical JSON (``Envelope.to_json``) is stored as it was received, so the fingerprint of
a document is computed over exactly the bytes the event store published, never over a
re-serialization of them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from shared.wire.envelope import Envelope

BATCH = "Batch"
CREATED = frozenset({"Harvested", "Produced"})


@dataclass(frozen=True)
class BatchEvent:
    position: int
    batch_id: str
    version: int
    name: str  # the event name without the aggregate type: "Harvested", "Shipped", ...
    payload: dict[str, Any]
    canonical: str  # the envelope's canonical JSON
    at: str  # when it happened (ISO 8601), "" if the event does not say
    order: tuple[float, int]  # oldest first by business time; position breaks ties

    @classmethod
    def from_canonical(cls, canonical: str) -> BatchEvent:
        raw = json.loads(canonical)
        payload = dict(raw["payload"])
        position = int(raw["position"])
        at = str(payload.get("at") or "")
        return cls(
            position=position,
            batch_id=str(raw["aggregate_id"]),
            version=int(raw["aggregate_version"]),
            name=event_name(str(raw["type"])),
            payload=payload,
            canonical=canonical,
            at=at,
            order=(_moment(at), position),
        )

    @classmethod
    def from_envelope(cls, envelope: Envelope) -> BatchEvent:
        return cls.from_canonical(canonical_json(envelope))

    @cached_property
    def digest(self) -> str:
        """sha256 of the canonical JSON: a fingerprint's unit (worked out only where one is
        needed: the catalogue folds events without fingerprinting them)."""
        return hashlib.sha256(self.canonical.encode()).hexdigest()

    def sort_key(self) -> tuple[float, int]:
        return self.order


def _moment(at: str) -> float:
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return float("-inf")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def canonical_json(envelope: Envelope) -> str:
    """``Envelope.to_json()`` as text, without its deep copy (``asdict``): the same bytes,
    several times faster, which a rebuild of millions of events notices."""
    fields = {f.name: getattr(envelope, f.name) for f in dataclass_fields(envelope)}
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def event_name(event_type: str) -> str:
    return event_type.rsplit(".", 1)[-1]


def is_batch(envelope: Envelope) -> bool:
    return envelope.aggregate_type == BATCH
