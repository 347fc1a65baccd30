"""Personal data in events, sealed with a key per person (Decree 13/2023/NĐ-CP).

History is immutable, yet a person may ask to be forgotten. Events therefore never carry a
household head's name, a phone number or a member household's reference in the clear: they
carry a :class:`Sealed` value, encrypted with that person's own key, and the keys live outside
the event store. Deleting a person's key (:meth:`PersonalData.forget`) forgets them everywhere
the event went — read models, pages, exports, Kafka — while the events and their fingerprints
stay whole, because what was fingerprinted is the sealed value. Read models keep the sealed
value too and open it only when a page or an export shows it, so forgetting needs no rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID


@dataclass(frozen=True)
class Sealed:
    """A personal value as events carry it: whose it is, and the ciphertext only their key opens."""

    person_id: UUID  # whose key: a member household (the household's id)
    ciphertext: str  # URL-safe base64 of nonce and ciphertext

    def as_json(self) -> dict[str, Any]:
        return {"sealed_for": str(self.person_id), "ciphertext": self.ciphertext}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Sealed:
        return cls(UUID(str(data["sealed_for"])), str(data["ciphertext"]))


class PersonalData(Protocol):
    """Seals and opens personal values; forgets a person by deleting their key."""

    def seal(self, person_id: UUID, value: str) -> Sealed:
        """``value`` encrypted with ``person_id``'s key (made on first use)."""
        ...

    def open(self, sealed: Sealed) -> str | None:
        """The value, or None once its person has been forgotten."""
        ...

    def forget(self, person_id: UUID, by: UUID | None = None) -> None:
        """Deletes the person's key: every value sealed for them is unreadable from now on.
        ``by`` (an account or token id) is kept with the record that they were forgotten."""
        ...
