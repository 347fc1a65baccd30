"""Who recorded events, as staff pages show them: accounts' names and tokens' labels.

Events record an opaque actor id (``nguon_event_actors``); a staff page turns the ids it shows
into names with one query. Public pages never call this.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from psycopg.rows import dict_row

from shared.postgres.tokens import ConnectionFactory


def names_of(connect: ConnectionFactory, ids: Iterable[UUID]) -> dict[UUID, str]:
    """``{actor id: name}`` for the ids that are accounts (display name) or tokens (label, or
    the token's role when it has no label); unknown ids are left out."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    with connect() as conn:
        rows = (
            conn.cursor(row_factory=dict_row)
            .execute(
                "SELECT id, display_name AS name FROM nguon_accounts WHERE id = ANY(%s)"
                " UNION ALL SELECT id, COALESCE(label, role) FROM nguon_tokens"
                " WHERE id = ANY(%s)",
                (wanted, wanted),
            )
            .fetchall()
        )
    return {row["id"]: str(row["name"]) for row in rows}
