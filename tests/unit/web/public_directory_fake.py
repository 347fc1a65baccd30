"""An in-memory ``PublicDirectoryReader`` and the cooperatives unit and browser tests show."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from shared.readmodels.public_directory import (
    Certificate,
    Chain,
    Filters,
    Listed,
    Lot,
    Partner,
    Product,
    PublicCooperative,
    PublicDirectoryReader,
    PublicList,
)

SHOWN_ID = "0f6c1a52-3d7e-4b8a-9c21-5e4f6a7b8c90"
HIDDEN_ID = "7a1e5c3b-2d4f-4e6a-8b9c-0d1e2f3a4b5c"
PARTNER_ID = "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98"


@dataclass(frozen=True)
class Held:
    cooperative: PublicCooperative
    shown: bool


class InMemoryPublicDirectory(PublicDirectoryReader):
    def __init__(self, *held: Held) -> None:
        self._held = {h.cooperative.id: h for h in held}
        self.reads = 0  # of who is shown
        self.list_reads = 0

    def cooperatives(self, filters: Filters) -> PublicList:
        self.list_reads += 1
        every = [
            Listed(
                c.id,
                c.name,
                c.commune,
                c.former_district,
                tuple(sorted({chain.commodity for chain in c.chains})),
            )
            for c in sorted((h.cooperative for h in self._listed()), key=lambda c: c.name)
        ]
        kept = [
            c
            for c in every
            if filters.commune in (None, c.commune)
            and (filters.commodity is None or filters.commodity in c.commodities)
        ]
        return PublicList(
            kept,
            sorted({c.commune for c in every}),
            sorted({k for c in every for k in c.commodities}),
        )

    def _listed(self) -> list[Held]:
        return [
            h
            for h in self._held.values()
            if h.shown
            and h.cooperative.model == "new"
            and h.cooperative.status == "active"
            and h.cooperative.chains
        ]

    def cooperative(self, cooperative_id: UUID) -> PublicCooperative | None:
        held = self._held.get(str(cooperative_id))
        return held.cooperative if held is not None and held.shown else None

    def shown(self) -> frozenset[str]:
        self.reads += 1
        return frozenset(i for i, h in self._held.items() if h.shown)


def a_public_cooperative(**changes: object) -> PublicCooperative:
    """A long-named pomelo cooperative with a chain, partners, certificates and products."""
    cooperative = PublicCooperative(
        id=SHOWN_ID,
        name="HTX Dịch vụ Nông nghiệp và Sản xuất Kinh doanh Bưởi Luận Văn Thọ Xuân",
        commune="Xã Thọ Xuân",
        former_district="Thọ Xuân",
        province="Thanh Hóa",
        sector="trồng trọt",
        founded=date(2016, 3, 8),
        model="new",
        status="active",
        chains=[
            Chain(
                name="Chuỗi liên kết bưởi Luận Văn xuất khẩu Thanh Hóa – Hà Nội",
                commodity="bưởi",
                roles=("producer",),
                partners=(
                    Partner("Công ty CP Nông sản sạch Hạc Thành", "enterprise", "lead", None),
                    Partner("HTX Nông nghiệp Xuân Lập", "cooperative", "producer", PARTNER_ID),
                ),
            )
        ],
        certifications=[
            Certificate("OCOP", "OCOP-TH-2025-0412", date(2025, 1, 1), date(2027, 12, 31), 4),
            Certificate("VietGAP", "VG-TH-2021-0099", date(2021, 1, 1), date(2023, 12, 31), None),
        ],
        products=[
            Product(
                "Bưởi Luận Văn — quả tươi loại I",
                (
                    Lot("TH-2026-000123", "active", False),
                    Lot("TH-2026-000124", "recalled", True),
                ),
            )
        ],
    )
    return replace(cooperative, **changes)  # type: ignore[arg-type]


def a_directory() -> InMemoryPublicDirectory:
    return InMemoryPublicDirectory(
        Held(a_public_cooperative(), shown=True),
        Held(
            a_public_cooperative(id=HIDDEN_ID, name="HTX Không Muốn Công Khai", commune="Xã Khác"),
            shown=False,
        ),
        Held(
            a_public_cooperative(
                id=PARTNER_ID,
                name="HTX Nông nghiệp Xuân Lập",
                commune="Xã Xuân Lập",
                chains=[replace(a_public_cooperative().chains[0], commodity="lúa")],
            ),
            shown=True,
        ),
    )
