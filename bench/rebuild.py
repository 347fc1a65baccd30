"""How fast the read models are rebuilt from the event store, and how fast they follow it live.

Run by hand from the repository root::

    python bench/rebuild.py [--events 50000] [--data-dir DIR] [--profile]

Starts the embedded PostgreSQL in a temporary folder (or ``--data-dir``), fills it through
``Records.execute`` bulk requests with realistic chains (harvests at twenty cooperatives, drying,
shipping to millers, milling that merges three harvests, inspection, packing into four retail
lots, shipping to retailers, receiving, labelling, a sale), then times:

* a full rebuild (``shared.readmodels.rebuild``: pages of 2,000 events, one transaction each);
* the embedded runner catching up from position 0 (notification-log subscription, pages ≤ 500);
* small incremental applies (pages of 10 events), as live traffic arrives.

Prints events/s; with ``--profile`` also where the rebuild spends its time. Never asserts.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import logging
import pstats
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from psycopg_pool import ConnectionPool

from shared.database import prepare
from shared.domain import clock
from shared.domain.quantities import Quantity
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.notification_log import envelopes_of
from shared.readmodels.projections import Projections
from shared.readmodels.rebuild import rebuild
from shared.readmodels.sources import run_embedded
from shared.readmodels.tracking import Position, PositionWaiter, connector
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.records.results import (
    BatchResult,
    HouseholdResult,
    PlotResult,
    Result,
    TransformationResult,
)
from shared.settings import NguonSettings

STAFF = Actor(Role.PROVINCE)
COOPERATIVES = 20
MILLERS = 3
RETAILERS = 5
HARVESTS_PER_COOPERATIVE = 12  # per round; three harvests make one milled batch
GTIN_OF: dict[UUID | None, str] = {}  # each retailer labels with a GTIN it registered
_serial = itertools.count(1)


def kg(amount: int | str) -> Quantity:
    return Quantity.positive(str(amount), "kg")


def _one(records: Records, actor: Actor, command: Any, key: str) -> UUID:
    return UUID(records.execute(actor, [command]).answers[0][key])


def retail_gtin(index: int) -> str:
    """A GTIN-13 under Vietnam's prefix 893, one per retailer, check digit included."""
    body = f"89350000{index:04d}"
    weighted = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - weighted % 10) % 10)


def organisations(
    records: Records,
) -> tuple[list[tuple[Actor, list[UUID]]], list[Actor], list[Actor]]:
    millers = [
        _one(
            records,
            STAFF,
            c.RegisterEnterprise(
                name=f"Nhà máy xay xát {i}",
                tax_code=f"280100{i:04d}",
                address="KCN Lễ Môn",
                commune="Phường Quảng Hưng",
                former_district=None,
                province="Thanh Hóa",
            ),
            "enterprise_id",
        )
        for i in range(MILLERS)
    ]
    retailers = [
        _one(
            records,
            STAFF,
            c.RegisterEnterprise(
                name=f"Cửa hàng gạo {i}",
                tax_code=f"280200{i:04d}",
                address=f"{i} Lê Lợi",
                commune="Phường Hạc Thành",
                former_district=None,
                province="Thanh Hóa",
            ),
            "enterprise_id",
        )
        for i in range(RETAILERS)
    ]
    for i, retailer in enumerate(retailers):
        GTIN_OF[retailer] = retail_gtin(i)
        records.execute(STAFF, [c.RegisterGtin(organisation_id=retailer, gtin=GTIN_OF[retailer])])
    chains = [
        _one(
            records,
            STAFF,
            c.EstablishValueChain(
                name=f"Chuỗi lúa gạo {i}", commodity="rice", lead_organisation_id=miller
            ),
            "value_chain_id",
        )
        for i, miller in enumerate(millers)
    ]
    growers = []
    for i in range(COOPERATIVES):
        cooperative = _one(
            records,
            STAFF,
            c.RegisterCooperative(
                name=f"HTX Nông nghiệp {i}",
                registration_number=f"2801-{i:06d}",
                commune=f"Xã {i}",
                former_district="Thiệu Hóa",
                province="Thanh Hóa",
                sector="rice",
                founded=date(2010, 1, 1),
                members_count=30 + i,
                model="new" if i % 3 else "old",
            ),
            "cooperative_id",
        )
        records.execute(
            STAFF,
            [
                c.JoinValueChain(
                    value_chain_id=chains[i % MILLERS], organisation_id=cooperative, role="producer"
                ),
                c.GrantCertification(
                    organisation_id=cooperative,
                    scheme="VietGAP",
                    certificate=f"VG-{i}",
                    valid_from=date(2025, 1, 1),
                    valid_until=date(2028, 1, 1),
                ),
            ],
        )
        actor = Actor(Role.COOPERATIVE, cooperative)
        # Each plot's member household is registered first (its reference sealed), as a
        # client must: a plot names its household by the id that gives, never by reference.
        households = records.execute(
            actor,
            [
                c.RegisterHousehold(cooperative_id=cooperative, reference=f"HH-{i}-{p}")
                for p in range(5)
            ],
        ).results
        household_ids = [h.household_id for h in households if isinstance(h, HouseholdResult)]
        plots = records.execute(
            actor,
            [
                c.RegisterPlot(
                    cooperative_id=cooperative,
                    crop="lúa",
                    area_ha=Decimal("1.5"),
                    commune=f"Xã {i}",
                    location={"type": "Point", "coordinates": [105.6 + i / 100, 19.8 + p / 100]},
                    household_id=household_ids[p],
                    planting_area_code=f"VT-{i}-{p}",
                )
                for p in range(5)
            ],
        ).results
        growers.append((actor, [p.plot_id for p in plots if isinstance(p, PlotResult)]))
    return (
        growers,
        [Actor(Role.ENTERPRISE, m) for m in millers],
        [Actor(Role.ENTERPRISE, r) for r in retailers],
    )


def one_round(
    records: Records,
    growers: list[tuple[Actor, list[UUID]]],
    millers: list[Actor],
    retailers: list[Actor],
    harvested_on: date,
) -> None:
    bought: dict[int, list[str]] = {m: [] for m in range(len(millers))}
    for index, (actor, plots) in enumerate(growers):
        miller = index % len(millers)
        commands: list[Any] = []
        for h in range(HARVESTS_PER_COOPERATIVE):
            ref = f"h{h}"
            commands += [
                c.HarvestBatch(
                    plot_ids=[plots[h % len(plots)]],
                    commodity="rice",
                    quantity=kg(1000),
                    harvested_on=harvested_on,
                    variety="Nếp cái hoa vàng",
                    ref=ref,
                ),
                c.ProcessBatch(
                    batch=f"${ref}", step="drying", facility="Sân phơi", quantity_after=kg(900)
                ),
                c.ShipBatch(
                    batch=f"${ref}",
                    to=millers[miller].organisation_id or UUID(int=0),
                    transport_document=f"VD-{next(_serial)}",
                ),
            ]
        results = records.execute(actor, commands).results
        bought[miller] += [r.code for r in results[::3] if isinstance(r, BatchResult)]
    for miller, codes in bought.items():
        mill(records, millers[miller], codes, retailers)


def mill(records: Records, miller: Actor, codes: list[str], retailers: list[Actor]) -> None:
    commands: list[Any] = [c.ReceiveBatch(batch=code, quantity=kg(900)) for code in codes]
    shipped: list[tuple[str, Actor]] = []
    for g in range(0, len(codes) - 2, 3):
        milled, lots = f"m{g}", [f"l{g}-{k}" for k in range(4)]
        commands += [
            c.TransformBatches(
                step="milling",
                inputs=[
                    c.TransformInput(batch=code, quantity=kg(900)) for code in codes[g : g + 3]
                ],
                outputs=[
                    c.TransformOutput(
                        commodity="rice", quantity=kg(1800), variety="Nếp cái hoa vàng", ref=milled
                    )
                ],
            ),
            c.InspectBatch(
                batch=f"${milled}",
                lab="Quatest 3",
                result="pass",
                parameters={"moisture": "13.5%"},
                document=f"KQ-{g}",
            ),
            c.TransformBatches(
                step="packing",
                inputs=[c.TransformInput(batch=f"${milled}", quantity=kg(1800))],
                outputs=[
                    c.TransformOutput(
                        commodity="rice", quantity=kg(450), variety="Nếp cái hoa vàng", ref=lot
                    )
                    for lot in lots
                ],
            ),
        ]
        for lot in lots[:2]:
            retailer = retailers[next(_serial) % len(retailers)]
            commands.append(
                c.ShipBatch(batch=f"${lot}", to=retailer.organisation_id or UUID(int=0))
            )
            shipped.append((lot, retailer))
    results = records.execute(miller, commands).results
    codes_of = _codes_by_ref(commands, results)
    by_retailer: dict[UUID | None, list[Any]] = {}
    for lot, retailer in shipped:
        code = codes_of[lot]
        number = next(_serial)
        by_retailer.setdefault(retailer.organisation_id, []).extend(
            [
                c.ReceiveBatch(batch=code, quantity=kg(450)),
                c.LabelBatch(
                    batch=code,
                    gtin=GTIN_OF[retailer.organisation_id],
                    lot=f"LOT{number}",
                    labels_issued=100,
                ),
                *([c.SellBatch(batch=code)] if number % 2 else []),
            ]
        )
    for retailer in retailers:
        if by_retailer.get(retailer.organisation_id):
            records.execute(retailer, by_retailer[retailer.organisation_id])


def _codes_by_ref(commands: list[Any], results: list[Result]) -> dict[str, str]:
    codes = {}
    for command, result in zip(commands, results, strict=True):
        if isinstance(command, c.TransformBatches) and isinstance(result, TransformationResult):
            for output, produced in zip(command.outputs, result.outputs, strict=True):
                if output.ref:
                    codes[output.ref] = produced.code
    return codes


def fill(records: Records, events: int) -> None:
    started = time.perf_counter()
    growers, millers, retailers = organisations(records)
    yesterday = clock.today_in_vietnam() - timedelta(days=1)
    while records.position() < events:
        one_round(records, growers, millers, retailers, yesterday)
        print(f"\r  filled {records.position():,} events", end="", flush=True)
    seconds = time.perf_counter() - started
    print(
        f"\nfill: {records.position():,} events in {seconds:.1f} s"
        f" ({records.position() / seconds:,.0f} events/s through Records.execute)"
    )


def incremental(records: Records, projections: Projections, limit: int, page: int) -> float:
    projections.reset()
    notifications = records.recorder.select_notifications(0, limit, inclusive_of_start=False)
    envelopes = [e for _, e in envelopes_of(records, notifications)]
    started = time.perf_counter()
    for i in range(0, len(envelopes), page):
        chunk = envelopes[i : i + page]
        projections.apply(chunk, Position(chunk[-1].position))
    return len(envelopes) / (time.perf_counter() - started)


def follow(records: Records, projections: Projections, url: str) -> float:
    projections.reset()
    stop = threading.Event()
    started = time.perf_counter()
    runner = run_embedded(records, projections, stop)
    PositionWaiter(connector(url)).wait_for(records.position(), timeout=3600)
    seconds = time.perf_counter() - started
    stop.set()
    runner.join()
    return records.position() / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="nguon-bench-") as temporary:
        data_dir = args.data_dir or Path(temporary)
        urls = prepare(NguonSettings(data_dir=data_dir))
        records = Records(eventsourcing_env(urls.app, create_table=False, pool_size=4))
        pool = ConnectionPool(urls.app, min_size=1, max_size=4, open=True)
        projections = Projections(pool.connection)
        try:
            if records.position() < args.events:
                fill(records, args.events)
            profile = cProfile.Profile() if args.profile else None
            if profile:
                profile.enable()
            rebuilt = rebuild(records, projections, progress=True)
            if profile:
                profile.disable()
            print(
                f"rebuild: {rebuilt.events:,} events in {rebuilt.seconds:.1f} s"
                f" = {rebuilt.events_per_second:,.0f} events/s"
            )
            with connector(urls.app)() as conn:
                counts = conn.execute(
                    "SELECT (SELECT count(*) FROM rm_provenance), (SELECT count(*) FROM rm_lineage)"
                ).fetchone()
            print(
                f"         {counts[0]:,} provenance documents, {counts[1]:,} lineage edges"
                if counts
                else ""
            )
            print(
                f"follow (embedded runner from 0): {follow(records, projections, urls.app):,.0f}"
                " events/s"
            )
            rate = incremental(records, projections, min(5_000, args.events), page=10)
            print(f"incremental (pages of 10 events, one transaction each): {rate:,.0f} events/s")
            rate = incremental(records, projections, min(1_000, args.events), page=1)
            print(f"incremental (one event per transaction): {rate:,.0f} events/s")
            if profile:
                out = io.StringIO()
                pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(30)
                print(out.getvalue())
        finally:
            pool.close()
            records.close()


if __name__ == "__main__":
    main()
