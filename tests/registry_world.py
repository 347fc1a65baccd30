"""A small registry for the registry's tests: two cooperatives in two communes, an enterprise
leading a rice chain both take part in, a contract, support, certificates, plots and a harvest,
recorded through the real records application and projected by the real projections.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from starlette.requests import Request

from shared.accounts.gate import Person
from shared.readmodels.notification_log import envelopes_of
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Position
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.records.results import (
    BatchResult,
    CooperativeResult,
    EnterpriseResult,
    PlotResult,
    ValueChainResult,
)
from tests.builders import (
    a_certification_command,
    a_cooperative_command,
    a_harvest,
    a_plot_command,
    a_value_chain_command,
    an_enterprise_command,
    kg,
)

STAFF = Actor(Role.PROVINCE)


@dataclass(frozen=True)
class World:
    thieu: UUID  # HTX Nông nghiệp Thiệu Trung, new model, in the chain, with a plot and a harvest
    hoang: UUID  # HTX Dịch vụ Hoằng Lộc, old model, vegetables
    enterprise: UUID
    chain: UUID
    contract: str
    plot_thieu: UUID
    plot_hoang: UUID
    batch: str
    position: int


def a_registry(records: Records) -> World:
    def run(actor: Actor, command: c.Command) -> object:
        return records.execute(actor, [command]).results[0]

    thieu = run(
        STAFF,
        a_cooperative_command(name="HTX Nông nghiệp Thiệu Trung", commune="Xã Thiệu Trung"),
    )
    hoang = run(
        STAFF,
        a_cooperative_command(
            name="HTX Dịch vụ Hoằng Lộc",
            commune="Xã Hoằng Lộc",
            former_district="Hoằng Hóa",
            sector="vegetables",
            model="old",
        ),
    )
    assert isinstance(thieu, CooperativeResult)
    assert isinstance(hoang, CooperativeResult)
    enterprise = run(STAFF, an_enterprise_command(name="Công ty CP Lương thực Xứ Thanh"))
    assert isinstance(enterprise, EnterpriseResult)
    lead = enterprise.enterprise_id
    chain = run(STAFF, a_value_chain_command(lead, name="Chuỗi lúa gạo Thiệu Hóa"))
    assert isinstance(chain, ValueChainResult)
    chain_id = chain.value_chain_id
    for cooperative in (thieu.cooperative_id, hoang.cooperative_id):
        run(
            STAFF,
            c.JoinValueChain(value_chain_id=chain_id, organisation_id=cooperative, role="producer"),
        )
    run(
        STAFF,
        c.SignLinkageContract(
            value_chain_id=chain_id,
            contract_number="01/2025/HĐLK",
            parties=[lead, thieu.cooperative_id],
            commodity="rice",
            committed_volume=kg(50_000),
            starts_on=date(2025, 1, 1),
            ends_on=date(2026, 12, 31),
        ),
    )
    run(
        STAFF,
        c.RecordSupport(
            cooperative_id=thieu.cooperative_id,
            kind="fund_loan",
            on=date(2025, 3, 1),
            programme="Quỹ hỗ trợ phát triển HTX",
            amount_vnd=Decimal("300000000"),
        ),
    )
    run(STAFF, a_certification_command(thieu.cooperative_id, certificate="VG-THIEU-1"))
    thieu_actor = Actor(Role.COOPERATIVE, thieu.cooperative_id)
    hoang_actor = Actor(Role.COOPERATIVE, hoang.cooperative_id)
    plot_thieu = run(
        thieu_actor, a_plot_command(thieu.cooperative_id, planting_area_code="VT-TH-0001")
    )
    plot_hoang = run(
        hoang_actor, a_plot_command(hoang.cooperative_id, crop="rau cải", commune="Xã Hoằng Lộc")
    )
    assert isinstance(plot_thieu, PlotResult)
    assert isinstance(plot_hoang, PlotResult)
    run(
        STAFF,
        c.CertifyPlot(
            plot_id=plot_thieu.plot_id,
            scheme="VietGAP",
            certificate="VG-PLOT-1",
            valid_from=date(2025, 1, 1),
            valid_until=date(2099, 1, 1),
        ),
    )
    batch = run(thieu_actor, a_harvest([plot_thieu.plot_id]))
    assert isinstance(batch, BatchResult)
    return World(
        thieu=thieu.cooperative_id,
        hoang=hoang.cooperative_id,
        enterprise=lead,
        chain=chain_id,
        contract="01/2025/HĐLK",
        plot_thieu=plot_thieu.plot_id,
        plot_hoang=plot_hoang.plot_id,
        batch=batch.code,
        position=records.position(),
    )


def project(records: Records, projections: Projections) -> None:
    """Every stored event, through every projection, as the projector would."""
    notifications = records.recorder.select_notifications(0, 1_000_000, inclusive_of_start=False)
    envelopes = [envelope for _, envelope in envelopes_of(records, notifications)]
    projections.apply(envelopes, Position(records.position()))


class HeaderGate:
    """A ``Gate`` for tests only: the person is named by the ``X-Test-Person`` header
    (``role`` or ``role:organisation-id``), and their CSRF token is ``csrf-<role>``.

    It stands in for the accounts module's sessions in the registry's own tests, so that
    they can sign anyone in without a password; the real gate is tested with accounts.
    """

    HEADER = "x-test-person"
    COOKIE = "test_person"  # the browser cannot send headers on a form's POST: a cookie then

    def person(self, request: Request) -> Person | None:
        named = request.headers.get(self.HEADER) or request.cookies.get(self.COOKIE)
        if not named:
            return None
        role, _, organisation = named.partition(":")
        account = uuid5(NAMESPACE_URL, named)
        actor = Actor(Role(role), UUID(organisation) if organisation else None, account_id=account)
        return Person(
            account_id=account,
            username=f"{role}@example.vn",
            display_name=f"Cán bộ {role}",
            actor=actor,
            csrf_token=f"csrf-{role}",
        )

    def csrf_ok(self, person: Person, submitted: str | None) -> bool:
        return submitted == person.csrf_token
