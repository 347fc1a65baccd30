"""Organisations that act in value chains: cooperatives (hợp tác xã) and enterprises."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.domain import clock, identifiers
from shared.domain.choices import choice
from shared.domain.errors import InvalidValue, RuleViolated


class CooperativeModel(StrEnum):
    NEW = "new"  # new-model cooperative linked to value chains (Cooperative Law 2023)
    OLD = "old"


class CooperativeStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DISSOLVING = "dissolving"
    DISSOLVED = "dissolved"
    CONVERTED = "converted"


FINAL_STATUSES = frozenset({CooperativeStatus.DISSOLVED, CooperativeStatus.CONVERTED})


class EnterpriseStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"  # e.g. its business licence is suspended
    DISSOLVED = "dissolved"


class SupportKind(StrEnum):
    FUND_LOAN = "fund_loan"
    TRAINING = "training"
    GRANT = "grant"


class CertificationScheme(StrEnum):
    VIETGAP = "VietGAP"
    GLOBALGAP = "GlobalGAP"
    ORGANIC = "organic"
    OCOP = "OCOP"


def required_text(value: str, field: str, limit: int = 200) -> str:
    value = value.strip()
    if not value or len(value) > limit:
        msg = f"{field} must be 1 to {limit} characters"
        params = {"field": field, "limit": limit}
        raise InvalidValue(field, msg, code="text_length", params=params)
    return value


def check_certificate_period(valid_from: date, valid_until: date | None) -> None:
    if valid_until is not None and valid_until < valid_from:
        msg = "a certificate cannot expire before it is valid"
        raise InvalidValue("valid_until", msg, code="certificate_period")


def check_ocop_stars(scheme: CertificationScheme, stars: int | None) -> None:
    if scheme is CertificationScheme.OCOP and (stars is None or not 3 <= stars <= 5):
        raise InvalidValue("stars", "an OCOP certification has 3, 4 or 5 stars", code="ocop_stars")


class Organisation(Aggregate):
    """What cooperatives and enterprises share: a name, an address, certifications."""

    # Declared for type checkers only: class-level annotations would become event fields.
    if TYPE_CHECKING:
        name: str
        commune: str
        former_district: str | None
        province: str
        certifications: dict[str, dict[str, Any]]
        publish_quantities: bool  # may buyers see its bulk lots' quantities? (off by default)

    def ensure_can_act(self) -> None:
        """Overridden where an organisation can stop acting (a dissolved cooperative)."""

    def ensure_can_trade(self) -> None:
        """Harvest, process, ship, transform, label, sell: refused while suspended or closed.

        A recall, a receipt and a correction stay possible: they take goods off the market or
        set the record right, which a suspended organisation must still be able to do."""

    def change_publication(self, *, publish_quantities: bool) -> None:
        self.ensure_can_act()
        if publish_quantities == self.publish_quantities:
            state = "already publishes" if publish_quantities else "already keeps private"
            msg = f"the organisation {state} its quantities"
            raise RuleViolated(msg, code="publication_unchanged")
        self._publication_changed(publish_quantities)

    @event("PublicationChanged")
    def _publication_changed(self, publish_quantities: bool) -> None:
        self.publish_quantities = publish_quantities

    def grant_certification(
        self,
        scheme: str,
        certificate: str,
        valid_from: date,
        valid_until: date | None,
        stars: int | None = None,
    ) -> None:
        checked = certification_scheme(scheme)
        check_certificate_period(valid_from, valid_until)
        check_ocop_stars(checked, stars)
        self.ensure_can_act()
        self._certification_granted(
            checked.value, required_text(certificate, "certificate"), valid_from, valid_until, stars
        )

    @event("CertificationGranted")
    def _certification_granted(
        self,
        scheme: str,
        certificate: str,
        valid_from: date,
        valid_until: date | None,
        stars: int | None,
    ) -> None:
        self.certifications[certificate] = {
            "scheme": scheme,
            "valid_from": valid_from,
            "valid_until": valid_until,
            "stars": stars,
            "expired": False,
        }

    def expire_certification(self, certificate: str, on: date, reason: str) -> None:
        self.ensure_can_act()
        held = self.certifications.get(certificate)
        if held is None or held["expired"]:
            msg = f"certificate {certificate!r} is not held, or has already expired"
            params = {"certificate": certificate}
            raise RuleViolated(msg, code="certificate_not_held", params=params)
        self._certification_expired(certificate, on, reason.strip())

    @event("CertificationExpired")
    def _certification_expired(self, certificate: str, on: date, reason: str) -> None:
        self.certifications[certificate]["expired"] = True


def certification_scheme(value: str) -> CertificationScheme:
    return choice(CertificationScheme, value, "scheme")


class Cooperative(Organisation):
    @staticmethod
    def create_id(registration_number: str) -> UUID:
        return identifiers.cooperative_id(registration_number)

    @classmethod
    def register(
        cls,
        *,
        name: str,
        registration_number: str,
        commune: str,
        former_district: str | None,
        province: str,
        sector: str,
        founded: date,
        members_count: int,
        model: str,
    ) -> Cooperative:
        if members_count < 7:
            # Cooperative Law 2023, art. 23: at least 7 official members.
            msg = "a cooperative has at least 7 members"
            raise InvalidValue("members_count", msg, code="members_count_minimum")
        clock.date_not_in_future(founded, "founded")
        return cls(
            name=required_text(name, "name"),
            registration_number=required_text(registration_number, "registration_number", 40),
            commune=required_text(commune, "commune"),
            former_district=former_district.strip() if former_district else None,
            province=required_text(province, "province"),
            sector=required_text(sector, "sector"),
            founded=founded,
            members_count=members_count,
            model=choice(CooperativeModel, model, "model").value,
        )

    @event("Registered")
    def __init__(
        self,
        name: str,
        registration_number: str,
        commune: str,
        former_district: str | None,
        province: str,
        sector: str,
        founded: date,
        members_count: int,
        model: str,
    ) -> None:
        self.name = name
        self.registration_number = registration_number
        self.commune = commune
        self.former_district = former_district
        self.province = province
        self.sector = sector
        self.founded = founded
        self.members_count = members_count
        self.model: CooperativeModel = CooperativeModel(model)
        self.status: CooperativeStatus = CooperativeStatus.ACTIVE
        self.certifications = {}
        self.publish_quantities = False
        self.support: list[dict[str, Any]] = []
        # Hidden until it agrees (ProfileVisibilityChanged): replaying Registered sets this for
        # cooperatives registered before the consent existed too.
        self.show_profile = False

    def ensure_can_act(self) -> None:
        if self.status in FINAL_STATUSES:
            msg = f"the cooperative is {self.status.value}: it takes no further events"
            raise RuleViolated(msg, code="organisation_closed")

    def ensure_can_trade(self) -> None:
        self.ensure_can_act()
        if self.status is CooperativeStatus.SUSPENDED:
            msg = "the cooperative is suspended: it may not harvest, process, ship or sell"
            raise RuleViolated(msg, code="organisation_suspended")

    def change_profile_visibility(self, *, show_profile: bool) -> None:
        """Whether the public pages (``/htx``) show this cooperative: its consent, revocable."""
        self.ensure_can_act()
        if show_profile == self.show_profile:
            state = "already shown" if show_profile else "already hidden"
            msg = f"the cooperative's public page is {state}"
            raise RuleViolated(msg, code="profile_visibility_unchanged")
        self._profile_visibility_changed(show_profile)

    @event("ProfileVisibilityChanged")
    def _profile_visibility_changed(self, show_profile: bool) -> None:
        self.show_profile = show_profile

    def reclassify_as_new_model(self, reason: str) -> None:
        self.ensure_can_act()
        if self.model is CooperativeModel.NEW:
            raise RuleViolated("the cooperative is already new-model", code="already_new_model")
        self._reclassified(CooperativeModel.NEW.value, required_text(reason, "reason", 500))

    @event("Reclassified")
    def _reclassified(self, model: str, reason: str) -> None:
        self.model = CooperativeModel(model)

    def change_status(self, status: str, reason: str) -> None:
        self.ensure_can_act()
        new = choice(CooperativeStatus, status, "status")
        if new is self.status:
            msg = f"the cooperative is already {new.value}"
            raise RuleViolated(msg, code="status_unchanged", params={"status": new.value})
        self._status_changed(new.value, required_text(reason, "reason", 500))

    @event("StatusChanged")
    def _status_changed(self, status: str, reason: str) -> None:
        self.status = CooperativeStatus(status)

    def receive_support(
        self, kind: str, on: date, programme: str, amount_vnd: Decimal | None = None
    ) -> None:
        self.ensure_can_act()
        if amount_vnd is not None and amount_vnd <= 0:
            msg = "a support amount must be positive"
            raise InvalidValue("amount_vnd", msg, code="support_amount_not_positive")
        clock.date_not_in_future(on, "on")
        self._support_received(
            choice(SupportKind, kind, "kind").value,
            on,
            required_text(programme, "programme"),
            amount_vnd,
        )

    @event("SupportReceived")
    def _support_received(
        self, kind: str, on: date, programme: str, amount_vnd: Decimal | None
    ) -> None:
        self.support.append({"kind": kind, "on": on, "programme": programme})


class Enterprise(Organisation):
    """A partner that is not a cooperative: processor, distributor, retailer, exporter."""

    @staticmethod
    def create_id(tax_code: str) -> UUID:
        return identifiers.enterprise_id(tax_code)

    @classmethod
    def register(
        cls,
        *,
        name: str,
        tax_code: str,
        address: str,
        commune: str,
        former_district: str | None,
        province: str,
    ) -> Enterprise:
        code = tax_code.strip()
        if not re.fullmatch(r"\d{10}(?:-?\d{3})?", code, re.ASCII):
            msg = "a Vietnamese tax code has 10 or 13 digits"
            raise InvalidValue("tax_code", msg, code="tax_code_format")
        return cls(
            name=required_text(name, "name"),
            tax_code=code,
            address=required_text(address, "address", 300),
            commune=required_text(commune, "commune"),
            former_district=former_district.strip() if former_district else None,
            province=required_text(province, "province"),
        )

    @event("Registered")
    def __init__(
        self,
        name: str,
        tax_code: str,
        address: str,
        commune: str,
        former_district: str | None,
        province: str,
    ) -> None:
        self.name = name
        self.tax_code = tax_code
        self.address = address
        self.commune = commune
        self.former_district = former_district
        self.province = province
        self.certifications = {}
        self.publish_quantities = False
        self.status: EnterpriseStatus = EnterpriseStatus.ACTIVE

    def ensure_can_act(self) -> None:
        if self.status is EnterpriseStatus.DISSOLVED:
            msg = "the enterprise is dissolved: it takes no further events"
            raise RuleViolated(msg, code="organisation_closed")

    def ensure_can_trade(self) -> None:
        self.ensure_can_act()
        if self.status is EnterpriseStatus.SUSPENDED:
            msg = "the enterprise is suspended: it may not process, ship, label or sell"
            raise RuleViolated(msg, code="organisation_suspended")

    def change_status(self, status: str, reason: str) -> None:
        self.ensure_can_act()
        new = choice(EnterpriseStatus, status, "status")
        if new is self.status:
            msg = f"the enterprise is already {new.value}"
            raise RuleViolated(msg, code="status_unchanged", params={"status": new.value})
        self._status_changed(new.value, required_text(reason, "reason", 500))

    @event("StatusChanged")
    def _status_changed(self, status: str, reason: str) -> None:
        self.status = EnterpriseStatus(status)
