"""The names capture resolves, read from the event store through the records application.

Never from read models: they lag, and a lot bound by the previous event must already resolve.
Lookups by natural key are one aggregate each. Two questions have no key — which chains of a
commodity an organisation takes part in, and which open recall reaches a batch — so they read
the notification log filtered by the one event type that answers them (``Established``,
``Opened``): chains and recalls are few, and only harvests and recall steps without a named
chain or recall ask.

One is made per capture: master data (GLNs, organisations, plots, chains) is remembered for its
length, since a document names the same few places hundreds of times and EPCIS cannot change
them; lots and recalls, which the capture itself changes, are read each time.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from shared.domain import identifiers
from shared.domain.epcis_capture import CapturedEpcisEvent, EpcisLot
from shared.domain.gtins import GtinLot
from shared.domain.organisations import Organisation
from shared.domain.plot import Plot
from shared.domain.recall import Recall
from shared.domain.value_chain import ValueChain
from shared.epcis.capture_terms import Place, WriteSide
from shared.records.application import Records

A = TypeVar("A", bound=Aggregate)
T = TypeVar("T")
_PAGE = 500


class RecordsWriteSide(WriteSide):
    def __init__(self, records: Records) -> None:
        self._records = records
        self._remembered: dict[Hashable, object] = {}

    def _remember(self, key: Hashable, read: Callable[[], T]) -> T:
        if key not in self._remembered:
            self._remembered[key] = read()
        return self._remembered[key]  # type: ignore[return-value]

    def _get(self, aggregate_id: UUID, kind: type[A]) -> A | None:
        try:
            found: Aggregate = self._records.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, kind) else None

    def captured(self, event_id: str) -> bool:
        return CapturedEpcisEvent.create_id(event_id) in self._records.repository

    def captured_among(self, event_ids: Sequence[str]) -> set[str]:
        """Those of the ids already captured, in one query for a whole document."""
        by_aggregate = {CapturedEpcisEvent.create_id(event_id): event_id for event_id in event_ids}
        return {by_aggregate[found] for found in self._records.stored_among(list(by_aggregate))}

    def bound_lot(self, epc_class: str) -> str | None:
        found = self._get(EpcisLot.create_id(epc_class), EpcisLot)
        return None if found is None else found.batch_code

    def labelled_lot(self, gtin14: str, lot: str) -> str | None:
        found = self._get(GtinLot.create_id(gtin14, lot), GtinLot)
        return None if found is None else found.batch_code

    def batch_exists(self, code: str) -> bool:
        return identifiers.batch_id(code) in self._records.repository

    def gln(self, gln: str) -> Place | None:
        return self._remember(("gln", gln), lambda: self._gln(gln))

    def _gln(self, gln: str) -> Place | None:
        found = self._records.gln(gln)
        return None if found is None else Place(found.owner_id, found.plot_id)

    def organisation(self, organisation_id: UUID) -> Place | None:
        found = self._remember(
            ("organisation", organisation_id), lambda: self._get(organisation_id, Organisation)
        )
        return None if found is None else Place(found.id)

    def plot(self, plot_id: UUID) -> Place | None:
        found = self._remember(("plot", plot_id), lambda: self._get(plot_id, Plot))
        return None if found is None else Place(found.cooperative_id, found.id)

    def value_chain_exists(self, value_chain_id: UUID) -> bool:
        return (
            self._remember(("chain", value_chain_id), lambda: self._get(value_chain_id, ValueChain))
            is not None
        )

    def chains_taken_part_in(self, organisation_id: UUID, commodity: str) -> list[UUID]:
        key = ("chains", organisation_id, commodity)
        return self._remember(key, lambda: self._chains(organisation_id, commodity))

    def _chains(self, organisation_id: UUID, commodity: str) -> list[UUID]:
        established = self._originators(ValueChain.Established)  # type: ignore[attr-defined]
        chains = (self._get(i, ValueChain) for i in established)
        return [
            chain.id
            for chain in chains
            if chain is not None
            and chain.commodity == commodity
            and chain.is_participant(organisation_id)
        ]

    def recall_exists(self, recall_id: UUID) -> bool:
        return self._get(recall_id, Recall) is not None

    def open_recall(self, batch_code: str) -> UUID | None:
        recalls = [self._get(i, Recall) for i in self._originators(Recall.Opened)]
        reaching = [
            recall
            for recall in recalls
            if recall is not None
            and not recall.drill
            and recall.state == "open"
            and batch_code in recall.scope
        ]
        return reaching[-1].id if reaching else None  # the latest: a lifted one reopens none

    def _originators(self, event_class: type) -> Iterator[UUID]:
        topics = [get_topic(event_class)]
        start: int | None = 1
        while start is not None:
            page = self._records.recorder.select_notifications(start, _PAGE, topics=topics)
            yield from (UUID(str(n.originator_id)) for n in page)
            start = page[-1].id + 1 if len(page) == _PAGE else None
