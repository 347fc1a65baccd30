"""Who is asking, and what they may read: a bearer token resolved to an ``Actor``, then a ``Sight``.

Tokens are the capture API's (``shared.postgres.tokens``): one token reaches both interfaces.
Staff (province, admin) see everything; an organisation's token sees its batches and their
ancestors (``shared.readmodels.epcis_query``); a token acting for no organisation sees nothing,
and may not capture.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, cast

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from services.epcis.capturing import Capturing
from services.epcis.problems import Forbidden, NotSignedIn
from shared.postgres.tokens import TokenStore
from shared.readmodels.epcis_query import NOTHING, EpcisReader, Sight
from shared.records.actors import Actor

bearer = HTTPBearer(auto_error=False, scheme_name="token", description="A Nguồn API token (ng_…).")
_STATE_KEY = "nguon_epcis"


@dataclass(frozen=True)
class Epcis:
    tokens: TokenStore
    reader: EpcisReader
    capturing: Capturing


def attach(state: object, epcis: Epcis) -> None:
    setattr(state, _STATE_KEY, epcis)


async def epcis_of(request: Request) -> Epcis:
    return cast(Epcis, getattr(request.app.state, _STATE_KEY))


EpcisDep = Annotated[Epcis, Depends(epcis_of)]


async def current_actor(
    epcis: EpcisDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    if credentials is None:
        raise NotSignedIn("this interface needs a bearer token: Authorization: Bearer ng_…")
    token = credentials.credentials
    actor = epcis.tokens.cached(token) or await run_in_threadpool(epcis.tokens.resolve, token)
    if actor is None:
        raise NotSignedIn("the token is unknown, revoked or expired: ask for a new one")
    return actor


async def current_sight(actor: Annotated[Actor, Depends(current_actor)]) -> Sight:
    if actor.is_staff:
        return Sight(everything=True)
    if actor.organisation_id is None:
        return NOTHING
    return Sight(organisation_id=actor.organisation_id)


CurrentSight = Annotated[Sight, Depends(current_sight)]


async def capturing_actor(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
    """Who may capture: staff, or a token acting for an organisation (whose rules then apply)."""
    if not actor.is_staff and actor.organisation_id is None:
        msg = "this token acts for no organisation: capture needs an organisation's token"
        raise Forbidden(msg)
    return actor


CapturingActor = Annotated[Actor, Depends(capturing_actor)]
