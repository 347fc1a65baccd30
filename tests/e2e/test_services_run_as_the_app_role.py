"""Only ``nguon db migrate`` holds the owner's credentials; services run as the app role alone.

A service started with nothing but the app role's URL works on a migrated database, and on
one that is not migrated (or migrated by another version) it refuses to start, saying what to
do, instead of dying on ``permission denied for schema public``.
"""

from __future__ import annotations

import signal
import subprocess
import urllib.request
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from pydantic import SecretStr

from services.platform.settings import PlatformSettings
from shared.database import current_schema_version, prepare, service_url
from shared.postgres.migrate import SCHEMA_VERSION_TABLE, SchemaNotReady
from shared.postgres.urls import with_user
from tests.e2e.test_nguon_command import _free_port
from tests.e2e.test_stopping import NGUON, _environment, _wait_for_http, started

APP_ROLE = "nguon_app"


def _migrated(admin_url: str) -> str:
    app_url = with_user(admin_url, APP_ROLE)
    prepare(
        PlatformSettings(database_url=SecretStr(app_url), database_admin_url=SecretStr(admin_url))
    )
    return app_url


def test_serve_web_with_only_the_app_roles_url_starts_on_a_migrated_database(
    fresh_database_admin_url: str, tmp_path: Path
) -> None:
    port = _free_port()
    env = _environment(NGUON_DATABASE_URL=_migrated(fresh_database_admin_url))
    with started(["serve-web", "--port", str(port)], env, tmp_path / "log") as process:
        _wait_for_http(f"http://127.0.0.1:{port}/healthz", process)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0


def test_serve_web_refuses_an_unmigrated_database_and_says_what_to_do(
    make_fresh_database: Callable[[], str],
) -> None:
    _migrated(make_fresh_database())  # the role exists on the server, as after any migration
    unmigrated = with_user(make_fresh_database(), APP_ROLE)

    refused = subprocess.run(
        [*NGUON, "serve-web", "--port", str(_free_port())],
        env=_environment(NGUON_DATABASE_URL=unmigrated),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert refused.returncode != 0
    assert "is not migrated" in refused.stderr
    assert "nguon db migrate" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_service_refuses_a_schema_left_by_another_version(
    fresh_database_admin_url: str,
) -> None:
    app_url = _migrated(fresh_database_admin_url)
    with psycopg.connect(fresh_database_admin_url, autocommit=True) as owner:
        owner.execute(f"UPDATE {SCHEMA_VERSION_TABLE} SET version = 'an-older-one'")

    with pytest.raises(SchemaNotReady, match="is at schema version an-older-one"):
        service_url(PlatformSettings(database_url=SecretStr(app_url)))


def test_migrating_records_the_version_the_services_check(fresh_database_admin_url: str) -> None:
    app_url = _migrated(fresh_database_admin_url)

    assert service_url(PlatformSettings(database_url=SecretStr(app_url))) == app_url
    with psycopg.connect(app_url, autocommit=True) as conn:
        row = conn.execute(f"SELECT version FROM {SCHEMA_VERSION_TABLE}").fetchone()
    assert row == (current_schema_version(),)


def test_the_app_role_cannot_claim_a_schema_version(fresh_database_admin_url: str) -> None:
    app_url = _migrated(fresh_database_admin_url)

    with (
        psycopg.connect(app_url, autocommit=True) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute(f"UPDATE {SCHEMA_VERSION_TABLE} SET version = 'mine'")


def test_the_db_migrate_command_uses_the_owner_and_prints_the_version(
    fresh_database_admin_url: str,
) -> None:
    env = _environment(
        NGUON_DATABASE_URL=with_user(fresh_database_admin_url, APP_ROLE),
        NGUON_DATABASE_ADMIN_URL=fresh_database_admin_url,
    )

    migrated = subprocess.run(
        [*NGUON, "db", "migrate"], env=env, capture_output=True, text=True, timeout=60, check=True
    )

    assert f"schema version {current_schema_version()}" in migrated.stdout


def test_serve_staff_with_only_the_app_roles_url_answers_the_sign_in_page(
    fresh_database_admin_url: str, tmp_path: Path
) -> None:
    port = _free_port()
    env = _environment(NGUON_DATABASE_URL=_migrated(fresh_database_admin_url))
    with started(["serve-staff", "--port", str(port)], env, tmp_path / "log") as process:
        _wait_for_http(f"http://127.0.0.1:{port}/healthz", process)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", timeout=10) as page:
            assert page.status == 200
            assert "Đăng nhập" in page.read().decode()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
