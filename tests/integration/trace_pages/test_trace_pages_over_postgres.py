"""The trace pages over the real trace projection: a hand-built rice chain (two harvests merged
at a mill, split, one lot shipped to a retailer and labelled), projected into a fresh
PostgreSQL and traced through ``PostgresTraceSource`` by the staff apps' routes over HTTP."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from uuid import uuid4

from fastapi.testclient import TestClient

from services.cooperative_app.app import create_app as cooperative_app_as_built
from services.province.app import create_app as province_app_as_built
from shared.readmodels.households import PostgresHouseholds
from shared.readmodels.projections import Projections
from shared.readmodels.trace_source import PostgresTraceSource
from shared.readmodels.tracking import Connect
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.integration.readmodels.readmodel_chain import Chain
from tests.integration.trace.tracing import project
from tests.registry_world import HeaderGate
from tests.unit.trace.pages import cooperative_app, province_app

SVG = "{http://www.w3.org/2000/svg}"
STAFF = {"x-test-person": "province"}


def _picture(html: str) -> ET.Element:
    found = re.search(r"<svg[^>]*class=\"chart trace\".*?</svg>", html, re.S)
    assert found, "the page has no trace picture"
    return ET.fromstring(found.group(0))


def _drawn(html: str) -> set[str]:
    return {
        g.get("data-batch") or ""
        for g in _picture(html).iter(f"{SVG}g")
        if g.get("class") == "node"
    }


def test_province_staff_see_a_retail_lot_back_to_both_harvests_with_its_balance(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    project(records, projections)
    client = TestClient(province_app(PostgresTraceSource(connect)), headers=STAFF)

    page = client.get(f"/province/trace/{chain.retail_lot}", params={"direction": "back"})

    assert page.status_code == 200
    assert _drawn(page.text) == {chain.retail_lot, chain.milled, chain.harvest_a, chain.harvest_b}
    assert "Cân đối khối lượng" in page.text
    assert "Xã Thiệu Trung" in page.text
    assert "HTX Nông nghiệp Thiệu Trung" in page.text


def test_a_labelled_lot_is_found_by_its_gtin_and_lot(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    project(records, projections)
    client = TestClient(province_app(PostgresTraceSource(connect)), headers=STAFF)

    page = client.get(f"/province/trace/{chain.gtin}", params={"lot": chain.lot})

    assert page.status_code == 200
    assert chain.retail_lot in page.text


def test_a_day_before_the_batch_existed_is_refused_at_the_date(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    project(records, projections)
    client = TestClient(province_app(PostgresTraceSource(connect)), headers=STAFF)

    page = client.get(f"/province/trace/{chain.retail_lot}", params={"as_of": "2001-01-01"})

    assert page.status_code == 400
    assert 'id="error-as_of"' in page.text
    assert "chưa có vào ngày đó" in page.text


def test_an_unknown_code_is_404(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    project(records, projections)
    client = TestClient(province_app(PostgresTraceSource(connect)), headers=STAFF)

    assert client.get("/province/trace/TH-2026-999999").status_code == 404


def test_the_retailer_traces_its_lot_and_a_cooperative_outside_the_chain_cannot(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    project(records, projections)
    app = cooperative_app(PostgresTraceSource(connect))
    retailer = TestClient(app, headers={"x-test-person": f"enterprise:{chain.retailer}"})
    stranger = uuid4()  # an organisation that holds, held and was sent nothing of this chain
    outsider = TestClient(app, headers={"x-test-person": f"cooperative:{stranger}"})

    mine = retailer.get(f"/app/lots/{chain.retail_lot}/trace")
    theirs = outsider.get(f"/app/lots/{chain.retail_lot}/trace")

    assert mine.status_code == 200
    assert chain.harvest_a in _drawn(mine.text)
    assert theirs.status_code == 404
    assert "<svg" not in theirs.text


def test_a_lot_page_of_the_whole_app_links_to_its_trace_which_draws_the_chain(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    project(records, projections)
    app = cooperative_app_as_built(
        NguonSettings(), records, HeaderGate(), connect, PostgresHouseholds(connect)
    )
    retailer = TestClient(app, headers={"x-test-person": f"enterprise:{chain.retailer}"})

    lot = retailer.get(f"/app/lots/{chain.retail_lot}")
    assert f'href="/app/lots/{chain.retail_lot}/trace"' in lot.text
    page = retailer.get(f"/app/lots/{chain.retail_lot}/trace")

    assert page.status_code == 200
    assert {chain.harvest_a, chain.harvest_b} <= _drawn(page.text)


def test_the_province_app_as_built_has_its_trace_in_the_navigation(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    project(records, projections)
    app = province_app_as_built(NguonSettings(), records, HeaderGate(), connect)
    client = TestClient(app, headers=STAFF)

    search = client.get("/province/trace")
    page = client.get(f"/province/trace/{chain.milled}")

    assert 'href="/province/trace"' in search.text
    assert page.status_code == 200
    assert chain.milled in _drawn(page.text)
