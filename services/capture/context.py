"""What every capture route works with, built once by ``install`` and found through the app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, cast

from fastapi import Depends
from starlette.requests import Request

from shared.accounts.gate import Gate
from shared.postgres.tokens import ConnectionFactory, TokenStore
from shared.readmodels.catalogue import BatchCatalogue
from shared.readmodels.registry import RegistryReader
from shared.records.application import Records

API_PREFIX = "/api/v1"
_STATE_KEY = "nguon_capture"  # namespaced: the host app may keep other services' state


@dataclass(frozen=True)
class Capture:
    records: Records
    tokens: TokenStore
    catalogue: BatchCatalogue
    read_wait_timeout: float
    registry: RegistryReader
    # People's sessions (the cooperative app's outbox): None where capture runs without the
    # accounts (``nguon serve-capture``), so only bearer tokens are accepted there.
    gate: Gate | None = None
    site_origin: str | None = None  # the public Origin a session may send from (or its own)


def attach(state: object, capture: Capture) -> None:
    setattr(state, _STATE_KEY, capture)


async def capture_of(request: Request) -> Capture:
    return cast(Capture, getattr(request.app.state, _STATE_KEY))


CaptureDep = Annotated[Capture, Depends(capture_of)]


def connections_of(records: Records) -> ConnectionFactory:
    """The event store's own pool: tokens and positions need no second one."""
    return cast(ConnectionFactory, records.recorder.datastore.get_connection)  # type: ignore[attr-defined]
