"""Certifications of cooperatives and enterprises: a known scheme, a validity that does not end
before it starts, 3 to 5 OCOP stars, expiry once and only of what is held."""

from __future__ import annotations

from datetime import date

import pytest

from shared.domain.errors import RuleViolated

from .builders import a_cooperative, an_enterprise, assert_invalid, assert_refused


def test_a_certificate_cannot_expire_before_it_is_valid() -> None:
    cooperative = a_cooperative()

    assert_invalid(
        lambda: cooperative.grant_certification(
            "GlobalGAP", "GG-1", date(2026, 6, 1), date(2026, 5, 31)
        ),
        "valid_until",
        cooperative,
    )


def test_a_certificate_valid_for_a_single_day_is_accepted() -> None:
    cooperative = a_cooperative()

    cooperative.grant_certification("organic", "ORG-1", date(2026, 6, 1), date(2026, 6, 1))

    assert "ORG-1" in cooperative.certifications


@pytest.mark.parametrize("stars", [None, 0, 2, 6])
def test_an_ocop_certification_has_3_to_5_stars(stars: int | None) -> None:
    cooperative = a_cooperative()

    assert_invalid(
        lambda: cooperative.grant_certification(
            "OCOP", "OCOP-TH-1", date(2026, 1, 1), date(2029, 1, 1), stars=stars
        ),
        "stars",
        cooperative,
    )


@pytest.mark.parametrize("stars", [3, 4, 5])
def test_an_ocop_certification_of_3_4_or_5_stars_is_accepted(stars: int) -> None:
    cooperative = a_cooperative()

    cooperative.grant_certification(
        "OCOP", "OCOP-TH-1", date(2026, 1, 1), date(2029, 1, 1), stars=stars
    )

    assert cooperative.certifications["OCOP-TH-1"]["stars"] == stars


def test_an_unknown_certification_scheme_is_refused() -> None:
    cooperative = a_cooperative()

    assert_invalid(
        lambda: cooperative.grant_certification("ISO9001", "ISO-1", date(2026, 1, 1), None),
        "scheme",
        cooperative,
    )


def test_expiring_a_certificate_that_is_not_held_is_refused() -> None:
    cooperative = a_cooperative()

    assert_refused(
        lambda: cooperative.expire_certification("VG-404", date(2026, 11, 1), "expired"),
        RuleViolated,
        "certificate_not_held",
        cooperative,
    )


def test_expiring_a_certificate_twice_is_refused() -> None:
    cooperative = a_cooperative()
    cooperative.grant_certification("VietGAP", "VG-1", date(2024, 1, 1), date(2026, 1, 1))
    cooperative.expire_certification("VG-1", date(2026, 1, 1), "validity ended")
    cooperative.collect_events()

    assert_refused(
        lambda: cooperative.expire_certification("VG-1", date(2026, 1, 2), "again"),
        RuleViolated,
        "certificate_not_held",
        cooperative,
    )


def test_an_enterprise_can_be_certified_too() -> None:
    enterprise = an_enterprise()

    enterprise.grant_certification("OCOP", "OCOP-TH-2", date(2026, 1, 1), None, stars=4)

    assert enterprise.certifications["OCOP-TH-2"]["stars"] == 4


def test_a_certificate_of_a_dissolved_cooperative_takes_no_further_events() -> None:
    cooperative = a_cooperative()
    cooperative.grant_certification("VietGAP", "VG-2026-9", date(2026, 1, 1), date(2028, 1, 1))
    cooperative.change_status("dissolved", "members voted to dissolve")
    cooperative.collect_events()

    assert_refused(
        lambda: cooperative.expire_certification("VG-2026-9", date(2026, 11, 1), "dissolved"),
        RuleViolated,
        "organisation_closed",
        cooperative,
    )
