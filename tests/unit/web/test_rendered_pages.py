"""Rendered pages are kept as bytes, and a kept page is byte for byte the page a fresh render gives.

Each comparison asks the same question of two apps over the same documents: one keeping
rendered pages, one rendering every request (``rendered_page_cache_megabytes=0``).
"""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from services.web import responses
from services.web.app import create_app
from services.web.cache import RenderedPages
from shared.readmodels.documents import ProvenanceDocument
from shared.settings import NguonSettings

from .builders import CODE, GTIN14, LOT, a_big_document, a_certification, a_provenance_document
from .conftest import PUBLIC_BASE_URL
from .fakes import InMemoryProvenanceReader

PAGE = f"/b/{CODE}"
ASKED = [
    ({}, {}),
    ({"Accept-Language": "en-GB, en;q=0.9"}, {}),
    ({}, {"lang": "en"}),
    ({}, {"lang": "vi"}),
    ({"Accept-Language": "en"}, {"lang": "vi"}),
]


class ChangingReader(InMemoryProvenanceReader):
    def replace(self, document: ProvenanceDocument) -> None:
        self._documents = [document]
        self.position = document["last_position"]


def _apps(*documents: ProvenanceDocument) -> tuple[ChangingReader, TestClient, TestClient]:
    """A reader, an app keeping rendered pages, and one that renders every request."""
    reader = ChangingReader(*documents)
    keeping, rendering = (
        NguonSettings(
            public_base_url=PUBLIC_BASE_URL, page_cache_seconds=0, rendered_page_cache_megabytes=mb
        )
        for mb in (4, 0)
    )
    kept, fresh = create_app(keeping, reader), create_app(rendering, reader)
    return reader, TestClient(kept), TestClient(fresh)


@pytest.mark.parametrize(("headers", "params"), ASKED)
@pytest.mark.parametrize("document", [a_provenance_document(), a_big_document()])
def test_a_kept_page_is_the_page_a_fresh_render_gives(
    document: ProvenanceDocument, headers: dict[str, str], params: dict[str, str]
) -> None:
    _, keeping, rendering = _apps(document)

    first = keeping.get(PAGE, headers=headers, params=params)
    kept = keeping.get(PAGE, headers=headers, params=params)
    fresh = rendering.get(PAGE, headers=headers, params=params)

    assert first.status_code == kept.status_code == fresh.status_code == 200
    assert kept.content == fresh.content
    assert first.content == kept.content
    assert dict(kept.headers) == dict(fresh.headers)


def test_pages_that_differ_have_different_tags_and_each_keeps_its_own_body() -> None:
    _, keeping, rendering = _apps(a_provenance_document())

    answers = [keeping.get(PAGE, headers=h, params=p) for h, p in ASKED * 2]
    fresh = [rendering.get(PAGE, headers=h, params=p) for h, p in ASKED * 2]

    assert [a.content for a in answers] == [f.content for f in fresh]
    by_tag: dict[str, bytes] = {}
    for answer in answers:
        assert by_tag.setdefault(answer.headers["etag"], answer.content) == answer.content
    # Accept-Language: vi and ?lang=vi give different links (the latter keeps ?lang=), so
    # different bodies under different tags.
    assert len(by_tag) == 4


def test_a_changed_document_is_rendered_anew() -> None:
    reader, keeping, rendering = _apps(a_provenance_document(last_position=10))
    before = keeping.get(PAGE)

    reader.replace(a_provenance_document(last_position=11, product="Gạo tám xoan Hậu Lộc"))
    after = keeping.get(PAGE)

    assert "Gạo tám xoan Hậu Lộc" in after.text
    assert "Gạo tám xoan Hậu Lộc" not in before.text
    assert after.content == rendering.get(PAGE).content


def test_a_new_day_renders_anew_so_a_lapsed_certificate_shows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    certificate = a_certification(valid_until="2026-12-31")
    _, keeping, rendering = _apps(a_provenance_document(certifications=[certificate]))
    monkeypatch.setattr(responses, "today_in_vietnam", lambda: date(2026, 12, 31))
    still_valid = keeping.get(PAGE)

    monkeypatch.setattr(responses, "today_in_vietnam", lambda: date(2027, 1, 1))
    lapsed = keeping.get(PAGE)

    assert lapsed.headers["etag"] != still_valid.headers["etag"]
    assert lapsed.content != still_valid.content
    assert lapsed.content == rendering.get(PAGE).content


def test_a_digital_link_reaches_the_same_kept_page() -> None:
    _, keeping, rendering = _apps(a_provenance_document())

    link = f"/01/{GTIN14}/10/{LOT}"
    followed = keeping.get(link, follow_redirects=True)

    assert followed.status_code == 200
    assert followed.content == rendering.get(link, follow_redirects=True).content


def test_pages_are_rendered_once_per_key_and_the_oldest_leave_first() -> None:
    kept = RenderedPages(max_bytes=25)
    renders: list[str] = []

    def render(text: str) -> str:
        renders.append(text)
        return text

    assert kept.get(("a",), lambda: render("a" * 10)) == b"a" * 10
    assert kept.get(("a",), lambda: render("changed")) == b"a" * 10
    kept.get(("b",), lambda: render("b" * 10))
    kept.get(("a",), lambda: render("a"))  # a is now the most recently used
    kept.get(("c",), lambda: render("c" * 10))  # over 25 bytes: b, the oldest, leaves

    assert kept.size == 20
    assert kept.get(("b",), lambda: render("B" * 10)) == b"B" * 10
    assert renders == ["a" * 10, "b" * 10, "c" * 10, "B" * 10]


def test_a_page_larger_than_the_whole_cache_is_served_and_not_kept() -> None:
    kept = RenderedPages(max_bytes=5)

    assert kept.get(("big",), lambda: "x" * 6) == b"x" * 6
    assert kept.size == 0


class CountingReader(ChangingReader):
    reads = 0

    def by_code(self, code: str) -> ProvenanceDocument | None:
        self.reads += 1
        return super().by_code(code)


@pytest.mark.parametrize(("headers", "params"), ASKED)
def test_a_page_made_from_memory_on_the_event_loop_is_the_page_the_thread_pool_makes(
    headers: dict[str, str], params: dict[str, str]
) -> None:
    reader = CountingReader(a_provenance_document())
    remembering = NguonSettings(public_base_url=PUBLIC_BASE_URL, page_cache_seconds=60)
    _, _, rendering = _apps(a_provenance_document())
    client = TestClient(create_app(remembering, reader))

    read = client.get(PAGE, headers=headers, params=params)  # read in the thread pool
    remembered = client.get(PAGE, headers=headers, params=params)  # from memory, on the loop

    assert reader.reads == 1
    assert (
        read.content
        == remembered.content
        == rendering.get(PAGE, headers=headers, params=params).content
    )
    assert remembered.headers["etag"] == read.headers["etag"]
