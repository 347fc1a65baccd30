"""Two years of the province's cooperatives (January 2025 to November 2026), for the dashboard.

Forty fictional cooperatives in real Thanh Hóa communes (the communes of 2025, each with its
former district), new- and old-model, in four more value chains beside the shown rice chain:
organic rice, safe vegetables, pigs, Luận Văn pomelo. They join over the two years and a few
leave; linkage contracts are signed (one ends early), support is given (fund loans, training,
grants; both years), certificates are granted (some lapse, one is withdrawn), plots are
registered and certified, and every season's harvest is shipped to the chain's lead, received,
inspected and labelled; one inspection fails and one lot is recalled. Old-model cooperatives
are reclassified, dissolved or converted at the end.

Every fact carries its business date (:class:`~.description.On`), so the same steps are sent
whatever day the demo is seeded on. Data first (the tables), then the few functions that turn
them into steps, in the order the domain accepts them: a harvest is recorded while its
cooperative is in the chain, so departures come after the harvests. Step names are
Idempotency-Keys: never rename one.
"""

# ruff: noqa: E501 - the tables keep one fact a line, as a register lists them

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from random import Random

from services.platform.demo.description import (
    Act,
    After,
    Certification,
    Chain,
    Contract,
    Cooperative,
    EndContract,
    Enterprise,
    ExpireCertificate,
    Gtin,
    Harvest,
    Household,
    Inspect,
    Key,
    Label,
    Leave,
    Member,
    On,
    Plot,
    PlotCertification,
    Recall,
    Receive,
    Reclassify,
    Ship,
    StatusChange,
    Step,
    Support,
)
from shared.domain.quantities import Quantity

STAFF = None
EARLIEST_SHOWN_DAY = date(2025, 1, 1)
LAST_SHOWN_DAY = date(2026, 11, 30)

# The registry ---------------------------------------------------------------------------------

# key, name, commune, former district, sector, founded, members, model
_COOPERATIVES: tuple[tuple[str, str, str, str, str, date, int, str], ...] = (
    ("yen-truong", "HTX Nông nghiệp Yên Trường", "Xã Yên Trường", "Yên Định", "lúa gạo", date(2008, 5, 10), 320, "new"),
    ("yen-phu", "HTX Dịch vụ nông nghiệp Yên Phú", "Xã Yên Phú", "Yên Định", "lúa gạo", date(1997, 3, 1), 510, "old"),
    ("quy-loc", "HTX Lúa gạo hữu cơ Quý Lộc", "Xã Quý Lộc", "Yên Định", "lúa gạo", date(2019, 8, 15), 64, "new"),
    ("dinh-tan", "HTX Nông nghiệp Định Tân", "Xã Định Tân", "Yên Định", "lúa gạo", date(2001, 1, 20), 286, "new"),
    ("tho-long", "HTX Sản xuất lúa giống Thọ Long", "Xã Thọ Long", "Thọ Xuân", "lúa gạo", date(2016, 11, 2), 95, "new"),
    ("xuan-hoa", "HTX Nông nghiệp Xuân Hòa", "Xã Xuân Hòa", "Thọ Xuân", "lúa gạo", date(1998, 6, 12), 402, "new"),
    ("sao-vang", "HTX Lúa chất lượng cao Sao Vàng", "Xã Sao Vàng", "Thọ Xuân", "lúa gạo", date(2025, 2, 18), 28, "new"),
    ("thieu-tien", "HTX Dịch vụ nông nghiệp Thiệu Tiến", "Xã Thiệu Tiến", "Thiệu Hóa", "lúa gạo", date(2003, 9, 9), 355, "old"),
    ("thieu-toan", "HTX Nông nghiệp Thiệu Toán", "Xã Thiệu Toán", "Thiệu Hóa", "lúa gạo", date(2014, 4, 4), 190, "new"),
    ("hoang-loc", "HTX Nông nghiệp Hoằng Lộc", "Xã Hoằng Lộc", "Hoằng Hóa", "lúa gạo", date(2000, 2, 14), 298, "old"),
    ("trieu-loc", "HTX Dịch vụ nông nghiệp Triệu Lộc", "Xã Triệu Lộc", "Hậu Lộc", "lúa gạo", date(1999, 10, 10), 240, "old"),
    ("tan-ninh", "HTX Nông nghiệp Tân Ninh", "Xã Tân Ninh", "Triệu Sơn", "lúa gạo", date(2021, 7, 1), 48, "new"),
    ("truong-van", "HTX Lúa gạo Trường Văn", "Xã Trường Văn", "Nông Cống", "lúa gạo", date(2025, 9, 5), 22, "new"),
    ("ba-dinh", "HTX Nông nghiệp Ba Đình", "Xã Ba Đình", "Nga Sơn", "lúa gạo", date(1996, 12, 1), 460, "old"),
    ("hoang-phu", "HTX Dịch vụ tổng hợp Hoằng Phú", "Xã Hoằng Phú", "Hoằng Hóa", "lúa gạo", date(2026, 3, 15), 14, "new"),
    ("hoang-thanh", "HTX Rau an toàn Hoằng Thanh", "Xã Hoằng Thanh", "Hoằng Hóa", "rau màu", date(2017, 3, 8), 42, "new"),
    ("hoang-tien", "HTX Rau củ quả Hoằng Tiến", "Xã Hoằng Tiến", "Hoằng Hóa", "rau màu", date(2020, 5, 20), 31, "new"),
    ("quang-yen", "HTX Rau sạch Quảng Yên", "Xã Quảng Yên", "Quảng Xương", "rau màu", date(2018, 1, 15), 56, "new"),
    ("quang-ninh", "HTX Nông nghiệp Quảng Ninh", "Xã Quảng Ninh", "Quảng Xương", "rau màu", date(2002, 8, 30), 210, "old"),
    ("tien-trang", "HTX Rau màu Tiên Trang", "Xã Tiên Trang", "Quảng Xương", "rau màu", date(2025, 4, 10), 15, "new"),
    ("hau-loc", "HTX Rau quả an toàn Hậu Lộc", "Xã Hậu Lộc", "Hậu Lộc", "rau màu", date(2015, 10, 10), 77, "new"),
    ("hoa-loc", "HTX Nông nghiệp Hoa Lộc", "Xã Hoa Lộc", "Hậu Lộc", "rau màu", date(1998, 4, 22), 330, "old"),
    ("tho-ngoc", "HTX Rau an toàn Thọ Ngọc", "Xã Thọ Ngọc", "Triệu Sơn", "rau màu", date(2019, 6, 6), 38, "new"),
    ("vinh-loc", "HTX Rau hữu cơ Vĩnh Lộc", "Xã Vĩnh Lộc", "Vĩnh Lộc", "rau màu", date(2022, 2, 2), 27, "new"),
    ("nga-son", "HTX Nông nghiệp Nga Sơn", "Xã Nga Sơn", "Nga Sơn", "rau màu", date(1997, 7, 7), 380, "old"),
    ("dinh-hoa", "HTX Chăn nuôi Định Hòa", "Xã Định Hòa", "Yên Định", "chăn nuôi", date(2016, 9, 9), 25, "new"),
    ("yen-ninh", "HTX Chăn nuôi lợn an toàn Yên Ninh", "Xã Yên Ninh", "Yên Định", "chăn nuôi", date(2020, 12, 12), 18, "new"),
    ("tho-binh", "HTX Chăn nuôi Thọ Bình", "Xã Thọ Bình", "Triệu Sơn", "chăn nuôi", date(2018, 3, 3), 21, "new"),
    ("hop-tien", "HTX Chăn nuôi Hợp Tiến", "Xã Hợp Tiến", "Triệu Sơn", "chăn nuôi", date(2005, 5, 5), 60, "old"),
    ("thang-loi", "HTX Chăn nuôi Thắng Lợi", "Xã Thắng Lợi", "Nông Cống", "chăn nuôi", date(2023, 8, 8), 16, "new"),
    ("cam-thuy", "HTX Chăn nuôi bò Cẩm Thủy", "Xã Cẩm Thủy", "Cẩm Thủy", "chăn nuôi", date(2019, 10, 20), 34, "new"),
    ("ngoc-lac", "HTX Chăn nuôi Ngọc Lặc", "Xã Ngọc Lặc", "Ngọc Lặc", "chăn nuôi", date(2001, 11, 11), 45, "old"),
    ("ha-trung", "HTX Chăn nuôi gia cầm Hà Trung", "Xã Hà Trung", "Hà Trung", "chăn nuôi", date(2025, 6, 1), 12, "new"),
    ("xuan-lap", "HTX Bưởi Luận Văn Xuân Lập", "Xã Xuân Lập", "Thọ Xuân", "cây ăn quả", date(2015, 7, 15), 52, "new"),
    ("xuan-tin", "HTX Nông nghiệp Xuân Tín", "Xã Xuân Tín", "Thọ Xuân", "cây ăn quả", date(1999, 1, 1), 260, "old"),
    ("lam-son", "HTX Cây ăn quả Lam Sơn", "Xã Lam Sơn", "Thọ Xuân", "cây ăn quả", date(2021, 3, 26), 29, "new"),
    ("cam-tu", "HTX Bưởi Cẩm Tú", "Xã Cẩm Tú", "Cẩm Thủy", "cây ăn quả", date(2020, 10, 10), 33, "new"),
    ("thach-quang", "HTX Cam Thạch Quảng", "Xã Thạch Quảng", "Thạch Thành", "cây ăn quả", date(2017, 5, 5), 40, "new"),
    ("nhu-thanh", "HTX Nông lâm nghiệp Như Thanh", "Xã Như Thanh", "Như Thanh", "cây ăn quả", date(2003, 3, 3), 88, "old"),
    ("nga-thang", "HTX Cói Nga Thắng", "Xã Nga Thắng", "Nga Sơn", "thủ công mỹ nghệ", date(2010, 4, 4), 70, "old"),
)  # fmt: skip

# key, name, tax code, address, commune, former district
_ENTERPRISES: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("lam-son-food", "Công ty CP Lương thực Lam Sơn", "2800999002", "Khu công nghiệp Lam Sơn – Sao Vàng", "Xã Sao Vàng", "Thọ Xuân"),
    ("hac-thanh-food", "Công ty TNHH Thực phẩm sạch Hạc Thành", "2800999003", "Số 25 đường Trần Phú", "Phường Hạc Thành", "TP Thanh Hóa"),
    ("yen-dinh-meat", "Công ty CP Thực phẩm Yên Định", "2800999004", "Cụm công nghiệp Yên Định", "Xã Yên Định", "Yên Định"),
    ("luan-van", "Công ty TNHH Nông sản Luận Văn", "2800999005", "Thôn Luận Văn", "Xã Xuân Lập", "Thọ Xuân"),
    ("xu-thanh-mart", "Công ty CP Chuỗi cửa hàng Nông sản Xứ Thanh", "2800999006", "Số 8 đại lộ Lê Lợi", "Phường Hạc Thành", "TP Thanh Hóa"),
    ("song-ma-inputs", "Công ty TNHH Vật tư nông nghiệp Sông Mã", "2800999007", "Số 3 đường Bà Triệu", "Phường Hàm Rồng", "TP Thanh Hóa"),
)  # fmt: skip

COMMUNES = tuple(
    dict.fromkeys((commune, district) for _, _, commune, district, *_ in _COOPERATIVES)
)
"""Real communes of Thanh Hóa (since 2025) with their former districts: benchmarks reuse them."""

# Roughly where each former district's fields are (longitude, latitude): plots lie around it.
_WHERE: dict[str, tuple[float, float]] = {
    "Yên Định": (105.630, 20.000),
    "Thọ Xuân": (105.450, 19.930),
    "Thiệu Hóa": (105.680, 19.900),
    "Hoằng Hóa": (105.860, 19.850),
    "Hậu Lộc": (105.900, 19.930),
    "Triệu Sơn": (105.580, 19.820),
    "Nông Cống": (105.680, 19.620),
    "Nga Sơn": (105.970, 20.000),
    "Quảng Xương": (105.800, 19.700),
    "Vĩnh Lộc": (105.630, 20.050),
    "Cẩm Thủy": (105.470, 20.200),
    "Ngọc Lặc": (105.370, 20.080),
    "Hà Trung": (105.840, 20.030),
    "Thạch Thành": (105.600, 20.170),
    "Như Thanh": (105.570, 19.580),
}

# What each sector grows, harvests (its batches' commodity), and when: (month, day) each year.
_CROPS: dict[str, tuple[str, str, tuple[tuple[int, int], ...]]] = {
    "lúa gạo": ("lúa", "lúa", ((6, 8), (10, 12))),
    "rau màu": ("rau cải, dưa chuột", "rau", ((2, 15), (5, 15), (8, 15), (11, 8))),
    "chăn nuôi": ("chuồng trại lợn thịt", "lợn thịt", ((4, 10), (8, 10), (12, 10))),
    "cây ăn quả": ("bưởi Luận Văn", "bưởi", ((11, 5),)),
    "thủ công mỹ nghệ": ("cói", "cói", ((6, 20),)),
}
_VARIETY = {"lúa": "Bắc thơm số 7", "rau": "Cải ngọt", "lợn thịt": "Lợn lai F1", "bưởi": "Luận Văn"}
# What a cooperative's members bring in a season, all plots together (the demo registers two).
_SEASON_KG = {"lúa": 35_000, "rau": 6_000, "lợn thịt": 25_000, "bưởi": 45_000, "cói": 20_000}

# The value chains -----------------------------------------------------------------------------

CHAINS = (
    Chain(
        key="rice-organic",
        name="Chuỗi lúa gạo hữu cơ Yên Định – Thọ Xuân (demo)",
        commodity="lúa gạo",
        lead="lam-son-food",
    ),
    Chain(
        key="vegetables",
        name="Chuỗi rau an toàn Hoằng Hóa – Quảng Xương (demo)",
        commodity="rau màu",
        lead="hac-thanh-food",
    ),
    Chain(
        key="pigs",
        name="Chuỗi lợn thịt an toàn sinh học Yên Định – Triệu Sơn (demo)",
        commodity="lợn thịt",
        lead="yen-dinh-meat",
    ),
    Chain(
        key="pomelo", name="Chuỗi bưởi Luận Văn Thọ Xuân (demo)", commodity="bưởi", lead="luan-van"
    ),
)
_LEAD = {chain.key: chain.lead for chain in CHAINS} | {"rice": "xu-thanh"}

# chain, organisation, role, joined on, (left on, why) or None
_MEMBERS: tuple[tuple[str, str, str, date, tuple[date, str] | None], ...] = (
    ("rice-organic", "yen-truong", "producer", date(2025, 1, 10), None),
    ("rice-organic", "quy-loc", "producer", date(2025, 1, 10), None),
    ("rice-organic", "tho-long", "producer", date(2025, 2, 20), None),
    ("rice-organic", "xuan-hoa", "producer", date(2025, 3, 5), None),
    ("rice-organic", "dinh-tan", "producer", date(2025, 5, 12), (date(2026, 3, 31), "Không duy trì được quy trình canh tác hữu cơ")),
    ("rice-organic", "sao-vang", "producer", date(2025, 7, 1), None),
    ("rice-organic", "tan-ninh", "producer", date(2025, 11, 20), None),
    ("rice-organic", "truong-van", "producer", date(2026, 2, 10), None),
    ("rice-organic", "yen-phu", "producer", date(2026, 4, 1), None),
    ("rice", "thieu-tien", "producer", date(2025, 3, 15), None),
    ("rice", "thieu-toan", "producer", date(2025, 9, 1), None),
    ("rice", "hoang-loc", "producer", date(2026, 1, 15), None),
    ("rice", "trieu-loc", "producer", date(2025, 2, 1), (date(2025, 12, 31), "HTX giải thể theo nghị quyết đại hội thành viên")),
    ("vegetables", "xu-thanh-mart", "distributor", date(2025, 1, 6), None),
    ("vegetables", "hoang-thanh", "producer", date(2025, 1, 6), None),
    ("vegetables", "hoang-tien", "producer", date(2025, 1, 6), (date(2026, 7, 31), "Chuyển sang trồng dưa lưới bán lẻ")),
    ("vegetables", "quang-yen", "producer", date(2025, 3, 1), None),
    ("vegetables", "quang-phu", "producer", date(2025, 4, 1), None),
    ("vegetables", "hau-loc", "producer", date(2025, 6, 15), None),
    ("vegetables", "tho-ngoc", "producer", date(2025, 10, 1), None),
    ("vegetables", "quang-ninh", "producer", date(2026, 2, 1), None),
    ("vegetables", "vinh-loc", "producer", date(2026, 5, 5), None),
    ("vegetables", "tien-trang", "producer", date(2026, 6, 1), None),
    ("pigs", "song-ma-inputs", "input_supplier", date(2025, 1, 15), None),
    ("pigs", "dinh-hoa", "producer", date(2025, 1, 15), None),
    ("pigs", "yen-ninh", "producer", date(2025, 2, 1), None),
    ("pigs", "tho-binh", "producer", date(2025, 5, 1), None),
    ("pigs", "thang-loi", "producer", date(2025, 8, 1), None),
    ("pigs", "hop-tien", "producer", date(2026, 1, 5), None),
    ("pomelo", "xuan-lap", "producer", date(2025, 1, 20), None),
    ("pomelo", "lam-son", "producer", date(2025, 3, 10), None),
    ("pomelo", "cam-tu", "producer", date(2025, 8, 20), None),
    ("pomelo", "xuan-tin", "producer", date(2026, 3, 1), None),
    ("pomelo", "xu-thanh-mart", "retailer", date(2025, 9, 1), None),
)  # fmt: skip

# chain, number, parties (the lead first), commodity, committed tonnes, starts, ends, ended early
_CONTRACTS: tuple[tuple[str, str, tuple[str, ...], str, int, date, date, tuple[date, str] | None], ...] = (
    ("rice-organic", "HDLK-LS-2025-01", ("lam-son-food", "yen-truong", "quy-loc", "tho-long"), "lúa hữu cơ", 300, date(2025, 2, 1), date(2025, 12, 31), None),
    ("rice-organic", "HDLK-LS-2025-02", ("lam-son-food", "dinh-tan"), "lúa hữu cơ", 120, date(2025, 6, 1), date(2027, 5, 31), (date(2026, 3, 31), "HTX Định Tân rời chuỗi: các bên thanh lý hợp đồng")),
    ("rice-organic", "HDLK-LS-2026-01", ("lam-son-food", "yen-truong", "quy-loc", "tho-long", "xuan-hoa", "sao-vang"), "lúa hữu cơ", 600, date(2026, 1, 1), date(2027, 12, 31), None),
    ("rice", "HDLK-XT-2025-01", ("xu-thanh", "thieu-tien", "trieu-loc"), "lúa chất lượng cao", 100, date(2025, 4, 1), date(2026, 3, 31), (date(2025, 12, 31), "HTX Triệu Lộc giải thể: các bên thanh lý hợp đồng")),
    ("rice", "HDLK-XT-2026-02", ("xu-thanh", "thieu-tien", "thieu-toan", "hoang-loc"), "lúa chất lượng cao", 200, date(2026, 2, 1), date(2027, 12, 31), None),
    ("vegetables", "HDLK-HT-2025-01", ("hac-thanh-food", "hoang-thanh", "hoang-tien", "quang-yen"), "rau an toàn", 150, date(2025, 1, 15), date(2026, 12, 31), None),
    ("vegetables", "HDLK-HT-2025-02", ("hac-thanh-food", "quang-phu", "hau-loc", "xu-thanh-mart"), "rau an toàn", 80, date(2025, 7, 1), date(2026, 6, 30), None),
    ("vegetables", "HDLK-HT-2026-01", ("hac-thanh-food", "tho-ngoc", "quang-ninh"), "rau an toàn", 60, date(2026, 3, 1), date(2027, 2, 28), None),
    ("pigs", "HDLK-YD-2025-01", ("yen-dinh-meat", "dinh-hoa", "yen-ninh", "tho-binh"), "lợn thịt", 400, date(2025, 3, 1), date(2026, 12, 31), None),
    ("pigs", "HDLK-YD-2026-01", ("yen-dinh-meat", "thang-loi", "hop-tien"), "lợn thịt", 150, date(2026, 2, 1), date(2027, 1, 31), None),
    ("pomelo", "HDLK-LV-2025-01", ("luan-van", "xuan-lap", "lam-son"), "bưởi Luận Văn", 200, date(2025, 6, 1), date(2026, 12, 31), None),
)  # fmt: skip

_FUND = "Quỹ hỗ trợ phát triển HTX tỉnh Thanh Hóa"
_OCOP_PROGRAMME = "Chương trình OCOP tỉnh Thanh Hóa"
_RURAL = "Chương trình MTQG xây dựng nông thôn mới"
_MANAGERS = "Bồi dưỡng cán bộ quản lý HTX"
_GAP_TRAINING = "Tập huấn sản xuất theo VietGAP"

# cooperative, kind, day, programme, amount in millions of đồng (None: training)
_SUPPORT: tuple[tuple[str, str, date, str, int | None], ...] = (
    ("yen-truong", "fund_loan", date(2025, 3, 12), _FUND, 500),
    ("hoang-thanh", "fund_loan", date(2025, 4, 8), _FUND, 200),
    ("quy-loc", "fund_loan", date(2025, 5, 20), _FUND, 300),
    ("dinh-hoa", "fund_loan", date(2025, 6, 18), _FUND, 800),
    ("xuan-lap", "fund_loan", date(2026, 2, 25), _FUND, 400),
    ("sao-vang", "fund_loan", date(2026, 3, 15), _FUND, 150),
    ("tho-ngoc", "fund_loan", date(2026, 5, 6), _FUND, 250),
    ("hop-tien", "fund_loan", date(2026, 7, 1), _FUND, 600),
    ("xuan-lap", "grant", date(2025, 9, 10), _OCOP_PROGRAMME, 50),
    ("lam-son", "grant", date(2026, 8, 12), _OCOP_PROGRAMME, 30),
    ("quang-yen", "grant", date(2025, 7, 22), _RURAL, 120),
    ("tho-long", "grant", date(2026, 4, 18), _RURAL, 90),
    ("vinh-loc", "grant", date(2026, 6, 20), _RURAL, 80),
    ("hoang-tien", "training", date(2025, 2, 27), _GAP_TRAINING, None),
    ("xuan-hoa", "training", date(2025, 3, 25), _MANAGERS, None),
    ("thieu-tien", "training", date(2025, 3, 25), _MANAGERS, None),
    ("tho-binh", "training", date(2025, 8, 19), _GAP_TRAINING, None),
    ("quang-ninh", "training", date(2025, 11, 14), _MANAGERS, None),
    ("hau-loc", "training", date(2025, 11, 14), _MANAGERS, None),
    ("yen-ninh", "training", date(2026, 3, 20), _MANAGERS, None),
    ("tan-ninh", "training", date(2026, 3, 20), _MANAGERS, None),
    ("tien-trang", "training", date(2026, 4, 22), _GAP_TRAINING, None),
    ("truong-van", "training", date(2026, 9, 9), _MANAGERS, None),
)

# organisation, scheme, certificate, valid from, valid until, OCOP stars
_CERTIFICATES: tuple[tuple[str, str, str, date, date, int | None], ...] = (
    ("hoang-thanh", "VietGAP", "VG-TH-DEMO-0101", date(2024, 11, 1), date(2026, 10, 31), None),
    ("quang-yen", "VietGAP", "VG-TH-DEMO-0102", date(2025, 3, 15), date(2028, 3, 14), None),
    ("hau-loc", "VietGAP", "VG-TH-DEMO-0103", date(2025, 8, 1), date(2027, 7, 31), None),
    ("hoang-tien", "VietGAP", "VG-TH-DEMO-0104", date(2025, 2, 1), date(2026, 1, 31), None),
    ("tho-ngoc", "VietGAP", "VG-TH-DEMO-0105", date(2026, 1, 10), date(2029, 1, 9), None),
    ("dinh-hoa", "VietGAP", "VG-TH-DEMO-0106", date(2025, 5, 5), date(2028, 5, 4), None),
    ("thieu-tien", "VietGAP", "VG-TH-DEMO-0107", date(2025, 6, 1), date(2028, 5, 31), None),
    ("quang-yen", "GlobalGAP", "GG-TH-DEMO-0201", date(2026, 2, 1), date(2027, 1, 31), None),
    ("xuan-lap", "GlobalGAP", "GG-TH-DEMO-0202", date(2025, 4, 1), date(2026, 3, 31), None),
    ("quy-loc", "organic", "HC-TH-DEMO-0301", date(2025, 2, 1), date(2028, 1, 31), None),
    ("yen-truong", "organic", "HC-TH-DEMO-0302", date(2025, 6, 1), date(2028, 5, 31), None),
    ("dinh-tan", "organic", "HC-TH-DEMO-0303", date(2025, 7, 1), date(2028, 6, 30), None),
    ("xuan-lap", "OCOP", "OCOP-TH-DEMO-0401", date(2025, 9, 30), date(2028, 9, 29), 4),
    ("lam-son", "OCOP", "OCOP-TH-DEMO-0402", date(2026, 8, 20), date(2029, 8, 19), 3),
    ("nga-thang", "OCOP", "OCOP-TH-DEMO-0403", date(2023, 5, 10), date(2026, 5, 9), 3),
    ("thieu-toan", "OCOP", "OCOP-TH-DEMO-0404", date(2026, 1, 12), date(2029, 1, 11), 4),
)
_WITHDRAWN = (
    ("dinh-tan", "HC-TH-DEMO-0303", date(2026, 3, 15), "Thu hồi: phát hiện dùng phân bón hóa học"),
)
# cooperatives whose plots are certified as well: scheme, first day, last day
_PLOT_CERTIFICATES = (
    ("quang-yen", "VietGAP", date(2025, 3, 15), date(2028, 3, 14)),
    ("hau-loc", "VietGAP", date(2025, 8, 1), date(2027, 7, 31)),
    ("quy-loc", "organic", date(2025, 2, 1), date(2028, 1, 31)),
    ("yen-truong", "organic", date(2025, 6, 1), date(2028, 5, 31)),
    ("xuan-lap", "GlobalGAP", date(2025, 4, 1), date(2026, 3, 31)),
)
_RECLASSIFIED = (
    ("quang-ninh", "Đại hội thành viên thông qua điều lệ mới, liên kết tiêu thụ rau an toàn"),
    ("xuan-tin", "Tổ chức lại theo Luật HTX 2023, tham gia chuỗi bưởi Luận Văn"),
    ("hoa-loc", "Tổ chức lại theo Luật HTX 2023"),
)
_STATUS_CHANGES = (
    ("trieu-loc", "dissolved", "Giải thể theo nghị quyết đại hội thành viên"),
    ("ngoc-lac", "dissolved", "Ngừng hoạt động quá 12 tháng"),
    ("ba-dinh", "converted", "Chuyển đổi thành công ty cổ phần"),
    ("nhu-thanh", "suspended", "Tạm ngừng kinh doanh để tổ chức lại"),
)
_FAILED_INSPECTION = ("tho-binh", date(2026, 8, 10))
_RECALLED = ("hoang-thanh", date(2025, 8, 15))
_GTIN_BODY = {"lam-son-food": 5002, "hac-thanh-food": 5003, "yen-dinh-meat": 5004, "luan-van": 5005}


# Turning the tables into steps -----------------------------------------------------------------


def _gtin13(number: int) -> str:
    """A GTIN-13 under Vietnam's prefix 893 (the demo's company prefix), check digit included."""
    body = f"89360123{number:04d}"
    weighted = sum(int(digit) * (3 if i % 2 else 1) for i, digit in enumerate(body))
    return body + str((10 - weighted % 10) % 10)


def _cooperatives() -> list[Act]:
    return [
        Cooperative(
            key=key,
            name=f"{name} (demo)",
            registration_number=f"DEMO-2801-{index:04d}",
            commune=commune,
            former_district=district,
            sector=sector,
            founded=founded,
            members_count=members,
            model=model,
        )
        for index, (key, name, commune, district, sector, founded, members, model) in enumerate(
            _COOPERATIVES, start=101
        )
    ]


def _enterprises() -> list[Act]:
    return [
        Enterprise(
            key=key,
            name=f"{name} (demo)",
            tax_code=tax_code,
            address=address,
            commune=commune,
            former_district=district,
        )
        for key, name, tax_code, address, commune, district in _ENTERPRISES
    ]


@dataclass(frozen=True)
class _Grower:
    key: Key
    sector: str
    district: str
    commune: str
    founded: date
    index: int


_GROWERS = [
    _Grower(key, sector, district, commune, founded, index)
    for index, (key, _, commune, district, sector, founded, _, _) in enumerate(_COOPERATIVES)
]


def _plots(grower: _Grower) -> list[Plot]:
    crop, _, _ = _CROPS[grower.sector]
    lon, lat = _WHERE[grower.district]
    return [
        Plot(
            key=f"{grower.key}-plot-{n}",
            cooperative=grower.key,
            crop=crop,
            area_ha=Decimal(f"{1.5 + (grower.index * 7 + n * 3) % 5 * 0.5:.1f}"),  # ≤ 4 ha: a point
            commune=grower.commune,
            location={
                "type": "Point",
                "coordinates": [
                    round(lon + (grower.index % 5) * 0.004 + n * 0.001, 6),
                    round(lat + (grower.index % 3) * 0.004 - n * 0.001, 6),
                ],
            },
            household=f"{grower.key}-ho-{n + 1}",
            planting_area_code=f"VT-38-TH-{grower.index + 300:04d}-{n + 1}",
        )
        for n in range(2)
    ]


def _households(plots: list[Plot]) -> list[Household]:
    """The member household farming each plot (one each), named as the plot names it."""
    return [
        Household(
            key=plot.household, cooperative=plot.cooperative, reference=f"hộ số {n + 1} (riêng tư)"
        )
        for n, plot in enumerate(plots)
        if plot.household is not None
    ]


@dataclass(frozen=True)
class _Shipment:
    batch: Key
    grower: Key
    chain: Key
    commodity: str
    kg: int
    day: date
    """The harvest day; shipped two days later, received that afternoon."""


def _membership(grower: Key) -> tuple[Key, date, date | None] | None:
    """The chain a cooperative sends its harvests to, since when and until when."""
    for chain, organisation, role, joined, left in _MEMBERS:
        if organisation == grower and role == "producer":
            return chain, joined, left[0] if left else None
    return None


def _shipments() -> list[_Shipment]:
    """Every season's harvest of every chain member, while it was in its chain."""
    random = Random(8)  # noqa: S311 - made-up quantities, the same at every seeding
    found: list[_Shipment] = []
    for grower in _GROWERS:
        membership = _membership(grower.key)
        if membership is None:
            continue
        chain, joined, left = membership
        _, commodity, seasons = _CROPS[grower.sector]
        for year in (2025, 2026):
            for month, day in seasons:
                harvested = date(year, month, day)
                if harvested < max(joined, grower.founded) or harvested > LAST_SHOWN_DAY:
                    continue
                if left is not None and harvested >= left:
                    continue
                kg = int(_SEASON_KG[commodity] * random.uniform(0.75, 1.25)) // 10 * 10
                batch = f"{grower.key}-{harvested:%Y%m%d}"
                found.append(_Shipment(batch, grower.key, chain, commodity, kg, harvested))
    return found


def _harvest_step(grower: Key, shipments: list[_Shipment]) -> Step:
    acts: list[Act] = []
    plots = (f"{grower}-plot-0", f"{grower}-plot-1")
    for n, shipment in enumerate(shipments):
        ref = f"h{n}"
        acts += [
            Harvest(
                batch=shipment.batch,
                plots=plots,
                commodity=shipment.commodity,
                quantity=Quantity.positive(str(shipment.kg), "kg"),
                variety=_VARIETY[shipment.commodity],
                chain=shipment.chain,
                at=On(shipment.day, 7),
                ref=ref,
            ),
            Ship(
                batch=shipment.batch,
                to=_LEAD[shipment.chain],
                transport_document=f"PVC-{shipment.batch.upper()}",
                at=On(shipment.day + timedelta(days=2), 8),
            ),
        ]
    return Step(f"2y-harvests-{grower}", grower, tuple(acts))


def _receipt_step(lead: Key, shipments: list[_Shipment]) -> Step:
    """The lead receives, inspects and labels each lot; the failed lot is not labelled."""
    acts: list[Act] = []
    for n, shipment in enumerate(shipments):
        arrived = shipment.day + timedelta(days=2)
        kg = Quantity.positive(str(shipment.kg), "kg")
        acts.append(Receive(batch=shipment.batch, quantity=kg, at=On(arrived, 15)))
        failed = (shipment.grower, shipment.day) == _FAILED_INSPECTION
        if shipment.commodity in ("lợn thịt", "rau") or failed:
            acts.append(
                Inspect(
                    batch=shipment.batch,
                    lab="Trung tâm Kiểm nghiệm Thanh Hóa (demo)",
                    result="fail" if failed else "pass",
                    parameters=(
                        {"dư lượng kháng sinh": "vượt ngưỡng cho phép"}
                        if failed
                        else {"dư lượng": "không phát hiện"}
                    ),
                    document=f"KN-{shipment.batch.upper()}",
                    at=On(arrived + timedelta(days=1), 9),
                )
            )
        if (shipment.grower, shipment.day) == _RECALLED:
            acts.append(
                Recall(
                    batch=shipment.batch,
                    reason="Phát hiện dư lượng thuốc bảo vệ thực vật vượt mức cho phép",
                    at=On(arrived + timedelta(days=2), 10),
                )
            )
        elif lead in _GTIN_BODY and not failed:
            acts.append(
                Label(
                    batch=shipment.batch,
                    gtin=_gtin13(_GTIN_BODY[lead]),
                    lot=f"L{shipment.day:%y%m%d}-{n:03d}",
                    labels_issued=100 + shipment.kg // 100,
                    at=On(arrived + timedelta(days=1), 14),
                )
            )
    return Step(f"2y-receipts-{lead}", lead, tuple(acts))


def _registry_steps() -> list[Step]:
    return [
        Step("2y-organisations", STAFF, (*_cooperatives(), *_enterprises())),
        Step(
            "2y-gtins",
            STAFF,
            tuple(Gtin(organisation=lead, gtin=_gtin13(n)) for lead, n in _GTIN_BODY.items()),
        ),
        Step(
            "2y-support",
            STAFF,
            tuple(
                Support(
                    cooperative=key,
                    kind=kind,
                    on=on,
                    programme=programme,
                    amount_vnd=None if millions is None else Decimal(millions * 1_000_000),
                )
                for key, kind, on, programme, millions in _SUPPORT
            ),
        ),
        Step(
            "2y-certifications",
            STAFF,
            tuple(
                Certification(
                    organisation=key,
                    scheme=scheme,
                    certificate=number,
                    valid_from=start,
                    valid_until=end,
                    stars=stars,
                )
                for key, scheme, number, start, end, stars in _CERTIFICATES
            ),
        ),
        Step(
            "2y-reclassifications",
            STAFF,
            tuple(Reclassify(cooperative=key, reason=why) for key, why in _RECLASSIFIED),
        ),
        Step("2y-chains", STAFF, CHAINS),
        Step(
            "2y-participants",
            STAFF,
            tuple(
                Member(chain=chain, organisation=key, role=role, on=joined)
                for chain, key, role, joined, _ in _MEMBERS
            ),
        ),
        Step(
            "2y-contracts",
            STAFF,
            tuple(
                Contract(
                    chain=chain,
                    number=number,
                    parties=parties,
                    commodity=commodity,
                    volume=Quantity.positive(str(tonnes), "t"),
                    starts_on=starts,
                    ends_on=ends,
                )
                for chain, number, parties, commodity, tonnes, starts, ends, _ in _CONTRACTS
            ),
        ),
    ]


def _closing_steps() -> list[Step]:
    departures: list[Act] = [
        Leave(chain=chain, organisation=key, reason=left[1], on=left[0])
        for chain, key, _, _, left in _MEMBERS
        if left is not None
    ]
    departures += [
        EndContract(chain=chain, number=number, on=ended[0], reason=ended[1])
        for chain, number, *_, ended in _CONTRACTS
        if ended is not None
    ]
    departures += [
        ExpireCertificate(organisation=key, certificate=number, on=on, reason=why)
        for key, number, on, why in _WITHDRAWN
    ]
    statuses = tuple(
        StatusChange(cooperative=key, status=status, reason=why)
        for key, status, why in _STATUS_CHANGES
    )
    return [Step("2y-departures", STAFF, tuple(departures)), Step("2y-statuses", STAFF, statuses)]


def steps() -> tuple[Step, ...]:
    """The whole two-year history, in an order the domain accepts."""
    plots = {grower.key: _plots(grower) for grower in _GROWERS}
    # Each cooperative's member households are registered in the request before its plots,
    # which name them by the ids that gives.
    plot_steps = [
        step
        for key, found in plots.items()
        for step in (
            Step(f"2y-households-{key}", key, tuple(_households(found))),
            Step(f"2y-plots-{key}", key, tuple(found)),
        )
    ]
    plot_certificates = Step(
        "2y-plot-certifications",
        STAFF,
        tuple(
            PlotCertification(
                plot=plot.key,
                scheme=scheme,
                certificate=f"{scheme[:2].upper()}-P-{plot.planting_area_code}",
                valid_from=start,
                valid_until=end,
            )
            for key, scheme, start, end in _PLOT_CERTIFICATES
            for plot in plots[key]
        ),
    )
    shipments = _shipments()
    by_grower: dict[Key, list[_Shipment]] = {}
    by_lead: dict[Key, list[_Shipment]] = {}
    for shipment in shipments:
        by_grower.setdefault(shipment.grower, []).append(shipment)
        by_lead.setdefault(_LEAD[shipment.chain], []).append(shipment)
    return (
        *_registry_steps(),
        *plot_steps,
        plot_certificates,
        *(_harvest_step(grower, found) for grower, found in by_grower.items()),
        *(_receipt_step(lead, found) for lead, found in by_lead.items()),
        *_closing_steps(),
    )


# The last two days before the demo was first seeded: recorded on time --------------------------

_RECENT = ("hoang-thanh", "quang-yen", "hau-loc", "tho-ngoc", "dinh-hoa", "yen-ninh")


def recent_steps(first_harvest_days_ago: int) -> tuple[Step, ...]:
    """Harvests of the day before the first seeding, shipped and received that day.

    Timed like the shown journey (:class:`~.description.After` its first harvest morning, which
    is ``first_harvest_days_ago`` days before the first seeding), so they are recorded within
    48 hours of the day they describe and the timeliness figure has timely events to count.
    """
    yesterday = first_harvest_days_ago - 1
    steps: list[Step] = []
    receipts: dict[Key, list[Act]] = {}
    for n, key in enumerate(_RECENT):
        grower = next(g for g in _GROWERS if g.key == key)
        chain, _, _ = _membership(key) or ("", None, None)
        _, commodity, _ = _CROPS[grower.sector]
        batch = f"{key}-recent"
        quantity = Quantity.positive(str(_SEASON_KG[commodity] // 4 + 10 * n), "kg")
        harvest = Harvest(
            batch=batch,
            plots=(f"{key}-plot-0",),
            commodity=commodity,
            quantity=quantity,
            variety=_VARIETY[commodity],
            chain=chain,
            at=After(days=yesterday),
            ref="h",
        )
        ship = Ship(
            batch=batch,
            to=_LEAD[chain],
            transport_document=f"PVC-{batch.upper()}",
            at=After(days=yesterday, hours=3),
        )
        steps.append(Step(f"recent-harvest-{key}", key, (harvest, ship)))
        receive = Receive(batch=batch, quantity=quantity, at=After(days=yesterday, hours=8))
        receipts.setdefault(_LEAD[chain], []).append(receive)
    steps += [Step(f"recent-receipts-{lead}", lead, tuple(acts)) for lead, acts in receipts.items()]
    return tuple(steps)


TWO_YEARS = steps()
