"""How the recall pages wait for the recalls projection to apply what a form stored."""

from __future__ import annotations

from shared.readmodels.tracking import Connect, Waiter, waiter_for
from shared.settings import NguonSettings
from shared.wire.topics import events_topic

DEFAULT_PROJECTOR_GROUP = "nguon-projector"


def recall_waiter(settings: NguonSettings, connect: Connect) -> Waiter:
    topic = events_topic(settings.kafka_topic_prefix) if settings.uses_kafka else None
    # The platform's settings name the projector's group only in the services that wait on it.
    group = str(getattr(settings, "projector_group_id", DEFAULT_PROJECTOR_GROUP))
    return waiter_for(connect, kafka_topic=topic, group=group, projections=("recalls",))
