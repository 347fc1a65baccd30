"""A rice chain's master data, registered alike on two platforms, and its journey on the first.

Two cooperatives (each with a plot, a member household and a GLN), a miller and a retailer (each
with a GLN), a value chain led by the miller, the retailer's GTIN: :func:`register_world` records
the same facts on any platform, so a second one knows the same parties and places by the same
GLNs. :func:`record_journey` then records, on the first platform only, what happened to the
goods: two harvests dried and shipped to the miller, milled together, inspected and certified,
packed into two lots, one shipped to the retailer, received and labelled, and a recall of the
first harvest reaching every lot made from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from shared.domain.identifiers import check_digit
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.records.results import BatchResult, TransformationResult
from tests.builders import (
    a_certification_command,
    a_cooperative_command,
    a_plot_command,
    an_enterprise_command,
    kg,
)
from tests.integration.readmodels.readmodel_chain import POLYGON_IN_THO_XUAN

STAFF = Actor(Role.PROVINCE)
HARVEST_TIME = datetime(2025, 10, 5, 1, 30, tzinfo=UTC)


def _gln(first_twelve: str) -> str:
    return first_twelve + str(check_digit(first_twelve))


# The GLNs the parties were issued: the same on every platform, which is how two platforms (or a
# platform and a partner's system) name the same cooperative, company or field.
GLNS = {
    "cooperative_a": _gln("893500010001"),
    "cooperative_b": _gln("893500010002"),
    "miller": _gln("893500010003"),
    "retailer": _gln("893500010004"),
    "plot_a": _gln("893500010011"),
    "plot_b": _gln("893500010012"),
}
GTIN = "0" + _gln("893500010100")  # a GTIN-13 made GTIN-14; the same check-digit rule
LOT = "L25-10A"


@dataclass(frozen=True)
class World:
    cooperative_a: UUID
    cooperative_b: UUID
    miller: UUID
    retailer: UUID
    value_chain: UUID
    plot_a: UUID
    plot_b: UUID

    def actor(self, organisation: str) -> Actor:
        role = Role.COOPERATIVE if organisation.startswith("cooperative") else Role.ENTERPRISE
        return Actor(role, getattr(self, organisation))

    @property
    def by_gln(self) -> dict[str, str]:
        """Which of the world's organisations each party or location GLN belongs to."""
        owners = {"plot_a": "cooperative_a", "plot_b": "cooperative_b"}
        return {gln: owners.get(name, name) for name, gln in GLNS.items()}


@dataclass(frozen=True)
class Journey:
    harvest_a: str
    harvest_b: str
    milled: str
    retail_lot: str
    other_lot: str


def _id(records: Records, actor: Actor, command: Any, key: str) -> UUID:
    return UUID(records.execute(actor, [command]).answers[0][key])


def register_world(records: Records) -> World:
    a = _id(
        records,
        STAFF,
        a_cooperative_command(name="HTX Nông nghiệp Thiệu Trung", registration_number="2801-RT01"),
        "cooperative_id",
    )
    b = _id(
        records,
        STAFF,
        a_cooperative_command(
            name="HTX Dịch vụ Nông nghiệp Xuân Lập",
            registration_number="2801-RT02",
            commune="Xã Xuân Lập",
            former_district="Thọ Xuân",
            founded=date(2015, 6, 1),
            members_count=25,
            model="old",
        ),
        "cooperative_id",
    )
    miller = _id(
        records,
        STAFF,
        an_enterprise_command(
            name="Công ty CP Gạo Xứ Thanh", tax_code="2801000101", address="12 Lê Lợi"
        ),
        "enterprise_id",
    )
    retailer = _id(
        records,
        STAFF,
        an_enterprise_command(
            name="Siêu thị Hạc Thành", tax_code="2802000101", address="5 Trần Phú"
        ),
        "enterprise_id",
    )
    records.execute(STAFF, [a_certification_command(a, certificate="VG-A-RT")])
    chain = _id(
        records,
        STAFF,
        c.EstablishValueChain(
            name="Chuỗi gạo nếp Thanh Hóa", commodity="rice", lead_organisation_id=miller
        ),
        "value_chain_id",
    )
    records.execute(
        STAFF,
        [
            c.JoinValueChain(value_chain_id=chain, organisation_id=a, role="producer"),
            c.JoinValueChain(value_chain_id=chain, organisation_id=b, role="producer"),
            c.JoinValueChain(value_chain_id=chain, organisation_id=retailer, role="retailer"),
        ],
    )
    actor_a, actor_b = Actor(Role.COOPERATIVE, a), Actor(Role.COOPERATIVE, b)
    household_a = _id(
        records, actor_a, c.RegisterHousehold(cooperative_id=a, reference="HO-A1"), "household_id"
    )
    household_b = _id(
        records, actor_b, c.RegisterHousehold(cooperative_id=b, reference="HO-B1"), "household_id"
    )
    plot_a = _id(
        records,
        actor_a,
        a_plot_command(
            a, crop="lúa nếp", household_id=household_a, planting_area_code="VT-38-RT-001"
        ),
        "plot_id",
    )
    plot_b = _id(
        records,
        actor_b,
        a_plot_command(
            b,
            crop="lúa nếp",
            area_ha=Decimal("6"),
            commune="Xã Xuân Lập",
            location=POLYGON_IN_THO_XUAN,
            household_id=household_b,
        ),
        "plot_id",
    )
    records.execute(
        actor_a,
        [
            c.CertifyPlot(
                plot_id=plot_a,
                scheme="VietGAP",
                certificate="VG-P-RT",
                valid_from=date(2025, 1, 1),
                valid_until=date(2027, 12, 31),
            )
        ],
    )
    world = World(a, b, miller, retailer, chain, plot_a, plot_b)
    for organisation in ("cooperative_a", "cooperative_b", "miller", "retailer"):
        records.execute(
            world.actor(organisation),
            [c.RegisterGln(organisation_id=getattr(world, organisation), gln=GLNS[organisation])],
        )
    for plot, cooperative in (("plot_a", "cooperative_a"), ("plot_b", "cooperative_b")):
        records.execute(
            world.actor(cooperative),
            [
                c.RegisterGln(
                    organisation_id=getattr(world, cooperative),
                    gln=GLNS[plot],
                    plot_id=getattr(world, plot),
                )
            ],
        )
    records.execute(world.actor("retailer"), [c.RegisterGtin(organisation_id=retailer, gtin=GTIN)])
    return world


def _at(hours: float) -> datetime:
    return HARVEST_TIME + timedelta(hours=hours)


def _grow(records: Records, world: World, cooperative: str, plot: UUID, harvested: str) -> str:
    dried = str(int(harvested) * 9 // 10)
    outcome = records.execute(
        world.actor(cooperative),
        [
            c.HarvestBatch(
                plot_ids=[plot],
                commodity="rice",
                quantity=kg(harvested),
                harvested_on=date(2025, 10, 5),
                variety="Nếp cái hoa vàng",
                value_chain_id=world.value_chain,
                at=_at(0),
                ref="h",
            ),
            c.ProcessBatch(
                batch="$h",
                step="drying",
                facility="Sân phơi HTX",
                quantity_after=kg(dried),
                at=_at(24),
            ),
            c.ShipBatch(batch="$h", to=world.miller, at=_at(48)),
        ],
    )
    code = outcome.result(BatchResult).code
    records.execute(
        world.actor("miller"), [c.ReceiveBatch(batch=code, quantity=kg(dried), at=_at(50))]
    )
    return code


def record_journey(records: Records, world: World) -> Journey:
    harvest_a = _grow(records, world, "cooperative_a", world.plot_a, "1000")
    harvest_b = _grow(records, world, "cooperative_b", world.plot_b, "800")
    miller = world.actor("miller")
    milled = (
        records.execute(
            miller,
            [
                c.TransformBatches(
                    step="milling",
                    inputs=[
                        c.TransformInput(batch=harvest_a, quantity=kg(800)),
                        c.TransformInput(batch=harvest_b, quantity=kg(720)),
                    ],
                    outputs=[
                        c.TransformOutput(
                            commodity="rice", quantity=kg(1000), variety="Nếp cái hoa vàng"
                        )
                    ],
                    at=_at(72),
                )
            ],
        )
        .result(TransformationResult)
        .outputs[0]
        .code
    )
    records.execute(
        miller,
        [
            c.InspectBatch(
                batch=milled,
                lab="Quatest 3",
                result="pass",
                parameters={"moisture": "13.5%"},
                document="KQ-2025-001",
                at=_at(80),
            ),
            c.CertifyBatch(
                batch=milled,
                scheme="organic",
                certificate="ORG-2025-7",
                valid_from=date(2025, 1, 1),
                valid_until=date(2027, 1, 1),
                at=_at(81),
            ),
        ],
    )
    packed = records.execute(
        miller,
        [
            c.TransformBatches(
                step="packing",
                inputs=[c.TransformInput(batch=milled, quantity=kg(1000))],
                outputs=[
                    c.TransformOutput(
                        commodity="rice", quantity=kg(500), variety="Nếp cái hoa vàng"
                    ),
                    c.TransformOutput(
                        commodity="rice", quantity=kg(500), variety="Nếp cái hoa vàng"
                    ),
                ],
                at=_at(96),
            )
        ],
    ).result(TransformationResult)
    retail_lot, other_lot = (o.code for o in packed.outputs)
    records.execute(miller, [c.ShipBatch(batch=retail_lot, to=world.retailer, at=_at(100))])
    retailer = world.actor("retailer")
    records.execute(retailer, [c.ReceiveBatch(batch=retail_lot, quantity=kg(500), at=_at(104))])
    records.execute(
        retailer,
        [c.LabelBatch(batch=retail_lot, gtin=GTIN, lot=LOT, labels_issued=200, at=_at(105))],
    )
    records.execute(
        STAFF, [c.RecallBatch(batch=harvest_a, reason="dư lượng thuốc BVTV", at=_at(120))]
    )
    return Journey(harvest_a, harvest_b, milled, retail_lot, other_lot)
