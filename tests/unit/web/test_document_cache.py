"""Busy labels are served from a short cache; a client waiting for its own write never is."""

from __future__ import annotations

from fastapi.testclient import TestClient

from services.web.app import create_app
from services.web.cache import DocumentCache
from shared.readmodels.documents import ProvenanceDocument
from shared.settings import NguonSettings

from .builders import CODE, a_provenance_document
from .fakes import InMemoryProvenanceReader


class CountingReader(InMemoryProvenanceReader):
    def __init__(self, *documents: ProvenanceDocument) -> None:
        super().__init__(*documents)
        self.reads = 0

    def by_code(self, code: str) -> ProvenanceDocument | None:
        self.reads += 1
        return super().by_code(code)

    def replace(self, document: ProvenanceDocument) -> None:
        self._documents = [document]
        self.position = document["last_position"]


def test_many_scans_of_one_label_read_the_document_once() -> None:
    reader = CountingReader(a_provenance_document())
    client = TestClient(create_app(NguonSettings(page_cache_seconds=60), reader))

    for _ in range(5):
        assert client.get(f"/b/{CODE}").status_code == 200

    assert reader.reads == 1


def test_a_client_naming_its_position_sees_its_write_past_the_cache() -> None:
    before = a_provenance_document()
    reader = CountingReader(before)
    client = TestClient(create_app(NguonSettings(page_cache_seconds=60), reader))
    client.get(f"/b/{CODE}", headers={"Accept": "application/json"})
    after = a_provenance_document(last_position=before["last_position"] + 1, status="sold")
    reader.replace(after)

    answer = client.get(
        f"/b/{CODE}",
        params={"position": after["last_position"]},
        headers={"Accept": "application/json"},
    )

    assert answer.json()["status"] == "sold"


def test_a_cached_document_is_read_again_once_it_is_too_old() -> None:
    now = [0.0]
    cache = DocumentCache(ttl_seconds=2, clock=lambda: now[0])
    loads: list[int] = []

    def load() -> ProvenanceDocument | None:
        loads.append(1)
        return a_provenance_document()

    cache.get(("code", CODE), load)
    cache.get(("code", CODE), load)
    now[0] = 2.5
    cache.get(("code", CODE), load)

    assert len(loads) == 2


def test_a_buyer_polling_a_batch_just_written_gets_its_page_at_once() -> None:
    reader = CountingReader()
    client = TestClient(create_app(NguonSettings(page_cache_seconds=60), reader))
    assert client.get(f"/b/{CODE}").status_code == 404

    reader.replace(a_provenance_document())

    assert client.get(f"/b/{CODE}").status_code == 200


def test_not_found_is_never_kept_in_the_cache() -> None:
    cache = DocumentCache(ttl_seconds=60, clock=lambda: 0.0)
    answers: list[ProvenanceDocument | None] = [None, a_provenance_document()]

    assert cache.get(("code", CODE), lambda: answers.pop(0)) is None
    assert cache.get(("code", CODE), lambda: answers.pop(0)) is not None
