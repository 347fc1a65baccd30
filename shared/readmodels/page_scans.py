"""Where counted QR scans are kept: ``nguon_page_scans``, scans per batch and Vietnam day.

A scan is a request for a batch's public page that reached the server. It is not an event and
no projection owns the table: a rebuild of the read models leaves it alone (``shared.postgres
.migrate`` creates it with the platform's own tables). Only a batch id, a day and a count are
stored: never an address, a user agent or anything else about the person who scanned.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from datetime import date
from uuid import UUID

from shared.postgres.migrate import PAGE_SCANS_TABLE
from shared.readmodels.tracking import Connect, session

ScanCounts = Mapping[tuple[UUID, date], int]
"""How many scans of a batch on a (Vietnam) day, since the last flush."""

_ADD = f"""INSERT INTO {PAGE_SCANS_TABLE} (batch_id, day, scans)
SELECT * FROM unnest(%s::uuid[], %s::date[], %s::bigint[])
ON CONFLICT (batch_id, day) DO UPDATE SET scans = {PAGE_SCANS_TABLE}.scans + EXCLUDED.scans"""


class ScanStore(ABC):
    """Adds counted scans to what is kept; unit tests subclass it in memory."""

    @abstractmethod
    def add(self, counts: ScanCounts) -> None:
        """Adds every count at once, or none (raises): the caller keeps them to try again."""

    @abstractmethod
    def scans(self, batch_id: UUID, day: date) -> int:
        """The scans kept for a batch on a day (0 when none)."""


class PostgresScanStore(ScanStore):
    def __init__(self, connect: Connect) -> None:
        self._connect = connect

    def add(self, counts: ScanCounts) -> None:
        if not counts:
            return
        keys = sorted(counts)  # one order for every writer: concurrent flushes cannot deadlock
        with session(self._connect) as conn:
            conn.execute(
                _ADD,
                ([k[0] for k in keys], [k[1] for k in keys], [counts[k] for k in keys]),
            )
            conn.commit()

    def scans(self, batch_id: UUID, day: date) -> int:
        with session(self._connect) as conn:
            row = conn.execute(
                f"SELECT scans FROM {PAGE_SCANS_TABLE} WHERE batch_id = %s AND day = %s",
                (batch_id, day),
            ).fetchone()
        return int(row[0]) if row else 0
