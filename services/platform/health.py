"""The platform's one ``/healthz``: a named check per part, the worst of them on top.

A check answers a small dict with its ``status`` (``ok``, ``degraded`` or ``down``) and
whatever figures explain it. The answer is 200 unless a part is down (503), so a load
balancer keeps sending buyers to a platform whose read side lags behind but still answers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import JSONResponse

log = logging.getLogger(__name__)

Check = Callable[[], Mapping[str, object]]
_RANK = {"ok": 0, "degraded": 1, "down": 2}


@dataclass
class Health:
    checks: dict[str, Check] = field(default_factory=dict)

    def add(self, name: str, check: Check) -> None:
        self.checks[name] = check

    def report(self) -> dict[str, object]:
        parts = {name: self._run(name, check) for name, check in self.checks.items()}
        statuses = [str(part["status"]) for part in parts.values()]
        worst = max(statuses, key=lambda status: _RANK.get(status, _RANK["down"]), default="ok")
        return {"status": worst, "checks": parts}

    def endpoint(self, _request: Request) -> JSONResponse:
        """Plain ``def``: checks block (PostgreSQL), so Starlette runs it in a worker thread."""
        body = self.report()
        status = 503 if body["status"] == "down" else 200
        return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})

    @staticmethod
    def _run(name: str, check: Check) -> dict[str, object]:
        try:
            answer = dict(check())
        except Exception as error:  # a part that cannot answer is down, with the reason
            log.warning("health check %s failed: %s", name, error)
            return {"status": "down", "error": f"{type(error).__name__}: {error}"}
        answer.setdefault("status", "ok")
        return answer
