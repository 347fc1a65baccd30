"""Reading the event store's notification log as wire envelopes, as the relay publishes them.

Both in-process readers (the live source and the rebuild) go through here, so the projections
see the same envelopes in embedded mode as they would from Kafka.
"""

from __future__ import annotations

from collections.abc import Sequence

from eventsourcing.persistence import Notification

from shared.records.application import Records
from shared.wire.envelope import Envelope

Page = list[tuple[int, Envelope]]


def envelope_of(records: Records, notification: Notification) -> Envelope:
    return records.envelope(notification)


def envelopes_of(records: Records, notifications: Sequence[Notification]) -> Page:
    return [(n.id, envelope_of(records, n)) for n in notifications]
