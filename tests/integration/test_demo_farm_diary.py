"""The demo keeps a farm diary on its two shown plots, and the labelled batch's page shows it:
the last spraying before harvest, every pre-harvest interval respected (the demo's harvest
dates stay valid under the rule)."""

from __future__ import annotations

from typing import Any

from services.platform.composition import records_only
from services.platform.demo import builders
from services.platform.demo import description as d
from services.platform.demo.thanh_hoa import THANH_HOA_DEMO
from services.platform.settings import PlatformSettings
from shared.database import prepare
from shared.readmodels.projections import Projections
from shared.readmodels.rebuild import rebuild
from tests.databases import on_database


def test_the_demos_labelled_batch_shows_its_plots_last_spraying_and_respected_intervals(
    fresh_database_admin_url: str,
) -> None:
    settings = PlatformSettings(**on_database(fresh_database_admin_url))
    prepare(settings)
    with records_only(settings) as side:
        world = builders.seed(side.records, THANH_HOA_DEMO)
        rebuild(side.records, Projections(side.connect), progress=False)
        with side.connect() as conn:
            row = conn.execute(
                "SELECT document AS d FROM rm_provenance WHERE code = %s", (world.labelled_code,)
            ).fetchone()
            entries = conn.execute("SELECT count(*) AS n FROM rm_plot_sprayings").fetchone()
    assert row is not None
    assert entries is not None
    shown: dict[str, Any] = dict(row)["d"]["plant_protection"]
    sprayings = sum(
        isinstance(act, d.DiaryEntry) and act.activity == "spraying"
        for step in THANH_HOA_DEMO.steps
        for act in step.acts
    )

    assert shown["intervals"] == "respected"
    assert shown["last_spraying"]["product"] == "Anvil 5SC"
    assert shown["last_spraying"]["plot"] == "VT-38-TH-0112"
    assert dict(entries)["n"] == sprayings
