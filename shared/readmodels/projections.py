"""The platform's projections together: one entry point for both sources (log and Kafka).

Consumes envelopes, produces the read models of :mod:`shared.readmodels.units`. ``apply`` hands
a batch to every projection in turn, each in its own transaction under its own lock, with its
own tracking (see :mod:`shared.readmodels.engine`): a duplicate envelope is a no-op, an unknown
event type is recorded and advances tracking, arrival order across aggregates does not change
the result, and an event a projection cannot apply waits in its quarantine.

A projection being rebuilt elsewhere refuses live applies (``RebuildInProgress``); the others
still apply the batch first, so they keep up, and the caller retries it later (a repeat is a
no-op for those that have it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from shared.domain.clock import today_in_vietnam
from shared.readmodels.engine import ProjectionVersionMismatch, RebuildInProgress, Status, Unit
from shared.readmodels.quarantine import Quarantined
from shared.readmodels.tracking import Connect, Tracking, lowest_position, session, stored_offsets
from shared.readmodels.units import all_projections
from shared.wire.envelope import Envelope

log = logging.getLogger(__name__)


class Projections:
    def __init__(
        self,
        connect: Connect,
        today: Callable[[], date] = today_in_vietnam,
        *,
        units: Iterable[Unit] | None = None,
    ) -> None:
        self._connect = connect
        self.units = (
            list(units) if units is not None else [Unit(p, connect) for p in all_projections(today)]
        )

    @property
    def names(self) -> list[str]:
        return [u.name for u in self.units]

    def unit(self, name: str) -> Unit:
        for unit in self.units:
            if unit.name == name:
                return unit
        msg = f"no projection named {name!r}: the projections are {', '.join(self.names)}"
        raise KeyError(msg)

    def only(self, names: Iterable[str]) -> Projections:
        """The same database, these projections alone."""
        return Projections(self._connect, units=[self.unit(n) for n in names])

    def apply(
        self, envelopes: Sequence[Envelope], tracking: Tracking, *, materialize: bool = True
    ) -> None:
        """Applies a batch to every projection, each in its own transaction with its tracking.

        Projectors of one group apply their batches at once, and each projection's writes are
        one at a time (its lock): a projection another projector is writing is passed over and
        taken after the others, so two projectors write different projections side by side
        rather than queueing behind each other on the first."""
        waiting: list[RebuildInProgress] = []

        def applied(unit: Unit, *, wait: bool) -> bool:
            try:
                return unit.apply(envelopes, tracking, materialize=materialize, wait=wait)
            except RebuildInProgress as error:
                waiting.append(error)
                return True  # the rebuild's to finish; the batch is refused after the others

        busy = [unit for unit in self.units if not applied(unit, wait=False)]
        for unit in busy:
            applied(unit, wait=True)
        if waiting:
            raise waiting[-1]

    def position(self) -> int:
        """Embedded mode: the notification-log position every projection has applied."""
        with session(self._connect) as conn:
            return lowest_position(conn, self.names)

    def kafka_offsets(self, topic: str, group: str) -> dict[int, int]:
        """Production: partition → next offset every projection has applied.

        A partition missing here is not applied by one of them: consume it from its beginning
        (the others find what they had and skip it).
        """
        with session(self._connect) as conn:
            return stored_offsets(conn, topic, group, self.names)

    def stale(self) -> list[str]:
        """The projections that must be rebuilt: another version, none yet, or unfinished."""
        return [u.name for u in self.units if u.needs_rebuild()]

    def needs_rebuild(self) -> bool:
        return bool(self.stale())

    def reset(self, *, complete: bool = True) -> None:
        """Empties every projection's tables and tracking; see :meth:`Unit.reset`."""
        for unit in self.units:
            unit.reset(complete=complete)

    def reset_other_versions(self) -> list[str]:
        """Empties the projections whose tables another version built (or none has), so a
        consumer starts them from the first record; a rebuild in progress is left to finish."""
        reset = []
        for unit in self.units:
            version, _ = unit.stored()
            if version != unit.projection.version:
                unit.reset()
                reset.append(unit.name)
        return reset

    def finish_rebuild(self) -> int:
        """Composes what every projection's rebuild left; returns the most rows one composed
        (the batches, for provenance and the catalogue)."""
        return max((unit.finish_rebuild() for unit in self.units), default=0)

    def status(self) -> list[Status]:
        return [unit.status() for unit in self.units]

    def quarantined(self) -> list[Quarantined]:
        return sorted(
            (q for unit in self.units for q in unit.quarantined()),
            key=lambda q: (q.position, q.projection),
        )

    def retry(self) -> dict[str, tuple[int, int]]:
        """Each projection's quarantined events applied again: name → (applied, left)."""
        return {unit.name: unit.retry() for unit in self.units}


__all__ = ["ProjectionVersionMismatch", "Projections", "RebuildInProgress"]
