"""Value chains: participants join once per role, the lead stays, and linkage contracts
(Decree 98/2018) bind participants over a period that ends after it starts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

import pytest

from shared.domain.errors import RuleViolated
from shared.domain.quantities import Quantity, Unit
from shared.domain.value_chain import ValueChain

from .builders import (
    A_STRANGER,
    THE_COOPERATIVE,
    THE_MILL,
    THE_RETAILER,
    a_value_chain,
    assert_invalid,
    assert_refused,
    saved,
    tonnes,
)


def a_chain_with_the_cooperative_and_the_retailer() -> ValueChain:
    chain = a_value_chain(lead=THE_MILL)
    chain.join(THE_COOPERATIVE, "producer")
    chain.join(THE_RETAILER, "retailer")
    return saved(chain)


def sign(
    chain: ValueChain,
    *,
    number: str = "HĐLK-2026/01",
    parties: list[UUID] | None = None,
    volume: Quantity | None = None,
    starts_on: date = date(2026, 1, 1),
    ends_on: date = date(2026, 12, 31),
) -> None:
    chain.sign_contract(
        contract_number=number,
        parties=parties if parties is not None else [THE_MILL, THE_COOPERATIVE],
        commodity="ST25 paddy",
        committed_volume=volume or tonnes(300),
        starts_on=starts_on,
        ends_on=ends_on,
    )


# Participants ----------------------------------------------------------------------------------


def test_the_lead_takes_part_from_the_start() -> None:
    chain = a_value_chain(lead=THE_MILL)

    assert chain.is_participant(THE_MILL)
    assert not chain.is_participant(THE_COOPERATIVE)


def test_joining_twice_with_the_same_role_is_refused() -> None:
    chain = a_chain_with_the_cooperative_and_the_retailer()

    assert_refused(
        lambda: chain.join(THE_COOPERATIVE, "producer"), RuleViolated, "already_participant", chain
    )


def test_the_lead_joining_again_as_lead_is_refused() -> None:
    chain = a_value_chain(lead=THE_MILL)

    assert_refused(lambda: chain.join(THE_MILL, "lead"), RuleViolated, "already_participant", chain)


def test_joining_again_in_another_role_is_accepted() -> None:
    chain = a_chain_with_the_cooperative_and_the_retailer()

    chain.join(THE_COOPERATIVE, "processor")

    assert chain.participants[str(THE_COOPERATIVE)] == {"producer", "processor"}


def test_an_unknown_role_is_refused() -> None:
    chain = a_value_chain()

    assert_invalid(lambda: chain.join(THE_COOPERATIVE, "speculator"), "role", chain)


def test_the_lead_cannot_leave_its_chain() -> None:
    chain = a_chain_with_the_cooperative_and_the_retailer()

    assert_refused(
        lambda: chain.leave(THE_MILL, "lost interest"), RuleViolated, "lead_leaves", chain
    )


def test_an_organisation_outside_the_chain_cannot_leave_it() -> None:
    chain = a_chain_with_the_cooperative_and_the_retailer()

    assert_refused(
        lambda: chain.leave(A_STRANGER, "never joined"), RuleViolated, "not_participant", chain
    )


def test_a_participant_that_left_cannot_leave_again() -> None:
    chain = a_chain_with_the_cooperative_and_the_retailer()
    chain.leave(THE_RETAILER, "closed its shop")
    saved(chain)

    assert_refused(
        lambda: chain.leave(THE_RETAILER, "again"), RuleViolated, "not_participant", chain
    )


# Linkage contracts -----------------------------------------------------------------------------


def test_participants_sign_a_linkage_contract() -> None:
    chain = a_chain_with_the_cooperative_and_the_retailer()

    sign(chain)

    assert chain.contracts["HĐLK-2026/01"]["parties"] == [str(THE_MILL), str(THE_COOPERATIVE)]


def test_contract_parties_must_take_part_in_the_chain() -> None:
    chain = a_chain_with_the_cooperative_and_the_retailer()

    assert_refused(
        lambda: sign(chain, parties=[THE_MILL, A_STRANGER]),
        RuleViolated,
        "party_not_participant",
        chain,
    )


def test_a_participant_that_left_cannot_sign() -> None:
    chain = a_chain_with_the_cooperative_and_the_retailer()
    chain.leave(THE_RETAILER, "closed its shop")
    saved(chain)

    assert_refused(
        lambda: sign(chain, parties=[THE_MILL, THE_RETAILER]),
        RuleViolated,
        "party_not_participant",
        chain,
    )


@pytest.mark.parametrize("parties", [[], [THE_MILL], [THE_MILL, THE_MILL]])
def test_a_contract_binds_at_least_two_organisations(parties: list[UUID]) -> None:
    chain = a_chain_with_the_cooperative_and_the_retailer()

    assert_invalid(lambda: sign(chain, parties=parties), "parties", chain)


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [(date(2026, 1, 1), date(2026, 1, 1)), (date(2026, 6, 1), date(2026, 5, 31))],
    ids=["same day", "ends before it starts"],
)
def test_a_contract_must_end_after_it_starts(starts_on: date, ends_on: date) -> None:
    chain = a_chain_with_the_cooperative_and_the_retailer()

    assert_invalid(lambda: sign(chain, starts_on=starts_on, ends_on=ends_on), "ends_on", chain)


@pytest.mark.parametrize("amount", ["0", "-5"])
def test_a_contract_commits_a_positive_volume(amount: str) -> None:
    chain = a_chain_with_the_cooperative_and_the_retailer()

    assert_invalid(
        lambda: sign(chain, volume=Quantity(Decimal(amount), Unit.TONNE)), "committed_volume", chain
    )


def test_a_contract_number_is_recorded_once_per_chain() -> None:
    chain = a_chain_with_the_cooperative_and_the_retailer()
    sign(chain)
    saved(chain)

    assert_refused(
        lambda: sign(chain, parties=[THE_MILL, THE_RETAILER]),
        RuleViolated,
        "contract_exists",
        chain,
    )


def test_ending_a_contract_twice_is_refused() -> None:
    chain = a_chain_with_the_cooperative_and_the_retailer()
    sign(chain)
    chain.end_contract("HĐLK-2026/01", date(2026, 9, 30), "harvest failed")
    saved(chain)

    assert_refused(
        lambda: chain.end_contract("HĐLK-2026/01", date(2026, 10, 1), "again"),
        RuleViolated,
        "contract_not_in_force",
        chain,
    )


def test_ending_a_contract_that_was_never_signed_is_refused() -> None:
    chain = a_chain_with_the_cooperative_and_the_retailer()

    assert_refused(
        lambda: chain.end_contract("HĐLK-404", date(2026, 10, 1), "unknown"),
        RuleViolated,
        "contract_not_in_force",
        chain,
    )
