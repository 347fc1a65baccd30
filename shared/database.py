"""Where the platform's PostgreSQL is, and making it ready: the one start-up path for every mode.

Embedded (no ``NGUON_DATABASE_URL``): start the wheel's server in ``NGUON_DATA_DIR`` and use its
superuser as owner. Otherwise: the owner is ``NGUON_DATABASE_ADMIN_URL`` (or the services' URL).
Either way the services connect as the append-only role.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.postgres.embedded import start_embedded
from shared.postgres.migrate import migrate
from shared.postgres.urls import password_of, user_of, with_user
from shared.readmodels.schema import DDL
from shared.settings import NguonSettings


@dataclass(frozen=True)
class DatabaseUrls:
    admin: str  # the owner: migrations only
    app: str  # the services' role


def locate(settings: NguonSettings) -> DatabaseUrls:
    if settings.database_url is None:
        admin = start_embedded(settings.data_dir)
        return DatabaseUrls(admin=admin, app=with_user(admin, settings.app_role))
    app = settings.database_url.get_secret_value()
    admin = settings.database_admin_url.get_secret_value() if settings.database_admin_url else app
    return DatabaseUrls(admin=admin, app=app)


def prepare(settings: NguonSettings) -> DatabaseUrls:
    """Locates the database and migrates it; returns the URLs the services use."""
    urls = locate(settings)
    role = user_of(urls.app) if settings.database_url is not None else settings.app_role
    migrate(urls.admin, role, password_of(urls.app), extra_ddl=DDL)
    return urls
