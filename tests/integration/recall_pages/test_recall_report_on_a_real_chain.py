"""The recall report over the real trace projection of a hand-built rice chain, and a recall run
by GTIN + lot on the real records.

The chain (``tests.integration.readmodels.readmodel_chain``): two harvests merged at a miller
into one milled batch, packed into two lots; one goes to a retailer, labelled with a GTIN + lot,
the other stays with the miller. The recall's holders here are hand-built (the recall
projection is another part's); the trace, the mass balance and the gap of a lot no holder
lists come from the projected events.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from services.province import app as province_app
from services.province.recalls import RecordsDesk, router
from services.province.recalls.report import ProjectedTracer
from shared.domain import identifiers
from shared.pages import Pages
from shared.readmodels.projections import Projections
from shared.readmodels.recalls import AffectedLot, RecallHolder
from shared.readmodels.trace import PostgresTraces
from shared.readmodels.tracking import Connect
from shared.records.application import Records
from tests.integration.readmodels.conftest import chain, connect, database, projections, records
from tests.integration.readmodels.readmodel_chain import Chain
from tests.integration.trace.tracing import project
from tests.registry_world import HeaderGate
from tests.unit.recall_pages.world import STARTED, FakeRecalls, a_recall, kg

__all__ = ["chain", "connect", "database", "projections", "records"]  # the fixtures used

STAFF = {HeaderGate.HEADER: "province"}
CSRF = "csrf-province"


@pytest.fixture
def recall_of_the_milled_batch(chain: Chain) -> FakeRecalls:
    milled = str(identifiers.batch_id(chain.milled))
    retail = str(identifiers.batch_id(chain.retail_lot))
    retailer = RecallHolder(
        str(chain.retailer), "Siêu thị Sao Mai",
        (AffectedLot(retail, chain.retail_lot, "Gạo", kg("500"), kg("500"), None, None),),
        notified_at=STARTED, opened_at=STARTED, acknowledged_at=STARTED, accounted=True,
    )  # fmt: skip
    view = replace(a_recall(), batch_id=milled, batch_code=chain.milled, holders=(retailer,))
    return FakeRecalls(view)


@pytest.fixture
def client(
    records: Records,
    projections: Projections,
    connect: Connect,
    recall_of_the_milled_batch: FakeRecalls,
) -> Iterator[TestClient]:
    project(records, projections)
    app = FastAPI()
    app.state.gate = HeaderGate()
    pages = Pages(Path(province_app.TEMPLATES), nav=province_app.NAV)
    tracer = ProjectedTracer(PostgresTraces(connect))
    app.include_router(router(pages, recall_of_the_milled_batch, RecordsDesk(records), tracer))
    with TestClient(app, follow_redirects=False) as client:
        yield client


def test_the_report_traces_the_recalled_batch_back_to_both_harvests_and_forward_to_its_lots(
    client: TestClient, chain: Chain, recall_of_the_milled_batch: FakeRecalls
) -> None:
    [view] = recall_of_the_milled_batch.views

    page = client.get(f"/province/recalls/{view.recall_id}/report?lang=en", headers=STAFF)

    assert page.status_code == 200
    back = page.text[page.text.index("Trace back") : page.text.index("Trace forward")]
    assert chain.harvest_a in back
    assert chain.harvest_b in back
    forward = page.text[page.text.index("Trace forward") : page.text.index("Mass balance")]
    assert chain.retail_lot in forward
    assert chain.other_lot in forward
    # The lot left with the miller is listed by no holder: the report calls it a gap.
    assert f"Lot without holder: {chain.other_lot}" in page.text
    assert f"Lot without holder: {chain.retail_lot}" not in page.text


def test_the_report_workbook_carries_the_projected_trace_and_balance(
    client: TestClient, chain: Chain, recall_of_the_milled_batch: FakeRecalls
) -> None:
    [view] = recall_of_the_milled_batch.views

    got = client.get(f"/province/recalls/{view.recall_id}/report.xlsx?lang=en", headers=STAFF)

    book = load_workbook(io.BytesIO(got.content))
    forward = {row[1].value for row in book["Trace forward"].iter_rows(min_row=6)}
    assert {chain.milled, chain.retail_lot, chain.other_lot} <= forward
    [header, first, *_] = list(book["Mass balance"].iter_rows(min_row=5, values_only=True))
    assert header[:2] == ("Unit", "Produced")
    assert first[0] == "kg"
    assert first[1] == 1000  # the milled batch was made with 1000 kg


def test_a_recall_run_by_gtin_and_lot_recalls_the_labelled_batch(
    client: TestClient, records: Records, chain: Chain
) -> None:
    posted = client.post(
        "/province/recalls/new",
        headers=STAFF,
        data={"csrf_token": CSRF, "drill": "0", "gtin": chain.gtin, "lot": chain.lot,
              "reason": "Nhiễm mốc"},
    )  # fmt: skip

    assert posted.status_code == 303
    assert f"started={chain.retail_lot}" in posted.headers["location"]
    assert records.batch(identifiers.batch_id(chain.retail_lot)).recalled is True
    assert records.batch(identifiers.batch_id(chain.other_lot)).recalled is False
