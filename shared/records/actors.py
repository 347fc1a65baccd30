"""Who is asking: a role and, for cooperatives and enterprises, the organisation they act for.

A machine asks with a bearer token, a person with a signed-in account: both resolve to an
``Actor``, and ``actor_id`` (the token's or the account's UUID) is what every stored event
records as who recorded it, never a name, phone number or e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from shared.domain.errors import NotPermitted


class Role(StrEnum):
    ADMIN = "admin"
    PROVINCE = "province"
    COOPERATIVE = "cooperative"
    ENTERPRISE = "enterprise"
    # People only (accounts, not tokens): a cooperative's administrator manages its staff's
    # and member households' accounts; a member household records on its own plots only.
    COOPERATIVE_ADMIN = "cooperative_admin"
    HOUSEHOLD = "household"


STAFF = frozenset({Role.ADMIN, Role.PROVINCE})
COOPERATIVE_ROLES = frozenset({Role.COOPERATIVE, Role.COOPERATIVE_ADMIN, Role.HOUSEHOLD})
ORGANISATION_ROLES = COOPERATIVE_ROLES | {Role.ENTERPRISE}


@dataclass(frozen=True)
class Actor:
    role: Role
    organisation_id: UUID | None = None
    token_id: UUID | None = None
    account_id: UUID | None = None
    # A member household's own reference, as its plots name it: it harvests from those only.
    household_ref: str | None = None

    @property
    def actor_id(self) -> UUID | None:
        """Who recorded an event: the account's or the token's UUID (None: the platform)."""
        return self.account_id or self.token_id

    @property
    def household_id(self) -> UUID | None:
        """The registered member household the account stands for: its ``household_ref`` holds
        the household's id once households are registered (shared.domain.household)."""
        if self.household_ref is None:
            return None
        try:
            return UUID(self.household_ref)
        except ValueError:
            return None  # an account issued before: a plain reference

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF

    @property
    def acts_for_cooperative(self) -> bool:
        return self.role in COOPERATIVE_ROLES

    def require_staff(self, what: str) -> None:
        if not self.is_staff:
            msg = f"only provincial staff or admins may {what}"
            raise NotPermitted(msg, code="staff_only", params={"what": what})

    def organisation(self, what: str) -> UUID:
        """The organisation acting on batches; staff do not hold batches."""
        if self.organisation_id is None:
            msg = f"only a cooperative or an enterprise may {what}"
            raise NotPermitted(msg, code="organisation_only", params={"what": what})
        return self.organisation_id

    def require_self_or_staff(self, organisation_id: UUID, what: str) -> None:
        if not self.is_staff and self.organisation_id != organisation_id:
            msg = f"an organisation may only {what} for itself"
            raise NotPermitted(msg, code="not_own", params={"what": what})
