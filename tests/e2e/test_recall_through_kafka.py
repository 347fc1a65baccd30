"""A recall from the command to every holder and every page, through the real Kafka broker.

A harvest is packed into three lots; two go to two shops, one stays with the cooperative: the
recall names three holders with what each holds; their acknowledgements and reports close it;
every descendant's public page shows the recall. Waits are by position, never by sleeping.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from uuid import UUID

from services.platform.composition import WriteSide
from shared.readmodels.recalls import PostgresRecallReader, RecallView
from shared.records.actors import Role
from tests.builders import kg_json
from tests.e2e.test_capture_to_page import (  # noqa: F401  (the fixture)
    Platform,
    a_cooperative,
    a_plot,
    platform,
)


def _shop(on: Platform, staff: dict[str, str], name: str) -> str:
    body = {
        "name": name,
        "tax_code": "2800" + str(uuid.uuid4().int)[:6],
        "address": "Số 1 Lê Lợi",
        "commune": "Phường Hạc Thành",
    }
    shop: str = on.post("/enterprises", body, staff)["results"][0]["enterprise_id"]
    return shop


def _holdings(view: RecallView) -> dict[str, dict[str, Decimal]]:
    return {
        h.organisation_id: {lot.code: lot.affected.amount for lot in h.lots if lot.affected}
        for h in view.holders
    }


def _reader(side: WriteSide) -> PostgresRecallReader:
    return PostgresRecallReader(side.connect)


def test_a_recalled_harvest_reaches_three_holders_who_close_it_and_every_page_shows_it(
    platform: Platform,  # noqa: F811  (the fixture imported above)
) -> None:
    staff = platform.token(Role.PROVINCE)
    coop = a_cooperative(platform, staff, "HTX Thiệu Trung Thu Hồi", "Xã Thiệu Trung", "Thiệu Hóa")
    shop_a, shop_b = (_shop(platform, staff, f"Cửa hàng Gạo {n} E2E") for n in ("A", "B"))
    by_coop = platform.token(Role.COOPERATIVE, coop)
    by_a, by_b = platform.token(Role.ENTERPRISE, shop_a), platform.token(Role.ENTERPRISE, shop_b)
    plot = a_plot(platform, by_coop, coop, "Xã Thiệu Trung", "VT-E2E-R", 105.68)
    harvest = platform.post(
        "/batches",
        {
            "commodity": "lúa",
            "harvested_on": "2026-11-10",
            "plot_ids": [plot],
            "quantity": kg_json("1000"),
        },
        by_coop,
    )["results"][0]["code"]
    outputs = platform.post(
        "/transformations",
        {
            "step": "packing",
            "inputs": [{"batch": harvest, "quantity": kg_json("900")}],
            "outputs": [{"commodity": "gạo", "quantity": kg_json("300")} for _ in range(3)],
        },
        by_coop,
    )["results"][0]["outputs"]
    lot_a, lot_b, lot_kept = (o["code"] for o in outputs)
    for lot, shop, auth in ((lot_a, shop_a, by_a), (lot_b, shop_b, by_b)):
        platform.post(f"/batches/{lot}/shipments", {"to": shop}, by_coop)
        platform.post(f"/batches/{lot}/receipts", {"quantity": kg_json("300")}, auth)

    opened = platform.post(
        f"/batches/{harvest}/recall", {"reason": "Aflatoxin vượt ngưỡng"}, by_coop
    )
    recall_id = UUID(opened["results"][0]["recall_id"])
    # A page answered at a position means every projection, the recalls one too, reached it.
    assert platform.page(f"/b/{lot_kept}", opened["position"]).status_code == 200
    view = _reader(platform.side).recall(recall_id, viewer=None)

    assert view is not None
    assert _holdings(view) == {
        coop: {harvest: Decimal(100), lot_kept: Decimal(300)},
        shop_a: {lot_a: Decimal(300)},
        shop_b: {lot_b: Decimal(300)},
    }
    assert all(h.notified_at is not None for h in view.holders)

    last = opened["position"]
    holdings = _holdings(view)
    for holder, auth in ((coop, by_coop), (shop_a, by_a), (shop_b, by_b)):
        platform.post(f"/recalls/{recall_id}/notice", {}, auth)
        platform.post(f"/recalls/{recall_id}/acknowledgements", {}, auth)
        for code, amount in holdings[holder].items():
            half = kg_json(str(amount / 2))
            answer = platform.post(
                f"/recalls/{recall_id}/returns",
                {"batch": code, "withdrawn": half, "destroyed": half},
                auth,
            )
            last = answer["position"]

    for code in (lot_a, lot_b, lot_kept):
        page = platform.page(f"/b/{code}", last, **{"Accept-Language": "vi"})
        assert page.status_code == 200, page.text
        assert 'class="recall"' in page.text
        assert "Aflatoxin vượt ngưỡng" in page.text
        assert "HTX Thiệu Trung Thu Hồi" in page.text
    closed = _reader(platform.side).recall(recall_id, viewer=None)
    assert closed is not None
    assert closed.state == "closed"
    assert all(h.accounted and h.opened_at and h.acknowledged_at for h in closed.holders)
