"""The application recorder that also remembers idempotent requests, in the same transaction.

A request carrying an ``Idempotency-Key`` stores its answer next to its events: either both are
committed or neither is, so a retry after a crash can never store the events twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import Cursor
from psycopg.rows import DictRow

IDEMPOTENCY_TABLE = "nguon_idempotency"


@dataclass(frozen=True)
class IdempotencyClaim:
    scope: str  # who asked: the token's id, so clients never collide
    key: str
    request_hash: str
    answer: Callable[[int], str]  # the JSON answer, given the position of the last event


class CaptureRecorder(PostgresApplicationRecorder):
    def _fetch_ids_after_insert_events(
        self,
        curs: Cursor[DictRow],
        stored_events: Sequence[StoredEvent],
        **kwargs: Any,
    ) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        claim: IdempotencyClaim | None = kwargs.get("idempotency")
        if claim is not None and ids:
            # A nested pipeline block syncs on exit, so a duplicate key fails here, inside the
            # transaction that holds the events, and both roll back together.
            with curs.connection.pipeline():
                curs.execute(
                    f"INSERT INTO {IDEMPOTENCY_TABLE} (scope, key, request_hash, answer)"
                    " VALUES (%s, %s, %s, %s)",
                    (claim.scope, claim.key, claim.request_hash, claim.answer(max(ids))),
                )
        return ids
