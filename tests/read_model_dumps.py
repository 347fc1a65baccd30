"""Compare whole read models: every row of every read-model table, tracking aside."""

from __future__ import annotations

from typing import Any

import psycopg

from shared.readmodels.schema import FACT_TABLES, MATERIALIZED_TABLES


def read_models(admin_url: str) -> dict[str, list[Any]]:
    """Every row of every read-model table, in a stable order."""
    dump: dict[str, list[Any]] = {}
    with psycopg.connect(admin_url) as conn:
        for table in (*FACT_TABLES, *MATERIALIZED_TABLES):
            rows = conn.execute(f"SELECT (to_jsonb(t))::text FROM {table} AS t").fetchall()
            dump[table] = sorted(r[0] for r in rows)
    return dump


def assert_same_read_models(rebuilt: dict[str, list[Any]], live: dict[str, list[Any]]) -> None:
    """Table by table, naming the rows only one side has."""
    differences = {
        table: {
            "only_rebuilt": sorted(set(rebuilt[table]) - set(live[table]))[:3],
            "only_live": sorted(set(live[table]) - set(rebuilt[table]))[:3],
        }
        for table in rebuilt
        if rebuilt[table] != live[table]
    }
    assert not differences, differences
    assert sum(len(rows) for rows in live.values()) > 0
