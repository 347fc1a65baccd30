"""Demo data: fictional Thanh Hóa cooperatives (in real communes), a partner enterprise, a rice
value chain, plots, and batches harvested, dried, milled, packed, shipped, received and labelled.

Seeding goes through the same records application as any client, one request per step, each
with a fixed Idempotency-Key: seeding twice replays the first answers and stores nothing new.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from shared.domain.quantities import Quantity
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import IdempotencyKey, Outcome, Records
from shared.records.results import TransformationResult

PROVINCE = "Thanh Hóa"
STAFF = Actor(Role.PROVINCE)


def kg(amount: str) -> Quantity:
    return Quantity.positive(amount, "kg")


GTIN = "8936012340013"  # the enterprise's retail bag


@dataclass
class DemoWorld:
    thieu_trung: UUID
    hoang_dao: UUID
    enterprise: UUID
    chain: UUID
    plot_thieu_trung: UUID
    retail_codes: list[str]
    labelled_code: str


def seed(records: Records, progress: Callable[[str], None] = lambda _: None) -> DemoWorld:
    def step(name: str, actor: Actor, *commands: c.Command) -> Outcome:
        progress(name)
        key = IdempotencyKey(scope="demo-seed", key=name, request=[repr(x) for x in commands])
        return records.execute(actor, list(commands), idempotency=key)

    def first(outcome: Outcome, field: str) -> Any:
        return outcome.answers[0][field]

    harvest_day = (datetime.now(tz=UTC) + timedelta(hours=7)).date() - timedelta(days=20)
    at = datetime.combine(harvest_day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=1)

    thieu_trung = UUID(
        first(
            step(
                "cooperative-thieu-trung",
                STAFF,
                c.RegisterCooperative(
                    name="HTX Dịch vụ Nông nghiệp Thiệu Trung (demo)",
                    registration_number="DEMO-2801-0001",
                    commune="Xã Thiệu Trung",
                    former_district="Thiệu Hóa",
                    province=PROVINCE,
                    sector="lúa gạo",
                    founded=date(2009, 3, 12),
                    members_count=412,
                    model="new",
                ),
            ),
            "cooperative_id",
        )
    )
    hoang_dao = UUID(
        first(
            step(
                "cooperative-hoang-dao",
                STAFF,
                c.RegisterCooperative(
                    name="HTX Nông nghiệp Hoằng Đạo (demo)",
                    registration_number="DEMO-2801-0002",
                    commune="Xã Hoằng Đạo",
                    former_district="Hoằng Hóa",
                    province=PROVINCE,
                    sector="lúa gạo",
                    founded=date(2012, 6, 1),
                    members_count=268,
                    model="old",
                ),
            ),
            "cooperative_id",
        )
    )
    step(
        "cooperative-quang-phu",
        STAFF,
        c.RegisterCooperative(
            name="HTX Rau an toàn Quảng Phú (demo)",
            registration_number="DEMO-2801-0003",
            commune="Xã Quảng Phú",
            former_district="Quảng Xương",
            province=PROVINCE,
            sector="rau màu",
            founded=date(2018, 9, 20),
            members_count=35,
            model="new",
        ),
    )
    enterprise = UUID(
        first(
            step(
                "enterprise",
                STAFF,
                c.RegisterEnterprise(
                    name="Công ty TNHH Gạo Xứ Thanh (demo)",
                    tax_code="2800999001",
                    address="Số 1 đường Lê Lợi",
                    commune="Phường Hạc Thành",
                    former_district="TP Thanh Hóa",
                    province=PROVINCE,
                ),
            ),
            "enterprise_id",
        )
    )
    step(
        "support-and-certification",
        STAFF,
        c.RecordSupport(
            cooperative_id=thieu_trung,
            kind="fund_loan",
            on=date(2025, 4, 10),
            programme="Quỹ hỗ trợ phát triển HTX tỉnh Thanh Hóa",
            amount_vnd=Decimal(300_000_000),
        ),
        c.RecordSupport(
            cooperative_id=hoang_dao,
            kind="training",
            on=date(2025, 8, 5),
            programme="Bồi dưỡng cán bộ quản lý HTX",
        ),
        c.GrantCertification(
            organisation_id=thieu_trung,
            scheme="VietGAP",
            certificate="VG-TH-DEMO-0042",
            valid_from=date(2025, 1, 15),
            valid_until=date(2028, 1, 14),
        ),
    )
    chain = UUID(
        first(
            step(
                "value-chain",
                STAFF,
                c.EstablishValueChain(
                    name="Chuỗi lúa gạo chất lượng cao Thiệu Hóa – Hoằng Hóa (demo)",
                    commodity="lúa gạo",
                    lead_organisation_id=enterprise,
                ),
            ),
            "value_chain_id",
        )
    )
    step(
        "value-chain-participants",
        STAFF,
        c.JoinValueChain(value_chain_id=chain, organisation_id=thieu_trung, role="producer"),
        c.JoinValueChain(value_chain_id=chain, organisation_id=hoang_dao, role="producer"),
        c.JoinValueChain(value_chain_id=chain, organisation_id=enterprise, role="processor"),
        c.SignLinkageContract(
            value_chain_id=chain,
            contract_number="HDLK-DEMO-2026-01",
            parties=[enterprise, thieu_trung, hoang_dao],
            commodity="lúa nếp cái hoa vàng",
            committed_volume=Quantity.positive("120", "t"),
            starts_on=date(2026, 1, 1),
            ends_on=date(2028, 12, 31),
        ),
    )

    coop_tt = Actor(Role.COOPERATIVE, thieu_trung)
    coop_hd = Actor(Role.COOPERATIVE, hoang_dao)
    plot_tt = UUID(
        first(
            step(
                "plot-thieu-trung",
                coop_tt,
                c.RegisterPlot(
                    cooperative_id=thieu_trung,
                    crop="lúa nếp cái hoa vàng",
                    area_ha=Decimal("3.2"),
                    commune="Xã Thiệu Trung",
                    location={"type": "Point", "coordinates": [105.689412, 19.901735]},
                    household_ref="hộ số 17 (riêng tư)",
                    planting_area_code="VT-38-TH-0112",
                ),
            ),
            "plot_id",
        )
    )
    plot_hd = UUID(
        first(
            step(
                "plot-hoang-dao",
                coop_hd,
                c.RegisterPlot(
                    cooperative_id=hoang_dao,
                    crop="lúa nếp cái hoa vàng",
                    area_ha=Decimal("6.5"),
                    commune="Xã Hoằng Đạo",
                    location={
                        "type": "Polygon",
                        "coordinates": [
                            [
                                [105.861200, 19.842100],
                                [105.864900, 19.842100],
                                [105.864900, 19.845300],
                                [105.861200, 19.845300],
                                [105.861200, 19.842100],
                            ]
                        ],
                    },
                    household_ref="tổ sản xuất số 3 (riêng tư)",
                    planting_area_code="VT-38-TH-0207",
                ),
            ),
            "plot_id",
        )
    )

    harvest_tt = step(
        "harvest-thieu-trung",
        coop_tt,
        c.HarvestBatch(
            plot_ids=[plot_tt],
            commodity="lúa",
            quantity=kg("5200"),
            harvested_on=harvest_day,
            variety="Nếp cái hoa vàng",
            value_chain_id=chain,
            at=at,
            ref="h",
        ),
        c.ProcessBatch(
            batch="$h",
            step="drying",
            facility="Sân phơi HTX Thiệu Trung",
            quantity_after=kg("4600"),
            at=at + timedelta(days=2),
        ),
    )
    harvest_hd = step(
        "harvest-hoang-dao",
        coop_hd,
        c.HarvestBatch(
            plot_ids=[plot_hd],
            commodity="lúa",
            quantity=kg("8000"),
            harvested_on=harvest_day,
            variety="Nếp cái hoa vàng",
            value_chain_id=chain,
            at=at,
            ref="h",
        ),
        c.ProcessBatch(
            batch="$h",
            step="drying",
            facility="Lò sấy Hoằng Đạo",
            quantity_after=kg("7000"),
            at=at + timedelta(days=2),
        ),
    )
    code_tt, code_hd = first(harvest_tt, "code"), first(harvest_hd, "code")
    step(
        "ship-paddy-to-mill",
        coop_hd,
        c.ShipBatch(
            batch=code_hd,
            to=thieu_trung,
            transport_document="PVC-DEMO-0001",
            at=at + timedelta(days=3),
        ),
    )
    step(
        "receive-paddy-at-mill",
        coop_tt,
        c.ReceiveBatch(batch=code_hd, quantity=kg("6980"), at=at + timedelta(days=3, hours=5)),
    )
    milled = step(
        "mill-and-merge",
        coop_tt,
        c.TransformBatches(
            step="milling",
            inputs=[
                c.TransformInput(batch=code_tt, quantity=kg("4600")),
                c.TransformInput(batch=code_hd, quantity=kg("6980")),
            ],
            outputs=[
                c.TransformOutput(
                    commodity="gạo", quantity=kg("7500"), variety="Nếp cái hoa vàng", ref="g"
                )
            ],
            at=at + timedelta(days=5),
        ),
    )
    rice_code = milled.result(TransformationResult).outputs[0].code
    packed = step(
        "pack-retail-lots",
        coop_tt,
        c.TransformBatches(
            step="packing",
            inputs=[c.TransformInput(batch=rice_code, quantity=kg("1000"))],
            outputs=[
                c.TransformOutput(commodity="gạo", quantity=kg("500"), variety="Nếp cái hoa vàng"),
                c.TransformOutput(commodity="gạo", quantity=kg("495"), variety="Nếp cái hoa vàng"),
            ],
            at=at + timedelta(days=6),
        ),
    )
    retail = [o.code for o in packed.result(TransformationResult).outputs]
    step(
        "ship-retail-lot",
        coop_tt,
        c.ShipBatch(
            batch=retail[0],
            to=enterprise,
            transport_document="PVC-DEMO-0002",
            at=at + timedelta(days=7),
        ),
    )
    enterprise_actor = Actor(Role.ENTERPRISE, enterprise)
    # Only a GTIN's registered owner labels with it: the enterprise registers its own first.
    step(
        "gtin-registration", enterprise_actor, c.RegisterGtin(organisation_id=enterprise, gtin=GTIN)
    )
    step(
        "receive-label-inspect",
        enterprise_actor,
        c.ReceiveBatch(batch=retail[0], quantity=kg("500"), at=at + timedelta(days=7, hours=6)),
        c.InspectBatch(
            batch=retail[0],
            lab="Trung tâm Kiểm nghiệm Thanh Hóa (demo)",
            result="pass",
            parameters={"độ ẩm": "13.5 %", "dư lượng thuốc BVTV": "không phát hiện"},
            document="KN-DEMO-2026-118",
            at=at + timedelta(days=8),
        ),
        c.LabelBatch(
            batch=retail[0],
            gtin=GTIN,
            lot=f"NCHV{harvest_day:%y%m%d}A",
            labels_issued=100,
            at=at + timedelta(days=8, hours=2),
        ),
    )
    return DemoWorld(thieu_trung, hoang_dao, enterprise, chain, plot_tt, retail, retail[0])
