"""Who is asking: the bearer token resolved to an ``Actor`` (role and organisation).

Async on purpose: a cached token costs no thread hop; only a cache miss goes to the database,
in a worker thread so the event loop never waits on it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from services.capture.context import CaptureDep
from services.capture.errors import Unauthenticated
from shared.records.actors import Actor

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="A Nguồn API token (ng_…) issued by provincial staff: `nguon token create`.",
)


async def current_actor(
    capture: CaptureDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    if credentials is None:
        raise Unauthenticated("this API needs a bearer token", token_sent=False)
    token = credentials.credentials
    actor = capture.tokens.cached(token) or await run_in_threadpool(capture.tokens.resolve, token)
    if actor is None:
        raise Unauthenticated("the token is unknown, revoked or expired", token_sent=True)
    return actor


CurrentActor = Annotated[Actor, Depends(current_actor)]
