"""Migrations of two databases at once share one thing, the services' role: it belongs to the
cluster, so the migration's advisory lock (one per database) does not keep them apart."""

from __future__ import annotations

import threading
import time
import uuid

import psycopg
from psycopg import sql

from shared.postgres.migrate import _ensure_role

JOIN_SECONDS = 30.0


def _waiting_on_create_role(admin_url: str) -> bool:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE query LIKE 'CREATE ROLE%%' AND wait_event_type = 'Lock'"
        ).fetchone()
    return bool(row and row[0])


def test_a_role_another_migration_creates_at_the_same_moment_is_taken_as_it_is(
    postgres_admin_url: str,
) -> None:
    role = f"nguon_t_role_{uuid.uuid4().hex[:10]}"
    errors: list[BaseException] = []

    def second_migration() -> None:
        try:
            with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
                _ensure_role(conn, role, "a-password-for-this-test")
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    try:
        with psycopg.connect(postgres_admin_url) as first:  # its CREATE ROLE not committed yet
            first.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
            second = threading.Thread(target=second_migration)
            second.start()
            deadline = time.monotonic() + JOIN_SECONDS
            while not _waiting_on_create_role(postgres_admin_url):
                assert time.monotonic() < deadline, "the second CREATE ROLE never waited"
                time.sleep(0.05)  # until the second one waits on the first's row
            first.commit()
            second.join(JOIN_SECONDS)

        assert not second.is_alive()
        assert errors == []
    finally:
        with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
