"""The fingerprint can be rechecked: the page links to the digests it is computed from."""

from __future__ import annotations

from .builders import CODE, a_provenance_document
from .conftest import ClientFactory


def test_the_records_of_a_batch_list_the_digests_its_fingerprint_covers(
    serving: ClientFactory,
) -> None:
    client = serving(a_provenance_document())

    answer = client.get(f"/b/{CODE}/records")

    assert answer.status_code == 200
    body = answer.json()
    assert body["code"] == CODE
    assert [e["digest"] for e in body["events"]] == ["0" * 64]


def test_the_page_links_to_its_records(serving: ClientFactory) -> None:
    client = serving(a_provenance_document())

    assert f'href="/b/{CODE}/records"' in client.get(f"/b/{CODE}").text


def test_an_unknown_batch_has_no_records(serving: ClientFactory) -> None:
    assert serving().get("/b/TH-2026-999999/records").status_code == 404
