"""EPCIS capture jobs: one row per document a partner sent, kept beside the event store.

A job is written ``running`` before its events are executed and finished after, with each
event's outcome. The events themselves are in the event store; the job only says what became
of them. A process that stops between the two leaves the job unfinished: once it has been
unfinished for longer than any capture takes (:data:`INTERRUPTED_AFTER`), it is reported as
interrupted rather than as still running. Sending the document again is safe, since an event
already stored is known by its hash and answered ``duplicate``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

TABLE = "nguon_capture_jobs"
# A rollback document of the largest size commits in about a second; minutes are far beyond.
INTERRUPTED_AFTER = timedelta(minutes=10)

CAPTURE_JOBS_DDL = [
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        id uuid PRIMARY KEY,
        actor_id uuid,
        organisation_id uuid,
        behaviour text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        finished_at timestamptz,
        event_count integer NOT NULL,
        outcome jsonb)""",
    # An organisation's jobs, newest first (the binding's GET /capture).
    f"CREATE INDEX IF NOT EXISTS {TABLE}_organisation"
    f" ON {TABLE} (organisation_id, created_at DESC, id DESC)",
]

ConnectionFactory = Callable[[], AbstractContextManager[psycopg.Connection[Any]]]


@dataclass(frozen=True)
class CaptureJob:
    id: UUID
    actor_id: UUID | None
    organisation_id: UUID | None  # None: a staff token's job
    behaviour: str
    created_at: datetime
    finished_at: datetime | None
    event_count: int
    outcome: list[dict[str, Any]] | None  # each event's outcome, once finished
    interrupted: bool  # unfinished for longer than any capture takes

    @property
    def running(self) -> bool:
        return self.finished_at is None and not self.interrupted


@dataclass(frozen=True)
class JobPage:
    jobs: list[CaptureJob]
    next_after: tuple[datetime, UUID] | None  # the last job's place, when more may follow


_COLUMNS = (
    "id, actor_id, organisation_id, behaviour, created_at, finished_at, event_count, outcome,"
    " finished_at IS NULL AND clock_timestamp() - created_at > %(stale)s AS interrupted"
)


class CaptureJobs:
    def __init__(self, connect: ConnectionFactory) -> None:
        self._connect = connect

    def start(
        self,
        actor_id: UUID | None,
        organisation_id: UUID | None,
        behaviour: str,
        event_count: int,
    ) -> CaptureJob:
        """A new job, committed as running before any of its events is executed."""
        with self._connect() as conn, conn.transaction():
            row = (
                conn.cursor(row_factory=dict_row)
                .execute(
                    f"INSERT INTO {TABLE} (id, actor_id, organisation_id, behaviour, event_count)"
                    f" VALUES (%(id)s, %(actor)s, %(org)s, %(behaviour)s, %(count)s)"
                    f" RETURNING {_COLUMNS}",
                    {
                        "id": uuid4(),
                        "actor": actor_id,
                        "org": organisation_id,
                        "behaviour": behaviour,
                        "count": event_count,
                        "stale": INTERRUPTED_AFTER,
                    },
                )
                .fetchone()
            )
        assert row is not None
        return _job(row)

    def finish(self, job_id: UUID, outcome: list[dict[str, Any]]) -> CaptureJob:
        """Records what became of each event; a job is finished once."""
        with self._connect() as conn, conn.transaction():
            row = (
                conn.cursor(row_factory=dict_row)
                .execute(
                    f"UPDATE {TABLE} SET finished_at = clock_timestamp(), outcome = %(outcome)s"
                    f" WHERE id = %(id)s AND finished_at IS NULL RETURNING {_COLUMNS}",
                    {"id": job_id, "outcome": Jsonb(outcome), "stale": INTERRUPTED_AFTER},
                )
                .fetchone()
            )
        if row is None:
            raise LookupError(f"capture job {job_id} is unknown or already finished")
        return _job(row)

    def get(self, job_id: UUID) -> CaptureJob | None:
        with self._connect() as conn:
            row = (
                conn.cursor(row_factory=dict_row)
                .execute(
                    f"SELECT {_COLUMNS} FROM {TABLE} WHERE id = %(id)s",
                    {"id": job_id, "stale": INTERRUPTED_AFTER},
                )
                .fetchone()
            )
        return None if row is None else _job(row)

    def page(
        self,
        organisation_id: UUID | None,
        after: tuple[datetime, UUID] | None,
        per_page: int,
        *,
        everyone: bool = False,
    ) -> JobPage:
        """Newest first: ``organisation_id``'s jobs, or every job when ``everyone`` (staff)."""
        where = ["TRUE" if everyone else "organisation_id IS NOT DISTINCT FROM %(org)s"]
        if after is not None:
            where.append("(created_at, id) < (%(at)s, %(after)s)")
        params = {
            "org": organisation_id,
            "at": after[0] if after else None,
            "after": after[1] if after else None,
            "limit": per_page + 1,  # one more than asked: tells whether a next page exists
            "stale": INTERRUPTED_AFTER,
        }
        with self._connect() as conn:
            rows = (
                conn.cursor(row_factory=dict_row)
                .execute(
                    f"SELECT {_COLUMNS} FROM {TABLE} WHERE {' AND '.join(where)}"
                    " ORDER BY created_at DESC, id DESC LIMIT %(limit)s",
                    params,
                )
                .fetchall()
            )
        jobs = [_job(row) for row in rows[:per_page]]
        more = len(rows) > per_page
        return JobPage(jobs, (jobs[-1].created_at, jobs[-1].id) if more else None)


def _job(row: dict[str, Any]) -> CaptureJob:
    return CaptureJob(
        id=row["id"],
        actor_id=row["actor_id"],
        organisation_id=row["organisation_id"],
        behaviour=row["behaviour"],
        created_at=row["created_at"],
        finished_at=row["finished_at"],
        event_count=row["event_count"],
        outcome=row["outcome"],
        interrupted=bool(row["interrupted"]),
    )
