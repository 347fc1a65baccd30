"""The demo is seeded once, ever: again the same day, or on a later day, adds nothing."""

from __future__ import annotations

import json
import time
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import psycopg

from services.platform.composition import records_only
from services.platform.demo import builders
from services.platform.demo import description as d
from services.platform.demo.thanh_hoa import THANH_HOA_DEMO
from services.platform.settings import PlatformSettings
from shared.database import prepare
from shared.domain.clock import now, today_in_vietnam
from shared.domain.organisations import Cooperative, CooperativeStatus
from shared.domain.plot import Plot
from shared.domain.value_chain import ValueChain
from shared.products import photos
from shared.readmodels.monitoring.figures import Filters, Share
from shared.readmodels.monitoring.queries import PostgresIndicators
from shared.readmodels.projections import Projections
from shared.readmodels.rebuild import rebuild
from shared.readmodels.tracking import session
from shared.records.application import Records
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


def _topics(records: Records) -> Counter[str]:
    notifications = records.recorder.select_notifications(0, 1_000_000, inclusive_of_start=False)
    return Counter(n.topic.rsplit(":", 1)[-1] for n in notifications)  # Aggregate.Event


def _acts(kind: type[d.Act]) -> int:
    return sum(isinstance(act, kind) for step in THANH_HOA_DEMO.steps for act in step.acts)


def test_every_act_of_the_demo_is_recorded_and_the_two_years_are_dated(
    fresh_database_admin_url: str,
) -> None:
    settings = PlatformSettings(**on_database(fresh_database_admin_url))
    prepare(settings)
    with records_only(settings) as side:
        started = time.perf_counter()
        world = builders.seed(side.records, THANH_HOA_DEMO)
        seconds = time.perf_counter() - started
        topics = _topics(side.records)
        organic: object = side.records.repository.get(world.chains["rice-organic"])
        left = world.organisation("dinh-tan")
        dissolved: object = side.records.repository.get(world.organisation("trieu-loc"))

    assert topics["Cooperative.Registered"] == _acts(d.Cooperative)
    assert topics["Enterprise.Registered"] == _acts(d.Enterprise)
    assert topics["Household.Registered"] == _acts(d.Household)
    assert topics["Plot.Registered"] == _acts(d.Plot)
    assert topics["Plot.Certified"] == _acts(d.PlotCertification)
    assert topics["ValueChain.ParticipantJoined"] == _acts(d.Member)
    assert topics["ValueChain.ParticipantLeft"] == _acts(d.Leave)
    assert topics["ValueChain.LinkageContractSigned"] == _acts(d.Contract)
    assert topics["ValueChain.LinkageContractEnded"] == _acts(d.EndContract)
    assert topics["Cooperative.SupportReceived"] == _acts(d.Support)
    assert topics["Organisation.CertificationGranted"] == _acts(d.Certification)
    assert topics["Organisation.CertificationExpired"] == _acts(d.ExpireCertificate)
    assert topics["Cooperative.StatusChanged"] == _acts(d.StatusChange)
    assert topics["Cooperative.Reclassified"] == _acts(d.Reclassify)
    assert topics["Batch.Harvested"] == _acts(d.Harvest)
    assert topics["Batch.Shipped"] == _acts(d.Ship)
    assert topics["Batch.Received"] == _acts(d.Receive)
    assert topics["Batch.Inspected"] == _acts(d.Inspect)
    assert topics["Batch.Labelled"] == _acts(d.Label)
    assert topics["Batch.Recalled"] == _acts(d.Recall)
    assert isinstance(organic, ValueChain)
    assert not organic.is_participant(left)
    assert organic.joined_on[str(world.organisation("quy-loc"))] == date(2025, 1, 10)
    assert isinstance(dissolved, Cooperative)
    assert dissolved.status is CooperativeStatus.DISSOLVED
    assert seconds < 120, f"seeding took {seconds:.0f} s"


def _stored_events(admin_url: str) -> bytes:
    with psycopg.connect(admin_url) as conn:
        rows = conn.execute("SELECT state FROM nguon_events ORDER BY notification_id").fetchall()
    return b"".join(bytes(row[0]) for row in rows)


def test_no_stored_event_of_the_demo_holds_a_member_households_reference_in_clear(
    fresh_database_admin_url: str,
) -> None:
    settings = PlatformSettings(**on_database(fresh_database_admin_url))
    prepare(settings)
    with records_only(settings) as side:
        world = builders.seed(side.records, THANH_HOA_DEMO)
        plots: list[object] = [side.records.repository.get(p) for p in world.plots.values()]
    references = {
        act.reference
        for step in THANH_HOA_DEMO.steps
        for act in step.acts
        if isinstance(act, d.Household)
    }
    stored = _stored_events(fresh_database_admin_url)

    assert len(references) > 2
    assert all(isinstance(plot, Plot) and plot.household_id is not None for plot in plots)
    for reference in references:
        # As UTF-8, and as JSON writes it when it escapes what is not ASCII.
        escaped = json.dumps(reference).strip('"')
        assert reference.encode() not in stored, reference
        assert escaped.encode() not in stored, reference


def _figure(indicators: PostgresIndicators, key: str, label: str, as_of: date) -> int | Decimal:
    """A headline figure (a share's numerator) of an indicator, as of a day."""
    found = next(
        f for f in indicators.indicator(key, Filters(as_of=as_of)).figures if f.label == label
    )
    value = found.value.numerator if isinstance(found.value, Share) else found.value
    assert isinstance(value, int | Decimal), found
    return value


def test_the_read_side_takes_the_whole_demo_and_its_figures_move_over_the_two_years(
    fresh_database_admin_url: str,
) -> None:
    settings = PlatformSettings(**on_database(fresh_database_admin_url))
    prepare(settings)
    with records_only(settings) as side:
        world = builders.seed(side.records, THANH_HOA_DEMO)
        projections = Projections(side.connect)
        done = rebuild(side.records, projections, progress=False)
        figures = PostgresIndicators(side.connect)
        with session(side.connect) as conn:
            row = conn.execute(
                "SELECT document->'product_details' FROM rm_provenance WHERE code = %s",
                (world.labelled_code,),
            ).fetchone()
        assert row is not None
        shown = row[0]
        assert shown["name_vi"] == "Gạo nếp cái hoa vàng Thiệu Trung"
        assert (shown["brand"], shown["shelf_life_days"]) == ("Hạc Thành Select", 365)
        assert photos.fetch(side.connect, shown["photo"], 800) is not None

        def figure(key: str, label: str, as_of: date) -> int | Decimal:
            return _figure(figures, key, label, as_of)

        assert done.events == side.records.position()
        assert projections.quarantined() == []
        in_chains = [
            figure("in_value_chain", "mon_in_value_chain", day)
            for day in (date(2025, 2, 1), date(2025, 9, 1), date(2026, 6, 30))
        ]
        after_a_departure = figure("in_value_chain", "mon_in_value_chain", date(2026, 8, 15))
        shipped = [
            figure("contracts", "mon_contracts_fulfilment", day)
            for day in (date(2025, 2, 1), date(2025, 12, 31), date(2026, 11, 30))
        ]
        support = [
            figure("support", "mon_support_count", day)
            for day in (date(2025, 12, 31), date(2026, 11, 30))
        ]
        organic = [
            figure("certified", "mon_certified_organic", day)
            for day in (date(2026, 3, 1), date(2026, 3, 31))  # one withdrawn on 15 March
        ]
        failed = figure("traceability", "mon_failed_inspections", date(2026, 11, 30))
        timely = figure("timeliness", "mon_timely_events", today_in_vietnam())

    assert in_chains == sorted(in_chains)
    assert in_chains[0] < in_chains[-1]
    assert after_a_departure < in_chains[-1]  # HTX Hoằng Tiến left on 31 July 2026
    assert shipped == sorted(shipped)
    assert shipped[0] < shipped[-1]
    assert 0 < support[0] < support[1]
    assert organic[1] < organic[0]
    assert failed >= 1
    assert timely > 0  # the harvests of the day before seeding were recorded on time
