"""Forgetting a member household reaches Kafka too: its messages only ever held ciphertext,
which no key opens once the household's key is deleted; the batches' fingerprints still verify."""

from __future__ import annotations

import json

import pytest

from services.relay.settings import RelaySettings
from shared.privacy import Sealed
from shared.readmodels.postgres_readers import PostgresProvenanceReader
from shared.readmodels.projections import Projections
from shared.readmodels.provenance import fingerprint
from shared.readmodels.rebuild import connections_of, rebuild
from shared.readmodels.tracking import PositionWaiter
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.records.results import BatchResult, HouseholdResult, PlotResult
from shared.wire.topics import events_topic
from tests.builders import a_grower, a_harvest, a_plot_command

from .conftest import RunningRelay
from .scenario import read_topic

pytestmark = pytest.mark.kafka
WAIT_SECONDS = 30.0
NAME, PHONE, REFERENCE = "Lê Thị Mận", "0934567890", "HO-31"


def test_after_forgetting_no_kafka_message_shows_the_household_and_fingerprints_still_verify(
    records: Records, relay_settings: RelaySettings, running_relay: RunningRelay
) -> None:
    grower = a_grower(records)
    register = c.RegisterHousehold(
        cooperative_id=grower.cooperative_id, reference=REFERENCE, head_name=NAME, phone=PHONE
    )
    household_id = records.execute(grower.actor, [register]).result(HouseholdResult).household_id
    command = a_plot_command(grower.cooperative_id, household_id=household_id)
    plot = records.execute(grower.actor, [command]).result(PlotResult)
    household = Actor(Role.HOUSEHOLD, grower.cooperative_id, household_ref=str(household_id))
    harvest = records.execute(household, [a_harvest([plot.plot_id])]).result(BatchResult)
    connect = connections_of(records)
    rebuild(records, Projections(connect), progress=False)
    reader = PostgresProvenanceReader(connect, PositionWaiter(connect))
    before = reader.by_code(harvest.code)
    assert before is not None

    last = records.execute(grower.actor, [c.ForgetHousehold(household_id=household_id)]).position
    with running_relay() as running:
        assert running.service.wait_for(last, WAIT_SECONDS)
    topic = events_topic(relay_settings.kafka_topic_prefix)
    messages = read_topic(relay_settings.kafka_bootstrap_servers or "", topic, expected=last)

    raw = b"\n".join(json.dumps(m[3], ensure_ascii=False).encode() for m in messages)
    for secret in (NAME, PHONE, REFERENCE):
        assert secret.encode() not in raw
    sealed = [
        Sealed.from_json(value)
        for _p, _o, _k, envelope in messages
        if envelope["aggregate_id"] == str(household_id)
        for value in dict(envelope["payload"]).values()  # type: ignore[call-overload]
        if isinstance(value, dict) and "sealed_for" in value
    ]
    assert len(sealed) == 3  # reference, name, phone: on the wire, and unreadable now
    assert [records.personal_data.open(s) for s in sealed] == [None] * 3

    rebuild(records, Projections(connect), progress=False)
    after = reader.by_code(harvest.code)
    assert after is not None
    batch_envelopes = sorted(
        (m[3] for m in messages if m[3]["aggregate_id"] == str(harvest.batch_id)),
        key=lambda e: int(e["position"]),  # type: ignore[call-overload]
    )
    canonical = [
        json.dumps(e, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        for e in batch_envelopes
    ]
    assert after["fingerprint"] == before["fingerprint"] == fingerprint(canonical)
