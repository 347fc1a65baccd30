"""The embedded default: PostgreSQL from the wheel, on a Unix socket, data in a local folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

WRITE = """
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from services.platform.composition import records_only
from services.platform.settings import PlatformSettings
from shared.domain.quantities import Quantity
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.results import CooperativeResult, PlotResult

with records_only(PlatformSettings(data_dir=Path(sys.argv[1]))) as side:
    coop = side.records.execute(Actor(Role.PROVINCE), [c.RegisterCooperative(
        name="HTX Quảng Phú", registration_number="2801-E-1", commune="Xã Quảng Phú",
        former_district="Quảng Xương", province="Thanh Hóa", sector="rau",
        founded=date(2018, 1, 1), members_count=20, model="new")]
    ).result(CooperativeResult).cooperative_id
    actor = Actor(Role.COOPERATIVE, coop)
    plot = side.records.execute(actor, [c.RegisterPlot(
        cooperative_id=coop, crop="rau", area_ha=Decimal("1"), commune="Xã Quảng Phú",
        location={"type": "Point", "coordinates": [105.8, 19.7]})]).result(PlotResult).plot_id
    # One request of 3,000 events: large enough to have stalled a pipelined append on the
    # Unix-domain socket the embedded server listens on.
    harvest = c.HarvestBatch(
        plot_ids=[plot], commodity="rau", quantity=Quantity.positive("10", "kg"),
        harvested_on=date(2026, 11, 1))
    outcome = side.records.execute(actor, [harvest] * 3000)
    print(outcome.position)
"""

READ = """
import sys
from pathlib import Path

from services.platform.composition import records_only
from services.platform.settings import PlatformSettings

with records_only(PlatformSettings(data_dir=Path(sys.argv[1]))) as side:
    print(side.records.position())
"""


def run(script: str, data_dir: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", script, str(data_dir)],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    return result.stdout.strip()


def test_a_large_bulk_request_is_stored_and_survives_a_restart_of_the_embedded_server(
    tmp_path: Path,
) -> None:
    written = run(WRITE, tmp_path)  # the process ends, and the server it started stops with it

    assert int(written) == 3002
    assert (tmp_path / "postgres" / "PG_VERSION").exists()
    assert run(READ, tmp_path) == written  # a new process starts the server on the same data
