"""From a cooperative's phone to a buyer's screen, through the real Kafka broker.

capture (HTTP) → event store → relay → Kafka → projector → read models → provenance page.
The platform is composed as ``nguon serve`` composes it with Kafka configured; requests go
through its HTTP app; waits are by the position capture answered, never by sleeping.
"""

from __future__ import annotations

import hashlib
import io
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import zxingcpp
from fastapi.testclient import TestClient
from PIL import Image

from services.platform.composition import WriteSide, build_app, feed_read_models, records_only
from services.platform.settings import PlatformSettings
from shared.database import prepare
from shared.records.actors import Role
from tests.builders import cooperative_json, kg_json, plot_json
from tests.databases import on_database

PUBLIC_BASE_URL = "https://nguon.example.vn"


@dataclass
class Platform:
    side: WriteSide
    client: TestClient

    def token(self, role: Role, organisation: str | None = None) -> dict[str, str]:
        token = self.side.tokens.create(role, uuid.UUID(organisation) if organisation else None)
        return {"Authorization": f"Bearer {token}"}

    def post(self, path: str, body: dict[str, Any], auth: dict[str, str]) -> dict[str, Any]:
        answer = self.client.post(f"/api/v1{path}", json=body, headers=auth)
        assert answer.status_code in (200, 201), answer.text
        result: dict[str, Any] = answer.json()
        return result

    def page(self, path: str, position: int, **headers: str) -> httpx.Response:
        answer: httpx.Response = self.client.get(
            path, params={"position": position}, headers=headers
        )
        return answer


@pytest.fixture
def platform(
    fresh_database_admin_url: str, kafka_bootstrap_servers: str, caplog: pytest.LogCaptureFixture
) -> Iterator[Platform]:
    # The group's joins, assignments and rebalances, and the projector's own lines, are kept:
    # a page that waits in vain (this journey has done so, rarely, on a loaded machine) then
    # says in the report what the consumer was doing.
    for logger in ("kafka.coordinator", "kafka.consumer", "services.projector", "shared.kafka"):
        caplog.set_level(logging.INFO, logger=logger)
    settings = PlatformSettings(
        **on_database(fresh_database_admin_url),
        kafka_bootstrap_servers=kafka_bootstrap_servers,
        kafka_topic_prefix=f"e2e-{uuid.uuid4().hex[:10]}",
        projector_group_id=f"e2e-{uuid.uuid4().hex[:10]}",
        public_base_url=PUBLIC_BASE_URL,
        read_wait_timeout_seconds=60,
    )
    prepare(settings)  # `nguon db migrate`: the platform on a server of its own only checks
    with records_only(settings) as side:
        background = feed_read_models(side)
        try:
            with TestClient(build_app(side)) as client:
                yield Platform(side, client)
        finally:
            background.stop()


def a_cooperative(
    platform: Platform, staff: dict[str, str], name: str, commune: str, district: str
) -> str:
    answer = platform.post(
        "/cooperatives",
        cooperative_json(
            name=name,
            commune=commune,
            former_district=district,
            sector="lúa gạo",
            founded="2012-05-01",
            members_count=60,
        ),
        staff,
    )
    cooperative_id: str = answer["results"][0]["cooperative_id"]
    return cooperative_id


def a_plot(
    platform: Platform, auth: dict[str, str], cooperative: str, commune: str, code: str, lon: float
) -> str:
    # Its member household is registered first (sealed); the plot names it by id.
    registered = platform.post(
        f"/cooperatives/{cooperative}/households", {"reference": "hộ Lê Văn Bí mật"}, auth
    )
    answer = platform.post(
        "/plots",
        plot_json(
            cooperative,
            crop="lúa nếp",
            commune=commune,
            location={"type": "Point", "coordinates": [lon, 19.9]},
            household_id=registered["results"][0]["household_id"],
            planting_area_code=code,
        ),
        auth,
    )
    plot_id: str = answer["results"][0]["plot_id"]
    return plot_id


def test_a_retail_lot_page_names_both_origin_plots_and_cooperatives_after_the_whole_journey(
    platform: Platform,
) -> None:
    staff = platform.token(Role.PROVINCE)
    thieu = a_cooperative(platform, staff, "HTX Thiệu Trung E2E", "Xã Thiệu Trung", "Thiệu Hóa")
    hoang = a_cooperative(platform, staff, "HTX Hoằng Đạo E2E", "Xã Hoằng Đạo", "Hoằng Hóa")
    shop = platform.post(
        "/enterprises",
        {
            "name": "Công ty Gạo Xứ Thanh E2E",
            "tax_code": "2800" + str(uuid.uuid4().int)[:6],
            "address": "Số 1 Lê Lợi",
            "commune": "Phường Hạc Thành",
        },
        staff,
    )["results"][0]["enterprise_id"]
    by_thieu, by_hoang, by_shop = (
        platform.token(Role.COOPERATIVE, thieu),
        platform.token(Role.COOPERATIVE, hoang),
        platform.token(Role.ENTERPRISE, shop),
    )
    plot_t = a_plot(platform, by_thieu, thieu, "Xã Thiệu Trung", "VT-E2E-T", 105.68)
    plot_h = a_plot(platform, by_hoang, hoang, "Xã Hoằng Đạo", "VT-E2E-H", 105.86)

    harvest = {"commodity": "lúa", "variety": "Nếp cái hoa vàng", "harvested_on": "2026-11-10"}
    h_t = platform.post(
        "/batches", {**harvest, "plot_ids": [plot_t], "quantity": kg_json("3000")}, by_thieu
    )["results"][0]["code"]
    h_h = platform.post(
        "/batches", {**harvest, "plot_ids": [plot_h], "quantity": kg_json("2000")}, by_hoang
    )["results"][0]["code"]
    for code, auth in ((h_t, by_thieu), (h_h, by_hoang)):
        platform.post(
            f"/batches/{code}/processing",
            {
                "step": "drying",
                "facility": "Sân phơi",
                "quantity_after": kg_json("1800") if code == h_h else kg_json("2700"),
            },
            auth,
        )
    platform.post(
        f"/batches/{h_h}/shipments", {"to": thieu, "transport_document": "PVC-SECRET-42"}, by_hoang
    )
    platform.post(f"/batches/{h_h}/receipts", {"quantity": kg_json("1800")}, by_thieu)
    milled = platform.post(
        "/transformations",
        {
            "step": "milling",
            "inputs": [
                {"batch": h_t, "quantity": kg_json("2700")},
                {"batch": h_h, "quantity": kg_json("1800")},
            ],
            "outputs": [
                {"commodity": "gạo", "variety": "Nếp cái hoa vàng", "quantity": kg_json("3000")}
            ],
        },
        by_thieu,
    )["results"][0]["outputs"][0]["code"]
    packed = platform.post(
        "/transformations",
        {
            "step": "packing",
            "inputs": [{"batch": milled, "quantity": kg_json("50")}],
            "outputs": [
                {"commodity": "gạo", "quantity": kg_json("25")},
                {"commodity": "gạo", "quantity": kg_json("25")},
            ],
        },
        by_thieu,
    )["results"][0]["outputs"]
    retail = packed[0]["code"]
    platform.post(f"/batches/{retail}/shipments", {"to": shop}, by_thieu)
    received = platform.post(f"/batches/{retail}/receipts", {"quantity": kg_json("25")}, by_shop)

    page = platform.page(f"/b/{retail}", received["position"], **{"Accept-Language": "vi"})

    assert page.status_code == 200, page.text
    html = page.text
    for fact in (
        "HTX Thiệu Trung E2E",
        "HTX Hoằng Đạo E2E",
        "Xã Thiệu Trung",
        "Xã Hoằng Đạo",
        "VT-E2E-T",
        "VT-E2E-H",
        h_t,
        h_h,
        milled,
        "Công ty Gạo Xứ Thanh E2E",
    ):
        assert fact in html, fact
    for secret in ("Lê Văn Bí mật", "PVC-SECRET-42"):
        assert secret not in html
    document = platform.page(f"/b/{retail}", received["position"], Accept="application/json").json()
    kinds = [step["kind"] for step in document["timeline"]]
    for kind in ("harvested", "processed", "shipped", "received", "transformed"):
        assert kind in kinds, kinds
    assert {p["planting_area_code"] for p in document["origin_plots"]} == {"VT-E2E-T", "VT-E2E-H"}
    assert document["holder"]["name"] == "Công ty Gạo Xứ Thanh E2E"
    records = platform.client.get(f"/b/{retail}/records").json()
    digests = "\n".join(e["digest"] for e in records["events"])
    assert hashlib.sha256(digests.encode()).hexdigest() == document["fingerprint"]
    assert {"Batch.Harvested", "Batch.Received"} <= {e["type"] for e in records["events"]}


def test_a_qr_code_from_the_platform_decodes_to_a_link_that_serves_its_batch(
    platform: Platform,
) -> None:
    staff = platform.token(Role.PROVINCE)
    coop = a_cooperative(platform, staff, "HTX Quảng Phú E2E", "Xã Quảng Phú", "Quảng Xương")
    by_coop = platform.token(Role.COOPERATIVE, coop)
    plot = a_plot(platform, by_coop, coop, "Xã Quảng Phú", "VT-E2E-Q", 105.80)
    code = platform.post(
        "/batches",
        {
            "plot_ids": [plot],
            "commodity": "gạo",
            "quantity": kg_json("100"),
            "harvested_on": "2026-11-10",
        },
        by_coop,
    )["results"][0]["code"]
    platform.post(f"/organisations/{coop}/gtins", {"gtin": "8936012340013"}, by_coop)
    labelled = platform.post(
        f"/batches/{code}/labels",
        {"gtin": "8936012340013", "lot": "QP2611A", "labels_issued": 24},
        by_coop,
    )
    assert platform.page(f"/b/{code}", labelled["position"]).status_code == 200

    png = platform.client.get(f"/b/{code}/qr.png")
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))

    assert len(decoded) == 1
    link = urlsplit(decoded[0].text)
    assert f"{link.scheme}://{link.netloc}" == PUBLIC_BASE_URL
    assert link.path == "/01/08936012340013/10/QP2611A"
    page = platform.client.get(link.path, headers={"Accept": "application/json"})
    assert page.status_code == 200
    assert page.json()["code"] == code
