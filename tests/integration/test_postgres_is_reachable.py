"""The test PostgreSQL server answers, and each test's database is its own."""

from __future__ import annotations

from collections.abc import Callable

import psycopg


def test_the_server_is_postgresql_18(postgres_admin_url: str) -> None:
    with psycopg.connect(postgres_admin_url) as connection:
        version = connection.execute("SHOW server_version_num").fetchone()
    assert version is not None
    assert int(version[0]) // 10000 == 18


def test_a_fresh_database_is_empty_and_writable(fresh_database_admin_url: str) -> None:
    with psycopg.connect(fresh_database_admin_url) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
        connection.execute("CREATE TABLE harvest (lot text PRIMARY KEY, kilograms integer)")
        connection.execute("INSERT INTO harvest VALUES ('TH-2026-000123', 1200)")
        stored = connection.execute("SELECT kilograms FROM harvest").fetchone()
    assert tables == (0,)
    assert stored == (1200,)


def test_a_table_made_in_one_fresh_database_is_not_in_another(
    fresh_database_admin_url: str, make_fresh_database: Callable[[], str]
) -> None:
    with psycopg.connect(fresh_database_admin_url) as first:
        first.execute("CREATE TABLE harvest (lot text PRIMARY KEY)")
    other_url = make_fresh_database()

    with psycopg.connect(other_url) as other:
        found = other.execute("SELECT to_regclass('public.harvest')").fetchone()
        database = other.execute("SELECT current_database()").fetchone()

    assert found == (None,)
    assert database is not None
    assert other_url.endswith(f"/{database[0]}")
    assert other_url != fresh_database_admin_url
