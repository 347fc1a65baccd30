"""A new plot names its member household by id only; a plot stored with a plain reference
before households were registered (``Plot.Registered`` v1) is still read and projected."""

from __future__ import annotations

import json
from decimal import Decimal
from uuid import UUID, uuid4

import psycopg
import pytest
from eventsourcing.persistence import StoredEvent

from shared.database import DatabaseUrls
from shared.domain.errors import InvalidValue
from shared.domain.plot import Plot
from shared.readmodels.projections import Projections
from shared.readmodels.rebuild import connections_of, rebuild
from shared.readmodels.units.monitoring import household_key
from shared.records import commands as c
from shared.records.application import CommandRefused, Records
from shared.records.results import HouseholdResult
from tests.builders import Grower, a_plot_command

OLD_REFERENCE = "hộ số 9 (ghi từ trước)"


def _stored_events(database: DatabaseUrls) -> bytes:
    with psycopg.connect(database.admin) as conn:
        rows = conn.execute("SELECT state FROM nguon_events ORDER BY notification_id").fetchall()
    return b"".join(bytes(row[0]) for row in rows)


def test_a_plot_command_with_a_plain_household_reference_and_no_household_is_refused(
    records: Records, grower: Grower, database: DatabaseUrls
) -> None:
    before = records.position()

    with pytest.raises(CommandRefused) as refused:
        records.execute(grower.actor, [a_plot_command(grower.cooperative_id, household_ref="HO-5")])

    assert refused.value.code == "plot_household_not_registered"
    assert isinstance(refused.value.error, InvalidValue)
    assert refused.value.error.field == "household_ref"
    assert records.position() == before
    assert b"HO-5" not in _stored_events(database)


def test_a_plain_reference_beside_a_household_it_is_not_is_refused_and_nothing_is_stored(
    records: Records, grower: Grower
) -> None:
    register = c.RegisterHousehold(cooperative_id=grower.cooperative_id, reference="HO-6")
    household_id = records.execute(grower.actor, [register]).result(HouseholdResult).household_id
    before = records.position()
    command = a_plot_command(grower.cooperative_id, household_id=household_id, household_ref="HO-7")

    with pytest.raises(CommandRefused) as refused:
        records.execute(grower.actor, [command])

    assert refused.value.code == "plot_household_ref_mismatch"
    assert records.position() == before


def _v1_plot(records: Records, cooperative_id: UUID) -> UUID:
    """Writes a plot's Registered event as the code before households wrote it (class v1,
    ``household_ref`` in plain text): the bytes an old store holds."""
    plot_id = uuid4()
    state = {
        "timestamp": {"_type_": "datetime_iso", "_data_": "2025-06-01T01:00:00+00:00"},
        "originator_topic": "shared.domain.plot:Plot",
        "cooperative_id": {"_type_": "uuid_hex", "_data_": cooperative_id.hex},
        "household_ref": OLD_REFERENCE,
        "crop": "lúa",
        "area_ha": {"_type_": "decimal_str", "_data_": "2.5"},
        "commune": "Xã Thiệu Trung",
        "location": {"type": "Point", "coordinates": [105.68, 19.9]},
        "planting_area_code": "VT-CU-0001",
    }
    stored = StoredEvent(
        originator_id=plot_id,
        originator_version=1,
        topic="shared.domain.plot:Plot.Registered",
        state=json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode(),
    )
    records.recorder.insert_events([stored])
    return plot_id


def test_a_plot_stored_with_a_plain_household_reference_is_still_read_and_projected(
    records: Records, grower: Grower, database: DatabaseUrls
) -> None:
    plot_id = _v1_plot(records, grower.cooperative_id)

    rebuild(records, Projections(connections_of(records)), progress=False)

    plot: object = records.repository.get(plot_id)
    assert isinstance(plot, Plot)
    assert plot.household_ref == OLD_REFERENCE
    assert plot.household_id is None
    assert plot.area_ha == Decimal("2.5")
    with psycopg.connect(database.admin) as conn:
        counted = conn.execute(
            "SELECT household_key FROM mon_plots WHERE id = %s", (plot_id,)
        ).fetchone()
        listed = conn.execute(
            "SELECT planting_area_code FROM rm_plots WHERE id = %s", (plot_id,)
        ).fetchone()
    # Counted as a household by a one-way key of its old reference; listed without it.
    assert counted is not None
    assert str(counted[0]) == household_key(str(grower.cooperative_id), OLD_REFERENCE)
    assert listed == ("VT-CU-0001",)
