from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field

import pytest

from services.projector.projector import Projector, build_projector
from services.projector.settings import ProjectorSettings
from services.relay.settings import RelaySettings
from shared.readmodels.tracking import KafkaWaiter, connector
from shared.wire.topics import events_topic
from tests.integration.relay.conftest import records, relay_settings, running_relay, topic_prefix

__all__ = ["records", "relay_settings", "running_relay", "topic_prefix"]

THREAD_JOIN_SECONDS = 30.0


@pytest.fixture
def projector_settings(relay_settings: RelaySettings) -> ProjectorSettings:
    return ProjectorSettings(
        **relay_settings.model_dump(
            include=set(ProjectorSettings.model_fields) & set(RelaySettings.model_fields)
        ),
        projector_group_id=f"nguon-test-{uuid.uuid4().hex}",
        projector_session_timeout_ms=6_000,
    )


@dataclass
class RunningProjector:
    projector: Projector
    thread: threading.Thread
    errors: list[BaseException] = field(default_factory=list)


ProjectorRunner = Callable[..., AbstractContextManager[RunningProjector]]


@pytest.fixture
def running_projector(projector_settings: ProjectorSettings) -> ProjectorRunner:
    """``with running_projector() as running:`` a group member in a thread, joined after."""

    @contextmanager
    def run(projector_class: type[Projector] = Projector) -> Iterator[RunningProjector]:
        projector = build_projector(projector_settings, projector_class)
        running = RunningProjector(projector, threading.Thread())

        def target() -> None:
            try:
                projector.run()
            except BaseException as error:
                running.errors.append(error)

        running.thread = threading.Thread(target=target, name="test-projector")
        running.thread.start()
        try:
            yield running
        finally:
            projector.stop()
            running.thread.join(THREAD_JOIN_SECONDS)
            projector.close()
            assert not running.thread.is_alive(), "the projector did not stop"

    return run


def waiter(settings: ProjectorSettings) -> KafkaWaiter:
    assert settings.database_admin_url is not None
    return KafkaWaiter(
        connector(settings.database_admin_url.get_secret_value()),
        events_topic(settings.kafka_topic_prefix),
        settings.projector_group_id,
    )
