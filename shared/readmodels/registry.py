"""The registry staff keep, read from the projections: lists with search, filters and pages,
and the page of each cooperative, enterprise, value chain and plot.

Reads the directory (organisations, support, chains, participants, contracts, and the
envelopes of the events it applied, for history), provenance (plots, certifications), the
catalogue (batches) and the epcis projection (every registered GLN: it names parties and places
by them). Who recorded an event comes from ``nguon_event_actors`` when the platform keeps it:
an opaque actor id, never a name (a staff page may look the name up).

Scoped by role, in one place (``_Scope``): staff and admins read everything; a cooperative
reads itself, its own plots and the chains it takes part in; an enterprise itself and its
chains; an organisation its own GLNs. Asking for another organisation's record is refused
(``NotPermitted``, 403), an unknown one is ``NotFound`` (404). Over ~300 lines because each
page is a handful of small queries that belong together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from shared.domain.clock import today_in_vietnam
from shared.domain.errors import NotFound, NotPermitted
from shared.readmodels.catalogue import BatchSummary
from shared.readmodels.folding import contains_pattern
from shared.readmodels.registry_shapes import Certification as CertificationLine
from shared.readmodels.registry_shapes import (
    ChainDetail,
    ChainLine,
    ChainPage,
    Choices,
    Contract,
    GlnLine,
    GlnPage,
    HistoryLine,
    Membership,
    OrganisationDetail,
    OrganisationLine,
    OrganisationPage,
    Participant,
    PlotCertification,
    PlotDetail,
    PlotLine,
    PlotPage,
    Support,
)
from shared.readmodels.tracking import Connect, session
from shared.readmodels.units.epcis import GLNS
from shared.records.actors import Actor

MAX_LIMIT = 200
RECENT_BATCHES = 20


@dataclass(frozen=True)
class Paging:
    page: int = 1  # from 1
    limit: int = 50

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


@dataclass(frozen=True)
class OrganisationFilters:
    """``search`` matches name, registration number or tax code, ignoring case and accents."""

    search: str | None = None
    commune: str | None = None
    former_district: str | None = None
    sector: str | None = None
    model: str | None = None
    status: str | None = None
    value_chain: UUID | None = None


@dataclass(frozen=True)
class ChainFilters:
    search: str | None = None
    commodity: str | None = None
    lead: UUID | None = None


@dataclass(frozen=True)
class GlnFilters:
    organisation: UUID | None = None  # whose GLNs (its party GLN and its plots')


@dataclass(frozen=True)
class PlotFilters:
    """``search`` matches the planting-area code or the crop; ``certified`` a valid certificate."""

    search: str | None = None
    cooperative: UUID | None = None
    commune: str | None = None
    crop: str | None = None
    certified: bool | None = None


@dataclass(frozen=True)
class _Scope:
    """Whose records an actor reads: everyone's (staff), or one organisation's."""

    organisation_id: UUID | None

    @classmethod
    def of(cls, actor: Actor) -> _Scope:
        if actor.is_staff:
            return cls(None)
        return cls(actor.organisation("read the registry"))

    def check(self, organisation_id: UUID, what: str) -> None:
        if self.organisation_id is not None and self.organisation_id != organisation_id:
            msg = f"an organisation may only {what} for itself"
            raise NotPermitted(msg, code="not_own", params={"what": what})


_ORG_COLUMNS = (
    "o.id, o.kind, o.name, o.registration_number, o.tax_code, o.address, o.commune,"
    " o.former_district, o.province, o.sector, o.founded, o.members_count, o.model, o.status,"
    " o.publish_quantities, o.show_profile"
)
_CERTIFIED_TODAY = (
    "EXISTS (SELECT 1 FROM rm_plot_certifications pc WHERE pc.plot_id = p.id"
    " AND pc.valid_from <= %(today)s AND (pc.valid_until IS NULL OR pc.valid_until >= %(today)s))"
)
_PLOT_COLUMNS = (
    "p.id, p.cooperative_id, o.name, p.crop, p.area_ha, p.commune, p.planting_area_code,"
    f" {_CERTIFIED_TODAY}"
)
_CHAIN_COLUMNS = (
    "c.id, c.name, c.commodity, c.lead_organisation_id, o.name,"
    " (SELECT count(DISTINCT organisation_id) FROM rm_directory_participants p"
    " WHERE p.value_chain_id = c.id AND p.left_on IS NULL)"
)
_BATCH_COLUMNS = (
    "b.batch_id, b.code, b.commodity, b.variety, b.quantity, b.unit, b.status, b.holder_id,"
    " b.recalled, b.gtin, b.lot, b.last_position"
)
_MEMBER_OF = (
    "EXISTS (SELECT 1 FROM rm_directory_participants m"
    " WHERE m.value_chain_id = {chain} AND m.organisation_id = %(member)s AND m.left_on IS NULL)"
)
# Chain events that speak of an organisation without being its own aggregate's.
_CHAIN_EVENTS_ABOUT = """
    e.type LIKE 'ValueChain.%%' AND (
      (e.envelope::jsonb) -> 'payload' ->> 'organisation_id' = %(id)s::text
      OR (e.envelope::jsonb) -> 'payload' ->> 'lead_organisation_id' = %(id)s::text
      OR (e.envelope::jsonb) -> 'payload' -> 'parties' ? %(id)s::text)"""


class RegistryReader:
    def __init__(self, connect: Connect) -> None:
        self._connect = connect

    # Lists ----------------------------------------------------------------------------------

    def organisations(
        self, actor: Actor, kind: str, filters: OrganisationFilters, paging: Paging
    ) -> OrganisationPage:
        scope = _Scope.of(actor)
        where: list[sql.Composable] = [sql.SQL("o.kind = %(kind)s")]
        params: dict[str, Any] = {"kind": kind, **_plain(filters)}
        for column in ("commune", "former_district", "sector", "model", "status"):
            if getattr(filters, column) is not None:
                where.append(sql.SQL(f"o.{column} = %({column})s"))  # names from the tuple above
        if filters.search:
            params["search"] = contains_pattern(filters.search)
            where.append(sql.SQL("o.search_text LIKE %(search)s"))
        if filters.value_chain is not None:
            params["chain"] = filters.value_chain
            where.append(
                sql.SQL(
                    "EXISTS (SELECT 1 FROM rm_directory_participants m"
                    " WHERE m.organisation_id = o.id AND m.value_chain_id = %(chain)s"
                    " AND m.left_on IS NULL)"
                )
            )
        if scope.organisation_id is not None:
            params["own"] = scope.organisation_id
            where.append(sql.SQL("o.id = %(own)s"))
        source = sql.SQL("rm_directory_organisations o WHERE {}").format(
            sql.SQL(" AND ").join(where)
        )
        rows, total = self._paged(_ORG_COLUMNS, source, "o.name, o.id", params, paging)
        return OrganisationPage(
            items=[_organisation(r) for r in rows],
            total=total,
            page=paging.page,
            limit=paging.limit,
        )

    def chains(self, actor: Actor, filters: ChainFilters, paging: Paging) -> ChainPage:
        scope = _Scope.of(actor)
        where: list[sql.Composable] = [sql.SQL("true")]
        params: dict[str, Any] = _plain(filters)
        if filters.commodity is not None:
            where.append(sql.SQL("c.commodity = %(commodity)s"))
        if filters.lead is not None:
            where.append(sql.SQL("c.lead_organisation_id = %(lead)s"))
        if filters.search:
            params["search"] = contains_pattern(filters.search)
            where.append(sql.SQL("c.search_text LIKE %(search)s"))
        if scope.organisation_id is not None:
            params["member"] = scope.organisation_id
            where.append(sql.SQL(_MEMBER_OF.format(chain="c.id")))
        source = sql.SQL(
            "rm_directory_chains c"
            " LEFT JOIN rm_directory_organisations o ON o.id = c.lead_organisation_id WHERE {}"
        ).format(sql.SQL(" AND ").join(where))
        rows, total = self._paged(_CHAIN_COLUMNS, source, "c.name, c.id", params, paging)
        return ChainPage(
            items=[_chain(r) for r in rows],
            total=total,
            page=paging.page,
            limit=paging.limit,
        )

    def plots(self, actor: Actor, filters: PlotFilters, paging: Paging) -> PlotPage:
        scope = _Scope.of(actor)
        if filters.cooperative is not None:
            scope.check(filters.cooperative, "list plots")
        where: list[sql.Composable] = [sql.SQL("true")]
        params: dict[str, Any] = _plain(filters) | {"today": today_in_vietnam()}
        for column in ("commune", "crop"):
            if getattr(filters, column) is not None:
                where.append(sql.SQL(f"p.{column} = %({column})s"))  # names from the tuple above
        cooperative = filters.cooperative or scope.organisation_id
        if cooperative is not None:
            params["cooperative"] = cooperative
            where.append(sql.SQL("p.cooperative_id = %(cooperative)s"))
        if filters.certified is not None:
            certified = sql.SQL(_CERTIFIED_TODAY)
            where.append(certified if filters.certified else sql.SQL("NOT ") + certified)
        if filters.search:
            params["search"] = contains_pattern(filters.search)
            where.append(sql.SQL("p.search_text LIKE %(search)s"))
        source = sql.SQL(
            "rm_plots p LEFT JOIN rm_directory_organisations o ON o.id = p.cooperative_id WHERE {}"
        ).format(sql.SQL(" AND ").join(where))
        order = "o.name, p.commune, p.id"
        rows, total = self._paged(_PLOT_COLUMNS, source, order, params, paging)
        return PlotPage(
            items=[_plot(r) for r in rows],
            total=total,
            page=paging.page,
            limit=paging.limit,
        )

    def glns(self, actor: Actor, filters: GlnFilters, paging: Paging) -> GlnPage:
        scope = _Scope.of(actor)
        if filters.organisation is not None:
            scope.check(filters.organisation, "list GLNs")
        owner = filters.organisation or scope.organisation_id
        where = sql.SQL("true" if owner is None else "g.owner_id = %(owner)s")
        source = sql.SQL(f"{GLNS} g WHERE {{}}").format(where)
        params = {"owner": owner}
        rows, total = self._paged("g.gln, g.owner_id, g.plot_id", source, "g.gln", params, paging)
        return GlnPage(
            items=[_gln(r) for r in rows], total=total, page=paging.page, limit=paging.limit
        )

    # Pages of one ---------------------------------------------------------------------------

    def organisation(self, actor: Actor, kind: str, organisation_id: UUID) -> OrganisationDetail:
        _Scope.of(actor).check(organisation_id, f"read the registry's page of a {kind}")
        with session(self._connect) as conn:
            row = conn.execute(
                f"SELECT {_ORG_COLUMNS} FROM rm_directory_organisations o"
                " WHERE o.id = %s AND o.kind = %s",
                (organisation_id, kind),
            ).fetchone()
            if row is None:
                msg = f"no {kind} {organisation_id}: check the id"
                raise NotFound(msg, params={"id": str(organisation_id)})
            return OrganisationDetail(
                facts=_organisation(row),
                chains=_memberships(conn, organisation_id),
                contracts=_contracts(conn, "%s = ANY(k.parties)", organisation_id),
                support=_support(conn, organisation_id),
                certifications=_certifications(conn, organisation_id),
                plots=_plots_of(conn, organisation_id),
                batches=_batches(
                    conn, "b.holder_id = %s ORDER BY b.last_position DESC", organisation_id
                ),
                history=_history(
                    conn,
                    sql.SQL("e.aggregate_id = %(id)s::uuid OR" + _CHAIN_EVENTS_ABOUT),
                    organisation_id,
                ),
            )

    def chain(self, actor: Actor, value_chain_id: UUID) -> ChainDetail:
        scope = _Scope.of(actor)
        with session(self._connect) as conn:
            row = conn.execute(
                f"SELECT {_CHAIN_COLUMNS} FROM rm_directory_chains c"
                " LEFT JOIN rm_directory_organisations o ON o.id = c.lead_organisation_id"
                " WHERE c.id = %s",
                (value_chain_id,),
            ).fetchone()
            if scope.organisation_id is not None and not _is_member(
                conn, value_chain_id, scope.organisation_id
            ):
                msg = "an organisation reads only the chains it takes part in"
                raise NotPermitted(msg, code="not_chain_participant", params={})
            if row is None:
                msg = f"no value chain {value_chain_id}: check the id"
                raise NotFound(msg, params={"id": str(value_chain_id)})
            return ChainDetail(
                facts=_chain(row),
                participants=_participants(conn, value_chain_id),
                contracts=_contracts(conn, "k.value_chain_id = %s", value_chain_id),
                history=_history(conn, sql.SQL("e.aggregate_id = %(id)s::uuid"), value_chain_id),
            )

    def plot(self, actor: Actor, plot_id: UUID) -> PlotDetail:
        scope = _Scope.of(actor)
        with session(self._connect) as conn:
            row = conn.execute(
                f"SELECT {_PLOT_COLUMNS} FROM rm_plots p"
                " LEFT JOIN rm_directory_organisations o ON o.id = p.cooperative_id"
                " WHERE p.id = %(id)s",
                {"id": plot_id, "today": today_in_vietnam()},
            ).fetchone()
            if row is None:
                if scope.organisation_id is not None:
                    scope.check(plot_id, "read a plot")  # no hint whether it exists
                msg = f"no plot {plot_id}: check the id"
                raise NotFound(msg, params={"id": str(plot_id)})
            facts = _plot(row)
            scope.check(UUID(facts["cooperative_id"]), "read a plot")
            certifications = conn.execute(
                "SELECT scheme, certificate, valid_from, valid_until FROM rm_plot_certifications"
                " WHERE plot_id = %s ORDER BY valid_from DESC, position",
                (plot_id,),
            ).fetchall()
            harvested = (
                "b.batch_id IN (SELECT aggregate_id FROM rm_catalogue_events"
                " WHERE type = 'Batch.Harvested'"
                " AND (envelope::jsonb) -> 'payload' -> 'plot_ids' @> jsonb_build_array(%s::text))"
                " ORDER BY b.last_position DESC"
            )
            return PlotDetail(
                facts=facts,
                certifications=[
                    PlotCertification(
                        scheme=s, certificate=c, valid_from=f.isoformat(), valid_until=_iso(u)
                    )
                    for s, c, f, u in certifications
                ],
                batches=_batches(conn, harvested, str(plot_id)),
                history=[
                    _without_household(line)
                    for line in _history(conn, sql.SQL("e.aggregate_id = %(id)s::uuid"), plot_id)
                ],
            )

    def choices(self) -> Choices:
        """Values the registry has seen, for filters and pick lists (staff pages only)."""
        with session(self._connect) as conn:

            def values(query: str) -> list[str]:
                return [str(r[0]) for r in conn.execute(query).fetchall()]

            organisations = conn.execute(
                "SELECT id, name, kind FROM rm_directory_organisations ORDER BY name, id"
            ).fetchall()
            chains = conn.execute(
                "SELECT id, name FROM rm_directory_chains ORDER BY name, id"
            ).fetchall()
            return Choices(
                communes=values(
                    "SELECT commune FROM rm_directory_organisations UNION"
                    " SELECT commune FROM rm_plots ORDER BY 1"
                ),
                former_districts=values(
                    "SELECT DISTINCT former_district FROM rm_directory_organisations"
                    " WHERE former_district IS NOT NULL ORDER BY 1"
                ),
                sectors=values(
                    "SELECT DISTINCT sector FROM rm_directory_organisations"
                    " WHERE sector IS NOT NULL ORDER BY 1"
                ),
                commodities=values("SELECT DISTINCT commodity FROM rm_directory_chains ORDER BY 1"),
                crops=values("SELECT DISTINCT crop FROM rm_plots ORDER BY 1"),
                organisations=[(str(i), n, k) for i, n, k in organisations],
                chains=[(str(i), n) for i, n in chains],
            )

    def _paged(
        self,
        columns: str,
        source: sql.Composable,
        order: str,
        params: dict[str, Any],
        paging: Paging,
    ) -> tuple[list[tuple[Any, ...]], int]:
        """One page of ``source``, and how many rows it has in all."""
        count = sql.SQL("SELECT count(*) FROM {}").format(source)
        page = sql.SQL("SELECT {} FROM {} ORDER BY {} LIMIT %(limit)s OFFSET %(offset)s").format(
            sql.SQL(columns), source, sql.SQL(order)
        )
        bounds = {"limit": min(paging.limit, MAX_LIMIT), "offset": paging.offset}
        with session(self._connect) as conn:
            row = conn.execute(count, params).fetchone()
            rows = conn.execute(page, params | bounds).fetchall()
        return rows, int(row[0]) if row else 0


def _gln(row: tuple[Any, ...]) -> GlnLine:
    gln, owner_id, plot_id = row
    return GlnLine(
        gln=gln, owner_id=str(owner_id), plot_id=None if plot_id is None else str(plot_id)
    )


# Queries of one page's parts ----------------------------------------------------------------


def _memberships(conn: psycopg.Connection[Any], organisation_id: UUID) -> list[Membership]:
    rows = conn.execute(
        "SELECT c.id, c.name, c.commodity, array_agg(DISTINCT p.role ORDER BY p.role),"
        " min(p.joined_on)"
        " FROM rm_directory_participants p JOIN rm_directory_chains c ON c.id = p.value_chain_id"
        " WHERE p.organisation_id = %s AND p.left_on IS NULL GROUP BY c.id ORDER BY c.name",
        (organisation_id,),
    ).fetchall()
    return [
        Membership(
            value_chain_id=str(i), name=n, commodity=c, roles=list(r), since=since.isoformat()
        )
        for i, n, c, r, since in rows
    ]


def _participants(conn: psycopg.Connection[Any], value_chain_id: UUID) -> list[Participant]:
    """Every participation, current ones first, with the days it began and ended."""
    rows = conn.execute(
        "SELECT p.organisation_id, o.name, o.kind, p.role, p.joined_on, p.left_on, p.left_reason"
        " FROM rm_directory_participants p"
        " LEFT JOIN rm_directory_organisations o ON o.id = p.organisation_id"
        " WHERE p.value_chain_id = %s"
        " ORDER BY p.left_on IS NOT NULL, p.role = 'lead' DESC, o.name, p.role, p.position",
        (value_chain_id,),
    ).fetchall()
    return [
        Participant(
            organisation_id=str(i),
            name=n,
            kind=k,
            role=r,
            joined_on=joined.isoformat(),
            left_on=_iso(left),
            left_reason=reason,
        )
        for i, n, k, r, joined, left, reason in rows
    ]


def _is_member(conn: psycopg.Connection[Any], value_chain_id: UUID, member: UUID) -> bool:
    query = "SELECT " + _MEMBER_OF.format(chain="%(chain)s")
    row = conn.execute(query, {"chain": value_chain_id, "member": member}).fetchone()
    return bool(row and row[0])


def _contracts(conn: psycopg.Connection[Any], condition: str, value: UUID) -> list[Contract]:
    rows = conn.execute(
        "SELECT k.value_chain_id, k.contract_number, k.parties, k.commodity, k.committed_amount,"
        " k.committed_unit, k.starts_on, k.ends_on, k.ended_on FROM rm_linkage_contracts k"
        f" WHERE {condition} ORDER BY k.starts_on DESC, k.contract_number",
        (value,),
    ).fetchall()
    return [
        Contract(
            value_chain_id=str(chain),
            contract_number=number,
            parties=[str(p) for p in parties],
            commodity=commodity,
            committed_amount=str(amount),
            committed_unit=unit,
            starts_on=starts.isoformat(),
            ends_on=ends.isoformat(),
            ended_on=_iso(ended),
        )
        for chain, number, parties, commodity, amount, unit, starts, ends, ended in rows
    ]


def _support(conn: psycopg.Connection[Any], cooperative_id: UUID) -> list[Support]:
    rows = conn.execute(
        "SELECT position, kind, received_on, programme, amount_vnd FROM rm_cooperative_support"
        " WHERE cooperative_id = %s ORDER BY received_on DESC, position DESC",
        (cooperative_id,),
    ).fetchall()
    return [
        Support(
            position=int(p),
            kind=k,
            received_on=on.isoformat(),
            programme=g,
            amount_vnd=None if a is None else str(a),
        )
        for p, k, on, g, a in rows
    ]


def _certifications(
    conn: psycopg.Connection[Any], organisation_id: UUID
) -> list[CertificationLine]:
    rows = conn.execute(
        "SELECT certificate, scheme, valid_from, valid_until, stars, expired_on"
        " FROM rm_org_certifications WHERE organisation_id = %s"
        " ORDER BY valid_from DESC, certificate",
        (organisation_id,),
    ).fetchall()
    return [
        CertificationLine(
            certificate=c,
            scheme=s,
            valid_from=f.isoformat(),
            valid_until=_iso(u),
            stars=stars,
            expired_on=_iso(e),
        )
        for c, s, f, u, stars, e in rows
    ]


def _plots_of(conn: psycopg.Connection[Any], cooperative_id: UUID) -> list[PlotLine]:
    rows = conn.execute(
        f"SELECT {_PLOT_COLUMNS} FROM rm_plots p"
        " LEFT JOIN rm_directory_organisations o ON o.id = p.cooperative_id"
        " WHERE p.cooperative_id = %(id)s ORDER BY p.commune, p.id",
        {"id": cooperative_id, "today": today_in_vietnam()},
    ).fetchall()
    return [_plot(r) for r in rows]


def _batches(conn: psycopg.Connection[Any], condition: str, value: object) -> list[BatchSummary]:
    rows = conn.execute(
        f"SELECT {_BATCH_COLUMNS} FROM rm_batches b WHERE {condition} LIMIT {RECENT_BATCHES}",
        (value,),
    ).fetchall()
    return [_batch(row) for row in rows]


def _batch(row: tuple[Any, ...]) -> BatchSummary:
    i, code, commodity, variety, quantity, unit, status, holder, recalled, gtin, lot, last = row
    return BatchSummary(
        batch_id=str(i),
        code=code,
        commodity=commodity,
        variety=variety,
        quantity=str(quantity),
        unit=unit,
        status=status,
        holder_id=None if holder is None else str(holder),
        recalled=recalled,
        gtin=gtin,
        lot=lot,
        last_position=int(last),
    )


def _history(
    conn: psycopg.Connection[Any], condition: sql.Composable, aggregate_id: UUID
) -> list[HistoryLine]:
    actors = conn.execute("SELECT to_regclass('nguon_event_actors') IS NOT NULL").fetchone()
    who = (
        sql.SQL("(SELECT a.actor_id FROM nguon_event_actors a WHERE a.position = e.position)")
        if actors and actors[0]
        else sql.SQL("NULL::uuid")
    )
    query = sql.SQL(
        "SELECT e.position, e.type, e.aggregate_id, e.envelope::jsonb, {}"
        " FROM rm_directory_events e WHERE {} ORDER BY e.position DESC"
    ).format(who, condition)
    rows = conn.execute(query, {"id": str(aggregate_id)}).fetchall()
    return [
        HistoryLine(
            position=int(position),
            type=kind,
            aggregate_id=str(aggregate),
            occurred_at=None if envelope is None else envelope.get("occurred_at"),
            actor_id=None if actor is None else str(actor),
            payload={} if envelope is None else dict(envelope.get("payload") or {}),
        )
        for position, kind, aggregate, envelope, actor in rows
    ]


def _without_household(line: HistoryLine) -> HistoryLine:
    """A plot's events name the member household that farms it: private to the cooperative,
    and never carried further than the event store (issue 9 encrypts it)."""
    payload = {k: v for k, v in line["payload"].items() if not k.startswith("household")}
    return HistoryLine(**{**line, "payload": payload})


# Rows to shapes -----------------------------------------------------------------------------


def _organisation(row: tuple[Any, ...]) -> OrganisationLine:
    (
        i,
        kind,
        name,
        reg,
        tax,
        address,
        commune,
        district,
        province,
        sector,
        founded,
        members,
        model,
        status,
        publish_quantities,
        show_profile,
    ) = row
    return OrganisationLine(
        id=str(i),
        kind=kind,
        name=name,
        registration_number=reg,
        tax_code=tax,
        address=address,
        commune=commune,
        former_district=district,
        province=province,
        sector=sector,
        founded=_iso(founded),
        members_count=members,
        model=model,
        status=status,
        publish_quantities=bool(publish_quantities),
        show_profile=bool(show_profile),
    )


def _chain(row: tuple[Any, ...]) -> ChainLine:
    i, name, commodity, lead, lead_name, participants = row
    return ChainLine(
        id=str(i),
        name=name,
        commodity=commodity,
        lead_organisation_id=str(lead),
        lead_name=lead_name,
        participants=int(participants),
    )


def _plot(row: tuple[Any, ...]) -> PlotLine:
    i, cooperative, cooperative_name, crop, area, commune, code, certified = row
    return PlotLine(
        id=str(i),
        cooperative_id=str(cooperative),
        cooperative_name=cooperative_name,
        crop=crop,
        area_ha=str(area),
        commune=commune,
        planting_area_code=code,
        certified=bool(certified),
    )


def _plain(filters: object) -> dict[str, Any]:
    return dict(vars(filters))


def _iso(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())
