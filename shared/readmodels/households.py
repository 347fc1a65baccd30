"""The cooperative's private registry of member households, as its own staff see it.

Never read by a public surface. The rows hold the households' values SEALED, as the events
carry them (:mod:`shared.readmodels.units.households`); they are opened here, when shown, with
the keys of :mod:`shared.privacy`. A forgotten household's key is gone, so nothing of it opens —
not its name, not its phone, not even its reference — whatever the rows still hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from shared.privacy import PersonalData, Sealed
from shared.privacy.keys import PostgresPersonalData
from shared.readmodels.tracking import Connect, session
from shared.readmodels.units.households import HOUSEHOLD_PLOTS, HOUSEHOLDS


@dataclass(frozen=True)
class HouseholdChoice:
    """A member household as a pick list shows it to its own cooperative's staff."""

    household_id: UUID
    label: str  # the household's reference, and its head's name while not forgotten


@dataclass(frozen=True)
class HouseholdEntry:
    """A member household with its values opened; all None once it is forgotten."""

    household_id: UUID
    cooperative_id: UUID
    reference: str | None
    head_name: str | None
    phone: str | None
    forgotten: bool
    registered_at: datetime
    plot_ids: tuple[UUID, ...]

    @property
    def label(self) -> str | None:
        """ "HO-12 · Nguyễn Văn Tư", "HO-12" without a name; None once forgotten."""
        if self.forgotten or self.reference is None:
            return None
        return f"{self.reference} · {self.head_name}" if self.head_name else self.reference


@dataclass(frozen=True)
class PlotChoice:
    """A plot of the cooperative, as the household's page offers it to be assigned."""

    plot_id: UUID
    label: str  # crop · commune · area


class HouseholdDirectory(Protocol):
    def households_of(self, cooperative_id: UUID) -> list[HouseholdChoice]: ...


class PostgresHouseholds:
    def __init__(self, connect: Connect, personal_data: PersonalData | None = None) -> None:
        self._connect = connect
        # The keys are in the same database as the events and read models (one more table).
        self._personal_data = personal_data or PostgresPersonalData(connect)

    def households_of(self, cooperative_id: UUID) -> list[HouseholdChoice]:
        """The households one may still pick (never a forgotten one), by reference."""
        return [
            HouseholdChoice(entry.household_id, entry.label)
            for entry in self.registry(cooperative_id)
            if entry.label is not None
        ]

    def registry(self, cooperative_id: UUID) -> list[HouseholdEntry]:
        """Every household of the cooperative, forgotten ones last."""
        entries = self._entries("h.cooperative_id = %s", cooperative_id)
        return sorted(entries, key=lambda e: (e.label is None, e.reference or "", e.registered_at))

    def household(self, household_id: UUID) -> HouseholdEntry | None:
        found = self._entries("h.id = %s", household_id)
        return found[0] if found else None

    def plots_of(self, cooperative_id: UUID) -> list[PlotChoice]:
        """The cooperative's plots (from the provenance projection's rm_plots), by crop."""
        with session(self._connect) as conn:
            rows = conn.execute(
                "SELECT id, crop, commune, area_ha FROM rm_plots WHERE cooperative_id = %s"
                " ORDER BY crop, commune, id",
                (cooperative_id,),
            ).fetchall()
        return [PlotChoice(row[0], f"{row[1]} · {row[2]} · {row[3]} ha") for row in rows]

    def _entries(self, where: str, value: UUID) -> list[HouseholdEntry]:
        with session(self._connect) as conn:
            rows = conn.execute(
                "SELECT h.id, h.cooperative_id, h.reference, h.head_name, h.phone,"
                " h.forgotten_at, h.registered_at,"
                " coalesce(array_agg(p.plot_id ORDER BY p.plot_id)"
                "   FILTER (WHERE p.plot_id IS NOT NULL), '{}') AS plot_ids"
                f" FROM {HOUSEHOLDS} h LEFT JOIN {HOUSEHOLD_PLOTS} p ON p.household_id = h.id"
                f" WHERE {where} GROUP BY h.id",
                (value,),
            ).fetchall()
        sealed = [_sealed(row[column]) for row in rows for column in (2, 3, 4)]
        opened = self._open([s for s in sealed if s is not None])
        values = iter(opened)
        plain = [None if s is None else next(values) for s in sealed]
        entries = []
        for index, row in enumerate(rows):
            reference, head_name, phone = plain[3 * index : 3 * index + 3]
            forgotten = row[5] is not None or reference is None
            entries.append(
                HouseholdEntry(
                    household_id=row[0],
                    cooperative_id=row[1],
                    reference=None if forgotten else reference,
                    head_name=None if forgotten else head_name,
                    phone=None if forgotten else phone,
                    forgotten=forgotten,
                    registered_at=row[6],
                    plot_ids=tuple(row[7]),
                )
            )
        return entries

    def _open(self, values: list[Sealed]) -> list[str | None]:
        if isinstance(self._personal_data, PostgresPersonalData):
            return self._personal_data.open_many(values)  # one query for a page's keys
        return [self._personal_data.open(v) for v in values]


def _sealed(value: Any) -> Sealed | None:
    return None if value is None else Sealed.from_json(value)
