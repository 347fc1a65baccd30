"""The group commit's hand-over between requests, with an append that only counts: no request
waits for ever, groups respect their size limit, and an error reaches every member of its group.
(The appends themselves, on PostgreSQL, are in tests/integration/eventstore.)"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Sequence

import pytest

from shared.postgres.group_commit import GroupCommit


class Numbering:
    """Gives each member's events the next numbers, as the event store's sequence would."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.groups: list[list[str]] = []
        self._numbers = itertools.count(1)
        self._fail_on = fail_on

    def __call__(self, group: Sequence[tuple[str, int]]) -> list[list[int]]:
        time.sleep(0.001)  # a round trip: long enough for others to arrive
        self.groups.append([name for name, _ in group])
        if self._fail_on is not None and any(name == self._fail_on for name, _ in group):
            raise ConnectionError("the database went away")
        return [[next(self._numbers) for _ in range(size)] for _, size in group]


def test_many_threads_are_all_answered_in_fewer_groups_than_requests() -> None:
    numbering = Numbering()
    commit: GroupCommit[tuple[str, int]] = GroupCommit(numbering, max_group_events=10)
    answers: dict[str, list[int]] = {}

    def send(name: str) -> None:
        answers[name] = commit.append((name, 2), 2)

    threads = [threading.Thread(target=send, args=(f"r{i}",)) for i in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(answers) == 200
    assert len(numbering.groups) < 200
    assert max(len(g) for g in numbering.groups) <= 5  # 10 events, 2 a request
    # Numbers follow the order of the groups and of the members within them.
    order = [name for group in numbering.groups for name in group]
    assert [answers[name] for name in order] == [[n, n + 1] for n in range(1, 401, 2)]
    assert commit.waiting == 0


def test_a_request_larger_than_the_limit_goes_alone() -> None:
    commit: GroupCommit[tuple[str, int]] = GroupCommit(Numbering(), max_group_events=10)
    assert commit.append(("bulk", 50), 50) == list(range(1, 51))


def test_an_error_reaches_each_member_of_its_group_and_the_next_group_goes_on() -> None:
    numbering = Numbering(fail_on="bad")
    commit: GroupCommit[tuple[str, int]] = GroupCommit(numbering)
    outcomes: dict[str, object] = {}

    def send(name: str) -> None:
        try:
            outcomes[name] = commit.append((name, 1), 1)
        except ConnectionError as error:
            outcomes[name] = error

    threads = [threading.Thread(target=send, args=(n,)) for n in ["a", "bad", "b", "c", "d"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    failed = {n for n, o in outcomes.items() if isinstance(o, ConnectionError)}
    with_bad = next(g for g in numbering.groups if "bad" in g)
    assert failed == set(with_bad)
    assert len(outcomes) == 5
    assert commit.append(("after", 1), 1)  # nothing is left holding the lead


@pytest.mark.parametrize("size", [1, 3])
def test_alone_a_request_appends_at_once(size: int) -> None:
    numbering = Numbering()
    commit: GroupCommit[tuple[str, int]] = GroupCommit(numbering)
    assert commit.append(("only", size), size) == list(range(1, size + 1))
    assert numbering.groups == [["only"]]
