"""Executes a request's commands and shapes the answer: results, position, replay, Location."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from services.capture.auth import CurrentActor
from services.capture.context import API_PREFIX, CaptureDep
from services.capture.schemas.answers import WriteAnswer
from shared.records.actors import Actor
from shared.records.application import IdempotencyKey, Outcome, Records
from shared.records.commands import Command
from shared.records.results import BatchResult, TransformationResult

Locate = Callable[[Outcome], str]

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Send the same key with the same request to retry it safely: the first"
        " answer comes back (Idempotent-Replayed: true) and nothing is stored twice.",
    ),
]


@dataclass(frozen=True)
class Writer:
    records: Records
    actor: Actor
    key: str | None
    path: str
    response: Response

    def __call__(
        self, commands: Sequence[Command], request: BaseModel | str, locate: Locate | None = None
    ) -> WriteAnswer:
        outcome = self.records.execute(self.actor, commands, self._idempotency(request))
        if outcome.replayed:
            self.response.headers["Idempotent-Replayed"] = "true"
        if locate is not None:
            self.response.headers["Location"] = locate(outcome)
        return WriteAnswer(results=outcome.answers, position=outcome.position)

    def _idempotency(self, request: BaseModel | str) -> IdempotencyKey | None:
        if self.key is None:
            return None
        body = request.model_dump(mode="json") if isinstance(request, BaseModel) else request
        # The path is part of the request: the same body sent to another batch is another one.
        described = {"path": self.path, "body": body}
        # Scoped by who sends (the account or the token), not by the credential: a person's
        # outbox retries a send after signing in again, with a new session, and must meet its
        # first answer; and two people's keys never meet (their sessions have no token_id).
        return IdempotencyKey(scope=str(self.actor.actor_id), key=self.key, request=described)


async def writer(
    request: Request,
    response: Response,
    capture: CaptureDep,
    actor: CurrentActor,
    key: IdempotencyKeyHeader = None,
) -> Writer:
    return Writer(capture.records, actor, key, request.url.path, response)


Write = Annotated[Writer, Depends(writer)]


def batch_location(code: str) -> str:
    return f"{API_PREFIX}/batches/{code}"


def harvested(outcome: Outcome) -> str:
    return batch_location(outcome.result(BatchResult).code)


def transformed(outcome: Outcome) -> str:
    """A transformation's first output: its other outputs are listed in the answer."""
    return batch_location(outcome.result(TransformationResult).outputs[0].code)
