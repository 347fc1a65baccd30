"""An organisation's standing: suspended or closed ones stop trading; what they publish."""

from __future__ import annotations

from uuid import uuid4

import pytest

from shared.domain.errors import RuleViolated
from shared.domain.organisations import Cooperative, Enterprise
from shared.domain.transformation import Take, transform

from .builders import (
    THE_COOPERATIVE,
    THE_MILL,
    a_cooperative,
    a_cooperative_that_is,
    a_harvested_batch,
    a_value_chain,
    an_enterprise,
    an_output,
    assert_refused,
    kg,
    later,
    saved,
)


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("suspended", "organisation_suspended"),
        ("dissolved", "organisation_closed"),
        ("converted", "organisation_closed"),
    ],
)
def test_a_cooperative_that_is_suspended_or_closed_may_not_trade(status: str, code: str) -> None:
    cooperative = a_cooperative_that_is(status)

    assert_refused(cooperative.ensure_can_trade, RuleViolated, code, cooperative)


def test_a_cooperative_that_is_dissolving_may_still_sell_off_its_stock() -> None:
    a_cooperative_that_is("dissolving").ensure_can_trade()


def test_a_suspended_cooperative_may_be_made_active_again() -> None:
    cooperative = a_cooperative_that_is("suspended")

    cooperative.change_status("active", "the suspension was lifted")

    cooperative.ensure_can_trade()


@pytest.mark.parametrize(
    ("status", "code"),
    [("suspended", "organisation_suspended"), ("dissolved", "organisation_closed")],
)
def test_an_enterprise_that_is_suspended_or_dissolved_may_not_trade(status: str, code: str) -> None:
    enterprise = an_enterprise()
    enterprise.change_status(status, "decision of the provincial department")
    saved(enterprise)

    assert_refused(enterprise.ensure_can_trade, RuleViolated, code, enterprise)


def test_an_enterprise_already_suspended_is_not_suspended_twice() -> None:
    enterprise = an_enterprise()
    enterprise.change_status("suspended", "licence suspended")
    saved(enterprise)

    assert_refused(
        lambda: enterprise.change_status("suspended", "again"),
        RuleViolated,
        "status_unchanged",
        enterprise,
    )


@pytest.mark.parametrize("make", [a_cooperative, an_enterprise], ids=["cooperative", "enterprise"])
def test_an_organisation_publishes_no_quantities_until_it_agrees(
    make: type[Cooperative] | type[Enterprise],
) -> None:
    organisation = make()  # type: ignore[call-arg]
    assert organisation.publish_quantities is False

    organisation.change_publication(publish_quantities=True)

    (changed,) = organisation.collect_events()
    assert type(changed).__name__ == "PublicationChanged"
    assert organisation.publish_quantities is True


def test_keeping_quantities_private_twice_is_refused() -> None:
    cooperative = a_cooperative()

    assert_refused(
        lambda: cooperative.change_publication(publish_quantities=False),
        RuleViolated,
        "publication_unchanged",
        cooperative,
    )


@pytest.mark.parametrize("inside", [True, False], ids=["in the chain", "outside it"])
def test_a_transformation_keeps_only_the_chains_the_transformer_takes_part_in(
    inside: bool,
) -> None:
    chain = a_value_chain(lead=THE_MILL)
    paddy = a_harvested_batch(value_chain_id=chain.id)

    (rice,) = transform(
        transformation_id=uuid4(),
        by=THE_COOPERATIVE,
        step="milling",
        takes=[Take(paddy, kg(1000))],
        outputs=[an_output(kg(650))],
        at=later(1),
        takes_part_in=lambda chain_id: inside and chain_id == chain.id,
    )

    assert rice.value_chain_ids == ([chain.id] if inside else [])
