"""``python -m services.relay`` and ``python -m services.projector`` as processes: SIGTERM stops
them cleanly after what they were doing, with everything recorded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

from services.relay.settings import RelaySettings
from shared.readmodels.tracking import KafkaWaiter, connector
from shared.records.application import Records
from shared.wire.topics import events_topic
from tests.eventually import eventually

from .scenario import a_history

pytestmark = pytest.mark.kafka

REPOSITORY = Path(__file__).resolve().parents[3]
WAIT_SECONDS = 60.0


def _environment(settings: RelaySettings, **extra: str) -> dict[str, str]:
    assert settings.database_url is not None
    assert settings.database_admin_url is not None
    return {
        **os.environ,
        "NGUON_DATABASE_URL": settings.database_url.get_secret_value(),
        "NGUON_DATABASE_ADMIN_URL": settings.database_admin_url.get_secret_value(),
        "NGUON_KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers or "",
        "NGUON_KAFKA_TOPIC_PREFIX": settings.kafka_topic_prefix,
        **extra,
    }


def _start(module: str, environment: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", module],
        cwd=REPOSITORY,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _terminate(process: subprocess.Popen[bytes]) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    try:
        output, _ = process.communicate(timeout=WAIT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate(timeout=WAIT_SECONDS)
    return process.returncode, output.decode(errors="replace")


def _checkpoint(settings: RelaySettings) -> int:
    assert settings.database_admin_url is not None
    with psycopg.connect(settings.database_admin_url.get_secret_value()) as conn:
        row = conn.execute(
            "SELECT position FROM nguon_relay_checkpoint WHERE topic = %s",
            (events_topic(settings.kafka_topic_prefix),),
        ).fetchone()
    return int(row[0]) if row else 0


def _wait_for_checkpoint(settings: RelaySettings, position: int) -> None:
    """Polls the checkpoint row (bounded): the relay process offers no other signal."""
    eventually(
        lambda: _checkpoint(settings) >= position,
        within=WAIT_SECONDS,
        what=lambda: f"the relay checkpoint {_checkpoint(settings)} reaching {position}",
    )


def test_relay_and_projector_processes_publish_apply_and_stop_on_sigterm(
    records: Records, relay_settings: RelaySettings
) -> None:
    last = a_history(records, batches=4)
    group = f"nguon-test-{uuid.uuid4().hex}"
    relay = _start("services.relay", _environment(relay_settings))
    projector = None
    try:
        # One at a time: two processes migrating the same database at once collide on DDL.
        _wait_for_checkpoint(relay_settings, last)
        projector = _start(
            "services.projector", _environment(relay_settings, NGUON_PROJECTOR_GROUP_ID=group)
        )
        assert relay_settings.database_admin_url is not None
        waiter = KafkaWaiter(
            connector(relay_settings.database_admin_url.get_secret_value()),
            events_topic(relay_settings.kafka_topic_prefix),
            group,
        )
        reached = waiter.wait_for(last, WAIT_SECONDS)
    finally:
        relay_code, relay_output = _terminate(relay)
        projector_code, projector_output = _terminate(projector) if projector else (-1, "")

    assert reached, relay_output + projector_output
    assert (relay_code, projector_code) == (0, 0), relay_output + projector_output
    assert "stopped at position" in relay_output
    assert _checkpoint(relay_settings) == last


def test_a_relay_process_killed_outright_is_replaced_without_loss(
    records: Records, relay_settings: RelaySettings
) -> None:
    first = a_history(records, batches=2)
    relay = _start("services.relay", _environment(relay_settings))
    try:
        _wait_for_checkpoint(relay_settings, first)
    finally:
        relay.kill()  # SIGKILL: no clean-up at all; its session lock goes with its connection
        relay.communicate(timeout=WAIT_SECONDS)
    second = a_history(records, batches=2)

    successor = _start("services.relay", _environment(relay_settings))
    try:
        _wait_for_checkpoint(relay_settings, second)
    finally:
        code, output = _terminate(successor)
    assert _checkpoint(relay_settings) == second, output
    assert code == 0, output
