"""Member households (hộ thành viên): a cooperative's private registry, never public.

A household is a person in the sense of Decree 13/2023/NĐ-CP: its reference (e.g. "HO-12"),
its head's name and phone are personal data. The aggregate therefore holds them only SEALED
(``{"sealed_for", "ciphertext"}``, see :mod:`shared.privacy`), sealed with the household's own
key, whose id is the household's id; the plain values are checked here, then sealed by the
records' handler, so no plain value ever reaches an event.

A household is its own aggregate rather than part of the Cooperative: forgetting one touches
only its stream, a cooperative's many households do not make its stream long, and the
cooperative's events (which buyers' pages are built from) never carry a member's data.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.domain.errors import InvalidValue, RuleViolated
from shared.domain.organisations import required_text

SealedJson = dict[str, Any]  # shared.privacy.Sealed.as_json(): whose key, and the ciphertext

_PHONE = re.compile(r"^(?:\+?84|0)\d{9,10}$")


def reference(value: str) -> str:
    """The cooperative's own reference for the household, e.g. "HO-12"."""
    return required_text(value, "reference", 40)


def head_name(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return required_text(value, "head_name", 120)


def phone(value: str | None) -> str | None:
    """A Vietnamese phone number, spaces, dots and dashes dropped: 0912345678 or +84912345678."""
    if value is None or not value.strip():
        return None
    digits = re.sub(r"[\s.\-()]", "", value)
    if not _PHONE.match(digits):
        msg = "a phone number is 10 or 11 digits starting with 0, or +84 and 9 or 10 digits"
        raise InvalidValue("phone", msg, code="phone_format")
    return digits


class Household(Aggregate):
    @staticmethod
    def create_id(household_id: UUID) -> UUID:
        # Chosen at random by the handler (never derived from the reference: a derived id
        # could be recomputed from the reference, and would outlive forgetting).
        return household_id

    @event("Registered")
    def __init__(
        self,
        household_id: UUID,
        cooperative_id: UUID,
        reference: SealedJson,
        head_name: SealedJson | None,
        phone: SealedJson | None,
    ) -> None:
        self.cooperative_id = cooperative_id
        self.reference = reference
        self.head_name = head_name
        self.phone = phone
        self.plot_ids: list[UUID] = []
        self.forgotten = False

    def ensure_not_forgotten(self) -> None:
        if self.forgotten:
            msg = "this household was forgotten at its request: nothing more is recorded for it"
            raise RuleViolated(msg, code="household_forgotten")

    def assign_plot(self, plot_id: UUID) -> None:
        """The household farms the plot (of its own cooperative: the handler checks)."""
        self.ensure_not_forgotten()
        if plot_id in self.plot_ids:
            return
        self._plot_assigned(plot_id)

    @event("PlotAssigned")
    def _plot_assigned(self, plot_id: UUID) -> None:
        self.plot_ids.append(plot_id)

    def forget(self) -> None:
        """Marks the household forgotten; deleting its key (what forgets it) is the caller's."""
        if self.forgotten:
            return
        self._forgotten()

    @event("Forgotten")
    def _forgotten(self) -> None:
        # Carries nothing personal: that the household was forgotten, by whom is the actor's
        # record of the event (nguon_event_actors) and the key store's.
        self.forgotten = True

    def farms(self, plot_id: UUID) -> bool:
        return plot_id in self.plot_ids


def farmed_by(
    plot_id: UUID,
    plot_cooperative: UUID,
    plot_household_ref: str | None,
    household: Household | None,
    account_household_ref: str | None,
) -> bool:
    """Whether a member household's account farms the plot: the one rule the records and the
    app's pick lists both ask. The account names a registered household (by id) that the plot
    was assigned to, or — accounts and plots made before households were registered — the
    plot carries the account's plain reference."""
    if household is not None and household.cooperative_id == plot_cooperative:
        return not household.forgotten and household.farms(plot_id)
    return plot_household_ref is not None and plot_household_ref == account_household_ref
