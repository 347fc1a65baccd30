"""SIGTERM stops every ``nguon`` command cleanly, and nothing it started is left running.

SIGTERM is how ``docker stop``, systemd and Kubernetes stop a process. Each command is started
as an operator starts it, on the embedded PostgreSQL (``serve``, ``demo``) or on the test
server as the services' role; once it is ready it gets SIGTERM, and then every process of its
tree (workers, the embedded server's postmaster and its children, which the postmaster's
daemonising takes out of the tree: they are found by their data folder) must be gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import psutil
import pytest
from pydantic import SecretStr

from services.platform.settings import PlatformSettings
from shared.database import prepare
from shared.postgres.urls import with_user
from tests.e2e.test_nguon_command import _free_port
from tests.eventually import answers, eventually

NGUON = [sys.executable, "-m", "services.platform"]
STARTUP_SECONDS = 120.0
STOP_SECONDS = 60.0


def _environment(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NGUON_")}
    return {**env, **overrides}


def _on_the_test_server(admin_url: str, **more: str) -> dict[str, str]:
    """The services' role only, on a database ``nguon db migrate`` has prepared."""
    app_url = with_user(admin_url, "nguon_app")
    prepare(
        PlatformSettings(database_url=SecretStr(app_url), database_admin_url=SecretStr(admin_url))
    )
    return _environment(NGUON_DATABASE_URL=app_url, **more)


def _wait_for_http(url: str, process: subprocess.Popen[str]) -> None:
    eventually(
        lambda: process.poll() is not None or answers(url),
        within=STARTUP_SECONDS,
        what=lambda: f"{url} answering (exit status {process.poll()})",
    )
    assert process.poll() is None, f"{url} did not answer (exit status {process.poll()})"


def _wait_for_line(stream: IO[str], needle: str) -> list[str]:
    seen: list[str] = []
    for line in stream:
        seen.append(line.rstrip())
        if needle in line:
            return seen
    pytest.fail(f"the command ended without logging {needle!r}: {seen[-20:]}")


def _tree(process: subprocess.Popen[str], data_dir: Path | None) -> list[psutil.Process]:
    """The command, its descendants, and any PostgreSQL server keeping its data in data_dir."""
    root = psutil.Process(process.pid)
    found = [root, *root.children(recursive=True)]
    if data_dir is not None:
        for candidate in psutil.process_iter(["cmdline"]):
            if str(data_dir) in " ".join(candidate.info["cmdline"] or []):
                found += [candidate, *candidate.children(recursive=True)]
    return list({p.pid: p for p in found}.values())


@contextmanager
def started(
    command: list[str], env: dict[str, str], log: Path, *, pipe_stderr: bool = False
) -> Iterator[subprocess.Popen[str]]:
    with log.open("w") as out:
        process = subprocess.Popen(
            [*NGUON, *command],
            env=env,
            text=True,
            stdout=out,
            stderr=subprocess.PIPE if pipe_stderr else subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def _terminate_and_find_nothing_left(
    process: subprocess.Popen[str], data_dir: Path | None, log: Path
) -> None:
    tree = _tree(process, data_dir)
    process.send_signal(signal.SIGTERM)
    if process.stderr is not None:
        process.stderr.read()  # drain: a full pipe would block the stopping process
    status = process.wait(timeout=STOP_SECONDS)
    _, alive = psutil.wait_procs(tree, timeout=STOP_SECONDS)

    assert status == 0, log.read_text()[-3000:]
    assert not alive, [p.as_dict(attrs=["pid", "name", "cmdline"]) for p in alive]


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_sigterm_stops_the_one_process_platform_and_its_embedded_postgres(
    command: str, tmp_path: Path
) -> None:
    port = _free_port()
    data_dir = tmp_path / "data"
    env = _environment(NGUON_DATA_DIR=str(data_dir))
    with started([command, "--port", str(port)], env, tmp_path / "log") as process:
        _wait_for_http(f"http://127.0.0.1:{port}/healthz", process)
        assert _tree(process, data_dir)[1:], "the embedded PostgreSQL should be running"

        _terminate_and_find_nothing_left(process, data_dir, tmp_path / "log")


@pytest.mark.parametrize(
    ("command", "workers"),
    [("serve-capture", "2"), ("serve-web", "1"), ("serve-web", "2")],
)
def test_sigterm_stops_a_web_service_and_its_workers(
    command: str, workers: str, fresh_database_admin_url: str, tmp_path: Path
) -> None:
    port = _free_port()
    env = _on_the_test_server(
        fresh_database_admin_url, NGUON_CAPTURE_WORKERS=workers, NGUON_WEB_WORKERS=workers
    )
    with started([command, "--port", str(port)], env, tmp_path / "log") as process:
        _wait_for_http(f"http://127.0.0.1:{port}/healthz", process)

        _terminate_and_find_nothing_left(process, None, tmp_path / "log")


@pytest.mark.kafka
@pytest.mark.parametrize(
    ("command", "ready", "stopped"),
    [
        ("relay", "resumes after position", "stopped at position"),
        ("projector", "joined group", "stopped"),
    ],
)
def test_sigterm_stops_a_kafka_service_after_its_current_round(
    command: str,
    ready: str,
    stopped: str,
    fresh_database_admin_url: str,
    kafka_bootstrap_servers: str,
    tmp_path: Path,
) -> None:
    prefix = f"nguon-stop-{uuid.uuid4().hex[:10]}"
    env = _on_the_test_server(
        fresh_database_admin_url,
        NGUON_KAFKA_BOOTSTRAP_SERVERS=kafka_bootstrap_servers,
        NGUON_KAFKA_TOPIC_PREFIX=prefix,
        NGUON_PROJECTOR_GROUP_ID=prefix,
    )
    subprocess.run([*NGUON, "kafka", "init"], env=env, check=True, capture_output=True)
    with started([command], env, tmp_path / "log", pipe_stderr=True) as process:
        assert process.stderr is not None
        _wait_for_line(process.stderr, ready)
        tree = _tree(process, None)
        process.send_signal(signal.SIGTERM)
        after = _wait_for_line(process.stderr, stopped)
        process.stderr.read()
        status = process.wait(timeout=STOP_SECONDS)
        _, alive = psutil.wait_procs(tree, timeout=STOP_SECONDS)

    assert status == 0, after
    assert not alive


def test_after_a_crash_the_next_platform_still_stops_its_embedded_postgres(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    env = _environment(NGUON_DATA_DIR=str(data_dir))
    port = _free_port()
    with started(["serve", "--port", str(port)], env, tmp_path / "crashed") as crashed:
        _wait_for_http(f"http://127.0.0.1:{port}/healthz", crashed)
        crashed.kill()  # no cleanup at all: its server keeps running, and counts it as a user
        crashed.wait()

    port = _free_port()
    with started(["serve", "--port", str(port)], env, tmp_path / "log") as process:
        _wait_for_http(f"http://127.0.0.1:{port}/healthz", process)

        _terminate_and_find_nothing_left(process, data_dir, tmp_path / "log")
