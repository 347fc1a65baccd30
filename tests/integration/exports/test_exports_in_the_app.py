"""A lot's page in the cooperative app offers its exports, and they download for its own lots."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import geojson

from tests.browser import chromium, serving
from tests.integration.exports.conftest import AppWorld
from tests.registry_world import HeaderGate


def _as(role: str, organisation: object) -> dict[str, str]:
    return {HeaderGate.HEADER: f"{role}:{organisation}"}


def test_a_lots_page_links_to_its_exports_and_they_download(app_world: AppWorld) -> None:
    chain, client = app_world.chain, app_world.client
    packer = _as("enterprise", chain.packer)

    page = client.get(f"/app/lots/{chain.second_lot}", headers=packer)

    assert page.status_code == 200
    assert "Xuất dữ liệu" in page.text
    for link in ("fsma204.xlsx", "fsma204.csv", "eudr.geojson"):
        assert f"/app/exports/{chain.second_lot}/{link}" in page.text
    sheet = client.get(f"/app/exports/{chain.second_lot}/fsma204.csv", headers=packer)
    assert sheet.status_code == 200
    rows = list(csv.DictReader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    assert [r["Critical Tracking Event"] for r in rows][-1] == "Initial Packing"
    workbook = client.get(f"/app/exports/{chain.second_lot}/fsma204.xlsx", headers=packer)
    assert workbook.content.startswith(b"PK")  # a zip: the XLSX container
    plots = client.get(f"/app/exports/{chain.second_lot}/eudr.geojson", headers=packer)
    assert geojson.loads(plots.text).is_valid


def test_another_organisations_lot_does_not_export_from_the_app(app_world: AppWorld) -> None:
    chain = app_world.chain

    answer = app_world.client.get(
        f"/app/exports/{chain.second_lot}/fsma204.csv",
        headers=_as("enterprise", chain.retailer),
    )

    assert answer.status_code == 404


def test_the_export_block_fits_a_phone(app_world: AppWorld, tmp_path: Path) -> None:
    chain = app_world.chain
    with serving(app_world.client.app) as base, chromium() as tab:
        person = f"enterprise:{chain.packer}"
        tab.call("Network.setCookie", name=HeaderGate.COOKIE, value=person, url=base)
        tab.open(f"{base}/app/lots/{chain.second_lot}", width=360)

        assert "Xuất dữ liệu" in tab.text("main")
        assert tab.scroll_width() <= 360
        tab.screenshot(tmp_path / "lot-exports-360.png")
