"""A cooperative is shown on the public pages only once it agrees, and may withdraw."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shared.domain.errors import RuleViolated

from .builders import a_cooperative, a_cooperative_that_is, assert_refused


def _replayed(events: Sequence[Any]) -> object:
    aggregate: object = None
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


def test_a_cooperative_is_hidden_until_it_agrees_to_be_shown() -> None:
    cooperative = a_cooperative()
    assert cooperative.show_profile is False

    cooperative.change_profile_visibility(show_profile=True)

    (changed,) = cooperative.collect_events()
    assert type(changed).__name__ == "ProfileVisibilityChanged"
    assert cooperative.show_profile is True


def test_a_cooperative_registered_before_the_consent_existed_replays_as_hidden() -> None:
    cooperative = a_cooperative()
    registered = type(cooperative).register(
        name="HTX Thiệu Trung",
        registration_number="2801-OLD-0001",
        commune="Thiệu Trung",
        former_district="Thiệu Hóa",
        province="Thanh Hóa",
        sector="trồng trọt",
        founded=cooperative.founded,
        members_count=9,
        model="new",
    )

    replayed = _replayed(registered.collect_events())

    assert getattr(replayed, "show_profile", None) is False


def test_a_cooperative_may_withdraw_its_consent() -> None:
    cooperative = a_cooperative()
    cooperative.change_profile_visibility(show_profile=True)

    cooperative.change_profile_visibility(show_profile=False)

    assert cooperative.show_profile is False


def test_hiding_a_hidden_cooperative_is_refused() -> None:
    cooperative = a_cooperative()

    assert_refused(
        lambda: cooperative.change_profile_visibility(show_profile=False),
        RuleViolated,
        "profile_visibility_unchanged",
        cooperative,
    )


def test_a_dissolved_cooperative_gives_no_consent() -> None:
    cooperative = a_cooperative_that_is("dissolved")

    assert_refused(
        lambda: cooperative.change_profile_visibility(show_profile=True),
        RuleViolated,
        "organisation_closed",
        cooperative,
    )
