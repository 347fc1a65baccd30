from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest

from services.projector.projector import Projector, build_projector
from services.projector.settings import ProjectorSettings
from services.relay.settings import RelaySettings
from shared.readmodels.tracking import KafkaWaiter, connector
from shared.wire.topics import events_topic
from tests.integration.relay.conftest import records, relay_settings, running_relay, topic_prefix
from tests.running import Running, running

__all__ = ["records", "relay_settings", "running_relay", "topic_prefix"]


@pytest.fixture
def projector_settings(relay_settings: RelaySettings) -> ProjectorSettings:
    return ProjectorSettings(
        **relay_settings.model_dump(
            include=set(ProjectorSettings.model_fields) & set(RelaySettings.model_fields)
        ),
        projector_group_id=f"nguon-test-{uuid.uuid4().hex}",
        projector_session_timeout_ms=6_000,
    )


RunningProjector = AbstractContextManager[Running[Projector]]
ProjectorRunner = Callable[..., RunningProjector]


@pytest.fixture
def running_projector(projector_settings: ProjectorSettings) -> ProjectorRunner:
    """``with running_projector() as running:`` a group member in a thread, joined after."""

    def run(
        projector_class: type[Projector] = Projector,
    ) -> AbstractContextManager[Running[Projector]]:
        return running(build_projector(projector_settings, projector_class), "test-projector")

    return run


def waiter(settings: ProjectorSettings) -> KafkaWaiter:
    assert settings.database_admin_url is not None
    return KafkaWaiter(
        connector(settings.database_admin_url.get_secret_value()),
        events_topic(settings.kafka_topic_prefix),
        settings.projector_group_id,
    )
