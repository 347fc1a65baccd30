"""Label sheets moved behind sign-in: the public ``/b/<code>/labels`` points to the app."""

from __future__ import annotations

from .builders import CODE, a_provenance_document
from .conftest import ClientFactory


def test_the_public_label_sheet_redirects_to_the_cooperative_app(serving: ClientFactory) -> None:
    client = serving(a_provenance_document())

    response = client.get(f"/b/{CODE}/labels", params={"count": 6}, follow_redirects=False)

    assert response.status_code == 301
    assert response.headers["location"] == f"/app/labels/{CODE}"


def test_no_public_page_prints_labels_any_more(serving: ClientFactory) -> None:
    client = serving(a_provenance_document())

    response = client.get(f"/b/{CODE}/labels", follow_redirects=False)

    assert "<svg" not in response.text
