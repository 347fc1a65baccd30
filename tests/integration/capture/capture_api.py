"""Talking to the capture API in tests: parties with tokens, requests, and counting events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
import psycopg
from fastapi.testclient import TestClient

from shared.readmodels.catalogue import BatchCatalogue, BatchSummary
from shared.records.application import Records
from tests.builders import harvest_json


class NoCatalogue(BatchCatalogue):
    """The list endpoint's tests are unit tests; here nothing may reach for the read model."""

    def search(
        self,
        holder_id: UUID | None,
        commodity: str | None,
        status: str | None,
        limit: int,
        after_code: str | None,
    ) -> list[BatchSummary]:
        raise AssertionError("the batch list is not under test here")

    def wait_for(self, position: int, timeout: float) -> bool:
        raise AssertionError("the batch list is not under test here")


@dataclass(frozen=True)
class Party:
    """Someone holding a token: staff, or an organisation (a cooperative has a plot)."""

    token: str
    organisation_id: UUID | None = None
    plot_id: UUID | None = None

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def org(self) -> str:
        assert self.organisation_id is not None
        return str(self.organisation_id)

    @property
    def plot(self) -> str:
        assert self.plot_id is not None
        return str(self.plot_id)


@dataclass
class CaptureApi:
    client: TestClient
    records: Records
    admin_url: str
    admin: Party
    province: Party
    cooperative: Party
    other_cooperative: Party
    enterprise: Party

    def post(self, path: str, body: Any, by: Party, key: str | None = None) -> httpx.Response:
        headers = by.auth | ({"Idempotency-Key": key} if key is not None else {})
        answer: httpx.Response = self.client.post(f"/api/v1{path}", json=body, headers=headers)
        return answer

    def get(self, path: str, by: Party, **params: Any) -> httpx.Response:
        answer: httpx.Response = self.client.get(f"/api/v1{path}", headers=by.auth, params=params)
        return answer

    def events_stored(self) -> int:
        with psycopg.connect(self.admin_url) as conn:
            row = conn.execute("SELECT count(*) FROM nguon_events").fetchone()
        assert row is not None
        return int(row[0])

    def harvest(self, by: Party | None = None, **overrides: Any) -> str:
        """A new batch harvested by ``by`` (default: the cooperative); returns its code."""
        grower = by or self.cooperative
        answer = self.post("/batches", harvest_json(grower.plot, **overrides), grower)
        assert answer.status_code == 201, answer.text
        return str(answer.json()["results"][0]["code"])

    def value_chain(self, *participants: Party) -> str:
        """A rice chain led by the enterprise, which ``participants`` have joined."""
        answer = self.post(
            "/value-chains",
            {
                "name": "Chuỗi lúa gạo",
                "commodity": "rice",
                "lead_organisation_id": self.enterprise.org,
            },
            self.province,
        )
        assert answer.status_code == 201, answer.text
        chain = str(answer.json()["results"][0]["value_chain_id"])
        for party in participants:
            joined = self.post(
                f"/value-chains/{chain}/participants",
                {"organisation_id": party.org, "role": "producer"},
                self.province,
            )
            assert joined.status_code == 200, joined.text
        return chain


def error_of(answer: httpx.Response) -> dict[str, Any]:
    """The ``error`` object of a refusal."""
    error: dict[str, Any] = answer.json()["error"]
    return error
