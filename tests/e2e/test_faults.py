"""Faults on the production path: relay → Kafka → projector, real broker, real PostgreSQL.

Each test breaks something at the worst moment, lets the platform recover, and ends by
comparing every read model with a rebuild from the event store: nothing lost, nothing twice.
Waiting is by position (``KafkaWaiter``: relay checkpoint and stored projector offsets), with
bounded timeouts; every thread, and the separate broker, is stopped in teardown.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from pydantic import SecretStr

from services.projector.projector import Projector, build_projector
from services.projector.settings import ProjectorSettings
from services.relay.relay import Relay, build_relay
from services.relay.settings import RelaySettings
from shared.database import prepare
from shared.domain.quantities import Quantity
from shared.kafka.topics import ensure_topics
from shared.postgres.urls import eventsourcing_env, with_user
from shared.readmodels.rebuild import rebuild
from shared.readmodels.tracking import KafkaWaiter, connector
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.records.results import BatchResult, CooperativeResult, EnterpriseResult, PlotResult
from shared.wire.topics import events_topic
from tests.builders import (
    a_certification_command,
    a_cooperative_command,
    a_plot_command,
    an_enterprise_command,
)
from tests.eventually import eventually
from tests.read_model_dumps import assert_same_read_models, read_models
from tests.running import Running, Service, running

pytestmark = pytest.mark.kafka

WAIT_SECONDS = 90.0
JOIN_SECONDS = 30.0
REPOSITORY = Path(__file__).resolve().parents[2]
STAFF = Actor(Role.PROVINCE)


class SimulatedCrash(Exception):
    pass


# A history to capture --------------------------------------------------------------------


class Farm:
    """A cooperative with a plot and a buying enterprise; each call records more batches."""

    def __init__(self, records: Records) -> None:
        self.records = records
        suffix = uuid.uuid4().hex[:8]
        self.enterprise = (
            records.execute(
                STAFF,
                [
                    an_enterprise_command(
                        name="Công ty CP Gạo Thanh Hóa",
                        tax_code=str(uuid.uuid4().int)[:10],
                        address="12 Lê Lợi",
                    )
                ],
            )
            .result(EnterpriseResult)
            .enterprise_id
        )
        self.cooperative = (
            records.execute(
                STAFF,
                [
                    a_cooperative_command(
                        name="HTX Thiệu Trung", registration_number=f"2801-{suffix}"
                    )
                ],
            )
            .result(CooperativeResult)
            .cooperative_id
        )
        records.execute(
            STAFF,
            [
                a_certification_command(
                    self.cooperative, certificate=f"VG-{suffix}", valid_until=None
                )
            ],
        )
        grower = Actor(Role.COOPERATIVE, self.cooperative)
        self.plot = (
            records.execute(
                grower,
                [
                    a_plot_command(
                        self.cooperative,
                        location={"type": "Point", "coordinates": [105.68, 19.9]},
                    )
                ],
            )
            .result(PlotResult)
            .plot_id
        )

    def harvest(self, batches: int) -> int:
        """Harvests, dries, ships and receives ``batches`` batches; the last position."""
        grower = Actor(Role.COOPERATIVE, self.cooperative)
        buyer = Actor(Role.ENTERPRISE, self.enterprise)
        position = 0
        for i in range(batches):
            code = (
                self.records.execute(
                    grower,
                    [
                        c.HarvestBatch(
                            plot_ids=[self.plot],
                            commodity="lúa",
                            quantity=Quantity.positive("1000", "kg"),
                            harvested_on=date(2026, 10, 1),
                            ref="h",
                        ),
                        c.ProcessBatch(
                            batch="$h",
                            step="drying",
                            facility="Sân phơi",
                            quantity_after=Quantity.positive("905.5", "kg"),
                        ),
                        c.ShipBatch(batch="$h", to=self.enterprise, transport_document=f"VD-{i}"),
                    ],
                )
                .result(BatchResult)
                .code
            )
            position = self.records.execute(
                buyer, [c.ReceiveBatch(batch=code, quantity=Quantity.positive("905.5", "kg"))]
            ).position
        return position


# The platform under test ------------------------------------------------------------------


class Platform:
    """One database, one topic prefix, one consumer group; relays and projectors in threads."""

    def __init__(self, admin_url: str, bootstrap: str, **relay_overrides: Any) -> None:
        self.admin_url = admin_url
        self.bootstrap = bootstrap
        self.prefix = f"nguon-e2e-{uuid.uuid4().hex}"
        self.topic = events_topic(self.prefix)
        shared: dict[str, Any] = {
            "database_url": SecretStr(with_user(admin_url, "nguon_app")),
            "database_admin_url": SecretStr(admin_url),
            "kafka_bootstrap_servers": bootstrap,
            "kafka_topic_prefix": self.prefix,
        }
        self.relay_settings = RelaySettings(**shared, **relay_overrides)
        self.projector_settings = ProjectorSettings(
            **shared,
            projector_group_id=f"nguon-e2e-{uuid.uuid4().hex}",
            projector_session_timeout_ms=6_000,
        )
        urls = prepare(self.relay_settings)
        self.records = Records(eventsourcing_env(urls.app, create_table=False))
        self._services = ExitStack()
        self._running: list[Running[Service]] = []

    def create_topic(self) -> None:
        ensure_topics(self.bootstrap, self.prefix)

    def start_relay(self, relay_class: type[Relay] = Relay) -> Relay:
        relay = build_relay(self.relay_settings, relay_class)
        self._start(relay, "e2e-relay")
        return relay

    def start_projector(self, projector_class: type[Projector] = Projector) -> Projector:
        projector = build_projector(self.projector_settings, projector_class)
        self._start(projector, "e2e-projector")
        return projector

    def _start(self, service: Service, name: str) -> None:
        self._running.append(self._services.enter_context(running(service, name)))

    @property
    def errors(self) -> list[BaseException]:
        return [error for service in self._running for error in service.errors]

    def join_crashed(self, expected: type[BaseException]) -> None:
        """Waits for the thread that crashed on purpose, and checks that it did."""
        eventually(lambda: self.errors, within=WAIT_SECONDS, what=f"a crash with {expected}")
        assert [type(e) for e in self.errors] == [expected], self.errors
        for service in self._running:
            service.errors.clear()

    def wait_for(self, position: int) -> None:
        waiter = KafkaWaiter(
            connector(self.admin_url), self.topic, self.projector_settings.projector_group_id
        )
        assert waiter.wait_for(position, WAIT_SECONDS), f"never reached position {position}"
        assert not self.errors, self.errors

    def stop(self) -> None:
        """Stops, joins and closes every service, the last started first."""
        try:
            self._services.close()  # raises again what a service raised and no test took
        finally:
            self._running.clear()
            self.records.close()

    def delete_topic(self) -> None:
        admin = KafkaAdminClient(bootstrap_servers=self.bootstrap)
        try:
            admin.delete_topics([self.topic])
        finally:
            admin.close()

    def relay_checkpoint(self) -> int:
        with psycopg.connect(self.admin_url) as conn:
            row = conn.execute(
                "SELECT position FROM nguon_relay_checkpoint WHERE topic = %s", (self.topic,)
            ).fetchone()
        return int(row[0]) if row else 0

    def published_positions(self, at_least: int) -> list[int]:
        """The ``position`` of every record on the topic, duplicates included."""
        return [p for ps in self.published_by_partition(at_least).values() for p in ps]

    def published_by_partition(self, at_least: int) -> dict[int, list[int]]:
        """Each partition's record ``position``s in offset order, duplicates included."""
        import json

        consumer = KafkaConsumer(bootstrap_servers=self.bootstrap, enable_auto_commit=False)
        try:
            partitions = [
                TopicPartition(self.topic, p) for p in consumer.partitions_for_topic(self.topic)
            ]
            consumer.assign(partitions)
            consumer.seek_to_beginning(*partitions)
            ends = consumer.end_offsets(partitions)
            positions: dict[int, list[int]] = {tp.partition: [] for tp in partitions}

            def read_to_the_end() -> bool:
                for tp, batch in consumer.poll(timeout_ms=500).items():
                    positions[tp.partition].extend(json.loads(r.value)["position"] for r in batch)
                return sum(map(len, positions.values())) >= at_least and all(
                    consumer.position(tp) >= end for tp, end in ends.items()
                )

            eventually(
                read_to_the_end,
                within=WAIT_SECONDS,
                what=lambda: f"{at_least} records read to the topic's end (read {positions})",
            )
            return positions
        finally:
            consumer.close()

    def assert_equal_to_a_rebuild(self) -> None:
        live = read_models(self.admin_url)
        rebuild(self.records, progress=False)
        assert_same_read_models(read_models(self.admin_url), live)


@pytest.fixture
def platform(fresh_database_admin_url: str, kafka_bootstrap_servers: str) -> Iterator[Platform]:
    built = Platform(fresh_database_admin_url, kafka_bootstrap_servers)
    built.create_topic()
    try:
        yield built
    finally:
        built.stop()
        built.delete_topic()


# A broker of the test's own, to stop and start ----------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SeparateBroker:
    """A second broker from ``deploy/local/kafka.sh``, with its own ports and state folder."""

    SCRIPT = REPOSITORY / "deploy" / "local" / "kafka.sh"

    def __init__(self, scratch: Path) -> None:
        self.state = scratch / "broker"
        self.port = _free_port()
        self.env = {
            **os.environ,
            "NGUON_TEST_KAFKA_PORT": str(self.port),
            "NGUON_TEST_KAFKA_CONTROLLER_PORT": str(_free_port()),
            "NGUON_TEST_KAFKA_STATE_DIR": str(self.state),
            "PYTHON": sys.executable,
        }
        self.bootstrap = f"127.0.0.1:{self.port}"

    def _script(self, command: str) -> None:
        subprocess.run(
            [str(self.SCRIPT), command],
            env=self.env,
            check=True,
            timeout=180,
            capture_output=True,
        )

    def start(self) -> None:
        self._script("start")

    def kill(self) -> None:
        """SIGKILL, as a crash or a pulled plug would; waits until the process is gone."""
        pid = int((self.state / "kafka.pid").read_text())
        os.kill(pid, signal.SIGKILL)
        # The broker is the script's grandchild (setsid): init reaps it, not this process.
        eventually(
            lambda: _state_of(pid) in ("gone", "zombie"),
            within=JOIN_SECONDS,
            what=f"the end of the killed broker (pid {pid})",
        )

    def stop(self) -> None:
        self._script("stop")


def _state_of(pid: int) -> str:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "gone"
    state = next((line for line in status.splitlines() if line.startswith("State:")), "")
    return "zombie" if "zombie" in state else "alive"


@pytest.fixture
def separate_broker(tmp_path: Path) -> Iterator[SeparateBroker]:
    broker = SeparateBroker(tmp_path)
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


# (a) Kafka down while batches are captured -----------------------------------------------


def test_events_captured_while_kafka_is_down_arrive_once_it_is_back(
    fresh_database_admin_url: str,
    separate_broker: SeparateBroker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    platform = Platform(
        fresh_database_admin_url,
        separate_broker.bootstrap,
        relay_delivery_timeout_ms=4_000,
        relay_request_timeout_ms=2_000,
        relay_bootstrap_timeout_ms=1_000,
        relay_retry_initial_seconds=0.2,
        relay_retry_max_seconds=1.0,
    )
    try:
        platform.create_topic()
        farm = Farm(platform.records)
        platform.start_relay()
        platform.start_projector()
        before = farm.harvest(3)
        platform.wait_for(before)

        caplog.set_level(logging.WARNING, logger="services.relay.relay")
        separate_broker.kill()
        during = farm.harvest(5)  # captured while the broker is down
        _wait_for_log(caplog, "attempt 2")
        assert platform.relay_checkpoint() == before  # nothing acknowledged, nothing recorded

        separate_broker.start()
        after = farm.harvest(2)
        platform.wait_for(after)

        assert during < after
        assert sorted(set(platform.published_positions(after))) == list(range(1, after + 1))
        platform.assert_equal_to_a_rebuild()
    finally:
        platform.stop()


def _wait_for_log(caplog: pytest.LogCaptureFixture, text: str) -> None:
    eventually(
        lambda: any(text in r.getMessage() for r in caplog.records),
        within=WAIT_SECONDS,
        what=f"the relay logging {text!r}",
    )


# (b) the relay dies after Kafka acknowledged a round, before recording it -----------------------


class RelayDyingBeforeItsCheckpoint(Relay):
    """The real relay, killed between Kafka's acknowledgement and the checkpoint of round 2."""

    def record_checkpoint(self, position: int, offsets: dict[int, int]) -> None:
        self.rounds = getattr(self, "rounds", 0) + 1
        if self.rounds == 2:
            raise SimulatedCrash(f"killed after Kafka acknowledged up to {position}")
        super().record_checkpoint(position, offsets)


def test_a_relay_killed_before_its_checkpoint_publishes_again_and_nothing_counts_twice(
    platform: Platform,
) -> None:
    farm = Farm(platform.records)
    first = farm.harvest(2)
    platform.start_projector()
    relay = platform.start_relay(RelayDyingBeforeItsCheckpoint)
    assert relay.wait_for(first, WAIT_SECONDS)
    second = farm.harvest(3)
    platform.join_crashed(SimulatedCrash)
    assert platform.relay_checkpoint() == first

    platform.start_relay()  # the restarted process
    platform.wait_for(second)

    positions = platform.published_positions(second)
    assert sorted(set(positions)) == list(range(1, second + 1))
    assert len(positions) > second  # the unrecorded round went out twice
    platform.assert_equal_to_a_rebuild()


# (c) the projector dies in the middle of a batch --------------------------------------------


class ProjectorDyingAfterTheDatabaseCommit(Projector):
    """Applies its first batch (read models and offsets committed), dies before Kafka's commit."""

    def commit(self, consumer: Any, next_offsets: dict[int, int]) -> None:
        raise SimulatedCrash(f"killed before committing {next_offsets} to Kafka")


class ProjectorDyingBeforeTheDatabaseCommit(Projector):
    """Dies inside its first batch: the transaction never commits."""

    def apply(self, envelopes: Any, tracking: Any) -> None:
        raise SimulatedCrash(f"killed while applying {len(envelopes)} envelopes")


@pytest.mark.parametrize(
    "dying", [ProjectorDyingAfterTheDatabaseCommit, ProjectorDyingBeforeTheDatabaseCommit]
)
def test_a_projector_killed_mid_batch_resumes_to_the_sameread_models(
    platform: Platform, dying: type[Projector]
) -> None:
    farm = Farm(platform.records)
    last = farm.harvest(4)
    relay = platform.start_relay()
    assert relay.wait_for(last, WAIT_SECONDS)

    platform.start_projector(dying)
    platform.join_crashed(SimulatedCrash)
    platform.start_projector()  # the restarted process
    platform.wait_for(last)

    platform.assert_equal_to_a_rebuild()


# (d) a broker outage longer than the delivery timeout: how soon publishing resumes ----------------


class RelayTimingAcknowledgements(Relay):
    """The real relay, noting when each acknowledged round reached its checkpoint."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acknowledged_at: list[tuple[float, int]] = []

    def record_checkpoint(self, position: int, offsets: dict[int, int]) -> None:
        super().record_checkpoint(position, offsets)
        self.acknowledged_at.append((time.monotonic(), position))


def _first_answer(bootstrap: str, starting: subprocess.Popen[bytes]) -> float:
    """The moment the broker first answers a metadata request (probed every 50 ms)."""

    def answered_at() -> float | None:
        try:
            with KafkaAdminClient(
                bootstrap_servers=bootstrap, bootstrap_timeout_ms=200, request_timeout_ms=1000
            ) as admin:
                admin.list_topics()
        except Exception:  # any failure means "not yet"
            assert starting.poll() in (None, 0), "the broker did not start"
            return None
        return time.monotonic()

    return eventually(
        answered_at, within=WAIT_SECONDS, what="the broker answering again", every=0.05
    )


def test_after_an_outage_longer_than_the_delivery_timeout_publishing_resumes_at_once(
    fresh_database_admin_url: str,
    separate_broker: SeparateBroker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The production settings, so the figure printed is the one an operator gets.
    platform = Platform(fresh_database_admin_url, separate_broker.bootstrap)
    delivery_timeout = platform.relay_settings.relay_delivery_timeout_ms / 1000
    try:
        platform.create_topic()
        farm = Farm(platform.records)
        relay = platform.start_relay(RelayTimingAcknowledgements)
        assert isinstance(relay, RelayTimingAcknowledgements)
        before = farm.harvest(2)
        assert relay.wait_for(before, WAIT_SECONDS)

        caplog.set_level(logging.WARNING, logger="services.relay.relay")
        separate_broker.kill()
        killed_at = time.monotonic()
        during = farm.harvest(3)  # captured while the broker is down
        # The round expires in the producer only once the outage outlasts the delivery timeout.
        _wait_for_log(caplog, "did not acknowledge")
        assert time.monotonic() - killed_at >= delivery_timeout
        # ... and goes on long enough for every backoff to grow to its ceiling.
        _wait_for_log(caplog, "attempt 4")
        assert platform.relay_checkpoint() == before  # nothing acknowledged, nothing recorded

        starting = subprocess.Popen(
            [str(SeparateBroker.SCRIPT), "start"],
            env=separate_broker.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        answered_at = _first_answer(separate_broker.bootstrap, starting)
        assert starting.wait(timeout=180) == 0
        assert relay.wait_for(during, WAIT_SECONDS)
        after = farm.harvest(1)
        assert relay.wait_for(after, WAIT_SECONDS)

        resumed_at = next(t for t, position in relay.acknowledged_at if position > before)
        print(
            f"\nrelay catch-up after a {answered_at - killed_at:.1f} s broker outage"
            f" (delivery timeout {delivery_timeout:.0f} s):"
            f" {resumed_at - answered_at:.2f} s from the broker answering again"
            " to the first new acknowledged publish"
        )
        by_partition = platform.published_by_partition(after)
        assert all(ps == sorted(ps) for ps in by_partition.values())  # in order
        assert sorted(p for ps in by_partition.values() for p in ps) == list(range(1, after + 1))
        assert platform.relay_checkpoint() == after
    finally:
        platform.stop()
