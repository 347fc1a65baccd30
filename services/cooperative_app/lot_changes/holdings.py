"""What the app's forms offer to pick from: the batches my organisation holds, one batch's
events (to say which one a correction amends), my GTINs, and whether I may recall a batch.

Held batches come from the catalogue read model (``rm_batches``), so a batch made a moment ago
appears once the projector has applied it; a form's batch is loaded from the event store
itself, which is always current. GTINs have no read model yet: their registrations and
licences are read from the event store by topic (a few events per organisation; a read model
is the next step once the list grows).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from shared.domain import identifiers
from shared.domain.batch import Batch
from shared.domain.errors import DomainError
from shared.domain.value_chain import ValueChain
from shared.i18n.translator import Translator
from shared.readmodels.tracking import Connect, session
from shared.records.application import Records

PICK_LIMIT = 500  # a cooperative's active lots: more than a phone's list should show
_GTIN_TOPICS = (
    "shared.domain.gtins:GtinOwnership.Registered",
    "shared.domain.gtins:GtinOwnership.LicenceGranted",
    "shared.domain.gtins:GtinOwnership.LicenceRevoked",
)


@dataclass(frozen=True)
class Held:
    code: str
    commodity: str
    quantity: Decimal
    unit: str

    def label(self, t: Translator) -> str:
        return f"{self.code} · {self.commodity} · {t.number(self.quantity)} {self.unit}"


def held_batches(connect: Connect, organisation_id: UUID) -> list[Held]:
    """Active, not recalled batches my organisation holds, by code."""
    with session(connect) as conn:
        rows = conn.execute(
            "SELECT code, commodity, quantity, unit FROM rm_batches"
            " WHERE holder_id = %s AND status = 'active' AND NOT recalled"
            " ORDER BY code DESC LIMIT %s",
            (organisation_id, PICK_LIMIT),
        ).fetchall()
    return [Held(code, commodity, Decimal(amount), unit) for code, commodity, amount, unit in rows]


def batch_of(records: Records, code: str) -> Batch | None:
    """The batch a code names, or None (a code that is not one, or no such batch)."""
    if not identifiers.is_batch_code(code):
        return None
    try:
        return records.batch(identifiers.batch_id(code))
    except DomainError:
        return None


def events_of(records: Records, batch: Batch) -> list[tuple[int, str]]:
    """(version, event name) of each of the batch's events, newest first."""
    history = records.history(batch.id)
    return [
        (event.originator_version, type(event).__qualname__.rsplit(".", 1)[-1])
        for event in reversed(history)
    ]


def may_recall(records: Records, batch: Batch, organisation_id: UUID) -> bool:
    """The holder or the lead of one of the batch's chains (as ``Batch.recall`` decides)."""
    if batch.holder_id == organisation_id:
        return True
    for chain_id in batch.value_chain_ids:
        try:
            chain: Aggregate = records.repository.get(UUID(str(chain_id)))
        except AggregateNotFoundError:
            continue
        if isinstance(chain, ValueChain) and chain.lead_organisation_id == organisation_id:
            return True
    return False


def my_gtins(records: Records, organisation_id: UUID) -> list[str]:
    """GTIN-14s my organisation registered itself or was licensed to label with."""
    mine: dict[str, None] = {}
    start = 0
    while True:
        page = records.recorder.select_notifications(
            start, 1000, topics=_GTIN_TOPICS, inclusive_of_start=False
        )
        for notification in page:
            event = records.mapper.to_domain_event(notification)
            state = event.__dict__
            if notification.topic.endswith(".Registered"):
                key = str(state.get("key", ""))
                if state.get("owner_id") == organisation_id and key.startswith("gtin:"):
                    mine[key.removeprefix("gtin:")] = None
            elif state.get("licensee_id") == organisation_id:
                gtin = str(state.get("gtin", ""))
                if notification.topic.endswith(".LicenceGranted"):
                    mine[gtin] = None
                else:
                    mine.pop(gtin, None)
        if len(page) < 1000:
            return list(mine)
        start = page[-1].id
