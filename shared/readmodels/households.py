"""The cooperative's private registry of member households, as its own staff's pick lists see
it. Never read by a public surface."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from shared.readmodels.tracking import Connect


@dataclass(frozen=True)
class HouseholdChoice:
    """A member household as a pick list shows it to its own cooperative's staff."""

    household_id: UUID
    label: str  # the household's reference, and its head's name while not forgotten


class HouseholdDirectory(Protocol):
    def households_of(self, cooperative_id: UUID) -> list[HouseholdChoice]: ...


class PostgresHouseholds:
    def __init__(self, connect: Connect) -> None:
        self._connect = connect

    def households_of(self, cooperative_id: UUID) -> list[HouseholdChoice]:
        del cooperative_id
        return []  # until the households registry's projection fills it (issue 9, households)
