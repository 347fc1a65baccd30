"""docker-compose.yml is valid for Debian's docker-compose and has the production shape.

No Docker engine runs here; ``docker-compose config`` validates and normalises the file
without one. The normalised output is read instead of the raw file, so anchors and merges
are already resolved (and no YAML library is needed).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPOSITORY / "docker-compose.yml"
REQUIRED_SECRETS = ("POSTGRES_PASSWORD", "NGUON_APP_DB_PASSWORD", "NGUON_SESSION_SECRET")
REQUIRED_VARIABLES = (*REQUIRED_SECRETS, "NGUON_PUBLIC_BASE_URL")
PLATFORM_SERVICES = ("migrate", "kafka-init", "capture", "web", "staff", "relay", "projector")
HEALTHCHECKED_SERVICES = ("postgres", "kafka", "capture", "web", "staff")


def _docker_compose(*arguments: str, **variables: str) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("docker-compose")
    if executable is None:
        pytest.fail(
            "docker-compose is not installed: run `make test`, which installs Debian's "
            "docker-compose, or `apt-get install -y docker-compose`",
            pytrace=False,
        )
    environment = {k: v for k, v in os.environ.items() if k not in REQUIRED_VARIABLES}
    environment.update(variables)
    return subprocess.run(
        [executable, "--project-directory", str(REPOSITORY), "-f", str(COMPOSE_FILE), *arguments],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )


def _example_variables() -> dict[str, str]:
    return {
        "POSTGRES_PASSWORD": "owner-password-for-this-test",
        "NGUON_APP_DB_PASSWORD": "app-password-for-this-test",
        "NGUON_SESSION_SECRET": "session-secret-for-this-test-0123456789abcdef",
        "NGUON_PUBLIC_BASE_URL": "https://truy-xuat.example.vn",
    }


def _service_keys(normalised: str) -> dict[str, set[str]]:
    """Maps each service to its top-level keys, from `docker-compose config` output."""
    services: dict[str, set[str]] = {}
    in_services = False
    current: str | None = None
    for line in normalised.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        if indent == 0 and line.strip():
            in_services = line.rstrip() == "services:"
            current = None
        elif in_services and indent == 2 and line.rstrip().endswith(":"):
            current = line.strip().removesuffix(":")
            services[current] = set()
        elif in_services and current is not None and indent == 4 and ":" in line:
            services[current].add(line.strip().split(":", 1)[0])
    return services


def test_the_compose_file_is_valid_for_docker_compose() -> None:
    result = _docker_compose("config", "-q", **_example_variables())

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("secret", REQUIRED_SECRETS)
def test_the_compose_file_refuses_to_run_without_a_password(secret: str) -> None:
    variables = _example_variables()
    del variables[secret]

    result = _docker_compose("config", "-q", **variables)

    assert result.returncode != 0
    assert secret in result.stderr


def test_the_platform_runs_as_separate_services_beside_postgres_and_kafka() -> None:
    result = _docker_compose("config", **_example_variables())
    assert result.returncode == 0, result.stderr

    services = _service_keys(result.stdout)

    assert set(services) == {"postgres", "kafka", *PLATFORM_SERVICES}
    for name in HEALTHCHECKED_SERVICES:
        assert "healthcheck" in services[name], f"{name} has no healthcheck"
    for name in PLATFORM_SERVICES:
        assert {"build", "image", "command", "environment", "depends_on"} <= services[name], name


def test_the_platform_services_wait_for_the_migration_to_finish() -> None:
    result = _docker_compose("config", **_example_variables())
    assert result.returncode == 0, result.stderr

    # capture, web, staff, relay and projector wait for the migration; relay and projector
    # also for the topic
    assert result.stdout.count("condition: service_completed_successfully") == 7
    assert "NGUON_KAFKA_BOOTSTRAP_SERVERS: kafka:9092" in result.stdout
    assert "NGUON_ENVIRONMENT: production" in result.stdout


def test_only_the_migration_holds_the_database_owners_credentials() -> None:
    result = _docker_compose("config", **_example_variables())
    assert result.returncode == 0, result.stderr

    owner = "postgresql://nguon:owner-password-for-this-test@postgres:5432/nguon"
    assert result.stdout.count(owner) == 1
    migrate = result.stdout.split("\n  migrate:", 1)[1].split("\n  p", 1)[0]
    assert owner in migrate


def test_the_events_topic_is_created_before_the_relay_and_projector_start() -> None:
    result = _docker_compose("config", **_example_variables())
    assert result.returncode == 0, result.stderr

    kafka_init = result.stdout.split("\n  kafka-init:", 1)[1].split("\n  migrate:", 1)[0]
    assert "- kafka\n" in kafka_init
    assert "- init\n" in kafka_init
    for name in ("relay", "projector"):
        block = re.split(r"\n  (?=\S)", result.stdout.split(f"\n  {name}:", 1)[1])[0]
        assert "kafka-init:" in block, name
