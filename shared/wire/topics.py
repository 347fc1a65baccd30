"""Topic names: part of the published contract, so readers need no Kafka client to know them."""

from __future__ import annotations


def events_topic(prefix: str) -> str:
    """Every stored event, keyed by aggregate id (see docs/events.md)."""
    return f"{prefix}.events"
