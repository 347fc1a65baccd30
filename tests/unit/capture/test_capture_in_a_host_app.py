"""Capture shares one app with the public pages: it answers for its own paths only."""

from __future__ import annotations

from typing import get_args

from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.capture.app import install
from services.capture.schemas.bulk import BULK_TYPES
from shared.records.application import Records
from shared.records.commands import Command

from .fakes import InMemoryBatchCatalogue, KnownTokens


def _host_app() -> FastAPI:
    app = FastAPI()

    @app.get("/b/{number}")
    def page(number: int) -> dict[str, int]:
        return {"number": number}

    records = Records({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    install(app, records, KnownTokens({}), InMemoryBatchCatalogue())
    return app


def test_a_bad_value_on_a_page_keeps_the_host_apps_own_answer() -> None:
    answer = TestClient(_host_app()).get("/b/not-a-number")

    assert answer.status_code == 422
    assert "detail" in answer.json()


def test_an_unknown_page_keeps_the_host_apps_own_not_found() -> None:
    answer = TestClient(_host_app()).get("/nowhere")

    assert answer.json() == {"detail": "Not Found"}


def test_an_unknown_api_path_answers_in_the_apis_shape() -> None:
    answer = TestClient(_host_app()).get("/api/v1/nowhere")

    assert answer.json()["error"]["code"] == "not_found"


def test_every_command_can_be_sent_in_a_bulk_request() -> None:
    assert len(BULK_TYPES) == len(get_args(Command))
