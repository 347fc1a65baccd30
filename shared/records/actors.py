"""Who is asking: a role and, for cooperatives and enterprises, the organisation they act for."""

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


STAFF = frozenset({Role.ADMIN, Role.PROVINCE})


@dataclass(frozen=True)
class Actor:
    role: Role
    organisation_id: UUID | None = None
    token_id: UUID | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF

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
