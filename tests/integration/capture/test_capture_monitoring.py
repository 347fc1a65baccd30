"""The monitoring indicators as JSON: staff read everything, an organisation its own figures,
participation carries its business dates through the API, and bad parameters get the API's
error answer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from shared.domain import clock
from shared.readmodels.projections import Projections
from shared.readmodels.rebuild import connections_of
from shared.readmodels.tracking import Position
from tests.integration.capture.capture_api import CaptureApi, error_of
from tests.integration.readmodels.readmodel_chain import all_envelopes


def _project(api: CaptureApi) -> None:
    """What the projector does in production: the monitoring projection applies every event."""
    monitoring = Projections(connections_of(api.records)).only(["monitoring"])
    monitoring.reset()
    envelopes = all_envelopes(api.records)
    monitoring.apply(envelopes, Position(envelopes[-1].position))


def _chain_joined_on(api: CaptureApi, day: str) -> str:
    chain = api.value_chain()
    joined = api.post(
        f"/value-chains/{chain}/participants",
        {"organisation_id": api.cooperative.org, "role": "producer", "joined_on": day},
        api.province,
    )
    assert joined.status_code == 200, joined.text
    return chain


def _share(answer: dict[str, Any], label: str) -> tuple[str, str]:
    figure = next(f for f in answer["figures"] if f["label"] == label)
    return figure["share"]["numerator"], figure["share"]["denominator"]


def test_the_monitoring_api_lists_every_indicator(api: CaptureApi) -> None:
    answer = api.get("/monitoring", api.province)

    assert answer.status_code == 200, answer.text
    assert "in_value_chain" in answer.json()["keys"]
    assert answer.json()["links"]["timeliness"] == "/api/v1/monitoring/timeliness"


def test_staff_read_a_share_as_of_a_day_before_and_after_a_cooperative_joined(
    api: CaptureApi,
) -> None:
    _chain_joined_on(api, "2025-03-01")
    _project(api)

    before = api.get("/monitoring/in_value_chain", api.province, as_of="2025-02-28")
    after = api.get("/monitoring/in_value_chain", api.province, as_of="2025-03-01")

    assert before.status_code == 200, before.text
    assert _share(before.json(), "mon_in_value_chain") == ("0", "2")
    assert _share(after.json(), "mon_in_value_chain") == ("1", "2")
    assert after.json()["as_of"] == "2025-03-01"
    drilled = api.get(
        "/monitoring/in_value_chain/cooperatives",
        api.province,
        as_of="2025-03-01",
        drill="in_chain",
    )
    assert drilled.status_code == 200, drilled.text
    assert [c["id"] for c in drilled.json()["cooperatives"]] == [api.cooperative.org]


def test_an_organisation_reads_its_own_figures_and_not_another_s(api: CaptureApi) -> None:
    _chain_joined_on(api, "2025-03-01")
    _project(api)

    own = api.get("/monitoring/in_value_chain", api.other_cooperative, as_of="2025-06-01")
    another = api.get(
        "/monitoring/in_value_chain",
        api.other_cooperative,
        organisation_id=api.cooperative.org,
    )

    assert own.status_code == 200, own.text
    assert _share(own.json(), "mon_in_value_chain") == ("0", "1")
    assert another.status_code == 403
    assert error_of(another)["code"] == "monitoring_other_organisation"


def test_leaving_before_joining_is_refused_and_nothing_is_stored(api: CaptureApi) -> None:
    chain = _chain_joined_on(api, "2025-03-01")
    stored = api.events_stored()

    answer = api.post(
        f"/value-chains/{chain}/participants/{api.cooperative.org}/departure",
        {"reason": "nhầm", "left_on": "2025-02-01"},
        api.province,
    )

    assert answer.status_code == 422, answer.text
    assert error_of(answer)["code"] == "left_before_joined"
    assert error_of(answer)["field"] == "left_on"
    assert api.events_stored() == stored


def test_joining_tomorrow_is_refused(api: CaptureApi) -> None:
    chain = api.value_chain()
    tomorrow = (clock.today_in_vietnam() + timedelta(days=1)).isoformat()

    answer = api.post(
        f"/value-chains/{chain}/participants",
        {"organisation_id": api.cooperative.org, "role": "producer", "joined_on": tomorrow},
        api.province,
    )

    assert answer.status_code == 409, answer.text
    assert error_of(answer)["code"] == "time_in_future"


def test_bad_monitoring_parameters_are_refused_with_the_api_s_error_answer(
    api: CaptureApi,
) -> None:
    not_a_day = api.get("/monitoring/cooperatives", api.province, as_of="yesterday")
    naive = api.get("/monitoring/cooperatives", api.province, known_at="2025-03-01T08:00:00")
    unknown = api.get("/monitoring/happiness", api.province)
    bad_drill = api.get("/monitoring/cooperatives/cooperatives", api.province, drill="everyone")
    stray = api.get("/monitoring/cooperatives", api.province, colour="red")

    assert not_a_day.status_code == 422
    assert error_of(not_a_day)["field"] == "as_of"
    assert naive.status_code == 422
    assert error_of(naive)["field"] == "known_at"
    assert unknown.status_code == 404
    assert error_of(unknown)["code"] == "unknown_indicator"
    assert bad_drill.status_code == 422
    assert error_of(bad_drill)["code"] == "unknown_drill"
    assert stray.status_code == 422


def test_the_monitoring_api_needs_a_token(api: CaptureApi) -> None:
    answer = api.client.get("/api/v1/monitoring/cooperatives")

    assert answer.status_code == 401
