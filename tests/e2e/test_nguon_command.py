"""The ``nguon`` command as an operator uses it: ``make run``'s demo, and tokens.

``nguon demo`` runs on the embedded PostgreSQL in a folder of the test's own, exactly as
``make run`` does on a fresh machine; it is started twice to show that the data survives and
that seeding again adds nothing.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from pydantic import SecretStr

from services.platform.composition import records_only
from services.platform.settings import PlatformSettings
from shared.postgres.urls import with_user
from tests.eventually import answers, eventually

STARTUP_SECONDS = 120.0
NGUON = [sys.executable, "-m", "services.platform"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def demo_running(data_dir: Path) -> Iterator[tuple[str, list[str]]]:
    """Starts ``nguon demo``; yields its address and what it printed up to being ready."""
    port = _free_port()
    env = {**os.environ, "NGUON_DATA_DIR": str(data_dir)}
    for name in ("NGUON_DATABASE_URL", "NGUON_DATABASE_ADMIN_URL", "NGUON_KAFKA_BOOTSTRAP_SERVERS"):
        env.pop(name, None)
    errors = (data_dir / "demo-stderr.log").open(
        "a"
    )  # kept with the test's folder: a failure's why
    process = subprocess.Popen(
        [*NGUON, "demo", "--port", str(port)],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=errors,
    )
    printed: list[str] = []
    try:
        assert process.stdout is not None
        stdout = process.stdout

        def token_printed() -> bool:
            line = stdout.readline()
            if line:
                printed.append(line.rstrip())
            return not line or line.startswith("Demo token (provincial staff)")

        eventually(token_printed, within=STARTUP_SECONDS, what="the demo's token printed")
        base = f"http://127.0.0.1:{port}"
        _wait_for_http(f"{base}/healthz")
        yield base, printed
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        errors.close()


def _wait_for_http(url: str) -> None:
    eventually(lambda: answers(url), within=STARTUP_SECONDS, what=f"{url} answering")


def _get_json(url: str, token: str | None = None) -> dict[str, object]:
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
        body: dict[str, object] = json.loads(r.read())
        return body


def _sign_in(printed: list[str], who: str) -> tuple[str, str]:
    """The username and one-time code the banner printed for ``who``."""
    line = next(line for line in printed if line.startswith(f"Demo sign-in ({who})"))
    found = re.search(r" as (\S+), one-time code (\S+)$", line)
    assert found is not None, line
    return found.group(1), found.group(2)


def _signs_in_to(base: str, username: str, code: str) -> str:
    """Signs in through the form as a person does; where the answer sends them next."""
    with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as client:
        form = client.get("/sign-in").text
        csrf = re.search(r'name="csrf_token" value="([^"]*)"', form)
        assert csrf is not None
        answer = client.post(
            "/sign-in", data={"csrf_token": csrf.group(1), "username": username, "password": code}
        )
    location: str = answer.headers.get("location", f"status {answer.status_code}")
    return location


def test_the_demo_serves_its_page_and_a_second_start_adds_nothing(tmp_path: Path) -> None:
    with demo_running(tmp_path) as (base, printed):
        page_line = next(line for line in printed if line.startswith("Demo provenance page"))
        page_url = page_line.split(": ", 1)[1].strip()
        token = re.search(r"(ng_\S+)", printed[-1])
        assert token is not None
        first = _get_json(page_url)
        listed = _get_json(f"{base}/api/v1/batches", token.group(1))
        staff, staff_code = _sign_in(printed, "provincial staff")
        cooperative, cooperative_code = _sign_in(printed, "administrator of HTX Thiệu Trung")
        staff_goes_to = _signs_in_to(base, staff, staff_code)
        cooperative_goes_to = _signs_in_to(base, cooperative, cooperative_code)

    assert any(line.startswith(f"Nguồn is running at {base}") for line in printed)
    assert first["code"] == page_url.rsplit("/", 1)[-1]
    assert listed["batches"]
    assert staff_goes_to.startswith("/sign-in/new-password")  # the code let them in, once
    assert cooperative_goes_to.startswith("/sign-in/new-password")

    with demo_running(tmp_path) as (base, printed_again):
        again_url = (
            next(line for line in printed_again if line.startswith("Demo provenance page"))
            .split(": ", 1)[1]
            .strip()
        )
        again = _get_json(again_url)
        _, cooperative_code_again = _sign_in(printed_again, "administrator of HTX Thiệu Trung")
        goes_to_again = _signs_in_to(base, cooperative, cooperative_code_again)

    assert again_url.rsplit("/", 1)[-1] == page_url.rsplit("/", 1)[-1]
    assert again["last_position"] == first["last_position"]  # nothing was stored twice
    assert cooperative_code_again != cooperative_code  # the first was shown once, and used
    assert goes_to_again.startswith("/sign-in/new-password")


def test_a_token_is_printed_once_and_only_its_hash_is_stored(
    fresh_database_admin_url: str,
) -> None:
    env = {
        **os.environ,
        "NGUON_DATABASE_URL": with_user(fresh_database_admin_url, "nguon_app"),
        "NGUON_DATABASE_ADMIN_URL": fresh_database_admin_url,
    }

    subprocess.run(
        [*NGUON, "db", "migrate"], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    created = subprocess.run(
        [*NGUON, "token", "create", "--role", "province"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    refused = subprocess.run(
        [
            *NGUON,
            "token",
            "create",
            "--role",
            "cooperative",
            "--organisation",
            "3f1d5a8e-0000-4000-8000-000000000000",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    token = created.stdout.strip()
    assert token.startswith("ng_")
    settings = PlatformSettings(
        database_url=SecretStr(env["NGUON_DATABASE_URL"]),
        database_admin_url=SecretStr(fresh_database_admin_url),
    )
    with records_only(settings) as side:
        actor = side.tokens.resolve(token)
        with side.connect() as conn:
            rows = conn.execute("SELECT token_hash FROM nguon_tokens").fetchall()
    stored = [row["token_hash"] for row in rows]
    assert actor is not None
    assert actor.role.value == "province"
    assert token not in str(stored)
    assert refused.returncode != 0
    assert "not a registered cooperative" in refused.stderr + refused.stdout


def test_serve_prints_a_few_clear_lines_and_leaves_postgres_output_to_its_log(
    tmp_path: Path,
) -> None:
    port = _free_port()
    data_dir = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NGUON_")}
    env["NGUON_DATA_DIR"] = str(data_dir)
    output = tmp_path / "output"
    with output.open("w") as out:
        process = subprocess.Popen(
            [*NGUON, "serve", "--port", str(port)], env=env, stdout=out, stderr=out, text=True
        )
        try:
            _wait_for_http(f"http://127.0.0.1:{port}/healthz")
        finally:
            process.terminate()
            process.wait(timeout=60)

    printed = output.read_text().splitlines()
    assert any(line.startswith(f"Nguồn is running at http://127.0.0.1:{port}") for line in printed)
    assert len(printed) <= 5, printed
    assert "initdb" not in output.read_text()
    assert "database cluster" in (data_dir / "embedded-postgres.log").read_text()
