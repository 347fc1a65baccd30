"""Session fixtures for the real PostgreSQL and Kafka that ``make test`` starts.

The servers are started once, outside pytest, by ``deploy/local/postgres.sh`` and
``deploy/local/kafka.sh``; their addresses come in through environment variables. Every test
gets fresh names (its own database, a uuid topic, a uuid consumer group) so tests never see
each other's data. A missing address is a failure, not a skip: a green run must have used the
real servers.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit, urlunsplit

import psutil
import psycopg
import pytest
from kafka import KafkaAdminClient
from psycopg import sql


@pytest.fixture(scope="session", autouse=True)
def _no_process_left_behind(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The suite leaves no embedded PostgreSQL running: each one a test started (its data in
    the session's temporary folder) must have been stopped by the command that started it."""
    yield
    base = str(tmp_path_factory.getbasetemp())
    left = [
        p.info["cmdline"]
        for p in psutil.process_iter(["cmdline"])
        if base in " ".join(p.info["cmdline"] or [])
    ]
    assert not left, f"processes left running after the tests: {left}"


POSTGRES_ADMIN_URL_VARIABLE = "NGUON_TEST_DATABASE_ADMIN_URL"
KAFKA_BOOTSTRAP_SERVERS_VARIABLE = "NGUON_TEST_KAFKA_BOOTSTRAP_SERVERS"
FRESH_TOPIC_PARTITIONS = 3


def _address_from_environment(variable: str, start_command: str, example: str) -> str:
    value = os.environ.get(variable, "").strip()
    if not value:
        pytest.fail(
            f"{variable} is not set, so this test has no server to use. Run `make test`, "
            f"or start the server with `{start_command}` and export {variable}={example}",
            pytrace=False,
        )
    return value


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    """The superuser URL of the test PostgreSQL server (deploy/local/postgres.sh)."""
    return _address_from_environment(
        POSTGRES_ADMIN_URL_VARIABLE,
        "deploy/local/postgres.sh start",
        "$(deploy/local/postgres.sh url)",
    )


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


@pytest.fixture
def make_fresh_database(postgres_admin_url: str) -> Iterator[Callable[[], str]]:
    """Creates empty databases on demand; drops every one of them after the test."""
    created: list[str] = []

    def create() -> str:
        name = f"nguon_t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(postgres_admin_url, autocommit=True, connect_timeout=10) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        created.append(name)
        return _with_database(postgres_admin_url, name)

    yield create
    with psycopg.connect(postgres_admin_url, autocommit=True, connect_timeout=10) as admin:
        for name in created:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture
def fresh_database_admin_url(make_fresh_database: Callable[[], str]) -> str:
    """The superuser URL of a new, empty database of this test's own."""
    return make_fresh_database()


@pytest.fixture(scope="session")
def kafka_bootstrap_servers() -> str:
    """The test Kafka broker (deploy/local/kafka.sh), as ``host:port[,host:port]``."""
    return _address_from_environment(
        KAFKA_BOOTSTRAP_SERVERS_VARIABLE, "deploy/local/kafka.sh start", "127.0.0.1:59092"
    )


@pytest.fixture(scope="session")
def kafka_admin(kafka_bootstrap_servers: str) -> Iterator[KafkaAdminClient]:
    admin = KafkaAdminClient(
        bootstrap_servers=kafka_bootstrap_servers, client_id="nguon-tests-admin"
    )
    yield admin
    admin.close()


@pytest.fixture
def fresh_topic(kafka_admin: KafkaAdminClient) -> Iterator[str]:
    """A new topic of this test's own: 3 partitions, replication factor 1, deleted afterwards."""
    name = f"nguon-test-{uuid.uuid4().hex}"
    kafka_admin.create_topics(
        {name: {"num_partitions": FRESH_TOPIC_PARTITIONS, "replication_factor": 1}},
        wait_for_metadata=True,
    )
    yield name
    kafka_admin.delete_topics([name])


@pytest.fixture
def fresh_consumer_group() -> str:
    """A consumer group id no other test uses, so it starts with no committed offsets."""
    return f"nguon-test-{uuid.uuid4().hex}"
