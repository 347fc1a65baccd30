"""A service's ``run`` loop in a thread of the test, stopped, joined and closed after.

The relay and the projector both run until ``stop()`` and hold connections until ``close()``;
tests run them in threads to break them at chosen moments. One runner does it for every test:
what the loop raised is kept on ``Running.errors``, and raised again at the end unless the test
took it (``Running.took``), so that a crash nobody expected never passes unseen.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from tests.eventually import eventually

JOIN_SECONDS = 30.0


class Service(Protocol):
    def run(self) -> None: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


S = TypeVar("S", bound=Service)


@dataclass
class Running(Generic[S]):
    """A service whose ``run`` is going on in ``thread``; what it raised lands in ``errors``."""

    service: S
    thread: threading.Thread
    errors: list[BaseException] = field(default_factory=list)

    def took(self, within: float = JOIN_SECONDS) -> list[BaseException]:
        """Waits for the loop to have raised, and takes what it raised (expected by the test)."""
        eventually(lambda: self.errors, within=within, what=f"a crash of {self.thread.name}")
        taken = list(self.errors)
        self.errors.clear()
        return taken


@contextmanager
def running(service: S, name: str) -> Iterator[Running[S]]:
    """``with running(relay, "test-relay") as it:`` the service's loop in a thread meanwhile."""
    it: Running[S] = Running(service, threading.Thread(name=name))

    def target() -> None:
        try:
            service.run()
        except BaseException as error:
            it.errors.append(error)

    it.thread = threading.Thread(target=target, name=name)
    it.thread.start()
    try:
        yield it
    finally:
        service.stop()
        it.thread.join(JOIN_SECONDS)
        service.close()
        assert not it.thread.is_alive(), f"{name} did not stop"
    if it.errors:
        raise it.errors[0]
