"""Table shapes several projections keep a copy of, and what rebuilds share."""

from __future__ import annotations

from collections.abc import Iterable

from shared.readmodels.lineage import EDGE_DDL


def organisations(table: str) -> str:
    return f"""CREATE TABLE IF NOT EXISTS {table} (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        name text NOT NULL,
        registration_number text,
        tax_code text,
        address text,
        commune text NOT NULL,
        former_district text,
        province text NOT NULL,
        sector text,
        founded date,
        members_count integer,
        model text,
        status text NOT NULL DEFAULT 'active',
        publish_quantities boolean NOT NULL DEFAULT false)"""


def chains(chains: str, participants: str) -> list[str]:
    return [
        f"""CREATE TABLE IF NOT EXISTS {chains} (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        commodity text NOT NULL,
        lead_organisation_id uuid NOT NULL)""",
        # Participation over time: leaving dates the row, never deletes it. A row per joining
        # (``position`` of the event), so an organisation that leaves and joins again has two.
        # Current participants: ``left_on IS NULL``.
        f"""CREATE TABLE IF NOT EXISTS {participants} (
        value_chain_id uuid NOT NULL,
        organisation_id uuid NOT NULL,
        role text NOT NULL,
        position bigint NOT NULL,
        joined_on date NOT NULL,
        left_on date,
        left_reason text,
        PRIMARY KEY (value_chain_id, organisation_id, role, position))""",
        f"""CREATE INDEX IF NOT EXISTS {participants}_organisation
        ON {participants} (organisation_id)""",
    ]


def edges(table: str) -> list[str]:
    return [
        f"CREATE TABLE IF NOT EXISTS {table} {EDGE_DDL}",
        f"CREATE INDEX IF NOT EXISTS {table}_child ON {table} (child_id)",
    ]


# In creation order: a chunk then holds batches and their near ancestors, loaded once for all.
CREATED = (
    "SELECT aggregate_id FROM {table} WHERE type IN ('Batch.Harvested', 'Batch.Produced')"
    " ORDER BY position"
)
CHUNK = 2_000


def chunks(ids: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]
