"""Capture running alone answers its load balancer's health check."""

from __future__ import annotations

from tests.integration.capture.capture_api import CaptureApi


def test_capture_alone_reports_healthy_with_the_event_stores_position(api: CaptureApi) -> None:
    answer = api.client.get("/healthz")

    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"
    assert answer.json()["position"] == api.records.position()
