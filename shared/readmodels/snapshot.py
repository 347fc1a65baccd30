"""Everything needed to compose the documents of a set of batches, loaded in a few queries.

One snapshot per applied page: the batches' ancestor closure and its edges, their events, and
the organisations, plots and chains those events name. Loading set-wise, not per batch, is what
keeps a rebuild at thousands of events per second.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

import psycopg

from shared.domain.diary import Spraying
from shared.domain.gtins import GtinProduct
from shared.readmodels.documents import OrganisationRef, TimelineStep
from shared.readmodels.events import CREATED, BatchEvent
from shared.readmodels.lineage import Edge, ancestors_and_self, edges_into


@dataclass(frozen=True)
class Organisation:
    id: str
    kind: str
    name: str
    address: str | None
    commune: str
    former_district: str | None
    province: str
    publish_quantities: bool = False  # has it agreed that buyers see its lots' quantities?

    @cached_property
    def reference(self) -> OrganisationRef:
        """Shared by every document of a snapshot: copy it before changing it."""
        if self.kind == "cooperative":
            parts = [self.commune, self.former_district, self.province]
        else:
            parts = [self.address, self.commune, self.province]
        address = ", ".join(p for p in parts if p)
        return OrganisationRef(id=self.id, kind=self.kind, name=self.name, address=address)


@dataclass(frozen=True)
class Plot:
    id: str
    cooperative_id: str
    crop: str
    area_ha: str
    commune: str
    location: dict[str, object]
    planting_area_code: str | None


@dataclass(frozen=True)
class Chain:
    id: str
    name: str
    commodity: str
    partners: tuple[tuple[str, str], ...]  # (organisation id, role)


@dataclass(frozen=True)
class Certificate:
    scheme: str
    certificate: str
    valid_from: date | None
    valid_until: date | None  # the last day it holds: an earlier expiry shortens it


@dataclass(frozen=True)
class Product:
    name_vi: str
    name_en: str | None
    brand: str | None
    shelf_life_days: int | None
    photo: str | None


@dataclass
class Snapshot:
    events: dict[str, list[BatchEvent]] = field(default_factory=dict)
    parents: dict[str, list[Edge]] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    plots: dict[str, Plot] = field(default_factory=dict)
    chains: dict[str, Chain] = field(default_factory=dict)
    org_certificates: dict[str, list[Certificate]] = field(default_factory=dict)
    plot_certificates: dict[str, list[Certificate]] = field(default_factory=dict)
    plot_sprayings: dict[str, list[Spraying]] = field(default_factory=dict)  # oldest first
    products: dict[str, Product] = field(default_factory=dict)  # by GtinProduct's id
    # Documents of one snapshot share ancestors: their steps and codes are worked out once.
    steps: dict[tuple[int, bool], TimelineStep | None] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    # Aggregates with an event in provenance's quarantine: their documents say incomplete.
    quarantined: frozenset[str] = frozenset()

    def code_of(self, batch_id: str) -> str:
        if batch_id not in self.codes:
            self.codes[batch_id] = self._find_code(batch_id)
        return self.codes[batch_id]

    def _find_code(self, batch_id: str) -> str:
        for event in self.events.get(batch_id, []):
            if event.name in CREATED:
                return str(event.payload["code"])
        for edges in self.parents.values():
            for edge in edges:
                if edge.parent_id == batch_id:
                    return edge.parent_code
        return batch_id


def load(conn: psycopg.Connection[Any], targets: Collection[str]) -> Snapshot:
    snapshot = Snapshot()
    closure = ancestors_and_self(conn, targets)
    for edge in edges_into(conn, closure):
        snapshot.parents.setdefault(edge.child_id, []).append(edge)
    snapshot.events = _events(conn, closure)
    plot_ids, chain_ids, org_ids = _named(snapshot.events.values())
    snapshot.plots = _plots(conn, plot_ids)
    snapshot.chains = _chains(conn, chain_ids)
    org_ids |= {p.cooperative_id for p in snapshot.plots.values()}
    org_ids |= {o for c in snapshot.chains.values() for o, _ in c.partners}
    snapshot.organisations = _organisations(conn, org_ids)
    snapshot.org_certificates = _org_certificates(conn, org_ids)
    snapshot.plot_certificates = _plot_certificates(conn, set(snapshot.plots))
    snapshot.plot_sprayings = _plot_sprayings(conn, set(snapshot.plots))
    snapshot.products = _products(conn, snapshot.events.values())
    snapshot.quarantined = _quarantined(conn)
    return snapshot


def _products(
    conn: psycopg.Connection[Any], all_events: Iterable[list[BatchEvent]]
) -> dict[str, Product]:
    """The products of the GTINs these batches were labelled with."""
    labelled = {
        str(e.payload["gtin"]) for events in all_events for e in events if e.name == "Labelled"
    }
    if not labelled:
        return {}
    rows = conn.execute(
        "SELECT id, name_vi, name_en, brand, shelf_life_days, photo FROM rm_products"
        " WHERE id = ANY(%s::uuid[])",
        ([str(GtinProduct.create_id(gtin)) for gtin in labelled],),
    ).fetchall()
    return {str(r[0]): Product(*r[1:]) for r in rows}


def _quarantined(conn: psycopg.Connection[Any]) -> frozenset[str]:
    """Few or none: loaded whole, so a document can check its refs without another query."""
    rows = conn.execute(
        "SELECT DISTINCT aggregate_id FROM rm_quarantine WHERE projection = 'provenance'"
    ).fetchall()
    return frozenset(str(r[0]) for r in rows)


def _events(
    conn: psycopg.Connection[Any], batch_ids: Collection[str]
) -> dict[str, list[BatchEvent]]:
    rows = conn.execute(
        "SELECT envelope FROM rm_events WHERE aggregate_id = ANY(%s::uuid[])"
        " AND envelope IS NOT NULL ORDER BY position",
        (list(batch_ids),),
    ).fetchall()
    events: dict[str, list[BatchEvent]] = defaultdict(list)
    for (canonical,) in rows:
        event = BatchEvent.from_canonical(canonical)
        events[event.batch_id].append(event)
    return dict(events)


def _named(all_events: Iterable[list[BatchEvent]]) -> tuple[set[str], set[str], set[str]]:
    """Plots, chains and organisations the events name."""
    plots: set[str] = set()
    chains: set[str] = set()
    organisations: set[str] = set()
    for events in all_events:
        for event in events:
            p = event.payload
            plots.update(str(x) for x in p.get("plot_ids") or [])
            chains.update(str(x) for x in p.get("value_chain_ids") or [])
            organisations.update(str(p[k]) for k in ("holder_id", "by", "to") if p.get(k))
    return plots, chains, organisations


def _plots(conn: psycopg.Connection[Any], ids: Collection[str]) -> dict[str, Plot]:
    rows = conn.execute(
        "SELECT id, cooperative_id, crop, area_ha, commune, location, planting_area_code"
        " FROM rm_plots WHERE id = ANY(%s::uuid[])",
        (list(ids),),
    ).fetchall()
    return {str(r[0]): Plot(str(r[0]), str(r[1]), r[2], str(r[3]), r[4], r[5], r[6]) for r in rows}


def _chains(conn: psycopg.Connection[Any], ids: Collection[str]) -> dict[str, Chain]:
    rows = conn.execute(
        "SELECT c.id, c.name, c.commodity,"
        " coalesce(array_agg(p.organisation_id::text || ' ' || p.role)"
        "  FILTER (WHERE p.role IS NOT NULL), '{}')"
        " FROM rm_value_chains c LEFT JOIN rm_chain_participants p"
        "  ON p.value_chain_id = c.id AND p.left_on IS NULL"
        " WHERE c.id = ANY(%s::uuid[]) GROUP BY c.id",
        (list(ids),),
    ).fetchall()
    chains = {}
    for chain_id, name, commodity, partners in rows:
        pairs = tuple(sorted((p.split(" ", 1)[0], p.split(" ", 1)[1]) for p in partners))
        chains[str(chain_id)] = Chain(str(chain_id), name, commodity, pairs)
    return chains


def _organisations(conn: psycopg.Connection[Any], ids: Collection[str]) -> dict[str, Organisation]:
    rows = conn.execute(
        "SELECT id, kind, name, address, commune, former_district, province, publish_quantities"
        " FROM rm_organisations WHERE id = ANY(%s::uuid[])",
        (list(ids),),
    ).fetchall()
    return {str(r[0]): Organisation(str(r[0]), *r[1:]) for r in rows}


def _org_certificates(
    conn: psycopg.Connection[Any], ids: Collection[str]
) -> dict[str, list[Certificate]]:
    rows = conn.execute(
        "SELECT organisation_id, scheme, certificate, valid_from,"
        " CASE WHEN expired_on IS NULL THEN valid_until"
        "  ELSE LEAST(valid_until, expired_on - 1) END"
        " FROM rm_org_certifications WHERE organisation_id = ANY(%s::uuid[])"
        " ORDER BY scheme, certificate",
        (list(ids),),
    ).fetchall()
    found: dict[str, list[Certificate]] = defaultdict(list)
    for owner, *rest in rows:
        found[str(owner)].append(Certificate(*rest))
    return dict(found)


def _plot_certificates(
    conn: psycopg.Connection[Any], ids: Collection[str]
) -> dict[str, list[Certificate]]:
    rows = conn.execute(
        "SELECT plot_id, scheme, certificate, valid_from, valid_until"
        " FROM rm_plot_certifications WHERE plot_id = ANY(%s::uuid[]) ORDER BY position",
        (list(ids),),
    ).fetchall()
    found: dict[str, list[Certificate]] = defaultdict(list)
    for owner, *rest in rows:
        found[str(owner)].append(Certificate(*rest))
    return dict(found)


def _plot_sprayings(
    conn: psycopg.Connection[Any], ids: Collection[str]
) -> dict[str, list[Spraying]]:
    rows = conn.execute(
        "SELECT plot_id, sprayed_on, product, active_ingredient, pre_harvest_days"
        " FROM rm_plot_sprayings WHERE plot_id = ANY(%s::uuid[]) ORDER BY sprayed_on, position",
        (list(ids),),
    ).fetchall()
    found: dict[str, list[Spraying]] = defaultdict(list)
    for plot_id, *rest in rows:
        found[str(plot_id)].append(Spraying(*rest))
    return dict(found)
