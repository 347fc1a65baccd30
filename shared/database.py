"""Where the platform's PostgreSQL is, and making it ready: migrating (the owner) or checking.

Embedded (no ``NGUON_DATABASE_URL``): start the wheel's server in ``NGUON_DATA_DIR`` and use its
superuser as owner; the process owns that server, so it migrates it itself. Otherwise only
``nguon db migrate`` (:func:`prepare`) connects as the owner, ``NGUON_DATABASE_ADMIN_URL``; the
services (:func:`service_url`) connect as the append-only role alone and refuse to start on a
schema that is not at their version.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.postgres.embedded import release_embedded, start_embedded
from shared.postgres.migrate import check_schema, migrate, schema_version
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
    """The one migration entry point: locates the database and migrates it as its owner."""
    urls = locate(settings)
    role = user_of(urls.app) if settings.database_url is not None else settings.app_role
    migrate(urls.admin, role, password_of(urls.app), extra_ddl=DDL)
    return urls


def current_schema_version() -> str:
    """The schema version this code migrates to, and that its services require."""
    return schema_version(DDL)


def service_url(settings: NguonSettings) -> str:
    """The services' connection, once the schema is known to be at this code's version.

    Raises ``SchemaNotReady`` (a clean exit with what to do) on a database not migrated by
    this version. Never uses the owner's credentials, except for the embedded server.
    """
    if settings.embedded:
        return prepare(settings).app
    app = settings.database_url.get_secret_value() if settings.database_url else ""
    check_schema(app, extra_ddl=DDL)
    return app


def release(settings: NguonSettings) -> None:
    """This process is done with the database: the embedded server stops if it was the last."""
    if settings.embedded:
        release_embedded(settings.data_dir)
