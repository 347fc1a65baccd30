"""A recall reaches the whole lineage: the recalled batch and every batch made from it.

How the write side knows, and why it is exact:

- Each batch records the codes of the outputs it fed (``TransformedOut.output_codes``), so the
  recall walks the lineage in the event store itself, never in the read models (they may lag,
  or have set an event aside).
- The recall appends an event to the recalled batch and a ``RecallReached`` event to every
  descendant, all in one transaction: from then on each descendant refuses, by its own state,
  sale, shipping, processing, transformation and labelling. A ``GET`` of the batch reads it from
  its events, so every read agrees with the pages.
- No output can be made from a recalled batch later: a transformation takes from its inputs, and
  a recalled input refuses it. A transformation racing the recall appends to the same input
  batch (or to a descendant the recall also appends to), so the event store's optimistic
  concurrency lets only one of the two commit; the loser is refused and retried against the
  new state. That is why outputs need not be "born recalled".

A recall is also a process, the ``Recall`` aggregate: its scope (the batch and its descendants),
the lots it reaches with their holders and quantities (every holder is notified when it opens),
when each holder's staff first opened the notice, the acknowledgements and what each holder
withdrew or destroyed; it closes once every affected quantity is accounted for, and may be
lifted. For a real recall the holders' steps are also events on the batches (``Withdrawn``,
``Destroyed``, ``RecallAcknowledged``: the events a recalled batch still takes); a drill (a mock
recall) touches no batch, and its steps live on the ``Recall`` alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.domain import clock, identifiers
from shared.domain.batch import Batch, BatchStatus
from shared.domain.errors import NotPermitted, RuleViolated
from shared.domain.organisations import required_text
from shared.domain.quantities import Quantity


def recall(
    batch: Batch,
    *,
    load: Callable[[UUID], Batch],
    by: UUID | None,
    reason: str,
    by_province: bool = False,
    chain_leads: frozenset[UUID] = frozenset(),
    at: datetime | None = None,
) -> list[Batch]:
    """Recalls ``batch`` and marks every descendant; returns the descendants (to be saved)."""
    batch.recall(by=by, reason=reason, by_province=by_province, chain_leads=chain_leads, at=at)
    reached = descendants(batch, load)
    for descendant in reached:
        descendant.reach_by_recall(by=by, origin=batch)
    return reached


def descendants(batch: Batch, load: Callable[[UUID], Batch]) -> list[Batch]:
    """Every batch made from ``batch``, directly or not, each once (merges join lineages)."""
    found: dict[UUID, Batch] = {}
    waiting = list(batch.output_codes)
    while waiting:
        child_id = identifiers.batch_id(waiting.pop())
        if child_id in found:
            continue
        child = load(child_id)
        found[child_id] = child
        waiting.extend(child.output_codes)
    return list(found.values())


def scope_lots(scope: list[Batch]) -> list[dict[str, str]]:
    """The lots in ``scope`` that hold (or held, when sold) product, with who holds them.

    A depleted batch went whole into its outputs, which are in scope themselves; a batch in
    transit is its addressee's to deal with (it arrives recalled)."""
    lots = []
    for batch in scope:
        if batch.status is BatchStatus.DEPLETED:
            continue
        in_transit = batch.status is BatchStatus.IN_TRANSIT
        holder = batch.in_transit_to if in_transit else batch.holder_id
        amount = batch.shipped_quantity if in_transit and batch.shipped_quantity else batch.quantity
        lots.append(
            {
                "batch_id": str(batch.id),
                "code": batch.code,
                "product": batch.commodity,
                "holder_id": str(holder),
                "status": batch.status.value,
                **amount.as_dict(),
            }
        )
    return lots


class Recall(Aggregate):
    """One recall (or drill) of a batch: who holds what, who was told, what came back."""

    class Opened(Aggregate.Created):
        batch_id: UUID
        batch_code: str
        drill: bool
        reason: str
        issued_by: UUID | None  # None: provincial staff
        at: datetime
        scope: list[str]  # every batch code reached, the recalled batch first
        lots: list[dict[str, str]]  # scope_lots(): batch_id, code, product, holder_id, status,
        # amount, unit; every holder named here is notified at ``at``
        time_to_trace_ms: int  # from the command to the scope and holders being known

    def __init__(
        self,
        batch_id: UUID,
        batch_code: str,
        drill: bool,
        reason: str,
        issued_by: UUID | None,
        at: datetime,
        scope: list[str],
        lots: list[dict[str, str]],
        time_to_trace_ms: int,
    ) -> None:
        self.batch_id = batch_id
        self.batch_code = batch_code
        self.drill = drill
        self.reason = reason
        self.issued_by = issued_by
        self.opened_at = at
        self.time_to_trace_ms = time_to_trace_ms
        self.scope = list(scope)
        self.lots = {UUID(lot["batch_id"]): dict(lot) for lot in lots}
        self.reported: dict[UUID, Quantity] = {}
        self.opened_by: set[UUID] = set()
        self.acknowledged_by: set[UUID] = set()
        self.state = "open"
        self.last_at = at

    @classmethod
    def open(
        cls,
        batch: Batch,
        *,
        scope: list[Batch],
        drill: bool,
        reason: str,
        issued_by: UUID | None,
        at: datetime,
        time_to_trace_ms: int,
    ) -> Recall:
        recall = cls._create(
            cls.Opened,
            batch_id=batch.id,
            batch_code=batch.code,
            drill=drill,
            reason=required_text(reason, "reason", 500),
            issued_by=issued_by,
            at=at,
            scope=[batch.code, *(b.code for b in scope if b.id != batch.id)],
            lots=scope_lots(scope),
            time_to_trace_ms=time_to_trace_ms,
        )
        if recall.accounted():
            # Nothing left anywhere (every lot already gone into outputs): nothing to recover.
            recall._closed(at)
        return recall

    # Guards ---------------------------------------------------------------------------------

    def holders(self) -> set[UUID]:
        return {UUID(lot["holder_id"]) for lot in self.lots.values()}

    def check_holder(self, organisation_id: UUID) -> None:
        # Rights before state: an outsider learns nothing about the recall from a refusal.
        if organisation_id not in self.holders():
            msg = "only an organisation holding lots the recall reaches takes part in it"
            raise NotPermitted(msg, code="not_recall_holder")

    def check_open(self) -> None:
        if self.state != "open":
            msg = f"the recall of {self.batch_code} is {self.state}: it takes no more reports"
            raise RuleViolated(msg, code="recall_not_open", params={"state": self.state})

    def lot(self, organisation_id: UUID, batch_id: UUID) -> dict[str, str]:
        found = self.lots.get(batch_id)
        if found is None or UUID(found["holder_id"]) != organisation_id:
            msg = "the recall reaches no lot of this organisation with that code"
            raise RuleViolated(msg, code="lot_not_in_recall", params={"batch": str(batch_id)})
        return found

    def outstanding(self, batch_id: UUID) -> Quantity:
        affected = Quantity.from_dict(
            {"amount": self.lots[batch_id]["amount"], "unit": self.lots[batch_id]["unit"]}
        )
        done = self.reported.get(batch_id)
        return affected - done if done is not None else affected

    def accounted(self) -> bool:
        return all(self.outstanding(batch_id).is_zero() for batch_id in self.lots)

    # Commands -------------------------------------------------------------------------------

    def open_notice(self, *, organisation_id: UUID, at: datetime | None = None) -> None:
        """The first time the holder's staff open the notice; later openings change nothing."""
        self.check_holder(organisation_id)
        if organisation_id not in self.opened_by:
            self._notice_opened(organisation_id, clock.not_in_future(at or clock.now()))

    @event("NoticeOpened")
    def _notice_opened(self, organisation_id: UUID, at: datetime) -> None:
        self.opened_by.add(organisation_id)

    def acknowledge(self, *, organisation_id: UUID, at: datetime) -> None:
        self.check_holder(organisation_id)
        if self.state == "lifted":
            self.check_open()
        if organisation_id in self.acknowledged_by:
            msg = "this organisation has already acknowledged the recall"
            raise RuleViolated(msg, code="already_acknowledged")
        self._acknowledged(organisation_id, at)

    @event("Acknowledged")
    def _acknowledged(self, organisation_id: UUID, at: datetime) -> None:
        self.acknowledged_by.add(organisation_id)

    def report(
        self,
        *,
        organisation_id: UUID,
        batch_id: UUID,
        withdrawn: Quantity | None,
        destroyed: Quantity | None,
        at: datetime,
    ) -> None:
        """What the holder withdrew and destroyed of one lot: together within what is left."""
        self.check_holder(organisation_id)
        self.check_open()
        lot = self.lot(organisation_id, batch_id)
        parts = [q for q in (withdrawn, destroyed) if q is not None]
        if not parts:
            msg = "say what was withdrawn or destroyed"
            raise RuleViolated(msg, code="report_empty")
        outstanding = self.outstanding(batch_id)
        total = Quantity.from_dict({"amount": "0", "unit": outstanding.unit.value})
        for part in parts:
            if part.amount <= 0 or not part.commensurable_with(outstanding):
                unit = outstanding.unit.value
                msg = f"report a positive quantity in {unit} or a unit it converts to"
                params = {"quantity": str(part), "unit": outstanding.unit.value}
                raise RuleViolated(msg, code="report_quantity", params=params)
            total = total + part.to(outstanding.unit)
        if total.exceeds(outstanding):
            msg = f"{lot['code']} has {outstanding} left to account for; {total} is more"
            params = {"batch": lot["code"], "quantity": str(total), "limit": str(outstanding)}
            raise RuleViolated(msg, code="report_exceeds_lot", params=params)
        self._reported(
            organisation_id,
            batch_id,
            withdrawn.as_dict() if withdrawn else None,
            destroyed.as_dict() if destroyed else None,
            at,
        )
        if self.accounted():
            self._closed(at)

    @event("Reported")
    def _reported(
        self,
        organisation_id: UUID,
        batch_id: UUID,
        withdrawn: dict[str, str] | None,
        destroyed: dict[str, str] | None,
        at: datetime,
    ) -> None:
        unit = self.outstanding(batch_id).unit
        done = self.reported.get(batch_id, Quantity.from_dict({"amount": "0", "unit": unit.value}))
        for part in (withdrawn, destroyed):
            if part is not None:
                done = done + Quantity.from_dict(part).to(unit)
        self.reported[batch_id] = done
        self.last_at = max(self.last_at, at)

    @event("Closed")
    def _closed(self, at: datetime) -> None:
        self.state = "closed"

    def lift(self, *, by: UUID | None, by_province: bool, reason: str, at: datetime) -> None:
        """By its issuer or provincial staff: issued in error, or after a clean retest."""
        if not (by_province or (by is not None and by == self.issued_by)):
            msg = "a recall is lifted by the organisation that issued it, or provincial staff"
            raise NotPermitted(msg, code="lift_not_permitted")
        if self.state == "lifted":
            raise RuleViolated("the recall is already lifted", code="already_lifted")
        self._lifted(by, required_text(reason, "reason", 500), at)

    @event("Lifted")
    def _lifted(self, by: UUID | None, reason: str, at: datetime) -> None:
        self.state = "lifted"


def open_recall(
    batch: Batch,
    *,
    load: Callable[[UUID], Batch],
    by: UUID | None,
    reason: str,
    drill: bool = False,
    by_province: bool = False,
    chain_leads: frozenset[UUID] = frozenset(),
    at: datetime | None = None,
    time_to_trace_ms: Callable[[], int] = lambda: 0,
) -> tuple[Recall, list[Batch]]:
    """Opens a recall (marking the lineage) or a drill (marking nothing); returns the recall
    and the batches to save with it (none for a drill)."""
    if drill:
        batch.check_may_recall(by, by_province=by_province, chain_leads=chain_leads)
        when = clock.not_in_future(at or clock.now())
        reached = descendants(batch, load)
        changed: list[Batch] = []
    else:
        reached = recall(
            batch,
            load=load,
            by=by,
            reason=reason,
            by_province=by_province,
            chain_leads=chain_leads,
            at=at,
        )
        when = batch.last_at
        changed = [batch, *reached]
    opened = Recall.open(
        batch,
        scope=[batch, *reached],
        drill=drill,
        reason=reason,
        issued_by=None if by_province else by,
        at=when,
        time_to_trace_ms=time_to_trace_ms(),
    )
    return opened, changed


def report(
    opened: Recall,
    *,
    load: Callable[[UUID], Batch],
    organisation_id: UUID,
    batch_id: UUID,
    withdrawn: Quantity | None,
    destroyed: Quantity | None,
    at: datetime | None = None,
) -> list[Batch]:
    """Records what a holder withdrew or destroyed of a lot; for a real recall, on the batch."""
    when = clock.not_in_future(at or clock.now())
    opened.report(
        organisation_id=organisation_id,
        batch_id=batch_id,
        withdrawn=withdrawn,
        destroyed=destroyed,
        at=when,
    )
    if opened.drill:
        return []
    batch = load(batch_id)
    if withdrawn is not None:
        batch.withdraw(by=organisation_id, recall_id=opened.id, quantity=withdrawn, at=when)
    if destroyed is not None:
        batch.destroy(by=organisation_id, recall_id=opened.id, quantity=destroyed, at=when)
    return [batch]


def acknowledge(
    opened: Recall,
    *,
    load: Callable[[UUID], Batch],
    organisation_id: UUID,
    at: datetime | None = None,
) -> list[Batch]:
    """The holder acknowledges the recall; for a real one, on each of its lots."""
    when = clock.not_in_future(at or clock.now())
    opened.acknowledge(organisation_id=organisation_id, at=when)
    if opened.drill:
        return []
    lots = [
        UUID(lot["batch_id"])
        for lot in opened.lots.values()
        if UUID(lot["holder_id"]) == organisation_id
    ]
    batches = [load(batch_id) for batch_id in lots]
    for batch in batches:
        batch.acknowledge_recall(by=organisation_id, recall_id=opened.id, at=when)
    return batches


def lift(
    opened: Recall,
    *,
    load: Callable[[UUID], Batch],
    by: UUID | None,
    by_province: bool,
    reason: str,
    at: datetime | None = None,
) -> list[Batch]:
    """Lifts the recall; for a real one every reached batch returns to its state before."""
    when = clock.not_in_future(at or clock.now())
    opened.lift(by=by, by_province=by_province, reason=reason, at=when)
    if opened.drill:
        return []
    batches = [load(identifiers.batch_id(code)) for code in opened.scope]
    for batch in batches:
        batch.lift_recall(
            by=by, recall_id=opened.id, recalled_code=opened.batch_code, reason=reason, at=when
        )
    return batches
