"""The households projection: a cooperative's private registry of member households.

It keeps the values exactly as the events carry them, SEALED (``{"sealed_for", "ciphertext"}``):
they are opened only when a page shows them (:mod:`shared.readmodels.households`), so forgetting
a household (deleting its key) needs no rebuild, and a rebuild brings nothing back. On
``Household.Forgotten`` the sealed values are dropped here too, which is only tidiness: without
the key they were already unreadable.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import psycopg
from psycopg.types.json import Jsonb

from shared.readmodels.projection import Projection
from shared.wire.envelope import Envelope

HOUSEHOLDS = "rm_households"
HOUSEHOLD_PLOTS = "rm_household_plots"


def _sealed(value: Any) -> Jsonb | None:
    return None if value is None else Jsonb(value)


class HouseholdsProjection(Projection):
    """Member households (sealed) and the plots each farms."""

    name: ClassVar[str] = "households"
    version: ClassVar[int] = 1
    tables: ClassVar[tuple[str, ...]] = (HOUSEHOLDS, HOUSEHOLD_PLOTS)

    def ddl(self) -> list[str]:
        return [
            f"""CREATE TABLE IF NOT EXISTS {HOUSEHOLDS} (
            id uuid PRIMARY KEY,
            cooperative_id uuid NOT NULL,
            reference jsonb,
            head_name jsonb,
            phone jsonb,
            registered_at timestamptz NOT NULL,
            forgotten_at timestamptz)""",
            f"CREATE INDEX IF NOT EXISTS {HOUSEHOLDS}_cooperative ON {HOUSEHOLDS} (cooperative_id)",
            f"""CREATE TABLE IF NOT EXISTS {HOUSEHOLD_PLOTS} (
            household_id uuid NOT NULL,
            plot_id uuid NOT NULL,
            PRIMARY KEY (household_id, plot_id))""",
        ]

    def apply(
        self, conn: psycopg.Connection[Any], envelopes: Sequence[Envelope], *, materialize: bool
    ) -> None:
        # Every statement is keyed (an insert on conflict does nothing, an update sets the
        # same value): applying an envelope twice changes nothing.
        for e in envelopes:
            p = e.payload
            if e.type == "Household.Registered":
                conn.execute(
                    f"INSERT INTO {HOUSEHOLDS} (id, cooperative_id, reference, head_name, phone,"
                    " registered_at) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
                    (
                        e.aggregate_id,
                        p["cooperative_id"],
                        _sealed(p["reference"]),
                        _sealed(p.get("head_name")),
                        _sealed(p.get("phone")),
                        e.occurred_at,
                    ),
                )
            elif e.type == "Household.PlotAssigned":
                self._farms(conn, e.aggregate_id, p["plot_id"])
            elif e.type == "Plot.Registered" and p.get("household_id"):
                self._farms(conn, p["household_id"], e.aggregate_id)
            elif e.type == "Household.Forgotten":
                conn.execute(
                    f"UPDATE {HOUSEHOLDS} SET forgotten_at = coalesce(forgotten_at, %s),"
                    " reference = NULL, head_name = NULL, phone = NULL WHERE id = %s",
                    (e.occurred_at, e.aggregate_id),
                )

    @staticmethod
    def _farms(conn: psycopg.Connection[Any], household_id: str, plot_id: str) -> None:
        conn.execute(
            f"INSERT INTO {HOUSEHOLD_PLOTS} (household_id, plot_id) VALUES (%s, %s)"
            " ON CONFLICT DO NOTHING",
            (household_id, plot_id),
        )
