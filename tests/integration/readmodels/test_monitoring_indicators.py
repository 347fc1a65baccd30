"""The province's indicators, computed from a hand-built history through the real records
application and the real monitoring projection: "as of" a date before and after a participant
left, a contract ended and a certificate expired; "known at" reproducing an earlier figure; a
late entry counting on the day it describes; and the projection equal to its rebuild."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import psycopg
import pytest

from shared.database import DatabaseUrls
from shared.domain import clock
from shared.domain.errors import InvalidValue
from shared.readmodels.monitoring import rules
from shared.readmodels.monitoring.figures import INDICATOR_KEYS, Figure, Filters, Indicator, Share
from shared.readmodels.monitoring.queries import PostgresIndicators, UnknownDrill
from shared.readmodels.projections import Projections
from shared.readmodels.rebuild import rebuild
from shared.readmodels.tracking import Connect, KafkaOffsets, Position
from shared.readmodels.units import monitoring
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.records.results import (
    BatchResult,
)
from tests.builders import (
    HARVEST_DAY,
    STAFF,
    a_cooperative_command,
    a_harvest,
    a_plot_command,
    a_value_chain_command,
    after_harvest,
    an_enterprise_command,
    kg,
)
from tests.integration.readmodels.readmodel_chain import all_envelopes, read_models

BEFORE_B_LEFT = date(2025, 6, 1)
B_LEFT = date(2025, 9, 30)
AFTER_SHIPMENT = date(2025, 10, 10)  # the harvest of 5 October was shipped under the contract
CONTRACT_ENDED = date(2025, 11, 15)
AFTER_CONTRACT_ENDED = date(2025, 11, 20)
CERTIFICATE_EXPIRED = date(2025, 12, 1)


@dataclass(frozen=True)
class History:
    mill: UUID
    a: UUID  # new model, Xã Thiệu Trung, in the chain from March 2025, contract, VietGAP
    b: UUID  # old model, Xã Định Công, in the chain from January to September 2025
    c: UUID  # new model, Xã Thiệu Trung, never in a chain; harvests today
    chain: UUID
    before_b_left_was_recorded: datetime


def _id(records: Records, actor: Actor, command: c.Command) -> UUID:
    result = records.execute(actor, [command]).results[0]
    for name in ("cooperative_id", "enterprise_id", "value_chain_id", "plot_id", "household_id"):
        if hasattr(result, name):
            return UUID(str(getattr(result, name)))
    raise AssertionError(result)


def _history(records: Records) -> History:
    mill = _id(records, STAFF, an_enterprise_command())
    a = _id(records, STAFF, a_cooperative_command(name="HTX A", commune="Xã Thiệu Trung"))
    b = _id(
        records, STAFF, a_cooperative_command(name="HTX B", commune="Xã Định Công", model="old")
    )
    c_ = _id(records, STAFF, a_cooperative_command(name="HTX C", commune="Xã Thiệu Trung"))
    chain = _id(records, STAFF, a_value_chain_command(mill))
    grower = Actor(Role.COOPERATIVE, a)
    household = _id(records, grower, c.RegisterHousehold(cooperative_id=a, reference="HH-1"))
    plot = _id(records, grower, a_plot_command(a, household_id=household))
    records.execute(
        STAFF,
        [
            c.JoinValueChain(
                value_chain_id=chain, organisation_id=a, role="producer", joined_on=date(2025, 3, 1)
            ),
            c.JoinValueChain(
                value_chain_id=chain,
                organisation_id=b,
                role="producer",
                joined_on=date(2025, 1, 10),
            ),
            c.SignLinkageContract(
                value_chain_id=chain,
                contract_number="HĐLK-2025/01",
                parties=[mill, a],
                commodity="rice",
                committed_volume=kg(10_000),
                starts_on=date(2025, 1, 1),
                ends_on=date(2025, 12, 31),
            ),
            c.RecordSupport(
                cooperative_id=a,
                kind="fund_loan",
                on=date(2025, 2, 1),
                programme="Quỹ hỗ trợ phát triển HTX",
                amount_vnd=Decimal("300000000"),
            ),
            c.GrantCertification(
                organisation_id=a,
                scheme="VietGAP",
                certificate="VG-A",
                valid_from=date(2025, 1, 1),
                valid_until=date(2028, 1, 1),
            ),
        ],
    )
    harvested = records.execute(grower, [a_harvest([plot], quantity=kg(1000))])
    code = harvested.result(BatchResult).code
    records.execute(grower, [c.ShipBatch(batch=code, to=mill, at=after_harvest(5))])
    records.execute(
        STAFF,
        [
            c.EndLinkageContract(
                value_chain_id=chain,
                contract_number="HĐLK-2025/01",
                on=CONTRACT_ENDED,
                reason="hết vụ",
            ),
            c.ExpireCertification(
                organisation_id=a, certificate="VG-A", on=CERTIFICATE_EXPIRED, reason="thu hồi"
            ),
        ],
    )
    before_leave = clock.now()
    # Recorded today, about 30 September 2025: a late entry.
    records.execute(
        STAFF,
        [
            c.LeaveValueChain(
                value_chain_id=chain, organisation_id=b, reason="giải thể", left_on=B_LEFT
            ),
            c.ReclassifyCooperative(cooperative_id=b, reason="chuyển đổi theo Luật HTX 2023"),
        ],
    )
    # C harvests today and records it at once: timely.
    c_grower = Actor(Role.COOPERATIVE, c_)
    c_household = _id(records, c_grower, c.RegisterHousehold(cooperative_id=c_, reference="HH-9"))
    c_plot = _id(records, c_grower, a_plot_command(c_, household_id=c_household))
    now = clock.now() - timedelta(minutes=10)
    records.execute(
        c_grower,
        [a_harvest([c_plot], harvested_on=clock.today_in_vietnam(now), at=now)],
    )
    return History(mill, a, b, c_, chain, before_leave)


@pytest.fixture
def history(records: Records, projections: Projections) -> History:
    built = _history(records)
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(envelopes[-1].position))
    return built


@pytest.fixture
def indicators(connect: Connect) -> PostgresIndicators:
    return PostgresIndicators(connect)


def _figure(indicator: Indicator, label: str) -> Figure:
    return next(f for f in indicator.figures if f.label == label)


def _share(indicator: Indicator, label: str) -> tuple[int | Decimal, int | Decimal]:
    value = _figure(indicator, label).value
    assert isinstance(value, Share)
    return value.numerator, value.denominator


def _names(indicators: PostgresIndicators, key: str | None, filters: Filters) -> list[str]:
    assert key is not None
    return [line.name for line in indicators.drill(key, filters)]


def test_a_participant_counts_in_its_chain_until_the_day_it_left(
    history: History, indicators: PostgresIndicators
) -> None:
    before = indicators.indicator("in_value_chain", Filters(as_of=BEFORE_B_LEFT))
    after = indicators.indicator("in_value_chain", Filters(as_of=AFTER_SHIPMENT))

    assert _share(before, "mon_in_value_chain") == (2, 3)
    assert _share(after, "mon_in_value_chain") == (1, 3)
    drill = _figure(before, "mon_in_value_chain").drill
    assert _names(indicators, drill, Filters(as_of=BEFORE_B_LEFT)) == ["HTX A", "HTX B"]
    assert _names(indicators, drill, Filters(as_of=AFTER_SHIPMENT)) == ["HTX A"]


def test_known_at_reproduces_the_figure_sent_before_the_late_leaving_was_recorded(
    history: History, indicators: PostgresIndicators
) -> None:
    then = Filters(as_of=AFTER_SHIPMENT, known_at=history.before_b_left_was_recorded)

    reproduced = indicators.indicator("in_value_chain", then)

    assert _share(reproduced, "mon_in_value_chain") == (2, 3)
    assert reproduced.known_at == history.before_b_left_was_recorded


def test_a_late_leaving_counts_on_the_day_it_describes(
    history: History, indicators: PostgresIndicators
) -> None:
    on_the_day_before = indicators.indicator("in_value_chain", Filters(as_of=B_LEFT - timedelta(1)))
    on_the_day = indicators.indicator("in_value_chain", Filters(as_of=B_LEFT))

    assert _share(on_the_day_before, "mon_in_value_chain") == (2, 3)
    assert _share(on_the_day, "mon_in_value_chain") == (1, 3)


def test_the_stricter_share_needs_a_contract_in_force_and_a_shipment_to_a_partner(
    history: History, indicators: PostgresIndicators
) -> None:
    before_shipment = indicators.indicator("in_value_chain", Filters(as_of=BEFORE_B_LEFT))
    in_force = indicators.indicator("in_value_chain", Filters(as_of=AFTER_SHIPMENT))
    ended = indicators.indicator("in_value_chain", Filters(as_of=AFTER_CONTRACT_ENDED))

    assert _share(before_shipment, "mon_linked_strictly") == (0, 3)
    assert _share(in_force, "mon_linked_strictly") == (1, 3)
    assert _share(ended, "mon_linked_strictly") == (0, 3)
    assert _share(ended, "mon_in_value_chain") == (1, 3)


def test_a_contract_is_fulfilled_by_the_shipments_between_its_parties_in_its_period(
    history: History, indicators: PostgresIndicators
) -> None:
    contracts = indicators.indicator("contracts", Filters(as_of=AFTER_SHIPMENT))
    after_end = indicators.indicator("contracts", Filters(as_of=AFTER_CONTRACT_ENDED))

    (row,) = next(t for t in contracts.tables if t.key == "contracts").rows
    assert row.values["committed_kg"] == Decimal(10_000)
    assert row.values["shipped_kg"] == Decimal(1000)
    assert row.values["fulfilment"] == Decimal("10.0")
    assert row.values["ended_on"] is None
    assert _figure(contracts, "mon_contracts_in_force").value == 1
    (ended_row,) = next(t for t in after_end.tables if t.key == "contracts").rows
    assert ended_row.values["ended_on"] == CONTRACT_ENDED
    assert _figure(after_end, "mon_contracts_in_force").value == 0
    assert row.drill is not None
    assert _names(indicators, row.drill, Filters(as_of=AFTER_SHIPMENT)) == ["HTX A"]


def test_a_certificate_counts_until_it_expired(
    history: History, indicators: PostgresIndicators
) -> None:
    valid = indicators.indicator("certified", Filters(as_of=AFTER_CONTRACT_ENDED))
    expired = indicators.indicator("certified", Filters(as_of=CERTIFICATE_EXPIRED))

    assert _share(valid, "mon_certified_vietgap") == (1, 3)
    assert _share(expired, "mon_certified_vietgap") == (0, 3)
    assert _share(valid, "mon_certified_plots") == (0, 1)


def test_cooperatives_are_counted_by_model_and_an_old_one_reclassified_from_the_day_recorded(
    history: History, indicators: PostgresIndicators
) -> None:
    then = indicators.indicator("cooperatives", Filters(as_of=AFTER_SHIPMENT))
    today = indicators.indicator("cooperatives", Filters(as_of=clock.today_in_vietnam()))

    assert _figure(then, "mon_cooperatives_total").value == 3
    assert _share(then, "mon_cooperatives_new_model") == (2, 3)
    assert _figure(then, "mon_old_reclassified").value == 0
    assert _share(today, "mon_cooperatives_new_model") == (3, 3)
    assert _figure(today, "mon_old_reclassified").value == 1
    by_commune = next(t for t in then.tables if t.key == "by_commune")
    assert [(r.values["commune"], r.values["count"]) for r in by_commune.rows] == [
        ("Xã Thiệu Trung", 2),
        ("Xã Định Công", 1),
    ]
    new_model = next(s for s in then.series if s.key == "new_model")
    assert new_model.points[-1] == (date(2025, 10, 1), 2)
    assert len(new_model.points) == 24
    old_now = [v for _, v in next(s for s in today.series if s.key == "old_model").points]
    assert old_now[-2:] == [1, 0]  # reclassified this month


def test_filters_narrow_the_population_and_its_denominator(
    history: History, indicators: PostgresIndicators
) -> None:
    thieu_trung = Filters(as_of=BEFORE_B_LEFT, commune="Xã Thiệu Trung")
    own = Filters(as_of=BEFORE_B_LEFT, organisation_id=history.b)

    assert _share(indicators.indicator("in_value_chain", thieu_trung), "mon_in_value_chain") == (
        1,
        2,
    )
    assert _share(indicators.indicator("in_value_chain", own), "mon_in_value_chain") == (1, 1)
    other_chain = Filters(as_of=BEFORE_B_LEFT, commodity="coffee")
    assert _share(indicators.indicator("in_value_chain", other_chain), "mon_in_value_chain") == (
        0,
        3,
    )


def test_households_and_hectares_count_plots_whose_harvest_left_under_a_contract(
    history: History, indicators: PostgresIndicators
) -> None:
    households = indicators.indicator("households", Filters(as_of=AFTER_SHIPMENT))
    before = indicators.indicator("households", Filters(as_of=HARVEST_DAY - timedelta(1)))

    assert _share(households, "mon_households_linked") == (1, 1)
    assert _share(households, "mon_hectares_linked") == (Decimal("2.5"), Decimal("2.5"))
    assert _share(before, "mon_households_linked") == (0, 0)
    drill = _figure(households, "mon_households_linked").drill
    assert _names(indicators, drill, Filters(as_of=AFTER_SHIPMENT)) == ["HTX A"]


def test_support_is_counted_by_programme_with_participation_before_and_after(
    history: History, indicators: PostgresIndicators
) -> None:
    support = indicators.indicator("support", Filters(as_of=AFTER_CONTRACT_ENDED))

    assert _figure(support, "mon_support_cooperatives").value == 1
    assert _figure(support, "mon_support_amount_vnd").value == Decimal("300000000")
    (effect,) = next(t for t in support.tables if t.key == "before_after").rows
    assert effect.values["in_chain_before"] == 0
    assert effect.values["in_chain_after"] == 1
    assert effect.values["volume_before_kg"] == 0
    assert effect.values["volume_after_kg"] == Decimal(1000)


def test_traceability_counts_lots_back_to_a_plot_and_timeliness_by_cooperative(
    history: History, indicators: PostgresIndicators
) -> None:
    traced = indicators.indicator("traceability", Filters(as_of=AFTER_SHIPMENT))
    late = indicators.indicator("timeliness", Filters(as_of=AFTER_SHIPMENT))
    today = indicators.indicator("timeliness", Filters(as_of=clock.today_in_vietnam()))

    assert _share(traced, "mon_lots_traceable") == (1, 1)
    assert _share(traced, "mon_labels_scanned") == (0, 0)
    numerator, denominator = _share(late, "mon_timely_events")
    assert numerator == 0
    assert denominator > 0
    rows = {r.values["cooperative"]: r.values for r in today.tables[0].rows}
    assert rows["HTX C"]["timely"] == rows["HTX C"]["events"] == 1


def test_the_filters_offer_a_commune_whose_first_cooperative_was_registered_since_last_asked(
    history: History,
    records: Records,
    projections: Projections,
    indicators: PostgresIndicators,
) -> None:
    assert "Xã Hoằng Lộc" not in indicators.choices().communes
    records.execute(STAFF, [a_cooperative_command(name="HTX D", commune="Xã Hoằng Lộc")])
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(envelopes[-1].position))

    assert "Xã Hoằng Lộc" in indicators.choices().communes


def test_every_indicator_answers_and_an_unknown_key_is_refused(
    history: History, indicators: PostgresIndicators
) -> None:
    filters = Filters(as_of=clock.today_in_vietnam())
    for key in INDICATOR_KEYS:
        assert indicators.indicator(key, filters).key == key
    with pytest.raises(KeyError):
        indicators.indicator("nothing", filters)
    with pytest.raises(UnknownDrill):
        indicators.drill("nothing", filters)
    choices = indicators.choices()
    assert choices.communes == ("Xã Thiệu Trung", "Xã Định Công")
    assert [chain_id for chain_id, _ in choices.value_chains] == [history.chain]


@pytest.mark.parametrize("copied", [False, True], ids=["row_by_row", "copied"])
def test_the_monitoring_projection_equals_its_rebuild(
    history: History,
    records: Records,
    projections: Projections,
    database: DatabaseUrls,
    monkeypatch: pytest.MonkeyPatch,
    copied: bool,
) -> None:
    live = read_models(database.app)
    if copied:  # a rebuild's big pages COPY their rows in: make these small ones do it too
        monkeypatch.setattr(monitoring, "_SMALL", 0)

    rebuild(records, projections, progress=False, page_size=5, only=["monitoring"])

    rebuilt = read_models(database.app)
    assert rebuilt == live
    assert any(rows for table, rows in live.items() if table.startswith("mon_"))


def test_an_organisation_s_own_figures_are_the_contracts_and_chains_it_is_party_to(
    history: History, indicators: PostgresIndicators
) -> None:
    def contracts(organisation: UUID) -> int:
        found = indicators.indicator(
            "contracts", Filters(as_of=AFTER_SHIPMENT, organisation_id=organisation)
        )
        return len(next(t for t in found.tables if t.key == "contracts").rows)

    def chains(organisation: UUID) -> object:
        found = indicators.indicator(
            "chains", Filters(as_of=AFTER_SHIPMENT, organisation_id=organisation)
        )
        return _figure(found, "mon_chains_count").value

    assert (contracts(history.mill), contracts(history.a), contracts(history.c)) == (1, 1, 0)
    assert (chains(history.mill), chains(history.a), chains(history.b)) == (1, 1, 0)


def test_a_milled_lot_is_traceable_to_the_plot_of_the_paddy_it_was_made_from(
    records: Records, projections: Projections, connect: Connect
) -> None:
    cooperative = _id(records, STAFF, a_cooperative_command())
    grower = Actor(Role.COOPERATIVE, cooperative)
    plot = _id(records, grower, a_plot_command(cooperative))
    code = records.execute(grower, [a_harvest([plot])]).result(BatchResult).code
    records.execute(
        grower,
        [
            c.TransformBatches(
                step="milling",
                inputs=[c.TransformInput(batch=code, quantity=kg(1000))],
                outputs=[c.TransformOutput(commodity="gạo", quantity=kg(600))],
                at=after_harvest(3),
            )
        ],
    )
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(envelopes[-1].position))

    traced = PostgresIndicators(connect).indicator("traceability", Filters(as_of=HARVEST_DAY))
    before = PostgresIndicators(connect).indicator(
        "traceability", Filters(as_of=HARVEST_DAY, known_at=datetime(2020, 1, 1, tzinfo=UTC))
    )

    assert _share(traced, "mon_lots_traceable") == (2, 2)
    assert _share(before, "mon_lots_traceable") == (0, 0)


def test_label_scans_are_read_from_the_web_service_s_counter_table_once_it_exists(
    history: History, indicators: PostgresIndicators, database: DatabaseUrls
) -> None:
    before = indicators.indicator("traceability", Filters(as_of=AFTER_SHIPMENT))
    with psycopg.connect(database.admin) as conn:  # what the web service creates and fills
        conn.execute(  # the migration creates it since h5: kept for a branch without it
            "CREATE TABLE IF NOT EXISTS nguon_page_scans (batch_id uuid, day date,"
            " scans bigint NOT NULL,"
            " PRIMARY KEY (batch_id, day))"
        )
        conn.execute(
            "INSERT INTO nguon_page_scans SELECT id, %s, 7 FROM mon_batches WHERE created_on = %s",
            (date(2025, 10, 6), HARVEST_DAY),
        )
        conn.execute("GRANT SELECT ON nguon_page_scans TO PUBLIC")

    after = indicators.indicator("traceability", Filters(as_of=AFTER_SHIPMENT))

    assert _share(before, "mon_labels_scanned")[0] == 0
    assert _share(after, "mon_labels_scanned")[0] == 7
    by_month = {r.values["month"]: r.values["scans"] for r in after.tables[0].rows}
    assert by_month[date(2025, 10, 1)] == 7


def test_a_chain_s_volume_is_what_its_participants_shipped_each_other_in_the_12_months(
    history: History, indicators: PostgresIndicators
) -> None:
    then = indicators.indicator("chains", Filters(as_of=AFTER_SHIPMENT))
    a_year_later = indicators.indicator("chains", Filters(as_of=date(2026, 10, 6)))

    (chain,) = next(t for t in then.tables if t.key == "chains").rows
    assert chain.values["volume_kg"] == Decimal(1000)
    assert chain.values["participants"] == 2  # the mill and A; B left on 30 September
    assert _figure(a_year_later, "mon_chains_volume_kg").value == 0
    roles = {r.values["role"]: r.values["participants"] for r in then.tables[1].rows}
    assert roles == {"lead": 1, "producer": 1}


def test_a_known_at_without_its_offset_is_refused(
    history: History, indicators: PostgresIndicators
) -> None:
    naive = Filters(as_of=AFTER_SHIPMENT, known_at=datetime(2026, 1, 5, 8, 0))  # noqa: DTZ001

    with pytest.raises(InvalidValue) as refusal:
        indicators.indicator("in_value_chain", naive)

    assert refusal.value.code == "time_needs_offset"


def _more_lots(records: Records, history: History) -> None:
    """Two more harvests of A, recorded late (not in time; counting on the day they describe),
    shipped to the mill on one day (a day's summary sums both): the mill labels one. A third,
    milled by A into a made lot, traceable through its paddy."""
    grower = Actor(Role.COOPERATIVE, history.a)
    mill = Actor(Role.ENTERPRISE, history.mill)
    plot = _id(records, grower, a_plot_command(history.a))
    day = date(2025, 10, 20)
    shipped_at = datetime(2025, 10, 21, 1, tzinfo=UTC)
    codes = []
    for quantity in (250, 400, 300):
        harvest = a_harvest([plot], quantity=kg(quantity), harvested_on=day, at=shipped_at)
        codes.append(records.execute(grower, [harvest]).result(BatchResult).code)
    for code in codes[:2]:
        records.execute(grower, [c.ShipBatch(batch=code, to=history.mill, at=shipped_at)])
    gtin = "08935000000014"
    records.execute(mill, [c.RegisterGtin(organisation_id=history.mill, gtin=gtin)])
    labelled_at = datetime(2025, 10, 22, 3, tzinfo=UTC)
    records.execute(mill, [c.ReceiveBatch(batch=codes[0], quantity=kg(250), at=labelled_at)])
    label = c.LabelBatch(batch=codes[0], gtin=gtin, lot="L-1", labels_issued=50, at=labelled_at)
    records.execute(mill, [label])
    milling = c.TransformBatches(
        step="milling",
        inputs=[c.TransformInput(batch=codes[2], quantity=kg(300))],
        outputs=[c.TransformOutput(commodity="gạo", quantity=kg(180))],
        at=labelled_at,
    )
    records.execute(grower, [milling])


def _answers(indicator: Indicator) -> str:
    # repr keeps what == forgets: Decimal("1000.0") == Decimal("1000"), yet they print apart.
    return repr((indicator.figures, indicator.tables, indicator.series))


@pytest.mark.parametrize(
    "as_of",
    [BEFORE_B_LEFT, AFTER_SHIPMENT, date(2025, 10, 25), AFTER_CONTRACT_ENDED, None],
    ids=["before_b_left", "after_shipment", "after_the_day", "after_contract_ended", "today"],
)
def test_figures_as_known_now_from_the_summaries_equal_those_counted_row_by_row(
    history: History,
    records: Records,
    projections: Projections,
    indicators: PostgresIndicators,
    as_of: date | None,
) -> None:
    _more_lots(records, history)
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(envelopes[-1].position))
    everything_known = clock.now()
    day = as_of or clock.today_in_vietnam()
    populations: list[dict[str, object]] = [
        {},
        {"commune": "Xã Thiệu Trung"},
        {"value_chain_id": history.chain},
        {"commodity": "rice"},
        {"organisation_id": history.a},
    ]

    for key in INDICATOR_KEYS:
        for population in populations:
            now = indicators.indicator(key, Filters(as_of=day, **population))  # type: ignore[arg-type]
            exact = indicators.indicator(
                key,
                Filters(as_of=day, known_at=everything_known, **population),  # type: ignore[arg-type]
            )
            assert _answers(now) == _answers(exact), (key, population)
    later = Filters(as_of=date(2025, 10, 25))
    chains, traced = (indicators.indicator(key, later) for key in ("chains", "traceability"))
    assert _figure(chains, "mon_chains_volume_kg").value == Decimal(1650)
    assert _share(traced, "mon_lots_traceable") == (5, 5)  # 4 harvests and the milled rice
    assert _share(traced, "mon_labels_scanned") == (0, 50)


_SUMMED_FROM_FACTS = {
    "mon_timeliness_days": "SELECT organisation_id, business_day, count(*)::int,"
    f" (count(*) FILTER (WHERE {rules.timely('t')}))::int FROM mon_timeliness t GROUP BY 1, 2",
    "mon_shipment_days": "SELECT from_id, to_id, shipped_on, count(*)::int, sum(quantity_kg)"
    " FROM mon_shipments GROUP BY 1, 2, 3",
    "mon_plot_shipment_days": "SELECT DISTINCT hp.plot_id, s.from_id, s.to_id, s.shipped_on"
    " FROM mon_shipments s JOIN mon_harvest_plots hp ON hp.batch_id = s.batch_id",
    "mon_lot_days": "SELECT created_on, commodity, holder_id, value_chain_ids, count(*)::int,"
    " (count(*) FILTER (WHERE cardinality(plot_ids) > 0))::int FROM mon_batches"
    " GROUP BY 1, 2, 3, 4",
    "mon_label_days": "SELECT l.labelled_on, b.created_on, b.commodity, b.holder_id,"
    " b.value_chain_ids, sum(l.labels_issued) FROM mon_labels l"
    " JOIN mon_batches b ON b.id = l.batch_id GROUP BY 1, 2, 3, 4, 5",
}


def test_each_summary_is_its_facts_summed_whatever_arrived_first_and_however_often(
    records: Records, projections: Projections, database: DatabaseUrls
) -> None:
    _more_lots(records, _history(records))
    envelopes = all_envelopes(records)
    created = [e for e in envelopes if e.type in ("Batch.Harvested", "Batch.Produced")]
    others = [e for e in envelopes if e not in created]

    # As Kafka may deliver them: a lot's shipments and labels before the lot, then every
    # event again (offsets tracked, not positions: each arrives and is applied).
    for offset, part in enumerate((others, created, envelopes), start=1):
        projections.apply(part, KafkaOffsets("summaries", {("events", 0): offset}))

    with psycopg.connect(database.app) as conn:
        for summary, definition in _SUMMED_FROM_FACTS.items():
            kept = sorted(conn.execute(f"SELECT * FROM {summary}").fetchall(), key=repr)
            summed = sorted(conn.execute(definition).fetchall(), key=repr)
            assert kept == summed, summary
            assert kept, summary
