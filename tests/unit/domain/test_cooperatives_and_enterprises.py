"""Cooperatives (7+ members, old → new model, closed for good once dissolved or converted) and
the support they receive; enterprises with a Vietnamese tax code. Certifications:
test_organisation_certifications."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest

from shared.domain import clock, identifiers
from shared.domain.errors import RuleViolated
from shared.domain.organisations import (
    Cooperative,
    CooperativeModel,
    CooperativeStatus,
    Enterprise,
)

from .builders import (
    a_cooperative,
    a_cooperative_that_is,
    assert_invalid,
    assert_refused,
)


def register(
    *, members_count: int = 7, model: str = "new", founded: date = date(2019, 3, 1)
) -> Cooperative:
    return Cooperative.register(
        name="HTX Dịch vụ Nông nghiệp Thiệu Giang",
        registration_number="2801-HTX-000777",
        commune="Thiệu Giang",
        former_district="Thiệu Hóa",
        province="Thanh Hóa",
        sector="rice",
        founded=founded,
        members_count=members_count,
        model=model,
    )


# Registration ----------------------------------------------------------------------------------


@pytest.mark.parametrize("members_count", [6, 1, 0, -7])
def test_a_cooperative_needs_at_least_7_members(members_count: int) -> None:
    assert_invalid(lambda: register(members_count=members_count), "members_count")


def test_a_cooperative_of_7_members_is_registered_active() -> None:
    cooperative = register(members_count=7, model="old")

    assert cooperative.status is CooperativeStatus.ACTIVE
    assert cooperative.model is CooperativeModel.OLD
    assert cooperative.id == identifiers.cooperative_id("2801-HTX-000777")


def test_a_cooperative_founded_in_the_future_is_refused() -> None:
    tomorrow_in_vietnam = clock.today_in_vietnam() + timedelta(days=1)

    assert_refused(lambda: register(founded=tomorrow_in_vietnam), RuleViolated, "time_in_future")


def test_a_cooperative_model_is_new_or_old() -> None:
    assert_invalid(lambda: register(model="modern"), "model")


# Model and status ------------------------------------------------------------------------------


def test_an_old_model_cooperative_can_be_reclassified_as_new_model() -> None:
    cooperative = a_cooperative(model="old")

    cooperative.reclassify_as_new_model("restructured under the Cooperative Law 2023")

    assert cooperative.model is CooperativeModel.NEW


def test_a_new_model_cooperative_cannot_be_reclassified() -> None:
    cooperative = a_cooperative(model="new")

    assert_refused(
        lambda: cooperative.reclassify_as_new_model("again"),
        RuleViolated,
        "already_new_model",
        cooperative,
    )


def test_changing_to_the_status_it_already_has_is_refused() -> None:
    cooperative = a_cooperative()

    assert_refused(
        lambda: cooperative.change_status("active", "no change"),
        RuleViolated,
        "status_unchanged",
        cooperative,
    )


def test_an_unknown_status_is_refused() -> None:
    cooperative = a_cooperative()

    assert_invalid(lambda: cooperative.change_status("bankrupt", "debts"), "status", cooperative)


def test_a_suspended_cooperative_can_become_active_again() -> None:
    cooperative = a_cooperative_that_is("suspended")

    cooperative.change_status("active", "suspension lifted")

    assert cooperative.status is CooperativeStatus.ACTIVE


ClosedAction = Callable[[Cooperative], object]

WHAT_A_CLOSED_COOPERATIVE_CANNOT_DO: dict[str, ClosedAction] = {
    "reclassify": lambda cooperative: cooperative.reclassify_as_new_model("late"),
    "reopen": lambda cooperative: cooperative.change_status("active", "reopened"),
    "receive support": lambda cooperative: cooperative.receive_support(
        "training", date(2026, 3, 1), "Quỹ hỗ trợ phát triển HTX"
    ),
    "be certified": lambda cooperative: cooperative.grant_certification(
        "VietGAP", "VG-2026-9", date(2026, 1, 1), date(2028, 1, 1)
    ),
}


@pytest.mark.parametrize(
    "action",
    WHAT_A_CLOSED_COOPERATIVE_CANNOT_DO.values(),
    ids=WHAT_A_CLOSED_COOPERATIVE_CANNOT_DO.keys(),
)
@pytest.mark.parametrize("status", ["dissolved", "converted"])
def test_a_dissolved_or_converted_cooperative_takes_no_further_events(
    status: str, action: ClosedAction
) -> None:
    cooperative = a_cooperative_that_is(status)

    assert_refused(lambda: action(cooperative), RuleViolated, "organisation_closed", cooperative)


@pytest.mark.parametrize("status", ["dissolving", "suspended"])
def test_a_cooperative_that_is_not_yet_closed_can_still_act(status: str) -> None:
    cooperative = a_cooperative_that_is(status)

    cooperative.receive_support("training", date(2026, 3, 1), "Liên minh HTX tỉnh")

    assert len(cooperative.support) == 1


# Support ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["0", "-1000000"])
def test_support_of_no_money_is_refused(amount: str) -> None:
    cooperative = a_cooperative()

    assert_invalid(
        lambda: cooperative.receive_support(
            "fund_loan", date(2026, 3, 1), "Quỹ HTX", Decimal(amount)
        ),
        "amount_vnd",
        cooperative,
    )


def test_support_received_in_the_future_is_refused() -> None:
    cooperative = a_cooperative()
    next_week = clock.today_in_vietnam() + timedelta(days=7)

    assert_refused(
        lambda: cooperative.receive_support("grant", next_week, "Quỹ HTX"),
        RuleViolated,
        "time_in_future",
        cooperative,
    )


def test_an_unknown_kind_of_support_is_refused() -> None:
    cooperative = a_cooperative()

    assert_invalid(
        lambda: cooperative.receive_support("gift", date(2026, 3, 1), "Quỹ HTX"),
        "kind",
        cooperative,
    )


# Enterprises -----------------------------------------------------------------------------------


def register_enterprise(tax_code: str) -> Enterprise:
    return Enterprise.register(
        name="Công ty TNHH Nông sản Lam Sơn",
        tax_code=tax_code,
        address="5 Bà Triệu",
        commune="Hạc Thành",
        former_district=None,
        province="Thanh Hóa",
    )


@pytest.mark.parametrize("tax_code", ["2801234567", "2801234567-001", " 0101234567 "])
def test_an_enterprise_tax_code_has_10_or_13_digits(tax_code: str) -> None:
    enterprise = register_enterprise(tax_code)

    assert enterprise.tax_code == tax_code.strip()
    assert enterprise.id == identifiers.enterprise_id(tax_code)


@pytest.mark.parametrize(
    "tax_code", ["", "280123456", "28012345678", "2801234567-01", "28O1234567", "MST2801234567"]
)
def test_a_tax_code_that_is_not_10_or_13_digits_is_refused(tax_code: str) -> None:
    assert_invalid(lambda: register_enterprise(tax_code), "tax_code")


@pytest.mark.parametrize("tax_code", ["２８０１２３４５６７", "28-01234567", "2801-234567"])
def test_a_tax_code_not_written_as_10_digits_and_an_optional_branch_suffix_is_refused(
    tax_code: str,
) -> None:
    assert_invalid(lambda: register_enterprise(tax_code), "tax_code")
