"""``nguon token create|list|revoke`` as an operator types them, on a real PostgreSQL.

The commands run in this process through Typer's runner (the same code path as the installed
``nguon`` script), with the ``NGUON_*`` variables an operator would set.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from services.platform.cli import app
from services.platform.composition import records_only
from services.platform.settings import PlatformSettings
from shared.domain import clock
from shared.postgres.urls import with_user

RUNNER = CliRunner()


@pytest.fixture
def env(fresh_database_admin_url: str) -> dict[str, str]:
    """An operator's variables, on a database ``nguon db migrate`` has prepared (the token
    commands use the services' role and refuse a database that is not migrated)."""
    variables = {
        "NGUON_DATABASE_URL": with_user(fresh_database_admin_url, "nguon_app"),
        "NGUON_DATABASE_ADMIN_URL": fresh_database_admin_url,
    }
    status, out, err = _nguon(variables, "db", "migrate")
    assert status == 0, out + err
    return variables


def _nguon(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = RUNNER.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def _settings(env: dict[str, str]) -> PlatformSettings:
    return PlatformSettings(
        database_url=SecretStr(env["NGUON_DATABASE_URL"]),
        database_admin_url=SecretStr(env["NGUON_DATABASE_ADMIN_URL"]),
    )


def test_a_cooperative_token_without_its_organisation_is_a_clear_error(
    env: dict[str, str],
) -> None:
    status, out, err = _nguon(env, "token", "create", "--role", "cooperative")

    assert status == 2
    assert "Traceback" not in out + err
    assert "a cooperative token acts for one organisation" in err
    assert "--organisation" in err
    with records_only(_settings(env)) as side:
        assert side.tokens.list() == []


def test_listing_shows_each_token_without_its_secret_and_revoking_stops_it(
    env: dict[str, str],
) -> None:
    _, token, _ = _nguon(
        env,
        "token",
        "create",
        "--role",
        "province",
        "--label",
        "Sở NN&MT",
        "--expires-in-days",
        "30",
    )
    token = token.strip()
    with records_only(_settings(env)) as side:
        (listed,) = side.tokens.list()
        assert side.tokens.resolve(token) is not None

    status, table, _ = _nguon(env, "token", "list")

    assert status == 0
    assert str(listed.id) in table
    assert "Sở NN&MT" in table
    assert "province" in table
    assert "active" in table
    assert token not in table
    assert listed.expires_at is not None
    assert abs(listed.expires_at - (datetime.now(UTC) + timedelta(days=30))) < timedelta(minutes=5)

    assert _nguon(env, "token", "revoke", str(listed.id))[0] == 0
    _, table, _ = _nguon(env, "token", "list")
    assert "revoked" in table
    with records_only(_settings(env)) as side:
        assert side.tokens.resolve(token) is None


def test_a_token_expiring_on_a_day_works_through_that_day_in_vietnam(
    env: dict[str, str],
) -> None:
    day = clock.today_in_vietnam() + timedelta(days=10)
    status, _, _ = _nguon(
        env, "token", "create", "--role", "admin", "--expires-on", day.isoformat()
    )

    assert status == 0
    with records_only(_settings(env)) as side:
        (listed,) = side.tokens.list()
    assert listed.expires_at == clock.start_of_day_in_vietnam(day + timedelta(days=1))
    assert clock.in_vietnam(listed.expires_at).hour == 0


def test_revoking_an_unknown_token_is_a_clear_error(env: dict[str, str]) -> None:
    status, out, err = _nguon(env, "token", "revoke", "3f1d5a8e-0000-4000-8000-000000000000")

    assert status == 2
    assert "Traceback" not in out + err
    assert "nguon token list" in err


def test_both_kinds_of_expiry_at_once_are_refused(env: dict[str, str]) -> None:
    status, _, err = _nguon(
        env,
        "token",
        "create",
        "--role",
        "admin",
        "--expires-in-days",
        "3",
        "--expires-on",
        "2031-01-01",
    )
    assert status == 2
    assert "not both" in err
