"""Monitoring figures for page and export tests: an ``Indicators`` answering every key.

A subclass of the real protocol with hand-written answers of every shape the pages must draw:
shares with zero denominators, empty tables, long Vietnamese commune names, monthly series with
several lines, fulfilment rows, dates and months. Labels are plain Vietnamese text (a label that
is not a message id is shown as written), so tests can look for them on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from shared.readmodels.monitoring.figures import (
    INDICATOR_KEYS,
    Choices,
    Column,
    CooperativeLine,
    Figure,
    Filters,
    Indicator,
    Indicators,
    Kind,
    Row,
    Series,
    Share,
    Table,
)

LONG_COMMUNE = (
    "Xã Xuân Bái Thọ Xuân Thanh Hóa (gồm các xã Xuân Hòa, Xuân Tín và thị trấn Lam Sơn cũ)"
)
COMMUNES = ("Xã Thọ Xuân", "Xã Hoằng Hóa", LONG_COMMUNE, "Xã Nga Sơn")
RICE_CHAIN = UUID("7a1c2d3e-0000-4000-8000-000000000001")
COOPERATIVE_IDS = (
    UUID("0f6c1a52-3d7e-4b8a-9c21-5e4f6a7b8c90"),
    UUID("0f6c1a52-3d7e-4b8a-9c21-5e4f6a7b8c91"),
)


def _months(start: date, values: list[int]) -> tuple[tuple[date, int | Decimal], ...]:
    points: list[tuple[date, int | Decimal]] = []
    year, month = start.year, start.month
    for value in values:
        points.append((date(year, month, 1), value))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(points)


def _by_commune(title: str, counts: list[tuple[int, int]]) -> Table:
    return Table(
        key="by_commune",
        title=title,
        columns=(
            Column("commune", "Xã", Kind.TEXT),
            Column("in_chain", "HTX trong chuỗi", Kind.COUNT),
            Column("active", "HTX đang hoạt động", Kind.COUNT),
            Column("share", "Tỷ lệ", Kind.PERCENT),
        ),
        rows=tuple(
            Row(
                values={
                    "commune": commune,
                    "in_chain": n,
                    "active": whole,
                    "share": (Decimal(n) * 100 / whole).quantize(Decimal("0.1")) if whole else None,
                },
                drill=f"in_chain:commune:{commune}",
            )
            for commune, (n, whole) in zip(COMMUNES, counts, strict=True)
        ),
    )


def _answer(key: str, filters: Filters) -> Indicator:
    """A plausible answer for each key; the commune filter narrows the counts a little."""
    narrowed = 1 if filters.commune else 0
    start = date(filters.as_of.year - 1, filters.as_of.month, 1)
    if key == "cooperatives":
        return Indicator(
            key=key,
            title="Hợp tác xã",
            description="Số hợp tác xã theo mô hình và trạng thái, đến ngày đã chọn.",
            figures=(
                Figure("Hợp tác xã đang hoạt động", 42 - narrowed, drill="active"),
                Figure(
                    "HTX kiểu mới",
                    Share(30 - narrowed, 42 - narrowed, "HTX kiểu mới", "HTX đang hoạt động"),
                    Kind.PERCENT,
                    drill="new_model",
                ),
                Figure("Giải thể hoặc chuyển đổi", 0, drill="dissolved"),
            ),
            tables=(
                Table(
                    key="by_status",
                    title="Theo mô hình và trạng thái",
                    columns=(
                        Column("model", "Mô hình", Kind.TEXT),
                        Column("status", "Trạng thái", Kind.TEXT),
                        Column("count", "Số HTX", Kind.COUNT),
                        Column("founded", "Thành lập sớm nhất", Kind.DATE),
                    ),
                    rows=(
                        Row(
                            {
                                "model": "Kiểu mới",
                                "status": "Hoạt động",
                                "count": 30,
                                "founded": date(2019, 3, 14),
                            },
                            drill="new_model",
                        ),
                        Row(
                            {
                                "model": "Kiểu cũ",
                                "status": "Hoạt động",
                                "count": 12,
                                "founded": None,
                            },
                            drill="old_model",
                        ),
                    ),
                ),
                Table(
                    key="dissolved",
                    title="Giải thể trong năm",
                    columns=(Column("name", "HTX", Kind.TEXT),),
                    rows=(),
                ),
            ),
            series=(
                Series(
                    "new",
                    "HTX theo tháng",
                    Kind.COUNT,
                    _months(start, [20, 21, 22, 22, 24, 25, 26, 26, 27, 28, 29, 30]),
                    "Kiểu mới",
                ),
                Series(
                    "old",
                    "HTX theo tháng",
                    Kind.COUNT,
                    _months(start, [15, 15, 14, 14, 14, 13, 13, 13, 12, 12, 12, 12]),
                    "Kiểu cũ",
                ),
            ),
            as_of=filters.as_of,
            known_at=filters.known_at,
        )
    if key == "in_value_chain":
        return Indicator(
            key=key,
            title="Tham gia chuỗi giá trị",
            description="Tỷ lệ HTX đang hoạt động tham gia ít nhất một chuỗi liên kết.",
            figures=(
                Figure(
                    "Trong chuỗi",
                    Share(18, 40, "HTX trong chuỗi", "HTX đang hoạt động"),
                    Kind.PERCENT,
                    drill="in_chain",
                ),
                Figure(
                    "Có hợp đồng và giao hàng",
                    Share(7, 40, "HTX có hợp đồng và giao hàng", "HTX đang hoạt động"),
                    Kind.PERCENT,
                    drill="strict",
                ),
                Figure(
                    "Xã chưa có HTX",
                    Share(0, 0, "HTX trong chuỗi", "HTX đang hoạt động"),
                    Kind.PERCENT,
                ),
            ),
            tables=(_by_commune("Theo xã", [(5, 10), (1234, 2000), (3, 4), (0, 0)]),),
            series=(
                Series(
                    "share",
                    "Tỷ lệ theo tháng",
                    Kind.PERCENT,
                    _months(start, [30, 32, 35, 38, 40, 41, 42, 43, 44, 44, 45, 45]),
                ),
            ),
            as_of=filters.as_of,
            known_at=filters.known_at,
        )
    if key == "contracts":
        return Indicator(
            key=key,
            title="Hợp đồng liên kết",
            description="Sản lượng cam kết so với sản lượng đã giao theo từng hợp đồng.",
            figures=(
                Figure("Hợp đồng còn hiệu lực", 9, drill="contracts"),
                Figure(
                    "Mức thực hiện",
                    Share(Decimal("66.5"), Decimal(60), "Đã giao (tấn)", "Cam kết (tấn)"),
                    Kind.AMOUNT,
                ),
            ),
            tables=(
                Table(
                    key="fulfilment",
                    title="Thực hiện hợp đồng",
                    columns=(
                        Column("contract", "Hợp đồng", Kind.TEXT),
                        Column("committed", "Cam kết (tấn)", Kind.AMOUNT),
                        Column("shipped", "Đã giao (tấn)", Kind.AMOUNT),
                        Column("fulfilment", "Thực hiện", Kind.PERCENT),
                    ),
                    rows=(
                        Row(
                            {
                                "contract": "Lúa J02 — Công ty CP Tập đoàn Lộc Trời, "
                                "chi nhánh Thanh Hóa (vùng Thọ Xuân)",
                                "committed": Decimal("50"),
                                "shipped": Decimal("41.5"),
                                "fulfilment": Decimal("83.0"),
                            },
                            drill="contract:1",
                        ),
                        Row(
                            {
                                "contract": "Rau an toàn Hoằng Hóa",
                                "committed": Decimal("10"),
                                "shipped": Decimal("25"),
                                "fulfilment": Decimal("250.0"),
                            }
                        ),
                        Row(
                            {
                                "contract": "Mới ký",
                                "committed": Decimal("0"),
                                "shipped": Decimal("0"),
                                "fulfilment": None,
                            }
                        ),
                    ),
                ),
            ),
            as_of=filters.as_of,
            known_at=filters.known_at,
        )
    if key == "timeliness":
        return Indicator(
            key=key,
            title="Ghi chép kịp thời",
            description="Tỷ lệ sự kiện được ghi trong vòng 48 giờ.",
            figures=(
                Figure(
                    "Kịp thời", Share(0, 0, "Sự kiện ghi trong 48 giờ", "Sự kiện"), Kind.PERCENT
                ),
            ),
            tables=(
                Table(
                    key="by_cooperative",
                    title="Theo HTX",
                    columns=(
                        Column("name", "HTX", Kind.TEXT),
                        Column("share", "Tỷ lệ", Kind.PERCENT),
                    ),
                    rows=(),
                ),
            ),
            as_of=filters.as_of,
            known_at=filters.known_at,
        )
    return Indicator(
        key=key,
        title=f"Chỉ số {key}",
        description=f"Mô tả chỉ số {key}.",
        figures=(
            Figure("Số lượng", 1234, drill=f"{key}:all"),
            Figure("Diện tích (ha)", Decimal("1234.56"), Kind.AMOUNT),
            Figure("Ngày gần nhất", date(2026, 3, 14), Kind.DATE),
        ),
        series=(Series(key, "Theo tháng", Kind.AMOUNT, _months(start, [1, 2, 3])),),
        as_of=filters.as_of,
        known_at=filters.known_at,
    )


@dataclass
class FakeIndicators(Indicators):
    """Every key answers; the filters each call got are kept, to check what the page asked."""

    asked: list[Filters] = field(default_factory=list)
    drilled: list[tuple[str, Filters]] = field(default_factory=list)

    def indicator(self, key: str, filters: Filters) -> Indicator:
        if key not in INDICATOR_KEYS:
            raise KeyError(key)
        self.asked.append(filters)
        return _answer(key, filters)

    def drill(self, key: str, filters: Filters) -> list[CooperativeLine]:
        self.drilled.append((key, filters))
        if key == "dissolved":
            return []
        return [
            CooperativeLine(
                id=COOPERATIVE_IDS[0],
                name="HTX Dịch vụ Nông nghiệp và Sản xuất Kinh doanh Bưởi Luận Văn Thọ Xuân",
                commune=LONG_COMMUNE,
                former_district="Thọ Xuân",
                sector="Trồng trọt",
                model="new",
                status="active",
            ),
            CooperativeLine(
                id=COOPERATIVE_IDS[1],
                name="HTX Nông nghiệp Hoằng Hóa",
                commune="Xã Hoằng Hóa",
                former_district=None,
                sector=None,
                model=None,
                status="active",
            ),
        ]

    def choices(self) -> Choices:
        return Choices(
            communes=COMMUNES,
            former_districts=("Thọ Xuân", "Hoằng Hóa", "Nga Sơn"),
            sectors=("Trồng trọt", "Chăn nuôi"),
            commodities=("Lúa", "Rau", "Bưởi"),
            value_chains=((RICE_CHAIN, "Chuỗi lúa J02 Thọ Xuân"),),
        )
