"""At most so many failed sign-ins per client address per window, in PostgreSQL.

Many phones share one carrier address, so an address is throttled (429 with ``Retry-After``
until its window ends), never locked, and only failures count against it. The count lives in
the database so that every process of the platform sees the same one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from psycopg.rows import tuple_row

from shared.postgres.tokens import ConnectionFactory

THROTTLE = "nguon_sign_in_throttle"


class AddressThrottle:
    def __init__(
        self,
        connect: ConnectionFactory,
        *,
        failures: int = 20,
        window: timedelta = timedelta(minutes=10),
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._connect = connect
        self.failures = failures
        self.window = window
        self.now = wall_clock

    def retry_after(self, address: str) -> int | None:
        """Seconds until ``address`` may try again, or None when it may try now."""
        now = self.now()
        with self._connect() as conn:
            row = (
                conn.cursor(row_factory=tuple_row)
                .execute(
                    f"SELECT window_started_at, failures FROM {THROTTLE} WHERE address = %s",
                    (address,),
                )
                .fetchone()
            )
        if row is None:
            return None
        started: datetime = row[0]
        failures: int = row[1]
        ends = started + self.window
        if failures < self.failures or ends <= now:
            return None
        return max(1, math.ceil((ends - now).total_seconds()))

    def failed(self, address: str) -> None:
        now = self.now()
        with self._connect() as conn, conn.transaction():
            conn.execute(
                f"INSERT INTO {THROTTLE} AS t (address, window_started_at, failures)"
                " VALUES (%s, %s, 1) ON CONFLICT (address) DO UPDATE SET"
                " failures = CASE WHEN t.window_started_at <= %s THEN 1 ELSE t.failures + 1 END,"
                " window_started_at = CASE WHEN t.window_started_at <= %s THEN %s"
                " ELSE t.window_started_at END",
                (address, now, now - self.window, now - self.window, now),
            )
            # Old windows are of no use: keep the table as small as the addresses of the hour.
            conn.execute(
                f"DELETE FROM {THROTTLE} WHERE window_started_at <= %s", (now - 6 * self.window,)
            )
