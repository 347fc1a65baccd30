"""Group commit on real PostgreSQL: requests waiting for an append are stored together, and
each keeps its own answer, its own refusal and its place in commit order."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg

from shared.database import DatabaseUrls
from shared.domain.errors import DomainError
from shared.domain.identifiers import batch_id
from shared.postgres.group_commit import GroupCommit
from shared.postgres.recorder import CaptureRecorder
from shared.records.actors import Actor, Role
from shared.records.application import IdempotencyKey, Outcome, Records
from shared.records.results import BatchResult
from tests.builders import Grower, a_cooperative_command, a_grower, a_harvest
from tests.eventually import eventually

STAFF = Actor(Role.PROVINCE)


def group_sizes(records: Records) -> list[int]:
    """Records the size of every group the recorder appends, as it appends it (the real
    append runs unchanged)."""
    recorder = records.recorder
    assert isinstance(recorder, CaptureRecorder)
    commit = recorder._group_commit
    sizes: list[int] = []
    real_append = commit._append

    def append(group: Sequence[Any]) -> list[list[int]]:
        sizes.append(len(group))
        return real_append(group)

    commit._append = append
    return sizes


@contextmanager
def events_table_held(database: DatabaseUrls) -> Iterator[psycopg.Connection[Any]]:
    """Another transaction holds the events table's lock: appends queue behind it."""
    with psycopg.connect(database.admin) as holder:
        holder.execute("LOCK TABLE nguon_events IN EXCLUSIVE MODE")
        yield holder


def waiting_for_the_lock(database: DatabaseUrls) -> bool:
    with psycopg.connect(database.admin) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND query LIKE '%nguon_append%'"
        ).fetchone()
    return row is not None and row[0] > 0


class Sent:
    """A request executed in its own thread: its outcome or its refusal."""

    def __init__(self, execute: Callable[[], Outcome]) -> None:
        self.outcome: Outcome | None = None
        self.refusal: DomainError | None = None

        def run() -> None:
            try:
                self.outcome = execute()
            except DomainError as error:
                self.refusal = error

        self.thread = threading.Thread(target=run)
        self.thread.start()

    def done(self) -> Outcome:
        self.thread.join(timeout=30)
        assert self.outcome is not None, self.refusal
        return self.outcome


def _waiting(commit: GroupCommit[Any], n: int) -> bool:
    return commit.waiting == n


def a_grower_with_a_token(records: Records) -> Grower:
    """A grower whose requests come with a token: each event records who sent it."""
    grower = a_grower(records)
    return replace(grower, actor=replace(grower.actor, token_id=uuid4()))


def harvest(records: Records, grower: Grower, key: str | None = None) -> Callable[[], Outcome]:
    idempotency = None
    if key is not None:
        idempotency = IdempotencyKey(scope=str(grower.actor.actor_id), key=key, request={})
    return lambda: records.execute(grower.actor, [a_harvest([grower.plot_id])], idempotency)


def test_requests_waiting_for_an_append_go_together_and_a_refusal_refuses_only_its_own(
    records: Records, database: DatabaseUrls
) -> None:
    growers = [a_grower_with_a_token(records) for _ in range(3)]
    sizes = group_sizes(records)
    twice = a_cooperative_command()

    with events_table_held(database):
        first = Sent(harvest(records, growers[0]))
        eventually(lambda: waiting_for_the_lock(database), what="the first append in flight")
        # While it waits, four more arrive, in this order: they form the next group.
        commit = records.recorder._group_commit  # type: ignore[attr-defined]
        behind: list[Sent] = []
        sends: list[Callable[[], Outcome]] = [
            harvest(records, growers[1], key="monday"),
            lambda: records.execute(STAFF, [twice]),
            lambda: records.execute(STAFF, [twice]),  # the same registration number
            harvest(records, growers[2]),
        ]
        for execute in sends:
            behind.append(Sent(execute))
            eventually(partial(_waiting, commit, len(behind)), what=f"{len(behind)} waiting")

    for sent in [first, *behind]:
        sent.thread.join(timeout=30)
    b, registered, refused, e = behind

    # The four went as one group; its statement failed on the repeated registration number
    # and stored nothing, and each was then appended alone: only the repeat is refused.
    assert sizes == [1, 4, 1, 1, 1, 1]
    assert refused.outcome is None
    assert refused.refusal is not None
    assert refused.refusal.code == "already_registered"
    stored = [first.done(), b.done(), registered.done(), e.done()]
    # Positions follow the order the requests came in.
    assert [o.position for o in stored] == sorted(o.position for o in stored)
    with psycopg.connect(database.admin) as conn:
        row = conn.execute("SELECT position FROM nguon_idempotency WHERE key = 'monday'").fetchone()
        assert row is not None
        assert row[0] == b.done().position
        stored_after = conn.execute(
            "SELECT e.notification_id, a.actor_id FROM nguon_events e"
            " LEFT JOIN nguon_event_actors a ON a.position = e.notification_id"
            " WHERE e.notification_id > %s ORDER BY e.notification_id",
            (first.done().position,),
        ).fetchall()
    # Nothing of the refused request: one event each of the three others. (The failed group
    # statement used positions it never committed: gaps nobody can fill, as with any rollback
    # under the table lock, so a reader skips nothing.)
    assert [r[0] for r in stored_after] == [o.position for o in stored[1:]]
    # Each request's events record its own sender (the province's request: none).
    assert [r[1] for r in stored_after] == [
        growers[1].actor.actor_id,
        None,
        growers[2].actor.actor_id,
    ]


def test_concurrent_requests_share_appends_each_with_its_own_contiguous_positions(
    records: Records, database: DatabaseUrls
) -> None:
    growers = [a_grower_with_a_token(records) for _ in range(8)]
    before = records.position()
    sizes = group_sizes(records)
    answers: dict[UUID | None, list[Outcome]] = {g.actor.actor_id: [] for g in growers}

    def send(grower: Grower) -> None:
        for _ in range(25):
            # Two harvests a request: a request's two events must come out side by side.
            command = a_harvest([grower.plot_id])
            answers[grower.actor.actor_id].append(records.execute(grower.actor, [command, command]))

    threads = [threading.Thread(target=send, args=(g,)) for g in growers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    requests = sum(len(a) for a in answers.values())
    assert requests == 200
    assert sum(sizes) == requests  # nothing conflicted: every group stored at once
    assert len(sizes) < requests, "no two concurrent requests ever shared an append"
    with psycopg.connect(database.admin) as conn:
        rows = conn.execute(
            "SELECT e.notification_id, e.originator_id, a.actor_id FROM nguon_events e"
            " JOIN nguon_event_actors a ON a.position = e.notification_id"
            " WHERE e.notification_id > %s ORDER BY e.notification_id",
            (before,),
        ).fetchall()
    assert len(rows) == 2 * requests
    by_position = {r[0]: r for r in rows}
    for actor_id, outcomes in answers.items():
        for outcome in outcomes:
            last = outcome.position
            codes = [r.code for r in outcome.results if isinstance(r, BatchResult)]
            # The answer's position is its last event; the one before is its first.
            assert by_position[last][1] == batch_id(codes[1])
            assert by_position[last - 1][1] == batch_id(codes[0])
            assert by_position[last][2] == by_position[last - 1][2] == actor_id


_SENDER = """
import sys, threading
from dataclasses import replace
from uuid import UUID, uuid4
from shared.postgres.urls import eventsourcing_env
from shared.records.actors import Actor, Role
from shared.records.application import Records
from tests.builders import a_harvest

records = Records(eventsourcing_env(sys.argv[1], create_table=False))
actor = Actor(Role.COOPERATIVE, UUID(sys.argv[2]))
plot = UUID(sys.argv[3])
printing = threading.Lock()

def send():
    while True:
        outcome = records.execute(actor, [a_harvest([plot])])
        with printing:  # answered: the request's client would now have its 201
            sys.stdout.write(f"{outcome.position} {outcome.results[0].code}\\n")
            sys.stdout.flush()

for _ in range(12):
    threading.Thread(target=send, daemon=True).start()
threading.Event().wait()
"""


def test_a_crash_in_the_middle_of_groups_loses_no_answered_command(
    records: Records, database: DatabaseUrls
) -> None:
    grower = a_grower(records)
    repository = Path(__file__).resolve().parents[3]
    sender = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _SENDER,
            database.app,
            str(grower.cooperative_id),
            str(grower.plot_id),
        ],
        cwd=repository,
        stdout=subprocess.PIPE,
        text=True,
    )
    answered: list[str] = []
    try:
        assert sender.stdout is not None
        deadline = time.monotonic() + 60
        while len(answered) < 300 and time.monotonic() < deadline:
            line = sender.stdout.readline()
            if not line:
                break
            answered.append(line)
        # Twelve threads keep groups in flight: the kill lands in the middle of one.
        os.kill(sender.pid, signal.SIGKILL)
        answered.extend(sender.stdout.readlines())
    finally:
        sender.kill()
        sender.wait(timeout=30)
    assert len(answered) >= 300, "the sender did not get going"

    with psycopg.connect(database.admin) as conn:
        stored: dict[int, UUID] = dict(
            conn.execute(
                "SELECT notification_id, originator_id FROM nguon_events"
                " WHERE topic LIKE '%%Harvested%%'"
            ).fetchall()
        )
    for line in answered:
        position, code = line.split()
        assert stored.get(int(position)) == batch_id(code), f"{code}, answered, was lost"
    # Stored but never answered is allowed (the crash came between commit and answer);
    # nothing is stored twice.
    assert len(set(stored.values())) == len(stored)
