"""An in-memory ``ProvenanceReader``: the real interface, documents held in a dict."""

from __future__ import annotations

from typing import Any

from shared.readmodels.documents import ProvenanceDocument
from shared.readmodels.reader import GtinProduct, ProvenanceReader, gtin_product


class InMemoryProvenanceReader(ProvenanceReader):
    def __init__(self, *documents: ProvenanceDocument, position: int | None = None) -> None:
        self._documents = list(documents)
        self.position = max((d["last_position"] for d in documents), default=0)
        if position is not None:
            self.position = position
        self.waited_for: list[tuple[int, float]] = []

    def by_code(self, code: str) -> ProvenanceDocument | None:
        return next((d for d in self._documents if d["code"] == code), None)

    def by_gtin_lot(self, gtin14: str, lot: str) -> ProvenanceDocument | None:
        return next((d for d in self._documents if (d["gtin"], d["lot"]) == (gtin14, lot)), None)

    def by_gtin(self, gtin14: str) -> GtinProduct | None:
        newest_first = sorted(self._documents, key=lambda d: -d["last_position"])
        return gtin_product(gtin14, (d for d in newest_first if d["gtin"] == gtin14))

    def event_digests(self, code: str) -> list[dict[str, Any]] | None:
        found = self.by_code(code)
        if found is None:
            return None
        return [{"position": found["last_position"], "type": "Batch.Harvested", "digest": "0" * 64}]

    def wait_for(self, position: int, timeout: float) -> bool:
        self.waited_for.append((position, timeout))
        return self.position >= position
