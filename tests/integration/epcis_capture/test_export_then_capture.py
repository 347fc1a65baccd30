"""Export → capture: a rice chain exported by the real mapping on one platform is captured back,
event by event as each organisation's token, by another platform that knows the same
organisations, and ends with the same lots, holders and quantities."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from itertools import groupby
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate

from shared.database import prepare
from shared.domain.batch import BatchStatus
from shared.domain.gtins import GtinLot
from shared.domain.organisations import Cooperative, Enterprise
from shared.domain.quantities import Quantity, Unit
from shared.epcis import identifiers
from shared.epcis.capture import Behaviour, capture
from shared.epcis.mapping import BatchRef, Place, map_envelope
from shared.postgres.urls import eventsourcing_env
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.records.results import PlotResult, RecallResult
from shared.settings import NguonSettings
from shared.wire.envelope import Envelope
from tests.builders import a_cooperative_command, a_plot_command, an_enterprise_command
from tests.databases import on_database
from tests.integration.readmodels.readmodel_chain import Chain, a_chain, all_envelopes
from tests.platform_world import database, records

__all__ = ["database", "records"]

STAFF = Actor(Role.PROVINCE)


class AsThePartnerKnowsIt:
    """The exporting platform's MappingContext, naming organisations by their URNs (the same
    ids on both platforms: they derive from registration numbers and tax codes) and plots by
    the partner's plot ids; each batch by its class as it stood when the event happened."""

    def __init__(self, plots: dict[str, str]) -> None:
        self._plots = plots
        self._batches: dict[str, BatchRef] = {}

    def batch(self, batch_id: str) -> BatchRef | None:
        return self._batches.get(batch_id)

    def party(self, organisation_id: str) -> Place:
        return Place(identifiers.organisation(organisation_id))

    def location_of_organisation(self, organisation_id: str) -> Place:
        return Place(identifiers.organisation(organisation_id))

    def plot(self, plot_id: str) -> Place:
        return Place(identifiers.plot(self._plots[plot_id]))

    def amended(self, batch_id: str, version: int) -> Envelope | None:
        return None  # the chain exported here is never corrected

    def follow(self, envelope: Envelope) -> None:
        p = envelope.payload
        if envelope.type in ("Batch.Harvested", "Batch.Produced"):
            self._batches[envelope.aggregate_id] = BatchRef(
                envelope.aggregate_id, p["code"], identifiers.batch_class(p["code"]), "kg"
            )
        if envelope.type == "Batch.Labelled":
            known = self._batches[envelope.aggregate_id]
            self._batches[envelope.aggregate_id] = BatchRef(
                known.batch_id, known.code, identifiers.lot_class(p["gtin"], p["lot"]), known.unit
            )


@pytest.fixture
def partner_platform(make_fresh_database: Callable[[], str]) -> Iterator[Records]:
    urls = prepare(NguonSettings(**on_database(make_fresh_database())))
    app = Records(eventsourcing_env(urls.app, create_table=False, pool_size=2), province_code="HN")
    yield app
    app.close()


def _same_organisations(exporter: Records, partner: Records, chain: Chain) -> dict[str, str]:
    """Registers the chain's organisations on the partner platform; returns plot id → plot id."""
    plots = {}
    for cooperative_id, plot_id in (
        (chain.cooperative_a, chain.plot_a),
        (chain.cooperative_b, chain.plot_b),
    ):
        known: Aggregate = exporter.repository.get(cooperative_id)
        assert isinstance(known, Cooperative)
        command = a_cooperative_command(registration_number=known.registration_number)
        partner.execute(STAFF, [command])
        actor = Actor(Role.COOPERATIVE, cooperative_id)
        registered = partner.execute(actor, [a_plot_command(cooperative_id)])
        plots[str(plot_id)] = str(registered.result(PlotResult).plot_id)
    for enterprise_id in (chain.miller, chain.retailer):
        enterprise: Aggregate = exporter.repository.get(enterprise_id)
        assert isinstance(enterprise, Enterprise)
        partner.execute(STAFF, [an_enterprise_command(tax_code=enterprise.tax_code)])
    retailer = Actor(Role.ENTERPRISE, chain.retailer)
    partner.execute(retailer, [c.RegisterGtin(organisation_id=chain.retailer, gtin=chain.gtin)])
    return plots  # fmt: skip


def _recorded_by(envelope: Envelope) -> str | None:
    """The organisation that recorded the event; None for provincial staff (a recall)."""
    key = "holder_id" if envelope.type in ("Batch.Harvested", "Batch.Produced") else "by"
    recorder: str | None = envelope.payload[key]
    return recorder


def _exported(
    exporter: Records, context: AsThePartnerKnowsIt
) -> Iterator[tuple[str | None, dict[str, Any]]]:
    for envelope in all_envelopes(exporter):
        for mapped in map_envelope(envelope, context):
            yield _recorded_by(envelope), mapped.event
        context.follow(envelope)


def test_a_chain_exported_by_one_platform_is_captured_back_by_another(
    records: Records, partner_platform: Records
) -> None:
    chain = a_chain(records)
    opened = records.execute(STAFF, [c.RecallBatch(batch=chain.milled, reason="aflatoxin")])
    recall_id = opened.result(RecallResult).recall_id
    records.execute(STAFF, [c.LiftRecall(recall_id=recall_id, reason="the retest passed")])
    plots = _same_organisations(records, partner_platform, chain)
    cooperatives = {str(chain.cooperative_a), str(chain.cooperative_b)}
    outcomes = []

    for by, group in groupby(_exported(records, AsThePartnerKnowsIt(plots)), key=lambda e: e[0]):
        events = [event for _, event in group]
        if by is None:  # the province's recall, and the events of the lots it reached
            outcomes.append(capture(partner_platform, STAFF, events, Behaviour.PROCEED))
            continue
        role = Role.COOPERATIVE if by in cooperatives else Role.ENTERPRISE
        outcome = capture(partner_platform, Actor(role, UUID(by)), events, Behaviour.ROLLBACK)
        assert outcome.success, outcome.refusals
        outcomes.append(outcome)

    labelled = GtinLot.create_id(chain.gtin.zfill(14), chain.lot)
    claim: Aggregate = partner_platform.repository.get(labelled)
    assert isinstance(claim, GtinLot)
    retail = partner_platform.batch(claim.batch_id)
    assert claim.batch_code.startswith("HN-")
    assert retail.holder_id == chain.retailer
    assert retail.quantity == Quantity(Decimal(500), Unit.KG)
    assert retail.status is BatchStatus.ACTIVE
    assert not retail.recalled  # recalled through the milled lot, then lifted with it
    kinds = [type(e).__name__ for e in partner_platform.history(claim.batch_id)]
    assert kinds[-2:] == ["RecallReached", "RecallLifted"]
    # The recall and its lifting of the milled lot are captured; each lot they reached is
    # refused as reached by them, and reached all the same.
    recall_events = [e for o in outcomes for e in o.events if o.behaviour is Behaviour.PROCEED]
    assert [e.status for e in recall_events].count("captured") == 2
    refused = {e.refusal.code for e in recall_events if e.refusal is not None}
    assert refused == {"recall_implied"}
    assert sum(len(o.events) for o in outcomes) >= 16
