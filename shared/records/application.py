"""The records application: executes commands and stores their events in one transaction.

Thin, as eventsourcing's examples are: load → command → save. A request's commands (one, or a
whole bulk upload) share a unit of work and are saved together, so a bulk request is all or
nothing and costs one round of the event store's table lock.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate, DomainEventProtocol
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Notification, Transcoding

from shared.domain import clock
from shared.domain.batch import Batch
from shared.domain.errors import ConcurrentChange, DomainError, NotFound
from shared.domain.glns import Gln
from shared.domain.gtins import GtinOwnership, GtinProduct, keys_covering
from shared.domain.identifiers import batch_code
from shared.domain.recall import Recall
from shared.errors import NguonError
from shared.postgres.recorder import IDEMPOTENCY_TABLE, CaptureRecorder, IdempotencyClaim
from shared.privacy import PersonalData
from shared.privacy.keys import PostgresPersonalData
from shared.records.actors import Actor
from shared.records.commands import Command
from shared.records.envelopes import EnvelopeMaker
from shared.records.handlers import codes_needed, handle
from shared.records.results import Result, from_json, to_json
from shared.records.unit_of_work import UnitOfWork
from shared.records.warm import STALE_READ, WarmAggregates
from shared.wire.envelope import Envelope

R = TypeVar("R")

CODE_BLOCK = 20  # batch numbers a process draws from the sequence at once


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class CommandRefused(DomainError):
    """A command of a (bulk) request was refused: nothing of the request was stored."""

    def __init__(self, index: int, error: DomainError) -> None:
        super().__init__(error.message, code=error.code, params=error.params)
        self.index = index
        self.error = error


class _StaleRead(NguonError):
    """The append refused the request: an aggregate it read from memory had changed."""

    def __init__(self, aggregate_ids: list[UUID]) -> None:
        super().__init__(f"{len(aggregate_ids)} aggregates read from memory")
        self.aggregate_ids = aggregate_ids


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"


@dataclass(frozen=True)
class Outcome:
    results: list[Result]
    position: int
    replayed: bool = field(default=False, compare=False)

    @property
    def answers(self) -> list[dict[str, Any]]:
        """The results as the API answers them (and as a replay gives them back)."""
        return [to_json(result) for result in self.results]

    def result(self, kind: type[R], index: int = 0) -> R:
        """The ``index``-th command's result, which must be a ``kind``."""
        found = self.results[index]
        if not isinstance(found, kind):
            raise TypeError(f"command {index} answered {type(found).__name__}, not {kind.__name__}")
        return found


@dataclass(frozen=True)
class IdempotencyKey:
    scope: str
    key: str
    request: Any  # the request body as JSON-able data: hashed to tell replays from misuse

    @property
    def request_hash(self) -> str:
        canonical = json.dumps(self.request, sort_keys=True, default=str).encode()
        return hashlib.sha256(canonical).hexdigest()


class Records(Application[UUID]):
    name = "nguon"  # the events table is nguon_events

    def __init__(
        self,
        env: dict[str, str],
        province_code: str = "TH",
        personal_data: PersonalData | None = None,
    ) -> None:
        super().__init__(env)
        self.province_code = province_code
        self._envelopes = EnvelopeMaker(self.recorder, self.mapper)
        self._warm = WarmAggregates(self.recorder, self.mapper)
        self._codes_lock = threading.Lock()
        self._numbers: list[int] = []
        # Personal values are sealed by the handlers with keys kept outside the event store:
        # by default in the same database's nguon_person_keys, through the same pool.
        self.personal_data: PersonalData = personal_data or PostgresPersonalData(self._connection)

    def envelope(self, notification: Notification) -> Envelope:
        """A stored event as published on the wire (see docs/events.md)."""
        return self._envelopes.envelope(notification)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    # Writing ------------------------------------------------------------------------------

    def execute(
        self,
        actor: Actor,
        commands: Sequence[Command],
        idempotency: IdempotencyKey | None = None,
    ) -> Outcome:
        if idempotency is not None:
            earlier = self._earlier_answer(idempotency)
            if earlier is not None:
                return earlier
        try:
            return self._execute(actor, commands, idempotency, self._warm)
        except _StaleRead as stale:
            # Something it kept had changed: forget it, and run the command again, this time
            # reading everything from the store.
            self._warm.forget(stale.aggregate_ids)
            return self._execute(actor, commands, idempotency, None)

    def _execute(
        self,
        actor: Actor,
        commands: Sequence[Command],
        idempotency: IdempotencyKey | None,
        warm: WarmAggregates | None,
    ) -> Outcome:
        uow = UnitOfWork(
            self.repository,
            self.allocate_codes,
            sum(codes_needed(c) for c in commands),
            personal_data=self.personal_data,
            warm=warm,
        )
        results: list[Result] = []
        for index, command in enumerate(commands):
            try:
                results.append(handle(uow, actor, command))
            except DomainError as error:
                raise CommandRefused(index, error) from error
        return self._save(uow.touched(), results, idempotency, uow, actor.actor_id)

    def _save(
        self,
        aggregates: list[Aggregate],
        results: list[Result],
        idempotency: IdempotencyKey | None,
        uow: UnitOfWork | None = None,
        actor_id: UUID | None = None,
    ) -> Outcome:
        claim = None
        if idempotency is not None:
            claim = IdempotencyClaim(
                scope=idempotency.scope,
                key=idempotency.key,
                request_hash=idempotency.request_hash,
                answer=json.dumps([to_json(result) for result in results]),
            )
        reads = uow.warm_versions() if uow is not None else {}
        # What this request changes is no longer what the process kept, whatever the outcome.
        self._warm.forget(a.id for a in aggregates if a.pending_events)
        try:
            recordings = self.save(*aggregates, idempotency=claim, actor_id=actor_id, reads=reads)
        except IntegrityError as error:
            if getattr(error.__cause__, "sqlstate", None) == STALE_READ:
                raise _StaleRead(list(reads)) from error
            if idempotency is not None:
                earlier = self._earlier_answer(idempotency)
                if earlier is not None:  # the same request won a race against itself
                    return earlier
            lost = None if uow is None else uow.lost_claim()
            if lost is not None:  # another request took the same natural key first
                raise lost from None
            msg = "someone changed the same record at the same moment: reload and try again"
            raise ConcurrentChange(msg) from None
        if uow is not None:
            uow.saved()
        positions = [r.notification.id for r in recordings]
        return Outcome(results, max(positions) if positions else self.position())

    def _earlier_answer(self, idempotency: IdempotencyKey) -> Outcome | None:
        with self._connection() as conn:
            row = conn.execute(
                f"SELECT request_hash, answer, position FROM {IDEMPOTENCY_TABLE}"
                " WHERE scope = %s AND key = %s",
                (idempotency.scope, idempotency.key),
            ).fetchone()
        if row is None:
            return None
        if row["request_hash"] != idempotency.request_hash:
            msg = (
                f"Idempotency-Key {idempotency.key!r} was already used for another request:"
                " use a new key for a new request"
            )
            raise IdempotencyKeyReused(msg)
        results = [from_json(answer) for answer in json.loads(row["answer"])]
        return Outcome(results, row["position"], replayed=True)

    def allocate_codes(self, count: int) -> list[str]:
        """Short batch codes, unique across the platform: province, year (Vietnam), number.

        Numbers are drawn from the sequence a block at a time, and the block is used up by
        this process's next harvests: a single harvest costs no round trip for its code. The
        numbers stay unique across processes; a process that stops leaves the rest of its
        block unused, a gap, as a refused request always has."""
        with self._codes_lock:
            if len(self._numbers) < count:
                wanted = max(count - len(self._numbers), CODE_BLOCK)
                with self._connection() as conn:
                    rows = conn.execute(
                        "SELECT nextval('nguon_batch_code_seq') AS n FROM generate_series(1, %s)",
                        (wanted,),
                    ).fetchall()
                self._numbers.extend(row["n"] for row in rows)
            drawn, self._numbers = self._numbers[:count], self._numbers[count:]
        year = clock.today_in_vietnam().year
        return [batch_code(self.province_code, year, n) for n in drawn]

    # Reading ------------------------------------------------------------------------------

    def recall(self, recall_id: UUID) -> Recall:
        try:
            found: Aggregate = self.repository.get(recall_id)
        except AggregateNotFoundError:
            raise NotFound(f"no recall {recall_id}", params={"id": recall_id}) from None
        if not isinstance(found, Recall):
            raise NotFound(f"no recall {recall_id}", params={"id": recall_id})
        return found

    def batch(self, batch_id: UUID) -> Batch:
        try:
            found: Aggregate = self.repository.get(batch_id)
        except AggregateNotFoundError:
            raise NotFound(f"no batch {batch_id}", params={"id": batch_id}) from None
        if not isinstance(found, Batch):
            raise NotFound(f"no batch {batch_id}", params={"id": batch_id})
        return found

    def gln(self, gln: str) -> Gln | None:
        """The registration of a GLN, if any."""
        try:
            found: Aggregate = self.repository.get(Gln.create_id(gln))
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, Gln) else None

    def gtin_ownership(self, gtin14: str) -> GtinOwnership | None:
        """The registration that decides who may label with ``gtin14``, if any."""
        for key in keys_covering(gtin14):
            try:
                found: Aggregate = self.repository.get(GtinOwnership.create_id(key))
            except AggregateNotFoundError:
                continue
            if isinstance(found, GtinOwnership):
                return found
        return None

    def product(self, gtin14: str) -> GtinProduct | None:
        """What the GTIN's owner said of its product, straight from the records (for its form)."""
        try:
            found: Aggregate = self.repository.get(GtinProduct.create_id(gtin14))
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, GtinProduct) else None

    def history(self, aggregate_id: UUID) -> list[DomainEventProtocol[UUID]]:
        return list(self.repository.event_store.get(aggregate_id))

    def position(self) -> int:
        return self.recorder.max_notification_id() or 0

    def positions_of(self, aggregate_id: UUID) -> dict[int, int]:
        """Version → position of each stored event of one aggregate (events are only appended,
        so every version already read has its row)."""
        recorder = self.recorder
        assert isinstance(recorder, CaptureRecorder)  # the factory of shared.postgres makes it
        return recorder.positions_of(aggregate_id)

    def stored_among(self, aggregate_ids: Sequence[UUID]) -> set[UUID]:
        """Which of these aggregates exist, in one query (a document's worth of look-ups)."""
        recorder = self.recorder
        assert isinstance(recorder, CaptureRecorder)  # the factory of shared.postgres makes it
        return recorder.stored_among(aggregate_ids)

    def _connection(self) -> Any:
        return self.recorder.datastore.get_connection()  # type: ignore[attr-defined]
