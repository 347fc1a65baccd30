"""An organisation decides whether buyers see its lots' quantities; no one else decides it."""

from __future__ import annotations

from tests.integration.capture.capture_api import CaptureApi, error_of


def test_a_cooperative_agrees_to_publish_its_quantities(api: CaptureApi) -> None:
    stored = api.events_stored()

    answer = api.post(
        f"/organisations/{api.cooperative.org}/publication",
        {"publish_quantities": True},
        api.cooperative,
    )

    assert answer.status_code == 200, answer.text
    assert api.events_stored() == stored + 1
    history = api.records.history(api.cooperative.organisation_id)  # type: ignore[arg-type]
    assert type(history[-1]).__qualname__.endswith("PublicationChanged")


def test_another_organisation_cannot_publish_a_cooperatives_quantities(api: CaptureApi) -> None:
    answer = api.post(
        f"/organisations/{api.cooperative.org}/publication",
        {"publish_quantities": True},
        api.enterprise,
    )

    assert answer.status_code == 403
    assert error_of(answer)["code"] == "not_own"


def test_keeping_quantities_private_is_already_the_default(api: CaptureApi) -> None:
    answer = api.post(
        f"/organisations/{api.enterprise.org}/publication",
        {"publish_quantities": False},
        api.enterprise,
    )

    assert answer.status_code == 409
    assert error_of(answer)["code"] == "publication_unchanged"


def test_publish_quantities_must_be_a_boolean(api: CaptureApi) -> None:
    answer = api.post(
        f"/organisations/{api.enterprise.org}/publication",
        {"publish_quantities": "yes"},
        api.enterprise,
    )

    assert answer.status_code == 422
