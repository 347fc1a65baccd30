"""The exports through the API: FSMA 204's rows for a lot's lineage and a date range, the
CSV and the XLSX saying the same, EUDR's GeoJSON of the plots, and who may export what."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import geojson
import openpyxl
from shapely.geometry import Polygon

from tests.integration.exports.conftest import World

PACKER_PLACE_PREFIX = "Công ty TNHH Gạo Xứ Thanh"


def _csv(world: World, by: str = "province", **params: str) -> list[dict[str, str]]:
    answer = world.get("/exports/fsma204", by, format="csv", **params)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    text = answer.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _events(rows: list[dict[str, str]]) -> list[tuple[str, str, str]]:
    return [
        (r["Critical Tracking Event"], r["Event Date"], r["Traceability Lot Code (TLC)"])
        for r in rows
    ]


def test_a_lots_spreadsheet_has_a_row_for_each_critical_tracking_event_of_its_lineage(
    world: World,
) -> None:
    chain = world.chain

    rows = _csv(world, lot=chain.first_lot)

    assert _events(rows) == [
        ("Harvesting", "2025-10-05", chain.harvest),
        ("Cooling", "2025-10-05", chain.harvest),
        ("Shipping", "2025-10-06", chain.harvest),
        ("Receiving", "2025-10-07", chain.harvest),
        ("Initial Packing", "2025-10-08", chain.first_lot),
        ("Shipping", "2025-10-09", chain.first_lot),
        ("Receiving", "2025-10-10", chain.first_lot),
    ]
    harvest, cooling, shipped, received, packed, _, _ = rows
    assert [harvest["Quantity"], cooling["Quantity"], received["Quantity"]] == [
        "1000",
        "900",
        "900",
    ]
    assert {r["Unit of Measure"] for r in rows} == {"kg"}
    assert harvest["Product Description"] == "rice (Nếp cái hoa vàng)"
    assert "Xã Xuân Lập" in harvest["Harvest Location Description"]
    assert "6 ha" in harvest["Harvest Location Description"]
    assert harvest["Traceability Lot Code Source Identifier"] == (
        f"urn:nguon:organisation:{chain.cooperative}"
    )
    assert shipped["Reference Document Type"] == "Transport document"
    assert shipped["Reference Document Number"] == "PVC-001"
    assert shipped["Location Identifier"] == f"urn:nguon:organisation:{chain.cooperative}"
    # The packer registered a GLN: its premises' Digital Link, as EPCIS names them.
    assert received["Location Identifier"] == f"https://id.gs1.org/414/{chain.packer_gln}"
    assert (
        f"(https://id.gs1.org/414/{chain.big_plot_gln})"
        in (harvest["Harvest Location Description"])
    )
    assert received["Immediate Previous Source Location Description"].startswith("HTX")
    assert packed["Input Traceability Lot Codes"] == f"{chain.harvest} (900 kg)"
    assert packed["Traceability Lot Code Source Identifier"] == (
        f"https://id.gs1.org/414/{chain.packer_gln}"
    )
    assert all("HH-SEALED" not in value for row in rows for value in row.values())


def test_a_harvests_spreadsheet_follows_it_to_every_lot_made_of_it(world: World) -> None:
    chain = world.chain

    rows = _csv(world, lot=chain.harvest)

    assert [(e, lot) for e, _, lot in _events(rows)][4:] == [
        ("Initial Packing", chain.first_lot),
        ("Initial Packing", chain.second_lot),
        ("Shipping", chain.first_lot),
        ("Receiving", chain.first_lot),
    ]


def test_a_date_range_keeps_the_events_of_those_days_only(world: World) -> None:
    rows = _csv(world, lot=world.chain.harvest, **{"from": "2025-10-06", "to": "2025-10-08"})

    assert [(e, d) for e, d, _ in _events(rows)] == [
        ("Shipping", "2025-10-06"),
        ("Receiving", "2025-10-07"),
        ("Initial Packing", "2025-10-08"),
        ("Initial Packing", "2025-10-08"),
    ]


def test_a_date_range_alone_gives_an_organisation_its_own_lots_only(world: World) -> None:
    rows = _csv(world, "retailer", **{"from": "2025-10-01", "to": "2025-10-31"})

    assert _events(rows) == [
        ("Initial Packing", "2025-10-08", world.chain.first_lot),
        ("Shipping", "2025-10-09", world.chain.first_lot),
        ("Receiving", "2025-10-10", world.chain.first_lot),
    ]


def test_the_xlsx_holds_the_same_rows_as_the_csv(world: World) -> None:
    rows = _csv(world, lot=world.chain.first_lot)

    answer = world.get("/exports/fsma204", "province", lot=world.chain.first_lot)

    assert answer.status_code == 200
    assert "attachment" in answer.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    table = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert table[0] == list(rows[0].keys())
    as_text = [[_text(v) for v in r] for r in table[1:]]
    assert as_text == [list(r.values()) for r in rows]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "date"):
        return str(value.date().isoformat())
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def test_an_organisation_sees_another_organisations_quantities_only_where_published(
    world: World,
) -> None:
    rows = _csv(world, "retailer", lot=world.chain.first_lot)

    assert [r["Quantity"] for r in rows] == ["", "", "", "", "", "", "450"]
    assert [r["Unit of Measure"] for r in rows] == ["kg"] * 7


def test_an_organisation_exports_only_lots_it_holds_or_held(world: World) -> None:
    chain = world.chain
    for path in ("/exports/fsma204", "/exports/eudr"):
        refused = world.get(path, "other", lot=chain.harvest)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "export_not_a_party"
        assert world.get(path, "retailer", lot=chain.harvest).status_code == 403
        assert world.get(path, "retailer", lot=chain.first_lot).status_code == 200
        assert world.get(path, "packer", lot=chain.harvest).status_code == 200
        assert world.get(path, "province", lot=chain.second_lot).status_code == 200


def test_an_export_names_what_is_missing_or_wrong(world: World) -> None:
    cases = [
        ({}, 422, "export_scope_needed"),
        ({"from": "2025-10-01"}, 422, "export_scope_needed"),
        ({"from": "2025-10-09", "to": "2025-10-01"}, 422, "date_range_reversed"),
        ({"lot": "TH-2026-999999"}, 404, "not_found"),
        ({"lot": "no-such-thing"}, 422, "batch_reference_format"),
    ]
    for params, status, code in cases:
        answer = world.get("/exports/fsma204", "province", **params)
        assert answer.status_code == status, (params, answer.text)
        assert answer.json()["error"]["code"] == code


def test_the_eudr_file_is_valid_geojson_of_the_lots_plots(world: World) -> None:
    chain = world.chain

    answer = world.get("/exports/eudr", "retailer", lot=chain.first_lot)

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/geo+json")
    assert b"HH-SEALED" not in answer.content
    collection = geojson.loads(answer.text)
    assert collection.is_valid, collection.errors()
    features = {f["id"]: f for f in collection["features"]}
    assert set(features) == {str(chain.small_plot), str(chain.big_plot)}
    small, big = features[str(chain.small_plot)], features[str(chain.big_plot)]
    assert small["geometry"] == {"type": "Point", "coordinates": [105.681234, 19.901234]}
    assert big["geometry"]["type"] == "Polygon"
    assert big["properties"] | {"producer": None} == {
        "plot_id": str(chain.big_plot),
        "planting_area_code": None,
        "gln": chain.big_plot_gln,
        "area_ha": 6.0,
        "producer": None,
        "producer_id": str(chain.cooperative),
        "commune": "Xã Xuân Lập",
        "province": "Thanh Hóa",
        "country": "VN",
        "crop": "lúa",
        "product": ["rice (Nếp cái hoa vàng)"],
        "harvest_dates": ["2025-10-05"],
        "batches": [chain.harvest],
    }
    assert big["properties"]["producer"].startswith("HTX")
    assert small["properties"]["gln"] is None  # no GLN registered for it


def test_polygons_are_wound_counter_clockwise_in_longitude_latitude_order(world: World) -> None:
    answer = world.get("/exports/eudr", "province", lot=world.chain.harvest)

    raw: dict[str, Any] = json.loads(answer.content)
    polygon = next(f for f in raw["features"] if f["geometry"]["type"] == "Polygon")
    ring = polygon["geometry"]["coordinates"][0]
    assert all(104 < lon < 107 and 19 < lat < 21 for lon, lat in ring)  # Thanh Hóa, lon first
    assert all(len(str(v).split(".")[-1]) <= 6 for p in ring for v in p)
    assert ring[0] == ring[-1]
    assert Polygon(ring).exterior.is_ccw


def test_a_labelled_lot_is_named_by_its_gtin_and_lot_too(world: World) -> None:
    chain = world.chain

    by_gtin = _csv(world, gtin=chain.gtin, lot=chain.gs1_lot)
    plots = world.get("/exports/eudr", "province", gtin=chain.gtin, lot=chain.gs1_lot)
    wrong = world.get("/exports/fsma204", "province", gtin=chain.gtin, lot="NO-SUCH-LOT")

    assert by_gtin == _csv(world, lot=chain.first_lot)
    assert {
        (r["GTIN"], r["Lot"])
        for r in by_gtin
        if r["Traceability Lot Code (TLC)"] == chain.first_lot
    } == {(chain.gtin, chain.gs1_lot)}
    assert plots.status_code == 200
    assert wrong.status_code == 404
    assert wrong.json()["error"]["code"] == "gtin_lot_not_found"
