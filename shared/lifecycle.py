"""How a process of the platform stops: on SIGTERM as cleanly as on SIGINT.

Python's default SIGTERM ends the process on the spot: no ``finally``, no ``atexit``, so the
embedded PostgreSQL (stopped by an ``atexit`` handler when its last user leaves) stayed
running after ``docker stop``, ``systemctl stop`` or a test's ``terminate()``. Each command
therefore chooses one of two ways to stop:

- :func:`exit_on_sigterm`, which ``nguon`` installs first for every command: SIGTERM becomes
  ``SystemExit``, so whatever the command was doing unwinds. uvicorn catches SIGTERM itself
  for its graceful shutdown, then raises it again through the handler that was installed
  before it started: this one, so everything after uvicorn unwinds too.
- :func:`stop_on_signals` for loops that stop between rounds (relay, projector): SIGTERM and
  SIGINT ask the loop to stop, and the command returns normally once it has.

:func:`serve_in_workers` runs an HTTP service as several processes (uvicorn's supervisor),
for the capture and web services alike.
"""

from __future__ import annotations

import logging
import signal
import socket
from collections.abc import Callable
from types import FrameType

import uvicorn
from uvicorn.supervisors import Multiprocess

log = logging.getLogger(__name__)


def exit_on_sigterm() -> None:
    """From now on SIGTERM exits (status 0) by unwinding, so cleanup code runs."""
    signal.signal(signal.SIGTERM, _exit)


def _exit(signum: int, _frame: FrameType | None) -> None:
    # A second SIGTERM while cleaning up would interrupt the cleanup itself.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    log.info("signal %d: stopping", signum)
    raise SystemExit(0)


def stop_on_signals(stop: Callable[[], None]) -> None:
    """SIGTERM and SIGINT call ``stop``: the loop finishes its round, then returns."""

    def handle(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %d: stopping after the current round", signum)
        stop()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)


def serve_in_workers(factory: str, host: str, port: int, workers: int) -> None:
    """``workers`` processes, each building its app by calling ``factory`` (``module:function``,
    reading its settings from the environment in the worker itself); the parent binds the one
    socket they share and restarts a worker that dies."""
    config = uvicorn.Config(
        factory,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_level="warning",
    )
    Multiprocess(config, sockets=[_listening_socket(host, port)]).run()


def _listening_socket(host: str, port: int) -> socket.socket:
    """The socket the workers share, created with an explicit IPPROTO_TCP.

    uvicorn's own (``proto=0``) makes asyncio skip TCP_NODELAY on accepted connections, and
    every answer then waited out Nagle against the client's delayed ACK: a steady ~45 ms a
    request with two workers, against ~8 ms with one.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.bind((host, port))
    listening.listen(2048)
    listening.set_inheritable(True)
    return listening
