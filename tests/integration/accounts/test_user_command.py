"""``nguon user create|list|reset|disable`` as an operator types them, on a real PostgreSQL."""

from __future__ import annotations

import re

import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from services.platform.cli import app
from services.platform.composition import records_only
from services.platform.settings import PlatformSettings
from shared.accounts.signing_in import Refused, SignedIn
from shared.postgres.urls import with_user
from shared.records.actors import Role
from tests.builders import a_grower, a_household

RUNNER = CliRunner()
CODE = re.compile(r"one-time code: ([A-Z0-9-]+)")


@pytest.fixture
def env(fresh_database_admin_url: str) -> dict[str, str]:
    variables = {
        "NGUON_DATABASE_URL": with_user(fresh_database_admin_url, "nguon_app"),
        "NGUON_DATABASE_ADMIN_URL": fresh_database_admin_url,
        "NGUON_PUBLIC_BASE_URL": "https://truyxuat.example.vn",
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


def test_the_first_province_account_is_made_from_the_command_line_and_signs_in_with_its_code(
    env: dict[str, str],
) -> None:
    status, out, err = _nguon(
        env, "user", "create", "--username", "+84 912 345 678", "--name", "Lê Thị Hoa",
        "--role", "province",
    )  # fmt: skip

    assert status == 0, out + err
    found = CODE.search(out)
    assert found is not None
    assert "https://truyxuat.example.vn/sign-in" in out
    assert "0912345678" in out
    with records_only(_settings(env)) as side:
        account = side.accounts.store.by_username("0912345678")
        assert account is not None
        assert account.role is Role.PROVINCE
        assert account.created_by is None  # the operator, not an account
        signed = side.accounts.sign_in.attempt("0912345678", found.group(1), "127.0.0.1")
        assert isinstance(signed, SignedIn)
        assert signed.must_set_password


def test_a_cooperative_account_must_name_a_registered_cooperative(env: dict[str, str]) -> None:
    with records_only(_settings(env)) as side:
        grower = a_grower(side.records)
        household = a_household(side.records, grower)
    cooperative = grower.cooperative_id
    base = ["user", "create", "--username", "0912000001", "--name", "Hộ A", "--role"]

    missing = _nguon(env, *base, "cooperative")
    unknown = _nguon(
        env, *base, "cooperative", "--organisation", "0" * 8 + "-0000-4000-8000-" + "0" * 12
    )
    no_household = _nguon(env, *base, "household", "--organisation", str(cooperative))
    plain = _nguon(
        env, *base, "household", "--organisation", str(cooperative), "--household", "HO-1"
    )
    made = _nguon(
        env, *base, "household", "--organisation", str(cooperative), "--household", str(household)
    )

    assert missing[0] == unknown[0] == no_household[0] == plain[0] == 2
    assert "acts for one cooperative" in missing[2]
    assert "is not a registered cooperative" in unknown[2]
    assert "registered member household" in no_household[2]
    assert "register the household first" in plain[2]
    assert "Traceback" not in missing[1] + missing[2]
    assert made[0] == 0, made


def test_list_reset_and_disable_an_account(env: dict[str, str]) -> None:
    created = _nguon(
        env, "user", "create", "--username", "Staff@SNN.vn", "--name", "Cán bộ", "--role", "admin"
    )
    first_code = CODE.search(created[1])
    assert first_code is not None

    listed = _nguon(env, "user", "list")
    assert listed[0] == 0
    assert "staff@snn.vn" in listed[1]
    assert "awaiting_first_sign_in" in listed[1]
    assert first_code.group(1) not in listed[1]

    reset = _nguon(env, "user", "reset", "staff@snn.vn")
    new_code = CODE.search(reset[1])
    assert reset[0] == 0
    assert new_code is not None
    with records_only(_settings(env)) as side:
        sign_in = side.accounts.sign_in
        assert sign_in.attempt("staff@snn.vn", first_code.group(1), "127.0.0.1") == Refused()
        assert isinstance(sign_in.attempt("staff@snn.vn", new_code.group(1), "127.0.0.2"), SignedIn)

    disabled = _nguon(env, "user", "disable", "staff@snn.vn")
    assert disabled[0] == 0
    assert "disabled" in _nguon(env, "user", "list")[1]
    assert _nguon(env, "user", "disable", "nobody@snn.vn")[0] == 2
