"""Value chains: joining and leaving carry the business day they happened (event version 2),
today in Vietnam when not given, never in the future, and leaving never before joining."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from eventsourcing.persistence import Mapper
from eventsourcing.utils import get_topic

from shared.domain import clock
from shared.domain.errors import RuleViolated
from shared.domain.value_chain import ValueChain
from shared.records.application import Records
from shared.records.publishing import to_envelope

from .builders import THE_COOPERATIVE, THE_MILL, a_value_chain, assert_invalid, assert_refused


def _mapper() -> Mapper[UUID]:
    """The records application's own mapper and transcodings (kept in memory here)."""
    return Records({}).mapper


def test_joining_records_the_day_it_happened() -> None:
    chain = a_value_chain(lead=THE_MILL)
    chain.join(THE_COOPERATIVE, "producer", date(2025, 4, 1))

    joined = chain.collect_events()[-1]

    assert getattr(joined, "joined_on") == date(2025, 4, 1)  # noqa: B009
    assert chain.joined_on[str(THE_COOPERATIVE)] == date(2025, 4, 1)


def test_joining_without_a_day_is_today_in_vietnam() -> None:
    chain = a_value_chain(lead=THE_MILL)
    chain.join(THE_COOPERATIVE, "producer")

    assert getattr(chain.collect_events()[-1], "joined_on") == clock.today_in_vietnam()  # noqa: B009


def test_joining_tomorrow_is_refused() -> None:
    chain = a_value_chain(lead=THE_MILL)
    tomorrow = clock.today_in_vietnam() + timedelta(days=1)

    assert_refused(
        lambda: chain.join(THE_COOPERATIVE, "producer", tomorrow),
        RuleViolated,
        "time_in_future",
        chain,
    )


def test_leaving_records_the_day_it_happened() -> None:
    chain = a_value_chain(lead=THE_MILL)
    chain.join(THE_COOPERATIVE, "producer", date(2025, 4, 1))
    chain.leave(THE_COOPERATIVE, "moved to another mill", date(2026, 2, 1))

    left = chain.collect_events()[-1]

    assert getattr(left, "left_on") == date(2026, 2, 1)  # noqa: B009
    assert not chain.is_participant(THE_COOPERATIVE)


def test_leaving_before_joining_is_refused() -> None:
    chain = a_value_chain(lead=THE_MILL)
    chain.join(THE_COOPERATIVE, "producer", date(2025, 4, 1))
    chain.collect_events()

    assert_invalid(
        lambda: chain.leave(THE_COOPERATIVE, "never really joined", date(2025, 3, 31)),
        "left_on",
        chain,
    )


def test_leaving_tomorrow_is_refused() -> None:
    chain = a_value_chain(lead=THE_MILL)
    chain.join(THE_COOPERATIVE, "producer", date(2025, 4, 1))
    chain.collect_events()
    tomorrow = clock.today_in_vietnam() + timedelta(days=1)

    assert_refused(
        lambda: chain.leave(THE_COOPERATIVE, "later", tomorrow),
        RuleViolated,
        "time_in_future",
        chain,
    )


def test_a_chain_reloaded_from_its_stored_events_keeps_the_joining_day() -> None:
    chain = ValueChain.establish(name="Chuỗi lúa", commodity="rice", lead_organisation_id=THE_MILL)
    chain.join(THE_COOPERATIVE, "producer", date(2025, 4, 1))
    records = Records({})
    records.save(chain)

    reloaded: object = records.repository.get(chain.id)

    assert isinstance(reloaded, ValueChain)
    assert reloaded.joined_on[str(THE_COOPERATIVE)] == date(2025, 4, 1)


def test_a_v1_joining_reads_as_joined_on_the_day_it_was_recorded_in_vietnam() -> None:
    chain = a_value_chain(lead=THE_MILL)
    chain.join(THE_COOPERATIVE, "producer", date(2025, 4, 1))
    joined = chain.collect_events()[-1]
    # As the code before version 2 stored it: no joined_on, no class_version; recorded at
    # 20:00 UTC on 31 March, already 1 April in Vietnam.
    mapper = _mapper()
    state = {
        "timestamp": datetime(2026, 3, 31, 20, 0, tzinfo=UTC),
        "organisation_id": THE_COOPERATIVE,
        "role": "producer",
    }
    stored = mapper.to_stored_event(joined)
    v1 = type(stored)(
        originator_id=stored.originator_id,
        originator_version=stored.originator_version,
        topic=get_topic(type(joined)),
        state=mapper.transcoder.encode(state),
    )

    event = mapper.to_domain_event(v1)

    assert getattr(event, "joined_on") == date(2026, 4, 1)  # noqa: B009
    assert to_envelope(event, 1).payload == {
        "organisation_id": str(THE_COOPERATIVE),
        "role": "producer",
    }
