"""The demo's described world is big enough, and dated enough, for the dashboard to show trends.

Read from the description alone (no database): what ``nguon demo`` will send. That every one of
its commands is accepted is shown by seeding it (tests/integration/test_demo_seeding.py).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from uuid import UUID

from services.platform.demo import description as d
from services.platform.demo.builders import fingerprint
from services.platform.demo.thanh_hoa import THANH_HOA_DEMO
from services.platform.demo.two_years import LAST_SHOWN_DAY
from shared.records import commands as c

ACTS = [act for step in THANH_HOA_DEMO.steps for act in step.acts]


def _all(kind: type[d.Act]) -> list[d.Act]:
    return [act for act in ACTS if isinstance(act, kind)]


def _cooperatives() -> list[d.Cooperative]:
    return [act for act in ACTS if isinstance(act, d.Cooperative)]


def test_the_demo_has_forty_cooperatives_across_many_communes_and_former_districts() -> None:
    cooperatives = _cooperatives()

    assert len(cooperatives) >= 40
    assert len({co.commune for co in cooperatives}) >= 10
    assert len({co.former_district for co in cooperatives}) >= 10
    assert {co.model for co in cooperatives} == {"new", "old"}
    assert len({co.sector for co in cooperatives}) >= 4
    assert len({co.registration_number for co in cooperatives}) == len(cooperatives)


def test_the_demo_has_chains_of_different_commodities_that_cooperatives_join_and_leave() -> None:
    chains = [act for act in ACTS if isinstance(act, d.Chain)]
    joined = [act for act in ACTS if isinstance(act, d.Member) and act.on is not None]
    left = [act for act in ACTS if isinstance(act, d.Leave)]

    assert len({chain.commodity for chain in chains}) >= 3
    assert {"lúa gạo", "rau màu", "lợn thịt"} <= {chain.commodity for chain in chains}
    assert {member.on.year for member in joined if member.on} == {2025, 2026}
    assert 1 <= len(left) <= 5
    assert all(any(m.organisation == x.organisation for m in joined) for x in left)


def test_contracts_support_and_certificates_are_dated_across_both_years() -> None:
    contracts = [act for act in ACTS if isinstance(act, d.Contract)]
    support = [act for act in ACTS if isinstance(act, d.Support)]
    certificates = [act for act in ACTS if isinstance(act, d.Certification)]

    assert {contract.starts_on.year for contract in contracts} >= {2025, 2026}
    assert _all(d.EndContract)
    assert {s.on.year for s in support} == {2025, 2026}
    assert {s.kind for s in support} == {"fund_loan", "training", "grant"}
    assert len({s.programme for s in support}) >= 3
    assert {cert.scheme for cert in certificates} == {"VietGAP", "GlobalGAP", "organic", "OCOP"}
    assert any(cert.valid_until < LAST_SHOWN_DAY for cert in certificates)  # some lapsed
    assert _all(d.ExpireCertificate)  # and one is withdrawn
    assert all(cert.stars in (3, 4, 5) for cert in certificates if cert.scheme == "OCOP")


def test_harvests_are_shipped_every_month_of_the_two_years_somewhere() -> None:
    dated = [act for act in ACTS if isinstance(act, d.Harvest) and isinstance(act.at, d.On)]
    months = {(act.at.day.year, act.at.day.month) for act in dated if isinstance(act.at, d.On)}
    shipped = {act.batch for act in ACTS if isinstance(act, d.Ship)}

    assert len(dated) >= 100
    assert {act.batch for act in dated} <= shipped
    assert len(months) >= 12
    assert {year for year, _ in months} == {2025, 2026}


def test_a_recall_a_failed_inspection_and_status_changes_happen() -> None:
    statuses = Counter(act.status for act in ACTS if isinstance(act, d.StatusChange))

    assert _all(d.Recall)
    assert any(act.result == "fail" for act in ACTS if isinstance(act, d.Inspect))
    assert statuses["dissolved"] >= 1
    assert statuses["converted"] >= 1
    assert _all(d.Reclassify)


def test_no_business_date_of_the_history_is_after_november_2026() -> None:
    days: list[date] = []
    for act in ACTS:
        for name in ("on", "starts_on", "valid_from", "founded"):
            value = getattr(act, name, None)
            if isinstance(value, date):
                days.append(value)
        at = getattr(act, "at", None)
        if isinstance(at, d.On):
            days.append(at.day)

    assert max(days) <= LAST_SHOWN_DAY


def test_step_names_are_unique_as_they_are_idempotency_keys() -> None:
    names = [step.name for step in THANH_HOA_DEMO.steps]

    assert len(names) == len(set(names))


def test_a_step_seeded_before_joining_had_a_date_keeps_its_fingerprint() -> None:
    chain, organisation = UUID(int=1), UUID(int=2)
    seeded_before = (
        "JoinValueChain(value_chain_id=UUID('00000000-0000-0000-0000-000000000001'),"
        " organisation_id=UUID('00000000-0000-0000-0000-000000000002'), role='producer')"
    )

    undated = c.JoinValueChain(value_chain_id=chain, organisation_id=organisation, role="producer")
    dated = c.JoinValueChain(
        value_chain_id=chain,
        organisation_id=organisation,
        role="producer",
        joined_on=date(2025, 1, 1),
    )

    assert fingerprint(undated) == seeded_before
    assert fingerprint(dated) == repr(dated) != seeded_before
