"""The demo is seeded once, ever: again the same day, or on a later day, adds nothing."""

from __future__ import annotations

from datetime import timedelta

from services.platform.composition import records_only
from services.platform.demo import builders
from services.platform.demo.thanh_hoa import THANH_HOA_DEMO
from services.platform.settings import PlatformSettings
from shared.database import prepare
from shared.domain.clock import now
from tests.databases import on_database


def test_seeding_the_demo_again_on_a_later_day_adds_nothing(
    fresh_database_admin_url: str,
) -> None:
    settings = PlatformSettings(**on_database(fresh_database_admin_url))
    prepare(settings)
    with records_only(settings) as side:
        first = builders.seed(side.records, THANH_HOA_DEMO)
        seeded = side.records.position()

        again = builders.seed(side.records, THANH_HOA_DEMO, clock=lambda: now() + timedelta(days=3))

        assert side.records.position() == seeded
    assert again.harvest_day == first.harvest_day
    assert again.batches == first.batches
