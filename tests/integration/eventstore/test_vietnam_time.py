"""Vietnam time does not depend on the host's time zone.

Each check runs in a fresh interpreter under ``TZ=Asia/Ho_Chi_Minh`` and ``TZ=America/New_York``
(and UTC): the batch code's year, today's date in Vietnam and the start of a Vietnamese day must
come out the same everywhere. The platform's clock is frozen at 00:30 on 1 January 2027 in
Vietnam (17:30 UTC on 31 December 2026), where a host-local or UTC calendar gives the wrong year.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared.database import DatabaseUrls

REPOSITORY = Path(__file__).resolve().parents[3]
ZONES = ["Asia/Ho_Chi_Minh", "America/New_York", "UTC"]

PROBE = """
import json, sys
from datetime import UTC, date, datetime

from shared.domain import clock

clock.now = lambda: datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # 00:30 on 1 Jan 2027 in Vietnam

from shared.postgres.urls import eventsourcing_env
from shared.records.application import Records

records = Records(eventsourcing_env(sys.argv[1], create_table=False), "TH")
try:
    code = records.allocate_codes(1)[0]
finally:
    records.close()
print(json.dumps({
    "code_year": code.split("-")[1],
    "today": clock.today_in_vietnam().isoformat(),
    "start_of_new_year": clock.start_of_day_in_vietnam(date(2027, 1, 1)).isoformat(),
    "wall_clock": clock.in_vietnam(clock.now()).strftime("%Y-%m-%d %H:%M"),
}))
"""


def _probe(zone: str, database_url: str) -> dict[str, str]:
    env = {**os.environ, "TZ": zone, "PYTHONPATH": str(REPOSITORY)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, database_url],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    answer: dict[str, str] = json.loads(done.stdout)
    return answer


@pytest.mark.parametrize("zone", ZONES)
def test_batch_codes_and_todays_date_follow_vietnam_whatever_the_hosts_zone(
    database: DatabaseUrls, zone: str
) -> None:
    assert _probe(zone, database.app) == {
        "code_year": "2027",
        "today": "2027-01-01",
        "start_of_new_year": "2026-12-31T17:00:00+00:00",
        "wall_clock": "2027-01-01 00:30",
    }
