"""Which organisation an account may name: a registered cooperative or enterprise.

A cooperative's staff, administrator and member households name a cooperative; an enterprise's
staff name an enterprise. The records application knows which is which, as it does for tokens.
A member household's account names its registered household by id (never a plain reference,
which would sit in the clear beside the sealed one: docs/privacy.md).
"""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from shared.domain.errors import InvalidValue
from shared.domain.household import Household
from shared.domain.organisations import Cooperative, Enterprise
from shared.records.actors import COOPERATIVE_ROLES, STAFF, Role
from shared.records.application import Records


class Organisations(Protocol):
    def kind_of(self, organisation_id: UUID) -> str | None:
        """``"cooperative"``, ``"enterprise"``, or None when no such organisation is registered."""

    def name_of(self, organisation_id: UUID) -> str | None:
        """The registered organisation's name, for pages; None when there is none."""

    def cooperative_of_household(self, household_id: UUID) -> UUID | None:
        """The cooperative whose registry holds this (not forgotten) household; None if none."""


class RegisteredOrganisations:
    def __init__(self, records: Records) -> None:
        self._records = records

    def kind_of(self, organisation_id: UUID) -> str | None:
        found = self._organisation(organisation_id)
        if isinstance(found, Cooperative):
            return "cooperative"
        if isinstance(found, Enterprise):
            return "enterprise"
        return None

    def name_of(self, organisation_id: UUID) -> str | None:
        found = self._organisation(organisation_id)
        return None if found is None else str(found.name)

    def cooperative_of_household(self, household_id: UUID) -> UUID | None:
        try:
            found: object = self._records.repository.get(household_id)
        except AggregateNotFoundError:
            return None
        if not isinstance(found, Household) or found.forgotten:
            return None
        return UUID(str(found.cooperative_id))

    def _organisation(self, organisation_id: UUID) -> Cooperative | Enterprise | None:
        try:
            found: object = self._records.repository.get(organisation_id)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, Cooperative | Enterprise) else None


def kind_needed(role: Role) -> str | None:
    if role in COOPERATIVE_ROLES:
        return "cooperative"
    if role is Role.ENTERPRISE:
        return "enterprise"
    return None


def check_binding(
    organisations: Organisations,
    role: Role,
    organisation_id: UUID | None,
    household_ref: str | None,
) -> None:
    """An account's role, organisation and household reference fit together."""
    needed = kind_needed(role)
    if role in STAFF and organisation_id is not None:
        msg = f"a {role.value} account acts for the province, not for an organisation"
        params = {"role": role.value}
        raise InvalidValue("organisation_id", msg, code="staff_account_organisation", params=params)
    if needed is not None:
        if organisation_id is None:
            msg = f"a {role.value} account acts for one {needed}: name it"
            params = {"role": role.value, "kind": needed}
            raise InvalidValue(
                "organisation_id", msg, code="account_needs_organisation", params=params
            )
        if organisations.kind_of(organisation_id) != needed:
            msg = f"{organisation_id} is not a registered {needed}"
            params = {"id": str(organisation_id), "kind": needed}
            raise InvalidValue(
                "organisation_id", msg, code="account_organisation_unknown", params=params
            )
    if role is Role.HOUSEHOLD and not household_ref:
        msg = "a household account names its registered member household, by its id"
        raise InvalidValue("household_ref", msg, code="account_needs_household")
    if role is Role.HOUSEHOLD and household_ref:
        _check_registered_household(organisations, organisation_id, household_ref)
    if role is not Role.HOUSEHOLD and household_ref:
        msg = "only a household account has a household reference"
        raise InvalidValue("household_ref", msg, code="household_ref_not_allowed")


def _check_registered_household(
    organisations: Organisations, cooperative_id: UUID | None, household_ref: str
) -> None:
    try:
        household_id = UUID(household_ref)
    except ValueError:
        household_id = None
    if (
        household_id is None
        or organisations.cooperative_of_household(household_id) != cooperative_id
    ):
        msg = (
            "a household account names a member household registered in its cooperative's"
            " registry, by its id: register the household first"
            " (POST /api/v1/cooperatives/{id}/households, or the app's households page)"
        )
        params = {"value": household_ref}
        raise InvalidValue("household_ref", msg, code="household_not_registered", params=params)
