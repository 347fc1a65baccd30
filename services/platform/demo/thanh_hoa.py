"""The demo world: fictional cooperatives in real Thanh Hóa communes, and one rice chain.

Three cooperatives (Xã Thiệu Trung, Xã Hoằng Đạo, Xã Quảng Phú) and a rice enterprise in
Phường Hạc Thành; Thiệu Trung and Hoằng Đạo harvest glutinous rice on their plots, dry it,
Hoằng Đạo ships its paddy to Thiệu Trung's mill, the two lots are milled together and packed,
and one retail lot goes to the enterprise, which inspects and labels it. Read top to bottom,
it is the story the pages tell. Then two years of the province's other cooperatives and chains
(:mod:`.two_years`), for the dashboard. Step names are Idempotency-Keys: never rename one.
Long because it is data: one line per fact, no logic (that is in ``builders``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.platform.demo.description import (
    After,
    Certification,
    Chain,
    Contract,
    Cooperative,
    Demo,
    DiaryEntry,
    Enterprise,
    Gtin,
    Harvest,
    Household,
    Inspect,
    Label,
    Member,
    Output,
    Plot,
    Process,
    Product,
    Receive,
    Ship,
    Step,
    Support,
    Transform,
    kg,
)
from services.platform.demo.two_years import TWO_YEARS, recent_steps
from shared.domain.quantities import Quantity

NEP = "Nếp cái hoa vàng"
FIRST_HARVEST_DAYS_AGO = 20  # the shown journey's first harvest, before the first seeding
RETAIL_GTIN = "8936012340013"  # Xu Thanh's retail bag
STAFF = None  # provincial staff

THIEU_TRUNG = Cooperative(
    key="thieu-trung",
    name="HTX Dịch vụ Nông nghiệp Thiệu Trung (demo)",
    registration_number="DEMO-2801-0001",
    commune="Xã Thiệu Trung",
    former_district="Thiệu Hóa",
    sector="lúa gạo",
    founded=date(2009, 3, 12),
    members_count=412,
    model="new",
)
HOANG_DAO = Cooperative(
    key="hoang-dao",
    name="HTX Nông nghiệp Hoằng Đạo (demo)",
    registration_number="DEMO-2801-0002",
    commune="Xã Hoằng Đạo",
    former_district="Hoằng Hóa",
    sector="lúa gạo",
    founded=date(2012, 6, 1),
    members_count=268,
    model="old",
)
QUANG_PHU = Cooperative(
    key="quang-phu",
    name="HTX Rau an toàn Quảng Phú (demo)",
    registration_number="DEMO-2801-0003",
    commune="Xã Quảng Phú",
    former_district="Quảng Xương",
    sector="rau màu",
    founded=date(2018, 9, 20),
    members_count=35,
    model="new",
)
XU_THANH = Enterprise(
    key="xu-thanh",
    name="Công ty TNHH Gạo Xứ Thanh (demo)",
    tax_code="2800999001",
    address="Số 1 đường Lê Lợi",
    commune="Phường Hạc Thành",
    former_district="TP Thanh Hóa",
)
RICE_CHAIN = Chain(
    key="rice",
    name="Chuỗi lúa gạo chất lượng cao Thiệu Hóa – Hoằng Hóa (demo)",
    commodity="lúa gạo",
    lead="xu-thanh",
)
HOUSEHOLD_THIEU_TRUNG = Household(
    key="thieu-trung-ho-17", cooperative="thieu-trung", reference="hộ số 17 (riêng tư)"
)
HOUSEHOLD_HOANG_DAO = Household(
    key="hoang-dao-to-3", cooperative="hoang-dao", reference="tổ sản xuất số 3 (riêng tư)"
)
PLOT_THIEU_TRUNG = Plot(
    key="plot-thieu-trung",
    cooperative="thieu-trung",
    crop="lúa nếp cái hoa vàng",
    area_ha=Decimal("3.2"),
    commune="Xã Thiệu Trung",
    location={"type": "Point", "coordinates": [105.689412, 19.901735]},
    household="thieu-trung-ho-17",
    planting_area_code="VT-38-TH-0112",
)
PLOT_HOANG_DAO = Plot(
    key="plot-hoang-dao",
    cooperative="hoang-dao",
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
    household="hoang-dao-to-3",
    planting_area_code="VT-38-TH-0207",
)

REGISTRY = (
    Step("cooperative-thieu-trung", STAFF, (THIEU_TRUNG,)),
    Step("cooperative-hoang-dao", STAFF, (HOANG_DAO,)),
    Step("cooperative-quang-phu", STAFF, (QUANG_PHU,)),
    Step("enterprise", STAFF, (XU_THANH,)),
    Step(
        "support-and-certification",
        STAFF,
        (
            Support(
                cooperative="thieu-trung",
                kind="fund_loan",
                on=date(2025, 4, 10),
                programme="Quỹ hỗ trợ phát triển HTX tỉnh Thanh Hóa",
                amount_vnd=Decimal(300_000_000),
            ),
            Support(
                cooperative="hoang-dao",
                kind="training",
                on=date(2025, 8, 5),
                programme="Bồi dưỡng cán bộ quản lý HTX",
            ),
            Certification(
                organisation="thieu-trung",
                scheme="VietGAP",
                certificate="VG-TH-DEMO-0042",
                valid_from=date(2025, 1, 15),
                valid_until=date(2028, 1, 14),
            ),
        ),
    ),
    Step("value-chain", STAFF, (RICE_CHAIN,)),
    Step(
        "value-chain-participants",
        STAFF,
        (
            Member(chain="rice", organisation="thieu-trung", role="producer"),
            Member(chain="rice", organisation="hoang-dao", role="producer"),
            Member(chain="rice", organisation="xu-thanh", role="processor"),
            Contract(
                chain="rice",
                number="HDLK-DEMO-2026-01",
                parties=("xu-thanh", "thieu-trung", "hoang-dao"),
                commodity="lúa nếp cái hoa vàng",
                volume=Quantity.positive("120", "t"),
                starts_on=date(2026, 1, 1),
                ends_on=date(2028, 12, 31),
            ),
        ),
    ),
    # The member households first: a plot names its household by the id registering gave.
    Step("household-thieu-trung", "thieu-trung", (HOUSEHOLD_THIEU_TRUNG,)),
    Step("household-hoang-dao", "hoang-dao", (HOUSEHOLD_HOANG_DAO,)),
    Step("plot-thieu-trung", "thieu-trung", (PLOT_THIEU_TRUNG,)),
    Step("plot-hoang-dao", "hoang-dao", (PLOT_HOANG_DAO,)),
)

# The farm diary of both plots before the first harvest: each spraying's pre-harvest interval
# ends before the harvest day (After()), so the harvests need no override and the labelled
# batch's page says every interval was respected.
DIARY = (
    Step(
        "diary-thieu-trung",
        "thieu-trung",
        (
            DiaryEntry(
                plot="plot-thieu-trung",
                activity="sowing",
                at=After(days=-110),
                variety=NEP,
                seed_lot="GIONG-NCHV-2026-03",
            ),
            DiaryEntry(
                plot="plot-thieu-trung",
                activity="fertilising",
                at=After(days=-60),
                product="Phân NPK Lâm Thao 5-10-3",
                amount=kg("480"),
            ),
            DiaryEntry(
                plot="plot-thieu-trung",
                activity="spraying",
                at=After(days=-25),
                product="Anvil 5SC",
                active_ingredient="hexaconazole",
                dose="20 ml / bình 16 lít",
                pre_harvest_days=14,
            ),
            DiaryEntry(plot="plot-thieu-trung", activity="irrigation", at=After(days=-12)),
        ),
    ),
    Step(
        "diary-hoang-dao",
        "hoang-dao",
        (
            DiaryEntry(
                plot="plot-hoang-dao",
                activity="spraying",
                at=After(days=-30),
                product="Tilt Super 300EC",
                active_ingredient="propiconazole, difenoconazole",
                dose="15 ml / bình 16 lít",
                pre_harvest_days=21,
            ),
            DiaryEntry(
                plot="plot-hoang-dao", activity="care", at=After(days=-15), note="Làm cỏ bờ"
            ),
        ),
    ),
)

RICE_JOURNEY = (
    Step(
        "harvest-thieu-trung",
        "thieu-trung",
        (
            Harvest(
                batch="paddy-thieu-trung",
                plots=("plot-thieu-trung",),
                commodity="lúa",
                quantity=kg("5200"),
                variety=NEP,
                chain="rice",
                at=After(),
                ref="h",
            ),
            Process(
                batch="paddy-thieu-trung",
                step="drying",
                facility="Sân phơi HTX Thiệu Trung",
                quantity_after=kg("4600"),
                at=After(days=2),
            ),
        ),
    ),
    Step(
        "harvest-hoang-dao",
        "hoang-dao",
        (
            Harvest(
                batch="paddy-hoang-dao",
                plots=("plot-hoang-dao",),
                commodity="lúa",
                quantity=kg("8000"),
                variety=NEP,
                chain="rice",
                at=After(),
                ref="h",
            ),
            Process(
                batch="paddy-hoang-dao",
                step="drying",
                facility="Lò sấy Hoằng Đạo",
                quantity_after=kg("7000"),
                at=After(days=2),
            ),
        ),
    ),
    Step(
        "ship-paddy-to-mill",
        "hoang-dao",
        (
            Ship(
                batch="paddy-hoang-dao",
                to="thieu-trung",
                transport_document="PVC-DEMO-0001",
                at=After(days=3),
            ),
        ),
    ),
    Step(
        "receive-paddy-at-mill",
        "thieu-trung",
        (Receive(batch="paddy-hoang-dao", quantity=kg("6980"), at=After(days=3, hours=5)),),
    ),
    Step(
        "mill-and-merge",
        "thieu-trung",
        (
            Transform(
                step="milling",
                inputs=(("paddy-thieu-trung", kg("4600")), ("paddy-hoang-dao", kg("6980"))),
                outputs=(
                    Output(
                        batch="rice", commodity="gạo", quantity=kg("7500"), variety=NEP, ref="g"
                    ),
                ),
                at=After(days=5),
            ),
        ),
    ),
    Step(
        "pack-retail-lots",
        "thieu-trung",
        (
            Transform(
                step="packing",
                inputs=(("rice", kg("1000")),),
                outputs=(
                    Output(batch="bags-500", commodity="gạo", quantity=kg("500"), variety=NEP),
                    Output(batch="bags-495", commodity="gạo", quantity=kg("495"), variety=NEP),
                ),
                at=After(days=6),
            ),
        ),
    ),
    Step(
        "ship-retail-lot",
        "thieu-trung",
        (
            Ship(
                batch="bags-500",
                to="xu-thanh",
                transport_document="PVC-DEMO-0002",
                at=After(days=7),
            ),
        ),
    ),
    # A step of its own, named apart, so data folders seeded before GTINs were owned still replay.
    Step("gtin-registration", "xu-thanh", (Gtin(organisation="xu-thanh", gtin=RETAIL_GTIN),)),
    Step(
        "receive-label-inspect",
        "xu-thanh",
        (
            Receive(batch="bags-500", quantity=kg("500"), at=After(days=7, hours=6)),
            Inspect(
                batch="bags-500",
                lab="Trung tâm Kiểm nghiệm Thanh Hóa (demo)",
                result="pass",
                parameters={"độ ẩm": "13.5 %", "dư lượng thuốc BVTV": "không phát hiện"},
                document="KN-DEMO-2026-118",
                at=After(days=8),
            ),
            Label(
                batch="bags-500",
                gtin=RETAIL_GTIN,
                lot="NCHV{harvest:%y%m%d}A",
                labels_issued=100,
                at=After(days=8, hours=2),
            ),
        ),
    ),
    # Named apart too: data folders seeded before products had details still replay.
    Step(
        "product-details",
        "xu-thanh",
        (
            Product(
                gtin=RETAIL_GTIN,
                name_vi="Gạo nếp cái hoa vàng Thiệu Trung",
                name_en="Thieu Trung yellow-flower glutinous rice",
                brand="Hạc Thành Select",
                shelf_life_days=365,
                photo=True,
            ),
        ),
    ),
)

THANH_HOA_DEMO = Demo(
    steps=REGISTRY + DIARY + RICE_JOURNEY + TWO_YEARS + recent_steps(FIRST_HARVEST_DAYS_AGO),
    first_harvest_days_ago=FIRST_HARVEST_DAYS_AGO,
    shown="bags-500",
    cooperative_shown="thieu-trung",
    province="Thanh Hóa",
)
