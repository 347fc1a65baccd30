"""Records → envelopes, and the named policy for records that are not envelopes.

Policy ``skip-undecodable``: a record that is not an envelope at all (no value, not JSON, missing
or unknown fields) cannot be a fact the relay published. It is logged with its topic, partition
and offset, counted, and skipped: its offset still advances the tracking, so one bad record does
not stop every read model. The facts themselves are safe in the event store, and a rebuild
reads them from there.

Policy ``stop-on-newer-schema``: an envelope whose ``schema_version`` is newer than this code
knows is a real fact written by a newer relay. Skipping it would lose it, so the projector
stops (re-raises) until it is upgraded.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

from shared.errors import NguonError
from shared.kafka.consumer import Message
from shared.wire.envelope import SCHEMA_VERSION, Envelope

log = logging.getLogger(__name__)


class NewerSchema(NguonError):
    """An envelope of a schema version this projector does not know yet: upgrade it."""


@dataclass
class Decoded:
    envelopes: list[Envelope] = field(default_factory=list)
    undecodable: list[Message] = field(default_factory=list)


def decode(messages: list[Message]) -> Decoded:
    decoded = Decoded()
    for message in messages:
        envelope = _decode(message)
        if envelope is None:
            decoded.undecodable.append(message)
        else:
            decoded.envelopes.append(envelope)
    return decoded


def _decode(message: Message) -> Envelope | None:
    try:
        if message.value is None:
            raise ValueError("the record has no value")
        raw = json.loads(message.value)
        version = raw.get("schema_version") if isinstance(raw, dict) else None
        if isinstance(version, int) and version > SCHEMA_VERSION:
            msg = (
                f"{message.topic}[{message.partition}]@{message.offset}: envelope schema_version"
                f" {version} is newer than {SCHEMA_VERSION}: upgrade the projector"
            )
            raise NewerSchema(msg)
        return Envelope.from_json(message.value)
    except NewerSchema:
        log.error(
            "stop-on-newer-schema: topic %s partition %d offset %d",
            message.topic,
            message.partition,
            message.offset,
        )
        raise
    except (ValueError, TypeError, AttributeError) as error:
        log.error(
            "skip-undecodable: topic %s partition %d offset %d is not an envelope (%s): skipped",
            message.topic,
            message.partition,
            message.offset,
            error,
        )
        return None
