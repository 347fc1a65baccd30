"""The one runner of services in threads: a crash nobody took fails the test; a taken one not."""

from __future__ import annotations

import threading

import pytest

from tests.running import running


class Loop:
    """A service's shape (run until stopped, then closed), crashing at once when told to."""

    def __init__(self, crash: BaseException | None = None) -> None:
        self.crash = crash
        self.stopping = threading.Event()
        self.closed = False

    def run(self) -> None:
        if self.crash is not None:
            raise self.crash
        self.stopping.wait(30)

    def stop(self) -> None:
        self.stopping.set()

    def close(self) -> None:
        self.closed = True


class Crashed(Exception):
    pass


def test_a_service_runs_until_the_block_ends_and_is_then_stopped_joined_and_closed() -> None:
    loop = Loop()
    with running(loop, "test-loop") as it:
        assert it.thread.is_alive()
    assert not it.thread.is_alive()
    assert loop.closed


def test_what_the_loop_raised_is_raised_again_when_no_test_took_it() -> None:
    loop = Loop(Crashed("the broker vanished"))
    with pytest.raises(Crashed, match="the broker vanished"), running(loop, "test-loop") as it:
        it.thread.join(30)
    assert loop.closed


def test_a_crash_the_test_took_is_not_raised_again() -> None:
    with running(Loop(Crashed("on purpose")), "test-loop") as it:
        assert [type(error) for error in it.took(within=30)] == [Crashed]
    assert it.errors == []


def test_waiting_for_a_crash_that_never_comes_fails_in_words() -> None:
    with (
        running(Loop(), "test-loop") as it,
        pytest.raises(pytest.fail.Exception, match="a crash of test-loop never happened"),
    ):
        it.took(within=0.05)
