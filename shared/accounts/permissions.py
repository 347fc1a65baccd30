"""Who may create, reset, disable and list whose accounts: one place for the rule.

Admins manage every account. Provincial staff manage the accounts of every organisation, but not
the province's own or admins'. A cooperative's administrator manages its own cooperative's staff
(``cooperative``) and member households, nothing else. Nobody else manages accounts.
"""

from __future__ import annotations

from uuid import UUID

from shared.domain.errors import NotPermitted
from shared.records.actors import ORGANISATION_ROLES, STAFF, Actor, Role

COOPERATIVE_ADMIN_MANAGES = frozenset({Role.COOPERATIVE, Role.HOUSEHOLD})


def may_manage(manager: Actor, role: Role, organisation_id: UUID | None) -> bool:
    if manager.role is Role.ADMIN:
        return True
    if manager.role is Role.PROVINCE:
        return role in ORGANISATION_ROLES
    if manager.role is Role.COOPERATIVE_ADMIN:
        return (
            role in COOPERATIVE_ADMIN_MANAGES
            and organisation_id is not None
            and organisation_id == manager.organisation_id
        )
    return False


def may_see_people_of(manager: Actor, organisation_id: UUID) -> bool:
    """Whether ``manager`` may open an organisation's list of accounts."""
    if manager.role in STAFF:
        return True
    return manager.role is Role.COOPERATIVE_ADMIN and manager.organisation_id == organisation_id


def require_may_manage(manager: Actor, role: Role, organisation_id: UUID | None) -> None:
    if not may_manage(manager, role, organisation_id):
        msg = f"a {manager.role.value} account may not manage {role.value} accounts here"
        params = {"manager": manager.role.value, "role": role.value}
        raise NotPermitted(msg, code="may_not_manage_account", params=params)


def require_may_see_people_of(manager: Actor, organisation_id: UUID) -> None:
    if not may_see_people_of(manager, organisation_id):
        msg = "only provincial staff and the organisation's administrator see its accounts"
        raise NotPermitted(msg, code="may_not_see_accounts")
