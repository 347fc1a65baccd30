"""Group commit: concurrent requests' events appended and committed by one statement.

Every append takes the event store's table lock (positions stay gap-free in commit order), so
concurrent requests queue for it one round trip at a time. Here a request that finds another's
append in flight does not queue for the lock: it joins the next group, and when the append in
flight returns, one of the waiting requests (the first to have come) appends the whole group in
one call of ``nguon_append`` and answers each member. Nothing waits on a timer: alone, a request
appends at once, as before; under load, groups form from whoever arrived during the last trip.

What each request is promised stays its own:

- a member is answered only after the group's transaction has committed (an answered command
  survives a crash: the event store keeps synchronous commit);
- positions follow the order the members came in, and a member's events are not mixed with
  another's;
- a member that conflicts (another request stored the same aggregate's version, the same natural
  key or the same idempotency key) fails the group's statement, which commits nothing; the
  members are then appended one by one, in the same order, so only the conflicting ones fail,
  each with its own error.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from eventsourcing.persistence import IntegrityError

W = TypeVar("W")  # what one request appends (its events and what goes with them)

Append = Callable[[Sequence[W]], list[list[int]]]
"""Appends the members' work in one transaction: each member's positions, in order; raises
(and commits nothing) if any member cannot be stored."""


@dataclass(eq=False)
class _Member(Generic[W]):
    work: W
    size: int
    woken: threading.Event = field(default_factory=threading.Event)
    leads: bool = False  # woken to append the next group, not with an answer
    positions: list[int] | None = None
    error: BaseException | None = None

    def answer(self) -> list[int]:
        if self.error is not None:
            raise self.error
        assert self.positions is not None  # every member of an appended group is answered
        return self.positions


class GroupCommit(Generic[W]):
    def __init__(self, append: Append[W], max_group_events: int = 5_000) -> None:
        self._append = append
        self._max_group_events = max_group_events
        self._lock = threading.Lock()
        self._waiting: list[_Member[W]] = []
        self._appending = False  # a group is in flight (then the waiting join the next one)

    def append(self, work: W, size: int) -> list[int]:
        """Stores ``work`` (``size`` events) with whatever else is waiting: its positions."""
        member = _Member(work, size)
        with self._lock:
            self._waiting.append(member)
            leads = not self._appending
            self._appending = True
        if not leads:
            member.woken.wait()
            if not member.leads:
                return member.answer()
        # Whoever leads is first in line: nobody waits while no group is in flight.
        self._lead()
        return member.answer()

    @property
    def waiting(self) -> int:
        """How many requests wait for the next group."""
        with self._lock:
            return len(self._waiting)

    def _lead(self) -> None:
        try:
            with self._lock:
                group = self._take()
            self._append_group(group)
        finally:
            with self._lock:
                if self._waiting:
                    following = self._waiting[0]
                    following.leads = True
                    following.woken.set()
                else:
                    self._appending = False

    def _take(self) -> list[_Member[W]]:
        """The next group: the first waiting, and those after it up to the size limit."""
        group = [self._waiting[0]]
        events = group[0].size
        for member in self._waiting[1:]:
            if events + member.size > self._max_group_events:
                break
            group.append(member)
            events += member.size
        del self._waiting[: len(group)]
        return group

    def _append_group(self, group: list[_Member[W]]) -> None:
        try:
            try:
                answers = self._append([m.work for m in group])
            except IntegrityError:
                if len(group) == 1:
                    raise
                answers = None
            if answers is not None:
                for member, positions in zip(group, answers, strict=True):
                    member.positions = positions
            else:  # one member conflicts: each alone, in order, so only it fails
                for member in group:
                    try:
                        member.positions = self._append([member.work])[0]
                    except BaseException as error:
                        member.error = error
        except BaseException as error:
            for member in group:
                if member.positions is None and member.error is None:
                    member.error = error
        finally:
            for member in group:
                member.woken.set()
