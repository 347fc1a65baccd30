"""A small rice chain on a fresh database, projected, behind a capture API with a token per
party: a cooperative harvests from two plots, dries and ships to a packer, who packs two lots
and ships one to a retailer. Every business time is given, a day apart, so the dates are exact.

Days (Vietnam): harvest and drying 5 Oct 2025, shipped 6, received 7, packed 8, the first
lot shipped 9 and received 10.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

import httpx
import pytest
from fastapi.testclient import TestClient

from services.capture.app import create_app
from services.capture.context import connections_of
from services.capture.settings import CaptureSettings
from services.cooperative_app.app import create_app as create_cooperative_app
from shared.database import prepare
from shared.postgres.tokens import TokenStore
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.households import PostgresHouseholds
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import connector
from shared.records import commands as c
from shared.records.actors import Actor
from shared.records.application import Records
from shared.records.results import BatchResult, TransformationResult
from shared.settings import NguonSettings
from tests.builders import (
    HARVEST_DAY,
    a_grower,
    a_gtin,
    a_household,
    a_plot_command,
    after_harvest,
    an_enterprise,
    kg,
)
from tests.databases import on_database
from tests.integration.capture.capture_api import NoCatalogue
from tests.integration.readmodels.readmodel_chain import POLYGON_IN_THO_XUAN
from tests.registry_world import HeaderGate, project

VARIETY = "Nếp cái hoa vàng"


@dataclass(frozen=True)
class Chain:
    cooperative: UUID
    packer: UUID
    retailer: UUID
    other_cooperative: UUID  # no part in the chain
    small_plot: UUID  # 2.5 ha, a point
    big_plot: UUID  # 6 ha, a polygon
    harvest: str
    first_lot: str  # shipped to the retailer
    second_lot: str  # stays with the packer
    gtin: str  # the retailer's, on the first lot
    gs1_lot: str
    packer_gln: str  # registered after the events: an export names the GLN it has now
    big_plot_gln: str  # the cooperative has none of its own


@dataclass(frozen=True)
class World:
    client: TestClient
    chain: Chain
    tokens: dict[str, str]  # party → bearer token

    def get(self, path: str, by: str, **params: str) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[by]}"}
        answer: httpx.Response = self.client.get(f"/api/v1{path}", headers=headers, params=params)
        return answer


def _organisation(actor: Actor) -> UUID:
    assert actor.organisation_id is not None
    return actor.organisation_id


def build(records: Records) -> Chain:
    grower, other = a_grower(records), a_grower(records)
    packer_actor, retailer_actor = an_enterprise(records), an_enterprise(records)
    packer, retailer = _organisation(packer_actor), _organisation(retailer_actor)
    household_id = a_household(records, grower, "HH-SEALED-EXPORT")
    big = records.execute(
        grower.actor,
        [
            a_plot_command(
                grower.cooperative_id,
                area_ha=Decimal("6"),
                commune="Xã Xuân Lập",
                location=POLYGON_IN_THO_XUAN,
                household_id=household_id,
            )
        ],
    ).answers[0]["plot_id"]
    harvested = records.execute(
        grower.actor,
        [
            c.HarvestBatch(
                plot_ids=[grower.plot_id, UUID(big)],
                commodity="rice",
                quantity=kg(1000),
                harvested_on=HARVEST_DAY,
                variety=VARIETY,
                at=after_harvest(1),
                ref="h",
            ),
            c.ProcessBatch(
                batch="$h",
                step="drying",
                facility="Sân phơi",
                quantity_after=kg(900),
                at=after_harvest(2),
            ),
            c.ShipBatch(batch="$h", to=packer, transport_document="PVC-001", at=after_harvest(25)),
        ],
    )
    code = str(harvested.result(BatchResult).code)
    receipt = c.ReceiveBatch(batch=code, quantity=kg(900), at=after_harvest(49))
    records.execute(packer_actor, [receipt])
    outputs = [c.TransformOutput(commodity="rice", quantity=kg(450), variety=VARIETY)] * 2
    packing = c.TransformBatches(
        step="packing",
        inputs=[c.TransformInput(batch=code, quantity=kg(900))],
        outputs=outputs,
        at=after_harvest(73),
    )
    packed = records.execute(packer_actor, [packing]).result(TransformationResult)
    first, second = (o.code for o in packed.outputs)
    shipment = c.ShipBatch(
        batch=first, to=retailer, transport_document="PVC-002", at=after_harvest(97)
    )
    records.execute(packer_actor, [shipment])
    receipt = c.ReceiveBatch(batch=first, quantity=kg(450), at=after_harvest(121))
    records.execute(retailer_actor, [receipt])
    gtin = "0" + a_gtin()
    records.execute(retailer_actor, [c.RegisterGtin(organisation_id=retailer, gtin=gtin)])
    label = c.LabelBatch(
        batch=first, gtin=gtin, lot="L10A", labels_issued=10, at=after_harvest(122)
    )
    records.execute(retailer_actor, [label])
    packer_gln, big_plot_gln = a_gtin(), a_gtin()  # GLNs check as GTIN-13s do
    records.execute(packer_actor, [c.RegisterGln(organisation_id=packer, gln=packer_gln)])
    records.execute(
        grower.actor,
        [c.RegisterGln(organisation_id=grower.cooperative_id, gln=big_plot_gln, plot_id=UUID(big))],
    )
    return Chain(
        grower.cooperative_id,
        packer,
        retailer,
        other.cooperative_id,
        grower.plot_id,
        UUID(big),
        code,
        first,
        second,
        gtin,
        "L10A",
        packer_gln,
        big_plot_gln,
    )


@pytest.fixture
def world(fresh_database_admin_url: str) -> Iterator[World]:
    settings = CaptureSettings(**on_database(fresh_database_admin_url))
    urls = prepare(settings)
    records = Records(eventsourcing_env(urls.app, create_table=False), settings.province_code)
    projections = Projections(connector(urls.app)).only(["provenance"])
    projections.reset()
    chain = build(records)
    project(records, projections)
    store = TokenStore(connections_of(records))
    tokens = {
        "province": store.create("province"),
        "cooperative": store.create("cooperative", chain.cooperative),
        "other": store.create("cooperative", chain.other_cooperative),
        "packer": store.create("enterprise", chain.packer),
        "retailer": store.create("enterprise", chain.retailer),
    }
    app = create_app(settings, records, store, NoCatalogue())
    with TestClient(app) as client:
        yield World(client, chain, tokens)
    records.close()


@dataclass(frozen=True)
class AppWorld:
    client: TestClient
    chain: Chain


@pytest.fixture
def app_world(fresh_database_admin_url: str) -> Iterator[AppWorld]:
    """The same chain behind the cooperative app (people named by ``HeaderGate``)."""
    database = prepare(NguonSettings(**on_database(fresh_database_admin_url)))
    records = Records(eventsourcing_env(database.app, create_table=False, pool_size=2))
    connect = connector(database.app)
    projections = Projections(connect)
    projections.reset()
    chain = build(records)
    project(records, projections)
    settings = NguonSettings(public_base_url="https://nguon.thanhhoa.example")
    app = create_cooperative_app(
        settings, records, HeaderGate(), connect, PostgresHouseholds(connect)
    )
    with TestClient(app, follow_redirects=False) as client:
        yield AppWorld(client, chain)
    records.close()
