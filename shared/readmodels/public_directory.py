"""What the public pages of cooperatives (``/htx``) may show, read from the read models.

Only cooperatives that agreed to be shown (``Cooperative.ProfileVisibilityChanged``), and only
public facts about them: their place, model, chains and partners (directory projection), their
certifications (provenance projection's copy) and their products, each a link to a provenance
page (the provenance documents, which already hold only what buyers may see). Never members or
households, prices, contract volumes or batch quantities: none is even selected here.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Final
from uuid import UUID

from shared.readmodels.tracking import Connect, session

LOTS_PER_PRODUCT: Final = 5
PRODUCTS_SHOWN: Final = 20
BATCHES_READ: Final = 200
"""A cooperative's most recent provenance documents read for its products; older lots stay
reachable from the product's newer ones and their GTIN page."""


def _current(participants: str) -> str:
    """Participants still in their chain: leaving dates a row, it is never deleted."""
    return f"{participants}.left_on IS NULL"


_SHOWN = "o.kind = 'cooperative' AND o.show_profile"  # only those that agreed to be shown


@dataclass(frozen=True)
class Filters:
    commune: str | None = None
    commodity: str | None = None


@dataclass(frozen=True)
class Listed:
    """One cooperative in the public list."""

    id: str
    name: str
    commune: str
    former_district: str | None
    commodities: tuple[str, ...]


@dataclass(frozen=True)
class PublicList:
    cooperatives: list[Listed]  # the ones the filters keep, by name
    communes: list[str]  # every choice the unfiltered list offers
    commodities: list[str]


@dataclass(frozen=True)
class Partner:
    name: str
    kind: str  # cooperative | enterprise
    role: str
    profile_id: str | None  # its own public page, when it agreed to one


@dataclass(frozen=True)
class Chain:
    name: str
    commodity: str
    roles: tuple[str, ...]  # the cooperative's own roles in it
    partners: tuple[Partner, ...]


@dataclass(frozen=True)
class Certificate:
    scheme: str
    certificate: str
    valid_from: date
    valid_until: date | None  # the last day it holds: an earlier expiry shortens it
    stars: int | None


@dataclass(frozen=True)
class Lot:
    code: str
    status: str
    recalled: bool


@dataclass(frozen=True)
class Product:
    product: str
    lots: tuple[Lot, ...]  # the most recent first


@dataclass(frozen=True)
class PublicCooperative:
    id: str
    name: str
    commune: str
    former_district: str | None
    province: str
    sector: str | None
    founded: date | None
    model: str
    status: str
    chains: list[Chain]
    certifications: list[Certificate]
    products: list[Product]


class PublicDirectoryReader(ABC):
    """The public list and pages of cooperatives; unit tests subclass it in memory."""

    @abstractmethod
    def cooperatives(self, filters: Filters) -> PublicList:
        """New-model, active cooperatives in at least one chain, that agreed to be shown."""

    @abstractmethod
    def cooperative(self, cooperative_id: UUID) -> PublicCooperative | None:
        """A cooperative's public page; None when unknown or when it has not agreed."""

    @abstractmethod
    def shown(self) -> frozenset[str]:
        """The ids of every cooperative that agreed to be shown (for links from other pages)."""


class PostgresPublicDirectory(PublicDirectoryReader):
    def __init__(self, connect: Connect) -> None:
        self._connect = connect

    def cooperatives(self, filters: Filters) -> PublicList:
        with session(self._connect) as conn:
            rows = conn.execute(
                "SELECT o.id, o.name, o.commune, o.former_district,"
                " array_agg(DISTINCT c.commodity ORDER BY c.commodity)"
                " FROM rm_directory_organisations o"
                f" JOIN rm_directory_participants p ON p.organisation_id = o.id AND {_current('p')}"
                " JOIN rm_directory_chains c ON c.id = p.value_chain_id"
                f" WHERE {_SHOWN} AND o.model = 'new' AND o.status = 'active'"
                " GROUP BY o.id ORDER BY o.name, o.id"
            ).fetchall()
        every = [Listed(str(r[0]), r[1], r[2], r[3], tuple(r[4])) for r in rows]
        kept = [
            c
            for c in every
            if (filters.commune is None or c.commune == filters.commune)
            and (filters.commodity is None or filters.commodity in c.commodities)
        ]
        return PublicList(
            cooperatives=kept,
            communes=sorted({c.commune for c in every}),
            commodities=sorted({k for c in every for k in c.commodities}),
        )

    def cooperative(self, cooperative_id: UUID) -> PublicCooperative | None:
        with session(self._connect) as conn:
            row = conn.execute(
                "SELECT o.id, o.name, o.commune, o.former_district, o.province, o.sector,"
                " o.founded, o.model, o.status FROM rm_directory_organisations o"
                f" WHERE o.id = %s AND {_SHOWN}",
                (cooperative_id,),
            ).fetchone()
            if row is None:
                return None
            chains = _chains(conn, cooperative_id, self._shown(conn))
            certificates = _certificates(conn, cooperative_id)
            products = _products(conn, cooperative_id)
        _, name, commune, former_district, province, sector, founded, model, status = row
        return PublicCooperative(
            id=str(cooperative_id),
            name=name,
            commune=commune,
            former_district=former_district,
            province=province,
            sector=sector,
            founded=founded,
            model=model,
            status=status,
            chains=chains,
            certifications=certificates,
            products=products,
        )

    def shown(self) -> frozenset[str]:
        with session(self._connect) as conn:
            return self._shown(conn)

    @staticmethod
    def _shown(conn: Any) -> frozenset[str]:
        rows = conn.execute(f"SELECT o.id FROM rm_directory_organisations o WHERE {_SHOWN}")
        return frozenset(str(r[0]) for r in rows.fetchall())


def _chains(conn: Any, cooperative_id: UUID, shown: Collection[str]) -> list[Chain]:
    rows = conn.execute(
        "SELECT c.id, c.name, c.commodity, p.organisation_id, p.role, o.name, o.kind"
        " FROM rm_directory_chains c"
        f" JOIN rm_directory_participants p ON p.value_chain_id = c.id AND {_current('p')}"
        " JOIN rm_directory_organisations o ON o.id = p.organisation_id"
        " WHERE c.id IN (SELECT mine.value_chain_id FROM rm_directory_participants mine"
        f"  WHERE mine.organisation_id = %s AND {_current('mine')})"
        " ORDER BY c.name, c.id, p.role, o.name",
        (cooperative_id,),
    ).fetchall()
    chains: dict[str, tuple[str, str, list[str], list[Partner]]] = {}
    for chain_id, name, commodity, member, role, member_name, kind in rows:
        _, _, roles, partners = chains.setdefault(str(chain_id), (name, commodity, [], []))
        if member == cooperative_id:
            if role not in roles:
                roles.append(role)
            continue
        page = str(member) if str(member) in shown else None
        partners.append(Partner(member_name, kind, role, page))
    return [
        Chain(name, commodity, tuple(roles), tuple(partners))
        for name, commodity, roles, partners in chains.values()
    ]


def _certificates(conn: Any, cooperative_id: UUID) -> list[Certificate]:
    rows = conn.execute(
        "SELECT scheme, certificate, valid_from,"
        " CASE WHEN expired_on IS NULL THEN valid_until"
        "  ELSE LEAST(valid_until, expired_on - 1) END, stars"
        " FROM rm_org_certifications WHERE organisation_id = %s ORDER BY scheme, certificate",
        (cooperative_id,),
    ).fetchall()
    return [Certificate(*row) for row in rows]


def _products(conn: Any, cooperative_id: UUID) -> list[Product]:
    # Documents naming the cooperative (refs), kept when it is one of their producers.
    rows = conn.execute(
        "SELECT d.code, d.document->>'product', d.document->>'status',"
        " coalesce((d.document->'recall'->>'recalled')::boolean, false)"
        " FROM rm_document_refs r JOIN rm_provenance d ON d.batch_id = r.batch_id"
        " WHERE r.ref_id = %s AND d.document->'cooperatives' @> jsonb_build_array("
        "  jsonb_build_object('id', %s::text))"
        " ORDER BY d.last_position DESC, d.code DESC LIMIT %s",
        (cooperative_id, str(cooperative_id), BATCHES_READ),
    ).fetchall()
    return group_products(rows)


def group_products(rows: Iterable[tuple[str, str, str, bool]]) -> list[Product]:
    """(code, product, status, recalled), the most recent first, as products and their lots."""
    lots: dict[str, list[Lot]] = {}
    for code, product, status, recalled in rows:
        found = lots.setdefault(product, [])
        if len(found) < LOTS_PER_PRODUCT:
            found.append(Lot(code, status, bool(recalled)))
    return [Product(p, tuple(found)) for p, found in list(lots.items())[:PRODUCTS_SHOWN]]
