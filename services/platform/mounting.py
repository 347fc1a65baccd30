"""Mounting whole apps by the URL spaces they claim, each keeping its own handlers.

Each service's app routes the same absolute paths whether it runs alone (``serve-capture``
behind a load balancer that routes ``/api/*`` to it) or in the one-process platform, so its
OpenAPI document, its links and its ``Location`` headers never depend on where it runs.
Starlette's ``Mount("/api", app)`` would strip the prefix and make the app see ``/v1/…``;
mounting at ``""`` hands the path over whole, and :class:`MountedApp` adds the one condition
a catch-all lacks: which paths are the app's. A request reaches exactly one app, whose own
exception handlers answer it: no handler has to ask which part of the site it was for.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Scope


class MountedApp(Mount):
    """``app`` at the root of the URL space, for the paths under ``paths`` only."""

    def __init__(self, paths: Sequence[str], app: ASGIApp, *, name: str) -> None:
        super().__init__("", app=app, name=name)
        self.paths = tuple(path.rstrip("/") for path in paths)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] in ("http", "websocket") and not self.claims(scope["path"]):
            return Match.NONE, {}
        return super().matches(scope)

    def claims(self, path: str) -> bool:
        """``/b`` claims ``/b`` and ``/b/…``, not ``/bags``."""
        return any(path == p or path.startswith(p + "/") for p in self.paths)
