"""A rice chain from two cooperatives' plots to a labelled retail lot, and ways to replay it.

Harvests at two cooperatives (two plots, two communes) → drying → shipped to a miller →
milling merges both harvests → packing splits the rice into two retail lots → one lot shipped
to a retailer, received and labelled. Private facts (household references, transport
documents) are recorded on the way so tests can look for them in public documents.
"""

from __future__ import annotations

import random
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg

from shared.readmodels.notification_log import envelopes_of
from shared.readmodels.schema import FACT_TABLES, MATERIALIZED_TABLES
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.records.results import BatchResult, TransformationResult
from shared.wire.envelope import Envelope
from tests.builders import (
    a_certification_command,
    a_cooperative_command,
    a_plot_command,
    after_harvest,
    an_enterprise_command,
    kg,
)

STAFF = Actor(Role.PROVINCE)
POLYGON_IN_THO_XUAN = {
    "type": "Polygon",
    "coordinates": [
        [[105.4, 19.9], [105.41, 19.9], [105.41, 19.91], [105.4, 19.91], [105.4, 19.9]]
    ],
}


def gtin13(first_twelve: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first_twelve))
    return first_twelve + str((10 - total % 10) % 10)


@dataclass(frozen=True)
class Chain:
    cooperative_a: UUID
    cooperative_b: UUID
    miller: UUID
    retailer: UUID
    value_chain: UUID
    plot_a: UUID
    plot_b: UUID
    harvest_a: str
    harvest_b: str
    milled: str
    retail_lot: str  # shipped, received and labelled
    other_lot: str  # stays with the miller
    gtin: str
    lot: str
    household_refs: tuple[str, ...]
    transport_documents: tuple[str, ...]
    position: int


def _id(records: Records, actor: Actor, command: Any, key: str) -> UUID:
    return UUID(records.execute(actor, [command]).answers[0][key])


def _organisations(records: Records, tag: str) -> tuple[UUID, UUID, UUID, UUID]:
    a = _id(
        records,
        STAFF,
        a_cooperative_command(
            name="HTX Nông nghiệp Thiệu Trung", registration_number=f"2801-A{tag}"
        ),
        "cooperative_id",
    )
    b = _id(
        records,
        STAFF,
        a_cooperative_command(
            name="HTX Dịch vụ Nông nghiệp Xuân Lập",
            registration_number=f"2801-B{tag}",
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
            name="Công ty CP Gạo Xứ Thanh",
            tax_code=f"28010{tag}"[:10].ljust(10, "0"),
            address="12 Lê Lợi",
        ),
        "enterprise_id",
    )
    retailer = _id(
        records,
        STAFF,
        an_enterprise_command(
            name="Siêu thị Hạc Thành",
            tax_code=f"28020{tag}"[:10].ljust(10, "0"),
            address="5 Trần Phú",
        ),
        "enterprise_id",
    )
    return a, b, miller, retailer


def a_chain(records: Records, tag: str = "01") -> Chain:
    a, b, miller, retailer = _organisations(records, tag)
    records.execute(
        STAFF,
        [a_certification_command(a, certificate=f"VG-A{tag}")],
    )
    chain_id = _id(
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
            c.JoinValueChain(value_chain_id=chain_id, organisation_id=a, role="producer"),
            c.JoinValueChain(value_chain_id=chain_id, organisation_id=b, role="producer"),
            c.JoinValueChain(value_chain_id=chain_id, organisation_id=retailer, role="retailer"),
        ],
    )
    actor_a, actor_b = Actor(Role.COOPERATIVE, a), Actor(Role.COOPERATIVE, b)
    households = (f"HH-PRIVATE-A-{tag}", f"HH-PRIVATE-B-{tag}")
    # Each plot's member household is registered first; the plot names it by id.
    household_a, household_b = (
        _id(records, actor, c.RegisterHousehold(cooperative_id=coop, reference=ref), "household_id")
        for actor, coop, ref in ((actor_a, a, households[0]), (actor_b, b, households[1]))
    )
    plot_a = _id(
        records,
        actor_a,
        a_plot_command(
            a,
            crop="lúa nếp",
            household_id=household_a,
            planting_area_code=f"VT-38-{tag}-001",
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
                certificate=f"VG-P{tag}",
                valid_from=date(2025, 1, 1),
                valid_until=date(2027, 12, 31),
            )
        ],
    )
    documents = (f"VD-PRIVATE-A-{tag}", f"VD-PRIVATE-B-{tag}", f"VD-PRIVATE-M-{tag}")
    harvest_a = _grow(records, actor_a, plot_a, chain_id, "1000", "900", miller, documents[0])
    harvest_b = _grow(records, actor_b, plot_b, chain_id, "800", "720", miller, documents[1])
    return _mill_pack_and_sell(
        records,
        Chain(
            a,
            b,
            miller,
            retailer,
            chain_id,
            plot_a,
            plot_b,
            harvest_a,
            harvest_b,
            "",
            "",
            "",
            "0" + gtin13(f"8935{tag}000001"[:12]),
            f"L{tag}-10A",
            households,
            documents,
            0,
        ),
    )


def _grow(
    records: Records,
    actor: Actor,
    plot: UUID,
    chain: UUID,
    harvested: str,
    dried: str,
    buyer: UUID,
    transport_document: str,
) -> str:
    outcome = records.execute(
        actor,
        [
            c.HarvestBatch(
                plot_ids=[plot],
                commodity="rice",
                quantity=kg(harvested),
                harvested_on=date(2025, 10, 5),
                variety="Nếp cái hoa vàng",
                value_chain_id=chain,
                at=after_harvest(),
                ref="h",
            ),
            c.ProcessBatch(
                batch="$h", step="drying", facility="Sân phơi HTX", quantity_after=kg(dried)
            ),
            c.ShipBatch(batch="$h", to=buyer, transport_document=transport_document),
        ],
    )
    code = str(outcome.result(BatchResult).code)
    records.execute(Actor(Role.ENTERPRISE, buyer), [c.ReceiveBatch(batch=code, quantity=kg(dried))])
    return code


def _mill_pack_and_sell(records: Records, chain: Chain) -> Chain:
    miller = Actor(Role.ENTERPRISE, chain.miller)
    milled = records.execute(
        miller,
        [
            c.TransformBatches(
                step="milling",
                inputs=[
                    c.TransformInput(batch=chain.harvest_a, quantity=kg(800)),
                    c.TransformInput(batch=chain.harvest_b, quantity=kg(720)),
                ],
                outputs=[
                    c.TransformOutput(
                        commodity="rice", quantity=kg(1000), variety="Nếp cái hoa vàng"
                    )
                ],
            )
        ],
    ).result(TransformationResult)
    milled_code = milled.outputs[0].code
    records.execute(
        miller,
        [
            # What is left of harvest A fails an inspection after milling: not the lots' story.
            c.InspectBatch(
                batch=chain.harvest_a,
                lab="Quatest 3",
                result="fail",
                parameters={"moisture": "19%"},
                document="KQ-LATER",
            ),
            c.InspectBatch(
                batch=milled_code,
                lab="Quatest 3",
                result="pass",
                parameters={"moisture": "13.5%"},
                document="KQ-2025-001",
            ),
            c.CertifyBatch(
                batch=milled_code,
                scheme="organic",
                certificate="ORG-2025-7",
                valid_from=date(2025, 1, 1),
                valid_until=date(2027, 1, 1),
            ),
        ],
    )
    packed = records.execute(
        miller,
        [
            c.TransformBatches(
                step="packing",
                inputs=[
                    c.TransformInput(batch=milled_code, quantity=kg(1000)),
                ],
                outputs=[
                    c.TransformOutput(
                        commodity="rice", quantity=kg(500), variety="Nếp cái hoa vàng"
                    ),
                    c.TransformOutput(
                        commodity="rice", quantity=kg(500), variety="Nếp cái hoa vàng"
                    ),
                ],
            )
        ],
    ).result(TransformationResult)
    retail, other = (o.code for o in packed.outputs)
    records.execute(
        miller,
        [
            c.ShipBatch(
                batch=retail, to=chain.retailer, transport_document=chain.transport_documents[2]
            )
        ],
    )
    retailer = Actor(Role.ENTERPRISE, chain.retailer)
    records.execute(retailer, [c.ReceiveBatch(batch=retail, quantity=kg(500))])
    records.execute(retailer, [c.RegisterGtin(organisation_id=chain.retailer, gtin=chain.gtin)])
    position = records.execute(
        retailer, [c.LabelBatch(batch=retail, gtin=chain.gtin, lot=chain.lot, labels_issued=200)]
    ).position
    return Chain(
        **{
            **chain.__dict__,
            "milled": milled_code,
            "retail_lot": retail,
            "other_lot": other,
            "position": position,
        }
    )


# Replaying ------------------------------------------------------------------------------------


def all_envelopes(records: Records) -> list[Envelope]:
    notifications = records.recorder.select_notifications(0, 100_000, inclusive_of_start=False)
    return [envelope for _, envelope in envelopes_of(records, notifications)]


def interleaved(envelopes: Sequence[Envelope], seed: int, duplicates: int = 0) -> list[Envelope]:
    """Another arrival order Kafka could produce: each aggregate's events in order, aggregates
    interleaved at random, and ``duplicates`` events delivered a second time later on."""
    rng = random.Random(seed)
    queues: dict[str, deque[Envelope]] = defaultdict(deque)
    for envelope in envelopes:
        queues[envelope.aggregate_id].append(envelope)
    arrived: list[Envelope] = []
    while queues:
        aggregate = rng.choice(sorted(queues))
        arrived.append(queues[aggregate].popleft())
        if not queues[aggregate]:
            del queues[aggregate]
    for _ in range(duplicates):
        original = rng.randrange(len(arrived))
        arrived.insert(rng.randrange(original + 1, len(arrived) + 1), arrived[original])
    return arrived


def in_pages(envelopes: Sequence[Envelope], seed: int) -> list[list[Envelope]]:
    rng = random.Random(seed)
    pages: list[list[Envelope]] = []
    index = 0
    while index < len(envelopes):
        size = rng.randint(1, 7)
        pages.append(list(envelopes[index : index + size]))
        index += size
    return pages


def read_models(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every fact and materialized table, rows sorted: two equal dumps are equal read models."""
    dump: dict[str, list[tuple[Any, ...]]] = {}
    with psycopg.connect(url) as conn:
        for table in (*FACT_TABLES, *MATERIALIZED_TABLES):
            rows = conn.execute(f"SELECT * FROM {table}").fetchall()
            dump[table] = sorted(rows, key=repr)
    return dump
