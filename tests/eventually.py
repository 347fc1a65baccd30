"""Waiting in tests for what happens in another thread or process, without a bare ``sleep``.

Most waits in this suite are by position (the projections' tracking). What has no position to
wait on — a log line, a broker's offsets, a process that exits — is polled here, with one
deadline rule and one failure message shape, instead of a hand-written loop in each test.
"""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Callable
from typing import TypeVar

import pytest

T = TypeVar("T")
DEFAULT_SECONDS = 30.0
_FIRST_PAUSE = 0.01
_LONGEST_PAUSE = 0.25


def eventually(
    check: Callable[[], T | None],
    *,
    within: float = DEFAULT_SECONDS,
    what: str | Callable[[], str] = "the condition",
    every: float | None = None,
) -> T:
    """Calls ``check`` until it returns something truthy, and returns that; fails the test after
    ``within`` seconds, saying ``what`` never happened (a callable ``what`` is asked at the end,
    so the message can show the last state seen). ``every`` fixes the pause between calls, for a
    wait that also measures when it ended; otherwise the pause grows from 10 ms to 250 ms."""
    deadline = time.monotonic() + within
    pause = every or _FIRST_PAUSE
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() >= deadline:
            described = what() if callable(what) else what
            pytest.fail(f"after {within:g} s: {described} never happened", pytrace=False)
        time.sleep(pause)
        if every is None:
            pause = min(pause * 2, _LONGEST_PAUSE)


def answers(url: str) -> bool:
    """Whether ``url`` answers a GET with a success (a check for ``eventually``: a server
    that is starting refuses the connection, or answers an error, until it is ready)."""
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False
