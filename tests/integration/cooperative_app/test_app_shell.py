"""Who reaches the cooperative app at all: people of an organisation; others are sent to sign
in, or shown why not."""

from __future__ import annotations

from uuid import uuid4

from fastapi.testclient import TestClient

from tests.registry_world import HeaderGate


def test_a_visitor_who_has_not_signed_in_is_sent_to_sign_in_and_back(
    client: TestClient,
) -> None:
    answer = client.get("/app/lots?q=TH")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/sign-in?next=/app/lots%3Fq%3DTH"


def test_provincial_staff_are_told_the_app_is_for_organisations(client: TestClient) -> None:
    answer = client.get("/app/lots", headers={HeaderGate.HEADER: "province"})
    assert answer.status_code == 403
    assert "/province" in answer.text
    assert answer.headers["content-language"] == "vi"


def test_a_cooperatives_person_is_let_in(client: TestClient) -> None:
    person = f"cooperative:{uuid4()}"
    answer = client.get("/app/lots", headers={HeaderGate.HEADER: person})
    assert answer.status_code != 403
