"""The world of the app's lot-change, diary and import pages: a cooperative holding one harvested
batch (the ``holder`` fixture, in conftest.py), a second cooperative, and the form's token.

The database, records, projections and app fixtures are in conftest.py, shared by every app test.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from shared.records.actors import Actor, Role
from shared.records.application import Records
from tests.builders import a_grower
from tests.registry_world import HeaderGate


@dataclass(frozen=True)
class Holder:
    """A cooperative holding one harvested batch (1.000 kg of rice), projected."""

    cooperative_id: UUID
    plot_id: UUID
    batch: str
    actor: Actor

    @property
    def person(self) -> dict[str, str]:
        return {HeaderGate.HEADER: f"cooperative:{self.cooperative_id}"}


def another_cooperative(records: Records) -> dict[str, str]:
    """The header of a person of a second cooperative (who holds nothing of the first's)."""
    grower = a_grower(records)
    return {HeaderGate.HEADER: f"cooperative:{grower.cooperative_id}"}


CSRF = {"csrf_token": "csrf-cooperative"}
COOPERATIVE = Role.COOPERATIVE
