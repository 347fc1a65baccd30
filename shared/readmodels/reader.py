"""How the web service reads provenance documents, whatever stores them.

The PostgreSQL implementation lives with the projections; unit tests subclass this with an
in-memory fake. Every method is synchronous: callers run it in a worker thread.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from typing import Any, Final, TypedDict, cast

from shared.readmodels.documents import OrganisationRef, ProvenanceDocument

GTIN_LOTS_SHOWN: Final = 100
"""A GTIN's page lists its most recent lots; older ones stay reachable by their own links."""


class GtinLot(TypedDict):
    code: str
    lot: str | None
    status: str
    recalled: bool
    record_incomplete: bool  # its state may be stale: never show it as safe
    harvest_dates: list[str]


class GtinProduct(TypedDict):
    """What the resolver knows of a GTIN without a lot: the product, who labels it, its lots."""

    gtin: str  # GTIN-14
    product: str
    owner: OrganisationRef | None  # who labelled its latest lot (GTIN registration comes later)
    lots: list[GtinLot]  # newest first, at most GTIN_LOTS_SHOWN
    last_position: int


class ProvenanceReader(ABC):
    """Finds the public provenance document of one batch."""

    @abstractmethod
    def by_code(self, code: str) -> ProvenanceDocument | None:
        """The document of the batch with this short code (``TH-2026-000123``), if any."""

    @abstractmethod
    def by_gtin_lot(self, gtin14: str, lot: str) -> ProvenanceDocument | None:
        """The document of the batch labelled with this GTIN-14 and lot (AI 10), if any."""

    @abstractmethod
    def by_gtin(self, gtin14: str) -> GtinProduct | None:
        """The product behind a GTIN-14 and its public lots; None if no batch carries it.

        Implementations pass the GTIN's documents, newest first, to ``gtin_product``.
        """

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


def gtin_product(gtin14: str, newest_first: Iterable[ProvenanceDocument]) -> GtinProduct | None:
    """The GTIN's summary from the documents of its lots, the newest first."""
    documents = list(newest_first)[:GTIN_LOTS_SHOWN]
    if not documents:
        return None
    latest = documents[0]
    return GtinProduct(
        gtin=gtin14,
        product=latest["product"],
        owner=_labeller(latest) or latest["holder"],
        lots=[
            GtinLot(
                code=d["code"],
                lot=d["lot"],
                status=d["status"],
                recalled=d["recall"]["recalled"],
                record_incomplete=record_incomplete(d),
                harvest_dates=d["harvest_dates"],
            )
            for d in documents
        ],
        last_position=max(d["last_position"] for d in documents),
    )


def record_incomplete(document: ProvenanceDocument) -> bool:
    """True when the projections set aside an event of this batch or of an ancestor.

    Read leniently: documents written before the key existed do not carry it.
    """
    return cast(Mapping[str, object], document).get("record_incomplete") is True


def _labeller(document: ProvenanceDocument) -> OrganisationRef | None:
    labelled = [
        step["organisation"]
        for step in document["timeline"]
        if step["kind"] == "labelled" and step["batch_code"] == document["code"]
    ]
    return labelled[-1] if labelled else None
