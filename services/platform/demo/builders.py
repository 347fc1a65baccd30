"""Seeding a described demo: each step becomes one request to the records application.

Seeding goes through the same records application as any client, one request per step, each
with its name as Idempotency-Key: seeding twice replays the first answers and stores nothing
new. The demo's clock is set by its first seeding (the time its first organisation was
registered), so seeding again on a later day sends the very same requests.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from services.capture.context import connections_of
from services.platform.demo import description as d
from services.platform.demo.photo import demo_photo
from shared.domain.clock import VIETNAM_TIME, now, today_in_vietnam
from shared.products import photos
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import IdempotencyKey, Outcome, Records

SCOPE = "demo-seed"
_MORNING = timedelta(hours=1)  # 08:00 in Vietnam: when the demo's first harvest began


@dataclass
class DemoWorld:
    """What the seeding made, by the description's keys."""

    demo: d.Demo
    harvest_day: date
    organisations: dict[d.Key, Actor] = field(default_factory=dict)
    plots: dict[d.Key, UUID] = field(default_factory=dict)
    households: dict[d.Key, UUID] = field(default_factory=dict)
    chains: dict[d.Key, UUID] = field(default_factory=dict)
    batches: dict[d.Key, str] = field(default_factory=dict)
    """Batch codes."""

    def organisation(self, key: d.Key) -> UUID:
        found = self.organisations[key].organisation_id
        assert found is not None  # organisations' actors always name theirs
        return found

    @property
    def labelled_code(self) -> str:
        """The code of the batch the demo shows (its page, labels and QR code)."""
        return self.batches[self.demo.shown]

    @property
    def cooperative_shown(self) -> UUID:
        return self.organisation(self.demo.cooperative_shown)

    def cooperatives(self) -> list[UUID]:
        """Every cooperative the demo registered, in the order it did."""
        return [
            actor.organisation_id
            for actor in self.organisations.values()
            if actor.role is Role.COOPERATIVE and actor.organisation_id is not None
        ]


def seed(
    records: Records,
    demo: d.Demo,
    progress: Callable[[str], None] = lambda _: None,
    clock: Callable[[], datetime] = now,
) -> DemoWorld:
    """Sends every step of ``demo`` (each at most once, ever); returns what they made."""
    first, *rest = demo.steps
    progress(first.name)
    registrations = [_register(act, demo.province) for act in first.acts]
    outcome = _send(records, first, Actor(Role.PROVINCE), registrations)
    world = DemoWorld(demo, _harvest_day(records, demo, outcome, clock()))
    _remember(world, first, outcome)
    for step in rest:
        progress(step.name)
        if any(isinstance(act, d.Product) and act.photo for act in step.acts):
            photos.store(connections_of(records), demo_photo())  # stored once: by its digest
        commands = _Builder(world, step).commands()
        _remember(world, step, _send(records, step, _actor_of(world, step.by), commands))
    return world


def _harvest_day(records: Records, demo: d.Demo, outcome: Outcome, seeded: datetime) -> date:
    """Counted back from the day the demo was first seeded: now, or when it was replayed.

    Deriving it from today's date instead made a second ``nguon demo`` on a later day send
    other dates under the same Idempotency-Keys, which the records refuse (key reused).
    """
    if outcome.replayed:
        organisation = UUID(_created_id(outcome.answers[0]))
        seeded = records.repository.get(organisation).created_on
    return today_in_vietnam(seeded) - timedelta(days=demo.first_harvest_days_ago)


def _send(records: Records, step: d.Step, actor: Actor, commands: list[c.Command]) -> Outcome:
    key = IdempotencyKey(scope=SCOPE, key=step.name, request=[fingerprint(x) for x in commands])
    return records.execute(actor, commands, idempotency=key)


# Fields commands gained after demos were first seeded: left at their default they are not part
# of a step's fingerprint, so a data folder seeded before them replays instead of being refused
# (Idempotency-Key reused for another request). A new optional field of a command the demo
# sends belongs here.
_ADDED_LATER = frozenset({"joined_on", "left_on", "best_before", "interval_override"})


def fingerprint(command: c.Command) -> str:
    """The command as its dataclass ``repr`` shows it, without later fields left at default."""
    shown = [
        f"{f.name}={getattr(command, f.name)!r}"
        for f in dataclasses.fields(command)
        if f.repr
        and not (f.name in _ADDED_LATER and getattr(command, f.name) == f.default)
        # The drawn photo's digest depends on the JPEG encoder's version: not part of the key,
        # so a data folder seeded with another Pillow still replays.
        and not (isinstance(command, c.DescribeProduct) and f.name == "photo")
    ]
    return f"{type(command).__qualname__}({', '.join(shown)})"


def _actor_of(world: DemoWorld, key: d.Key | None) -> Actor:
    return Actor(Role.PROVINCE) if key is None else world.organisations[key]


def _register(act: d.Act, province: str) -> c.Command:
    """The first step registers the demo's first organisation: nothing to resolve yet."""
    assert isinstance(act, d.Cooperative | d.Enterprise), "a demo starts with its organisations"
    return _Builder.organisation(act, province)


def _created_id(result: dict[str, Any]) -> str:
    return str(result.get("cooperative_id") or result.get("enterprise_id"))


def _remember(world: DemoWorld, step: d.Step, outcome: Outcome) -> None:
    for act, result in zip(step.acts, outcome.answers, strict=True):
        match act:
            case d.Cooperative():
                world.organisations[act.key] = Actor(Role.COOPERATIVE, UUID(_created_id(result)))
            case d.Enterprise():
                world.organisations[act.key] = Actor(Role.ENTERPRISE, UUID(_created_id(result)))
            case d.Chain():
                world.chains[act.key] = UUID(result["value_chain_id"])
            case d.Household():
                world.households[act.key] = UUID(result["household_id"])
            case d.Plot():
                world.plots[act.key] = UUID(result["plot_id"])
            case d.Harvest():
                world.batches[act.batch] = result["code"]
            case d.Transform():
                for output, made in zip(act.outputs, result["outputs"], strict=True):
                    world.batches[output.batch] = made["code"]
            case _:
                pass  # the act changed something that already had its id


class _Builder:
    """Turns the acts of one step into commands, naming what earlier steps made."""

    def __init__(self, world: DemoWorld, step: d.Step) -> None:
        self._world = world
        self._step = step
        self._start = datetime.combine(world.harvest_day, datetime.min.time(), UTC) + _MORNING
        self._refs: dict[d.Key, str] = {}  # batches made earlier in this same request

    def commands(self) -> list[c.Command]:
        return [self._command(act) for act in self._step.acts]

    def _at(self, when: d.When) -> datetime:
        if isinstance(when, d.On):
            return datetime.combine(when.day, time(when.hours), VIETNAM_TIME).astimezone(UTC)
        return self._start + timedelta(days=when.days, hours=when.hours)

    def _day(self, when: d.When) -> date:
        """The business day of a moment (a harvest's date)."""
        if isinstance(when, d.On):
            return when.day
        return self._world.harvest_day + timedelta(days=when.days)

    def _batch(self, key: d.Key) -> str:
        return self._refs.get(key) or self._world.batches[key]

    def _org(self, key: d.Key) -> UUID:
        return self._world.organisation(key)

    def _household(self, key: d.Key) -> UUID:
        return self._world.households[key]

    @staticmethod
    def organisation(act: d.Cooperative | d.Enterprise, province: str) -> c.Command:
        if isinstance(act, d.Enterprise):
            return c.RegisterEnterprise(
                name=act.name,
                tax_code=act.tax_code,
                address=act.address,
                commune=act.commune,
                former_district=act.former_district,
                province=province,
            )
        return c.RegisterCooperative(
            name=act.name,
            registration_number=act.registration_number,
            commune=act.commune,
            former_district=act.former_district,
            province=province,
            sector=act.sector,
            founded=act.founded,
            members_count=act.members_count,
            model=act.model,
        )

    def _command(self, act: d.Act) -> c.Command:
        match act:
            case d.Cooperative() | d.Enterprise():
                return self.organisation(act, self._world.demo.province)
            case d.Support():
                return c.RecordSupport(
                    cooperative_id=self._org(act.cooperative),
                    kind=act.kind,
                    on=act.on,
                    programme=act.programme,
                    amount_vnd=act.amount_vnd,
                )
            case d.Certification():
                return c.GrantCertification(
                    organisation_id=self._org(act.organisation),
                    scheme=act.scheme,
                    certificate=act.certificate,
                    valid_from=act.valid_from,
                    valid_until=act.valid_until,
                    stars=act.stars,
                )
            case d.ExpireCertificate():
                return c.ExpireCertification(
                    organisation_id=self._org(act.organisation),
                    certificate=act.certificate,
                    on=act.on,
                    reason=act.reason,
                )
            case d.StatusChange():
                return c.ChangeCooperativeStatus(
                    cooperative_id=self._org(act.cooperative), status=act.status, reason=act.reason
                )
            case d.Reclassify():
                return c.ReclassifyCooperative(
                    cooperative_id=self._org(act.cooperative), reason=act.reason
                )
            case d.Chain():
                return c.EstablishValueChain(
                    name=act.name, commodity=act.commodity, lead_organisation_id=self._org(act.lead)
                )
            case d.Member():
                return c.JoinValueChain(
                    value_chain_id=self._world.chains[act.chain],
                    organisation_id=self._org(act.organisation),
                    role=act.role,
                    joined_on=act.on,
                )
            case d.Leave():
                return c.LeaveValueChain(
                    value_chain_id=self._world.chains[act.chain],
                    organisation_id=self._org(act.organisation),
                    reason=act.reason,
                    left_on=act.on,
                )
            case d.Contract():
                return c.SignLinkageContract(
                    value_chain_id=self._world.chains[act.chain],
                    contract_number=act.number,
                    parties=[self._org(party) for party in act.parties],
                    commodity=act.commodity,
                    committed_volume=act.volume,
                    starts_on=act.starts_on,
                    ends_on=act.ends_on,
                )
            case d.EndContract():
                return c.EndLinkageContract(
                    value_chain_id=self._world.chains[act.chain],
                    contract_number=act.number,
                    on=act.on,
                    reason=act.reason,
                )
            case _:
                return self._plot_or_batch_command(act)

    def _plot_or_batch_command(self, act: d.Act) -> c.Command:
        match act:
            case d.Gtin():
                return c.RegisterGtin(organisation_id=self._org(act.organisation), gtin=act.gtin)
            case d.Product():
                return c.DescribeProduct(
                    gtin=act.gtin,
                    name_vi=act.name_vi,
                    name_en=act.name_en,
                    brand=act.brand,
                    shelf_life_days=act.shelf_life_days,
                    photo=demo_photo().digest if act.photo else None,
                )
            case d.Household():
                return c.RegisterHousehold(
                    cooperative_id=self._org(act.cooperative), reference=act.reference
                )
            case d.Plot():
                return c.RegisterPlot(
                    cooperative_id=self._org(act.cooperative),
                    crop=act.crop,
                    area_ha=act.area_ha,
                    commune=act.commune,
                    location=act.location,
                    planting_area_code=act.planting_area_code,
                    household_id=None if act.household is None else self._household(act.household),
                )
            case d.PlotCertification():
                return c.CertifyPlot(
                    plot_id=self._world.plots[act.plot],
                    scheme=act.scheme,
                    certificate=act.certificate,
                    valid_from=act.valid_from,
                    valid_until=act.valid_until,
                )
            case d.DiaryEntry():
                return c.RecordDiaryEntry(
                    plot_id=self._world.plots[act.plot],
                    activity=act.activity,
                    on=self._day(act.at),
                    variety=act.variety,
                    seed_lot=act.seed_lot,
                    product=act.product,
                    amount=act.amount,
                    active_ingredient=act.active_ingredient,
                    dose=act.dose,
                    pre_harvest_days=act.pre_harvest_days,
                    note=act.note,
                )
            case _:
                return self._batch_command(act)

    def _batch_command(self, act: d.Act) -> c.Command:
        match act:
            case d.Harvest():
                if act.ref:
                    self._refs[act.batch] = f"${act.ref}"
                return c.HarvestBatch(
                    plot_ids=[self._world.plots[plot] for plot in act.plots],
                    commodity=act.commodity,
                    quantity=act.quantity,
                    harvested_on=self._day(act.at),
                    variety=act.variety,
                    value_chain_id=self._world.chains[act.chain],
                    at=self._at(act.at),
                    ref=act.ref,
                )
            case d.Process():
                return c.ProcessBatch(
                    batch=self._batch(act.batch),
                    step=act.step,
                    facility=act.facility,
                    quantity_after=act.quantity_after,
                    at=self._at(act.at),
                )
            case d.Ship():
                return c.ShipBatch(
                    batch=self._batch(act.batch),
                    to=self._org(act.to),
                    transport_document=act.transport_document,
                    at=self._at(act.at),
                )
            case d.Receive():
                return c.ReceiveBatch(
                    batch=self._batch(act.batch), quantity=act.quantity, at=self._at(act.at)
                )
            case d.Transform():
                inputs = [
                    c.TransformInput(batch=self._batch(key), quantity=quantity)
                    for key, quantity in act.inputs
                ]
                for output in act.outputs:
                    if output.ref:
                        self._refs[output.batch] = f"${output.ref}"
                return c.TransformBatches(
                    step=act.step,
                    inputs=inputs,
                    outputs=[
                        c.TransformOutput(
                            commodity=o.commodity, quantity=o.quantity, variety=o.variety, ref=o.ref
                        )
                        for o in act.outputs
                    ],
                    at=self._at(act.at),
                )
            case d.Inspect():
                return c.InspectBatch(
                    batch=self._batch(act.batch),
                    lab=act.lab,
                    result=act.result,
                    parameters=act.parameters,
                    document=act.document,
                    at=self._at(act.at),
                )
            case d.Label():
                return c.LabelBatch(
                    batch=self._batch(act.batch),
                    gtin=act.gtin,
                    lot=act.lot.format(harvest=self._world.harvest_day),
                    labels_issued=act.labels_issued,
                    at=self._at(act.at),
                )
            case d.Recall():
                return c.RecallBatch(
                    batch=self._batch(act.batch), reason=act.reason, at=self._at(act.at)
                )
        msg = f"the demo cannot describe {act!r}"
        raise TypeError(msg)
