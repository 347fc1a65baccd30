"""How the web service reads provenance documents, whatever stores them.

The PostgreSQL implementation lives with the projections; unit tests subclass this with an
in-memory fake. Every method is synchronous: callers run it in a worker thread.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from shared.readmodels.documents import ProvenanceDocument


class ProvenanceReader(ABC):
    """Finds the public provenance document of one batch."""

    @abstractmethod
    def by_code(self, code: str) -> ProvenanceDocument | None:
        """The document of the batch with this short code (``TH-2026-000123``), if any."""

    @abstractmethod
    def by_gtin_lot(self, gtin14: str, lot: str) -> ProvenanceDocument | None:
        """The document of the batch labelled with this GTIN-14 and lot (AI 10), if any."""

    @abstractmethod
    def event_digests(self, code: str) -> list[dict[str, Any]] | None:
        """What the batch's fingerprint covers: ``position``, ``type`` and SHA-256 ``digest``
        of each event, in position order; None for an unknown batch. The digests, joined by
        newlines and hashed with SHA-256, give the fingerprint (see readmodels.provenance)."""

    @abstractmethod
    def wait_for(self, position: int, timeout: float) -> bool:
        """Block until the projections have applied ``position``; False if ``timeout`` passed.

        Read-your-writes: capture answers with the position of the event it stored, and a
        client that names it sees its own write instead of racing the projector.
        """
