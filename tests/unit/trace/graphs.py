"""Hand-made trace graphs for the picture's and the pages' tests (no database).

``a_rice_chain`` is one harvest milled into rice, shipped to an enterprise and packed into
``retail`` bags; ``a_wide_chain(n)`` gives the harvest ``n`` retail descendants, for grouping.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from shared.trace.balance import MassBalance
from shared.trace.graph import (
    Amount,
    Direction,
    TraceGraph,
    TraceLink,
    TraceNode,
    TraceParty,
    TracePlot,
    TraceShipment,
)

COOPERATIVE = "0f6c1a52-3d7e-4b8a-9c21-5e4f6a7b8c90"
ENTERPRISE = "7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
SHOPS = tuple(f"5e5e5e5e-0000-4000-8000-00000000000{i}" for i in range(3))
PLOT = "9b9b9b9b-1111-4111-8111-111111111111"
AT = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)


def a_node(
    batch_id: str,
    code: str,
    depth: int,
    *,
    product: str = "Gạo ST25",
    holder: str | None = ENTERPRISE,
    quantity: Amount | None = None,
    status: str = "active",
    recalled: bool = False,
    plots: tuple[str, ...] = (),
) -> TraceNode:
    return TraceNode(
        batch_id=batch_id,
        code=code,
        product=product,
        depth=depth,
        holder_id=holder,
        status=status,
        quantity=quantity,
        produced=quantity,
        produced_at=AT,
        recalled=recalled,
        recall_origin="TH-2026-000001" if recalled else None,
        plot_ids=plots,
    )


def kg(amount: str | int) -> Amount:
    return Amount(Decimal(amount), "kg")


def a_wide_chain(retail: int, *, recalled: bool = False, hidden: bool = False) -> TraceGraph:
    """A harvest (depth 0) milled into rice (1), shipped to the enterprise, packed into bags (2)."""
    harvest = a_node(
        "h",
        "TH-2026-000001",
        0,
        product="Lúa ST25",
        holder=COOPERATIVE,
        quantity=kg(5000),
        status="consumed",
        recalled=recalled,
        plots=(PLOT,),
    )
    rice = a_node("r", "TH-2026-000002", 1, quantity=kg(3000), status="consumed", recalled=recalled)
    bags = tuple(
        a_node(
            f"b{i}",
            f"TH-2026-1{i:05d}",
            2,
            product="Gạo ST25 túi 5 kg",
            holder=SHOPS[i % len(SHOPS)],
            quantity=None if hidden and i % 2 else kg(5),
            status="sold" if i % 4 == 0 else "active",
            recalled=recalled,
        )
        for i in range(retail)
    )
    links = (
        TraceLink("h", "r", "t1", kg(3000), AT),
        *(TraceLink("r", bag.batch_id, "t2", bag.quantity, AT) for bag in bags),
    )
    shipments = (
        TraceShipment("r", COOPERATIVE, ENTERPRISE, kg(3000), AT, kg(3000), AT),
        *(
            TraceShipment(
                bag.batch_id, ENTERPRISE, bag.holder_id or "", bag.quantity, AT, None, None
            )
            for bag in bags
        ),
    )
    parties = (
        TraceParty(
            COOPERATIVE, "HTX Nông nghiệp Thiệu Trung", "cooperative", "Xã Thiệu Trung", True
        ),
        TraceParty(
            ENTERPRISE, "Công ty CP Lương thực Xứ Thanh", "enterprise", "Phường Hạc Thành", True
        ),
        *(
            TraceParty(shop, f"Cửa hàng <Bách hóa> số {i}", "enterprise", None, not hidden)
            for i, shop in enumerate(SHOPS)
        ),
    )
    plots = (
        TracePlot(PLOT, COOPERATIVE, "Thửa 12, cánh đồng Đông", "Xã Thiệu Trung", Decimal("1.2")),
    )
    return TraceGraph(
        start_id="h",
        direction=Direction.FORWARD,
        as_of=None,
        known_at=None,
        nodes=(harvest, rice, *bags),
        links=links,
        shipments=shipments,
        parties=parties,
        plots=plots,
    )


def a_rice_chain() -> TraceGraph:
    return a_wide_chain(4)


def a_balance() -> MassBalance:
    return MassBalance(
        unit="kg",
        produced=Decimal(5000),
        shipped=Decimal(3000),
        received=Decimal(3000),
        on_hand=Decimal(2000),
        sold=Decimal(500),
        lost_in_processing=Decimal(2000),
        unaccounted=Decimal(500),
        recovered=Decimal(0),
        recovered_share=None,
    )


__all__ = ["a_balance", "a_rice_chain", "a_wide_chain"]
