"""The organisation directory: cooperatives and enterprises, and the chains they take part in.

For staff pages and the provincial dashboard (not the public page): current model and status of
each cooperative, where it is (commune, former district), its sector and members, and the
value chains with each organisation's roles.
"""

from __future__ import annotations

from typing import Any, TypedDict
from uuid import UUID

import psycopg
from psycopg import sql

from shared.readmodels.tracking import Connect, session


class ChainRole(TypedDict):
    value_chain_id: str
    name: str
    commodity: str
    roles: list[str]


class DirectoryEntry(TypedDict):
    id: str
    kind: str  # cooperative | enterprise
    name: str
    registration_number: str | None  # cooperatives
    tax_code: str | None  # enterprises
    commune: str
    former_district: str | None
    province: str
    sector: str | None
    members_count: int | None
    model: str | None  # new | old (cooperatives)
    status: str  # active, suspended, dissolving, dissolved, converted
    chains: list[ChainRole]


_COLUMNS = (
    "id, kind, name, registration_number, tax_code, commune, former_district, province,"
    " sector, members_count, model, status"
)
_ORGANISATIONS = "rm_directory_organisations"  # the directory projection's own tables
_FILTERS = ("kind", "commune", "former_district", "sector", "model", "status")


class Directory:
    def __init__(self, connect: Connect) -> None:
        self._connect = connect

    def organisations(self, **filters: str | None) -> list[DirectoryEntry]:
        """Organisations by name; filters: kind, commune, former_district, sector, model, status."""
        unknown = set(filters) - set(_FILTERS)
        if unknown:
            raise ValueError(f"unknown directory filters: {', '.join(sorted(unknown))}")
        given = [(k, v) for k, v in filters.items() if v is not None]
        where = (
            sql.SQL(" AND ").join(sql.SQL("{} = %s").format(sql.Identifier(k)) for k, _ in given)
            if given
            else sql.SQL("true")
        )
        query = sql.SQL(
            f"SELECT {_COLUMNS} FROM rm_directory_organisations WHERE {{}} ORDER BY name, id"
        )
        with session(self._connect) as conn:
            rows = conn.execute(query.format(where), [v for _, v in given]).fetchall()
            chains = _chains(conn, [str(r[0]) for r in rows])
        return [_entry(row, chains.get(str(row[0]), [])) for row in rows]

    def organisation(self, organisation_id: UUID) -> DirectoryEntry | None:
        with session(self._connect) as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM rm_directory_organisations WHERE id = %s",
                (organisation_id,),
            ).fetchone()
            if row is None:
                return None
            chains = _chains(conn, [str(organisation_id)])
        return _entry(row, chains.get(str(organisation_id), []))

    def cooperatives_in_chains(self) -> dict[str, int]:
        """Active cooperatives, and how many of them take part in at least one value chain."""
        with session(self._connect) as conn:
            row = conn.execute(
                "SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM"
                " rm_directory_participants p WHERE p.organisation_id = o.id"
                " AND p.left_on IS NULL))"
                f" FROM {_ORGANISATIONS} o WHERE o.kind = 'cooperative' AND o.status = 'active'"
            ).fetchone()
        active, linked = row if row else (0, 0)
        return {"active": int(active), "in_chains": int(linked)}


def _chains(conn: psycopg.Connection[Any], ids: list[str]) -> dict[str, list[ChainRole]]:
    rows = conn.execute(
        "SELECT p.organisation_id, c.id, c.name, c.commodity, array_agg(p.role ORDER BY p.role)"
        " FROM rm_directory_participants p JOIN rm_directory_chains c ON c.id = p.value_chain_id"
        " WHERE p.organisation_id = ANY(%s::uuid[]) AND p.left_on IS NULL"
        " GROUP BY p.organisation_id, c.id ORDER BY c.name",
        (ids,),
    ).fetchall()
    found: dict[str, list[ChainRole]] = {}
    for organisation_id, chain_id, name, commodity, roles in rows:
        found.setdefault(str(organisation_id), []).append(
            ChainRole(
                value_chain_id=str(chain_id), name=name, commodity=commodity, roles=list(roles)
            )
        )
    return found


def _entry(row: tuple[Any, ...], chains: list[ChainRole]) -> DirectoryEntry:
    (
        organisation_id,
        kind,
        name,
        registration,
        tax_code,
        commune,
        former_district,
        province,
        sector,
        members,
        model,
        status,
    ) = row
    return DirectoryEntry(
        id=str(organisation_id),
        kind=kind,
        name=name,
        registration_number=registration,
        tax_code=tax_code,
        commune=commune,
        former_district=former_district,
        province=province,
        sector=sector,
        members_count=members,
        model=model,
        status=status,
        chains=chains,
    )
