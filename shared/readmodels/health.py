"""Whether the read side can be trusted right now: for ``/healthz`` and operators.

``degraded`` when a projection has set events aside (``quarantine-unappliable``: some pages say
"record incomplete" until ``nguon projections retry``), when a projection is being rebuilt or
waits for one, or when the projections lag the event store by more than ``max_lag`` events.
The lag is the event store's head (the highest position of its notification log) less the
lowest position the projections have reached; with Kafka each projection's highest applied
position stands in for it, which is close enough to tell an operator that it does not move.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from shared.postgres.migrate import EVENTS_TABLE
from shared.readmodels.tracking import ALL_PROJECTIONS, Connect, lowest_position, session

MAX_LAG = 10_000
"""More events than this not yet applied: someone should look, even without a quarantine."""


@dataclass(frozen=True)
class ReadSideHealth:
    status: str  # "ok" | "degraded"
    quarantined: int  # events set aside, over all projections
    lag: int  # events stored beyond what every projection has applied
    rebuilding: tuple[str, ...] = ()  # projections being rebuilt, or of another version

    def as_json(self) -> dict[str, object]:
        return {
            "status": self.status,
            "quarantined": self.quarantined,
            "lag": self.lag,
            "rebuilding": list(self.rebuilding),
        }


def read_side_health(
    connect: Connect,
    head: int | None = None,
    *,
    projections: Sequence[str] = ALL_PROJECTIONS,
    versions: dict[str, int] | None = None,
    max_lag: int = MAX_LAG,
) -> ReadSideHealth:
    """The read side's health; ``head`` is the event store's last position (queried if None).

    ``versions`` (name → version this code expects) also counts a projection of another
    version as rebuilding; without it, only unfinished rebuilds are.
    """
    names = list(projections)
    with session(connect) as conn:
        if head is None:
            row = conn.execute(f"SELECT max(notification_id) FROM {EVENTS_TABLE}").fetchone()
            head = int(row[0]) if row and row[0] is not None else 0
        counted = conn.execute(
            "SELECT count(*) FROM rm_quarantine WHERE projection = ANY(%s)", (names,)
        ).fetchone()
        rows = conn.execute(
            "SELECT name, version, complete FROM rm_projections WHERE name = ANY(%s)", (names,)
        ).fetchall()
        reached = lowest_position(conn, names)
    known = {str(r[0]): (int(r[1]), bool(r[2])) for r in rows}
    expected = versions or {}
    rebuilding = tuple(
        n
        for n in names
        if n not in known or not known[n][1] or (n in expected and known[n][0] != expected[n])
    )
    quarantined = int(counted[0]) if counted else 0
    lag = max(0, head - reached)
    degraded = quarantined > 0 or bool(rebuilding) or lag > max_lag
    return ReadSideHealth("degraded" if degraded else "ok", quarantined, lag, rebuilding)


def read_side_check(connect: Connect) -> Callable[[], dict[str, object]]:
    """For ``/healthz``: the read side's health as this code's projection versions see it."""
    from shared.readmodels.units import all_projections  # the units import the engine: late

    versions = {p.name: p.version for p in all_projections()}

    def check() -> dict[str, object]:
        return read_side_health(connect, versions=versions).as_json()

    return check
