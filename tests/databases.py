"""Settings fields for a test's own database: the owner migrates, the services' role connects."""

from __future__ import annotations

from typing import TypedDict

from pydantic import SecretStr

from shared.postgres.urls import with_user

APP_ROLE = "nguon_app"


class DatabaseFields(TypedDict):
    database_url: SecretStr
    database_admin_url: SecretStr


def on_database(admin_url: str) -> DatabaseFields:
    """``SomeSettings(**on_database(url), ...)``: the services connect as the append-only role."""
    return {
        "database_url": SecretStr(with_user(admin_url, APP_ROLE)),
        "database_admin_url": SecretStr(admin_url),
    }
