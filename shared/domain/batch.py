"""Batches (lô): the unit that is traced, from harvest to sale.

A batch is created by a harvest or by a transformation (see :mod:`shared.domain.transformation`,
which covers split, merge and packing). Every later event names the organisation that acted
(``by``) and when it happened (``at``); guards check custody, mass balance, time order and the
batch's status before anything is triggered. Longer than most modules (~590 lines): one
aggregate's guards, commands and events belong together; recalls across a lineage live in
:mod:`shared.domain.recall`, GTIN rules in :mod:`shared.domain.gtins`.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.domain import clock, diary, identifiers
from shared.domain.errors import InvalidValue, NotPermitted, RuleViolated
from shared.domain.organisations import (
    certification_scheme,
    check_certificate_period,
    required_text,
)
from shared.domain.quantities import Quantity
from shared.domain.upcasting import mark_added


class BatchStatus(StrEnum):
    ACTIVE = "active"
    IN_TRANSIT = "in_transit"
    DEPLETED = "depleted"  # everything it held went into transformations
    SOLD = "sold"
    CONSUMED = "consumed"


FINISHED = frozenset({BatchStatus.DEPLETED, BatchStatus.SOLD, BatchStatus.CONSUMED})

PROCESSING_STEPS = frozenset(
    {
        "drying",
        "cooling",
        "cleaning",
        "milling",
        "polishing",
        "sorting",
        "grading",
        "packing",
        "fermenting",
        "roasting",
        "storing",
        "washing",
        "freezing",
    }
)


class Batch(Aggregate):
    """State common to harvested and produced batches; the created events fill in the rest."""

    # Declared for type checkers only: class-level annotations would become event fields.
    if TYPE_CHECKING:
        plot_ids: list[UUID]  # harvested batches
        harvested_on: date
        interval_override: str | None  # harvested batches: why before an interval ended
        parent_ids: list[UUID]  # produced batches

    @staticmethod
    def create_id(code: str) -> UUID:
        return identifiers.batch_id(code)

    def __init__(
        self,
        code: str,
        commodity: str,
        variety: str | None,
        quantity: dict[str, str],
        holder_id: UUID,
        value_chain_ids: list[UUID],
        at: datetime,
    ) -> None:
        self.code = code
        self.commodity = commodity
        self.variety = variety
        self.quantity = Quantity.from_dict(quantity)
        self.holder_id: UUID | None = holder_id
        self.value_chain_ids = list(value_chain_ids)
        self.status = BatchStatus.ACTIVE
        self.recalled = False
        self.last_at = at
        self.not_before = at
        self.in_transit_to: UUID | None = None
        self.shipped_quantity: Quantity | None = None
        self.gtin: str | None = None
        self.lot: str | None = None
        self.best_before: date | None = None
        # Lineage on the write side: a recall must reach every descendant without asking the
        # read models, which may lag (see shared/domain/recall.py).
        self.output_codes: list[str] = []
        self.recalled_ancestor: str | None = None  # the code whose recall stopped this batch

    class Harvested(Aggregate.Created):
        """v2 carries ``interval_override``: why the harvest came before a spraying's
        pre-harvest interval ended (``shared.domain.diary``); None when none was needed."""

        code: str
        commodity: str
        variety: str | None
        quantity: dict[str, str]
        holder_id: UUID
        value_chain_ids: list[UUID]
        at: datetime
        plot_ids: list[UUID]
        harvested_on: date
        interval_override: str | None
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            # Harvests stored before the farm diary overrode no interval.
            state["interval_override"] = None
            mark_added(state, "interval_override")

        def apply(self, aggregate: Any) -> None:
            aggregate.plot_ids = list(self.plot_ids)
            aggregate.harvested_on = self.harvested_on
            aggregate.interval_override = self.interval_override
            aggregate.not_before = clock.start_of_day_in_vietnam(self.harvested_on)

    class Produced(Aggregate.Created):
        code: str
        commodity: str
        variety: str | None
        quantity: dict[str, str]
        holder_id: UUID
        value_chain_ids: list[UUID]
        at: datetime
        transformation_id: UUID
        step: str
        parents: list[dict[str, str]]  # [{"batch_id", "code", "amount", "unit"}] what fed it

        def apply(self, aggregate: Any) -> None:
            aggregate.parent_ids = [UUID(p["batch_id"]) for p in self.parents]

    @classmethod
    def harvest(
        cls,
        *,
        code: str,
        plots: list[tuple[UUID, UUID]],
        harvester_id: UUID,
        commodity: str,
        variety: str | None,
        quantity: Quantity,
        harvested_on: date,
        value_chain_id: UUID | None = None,
        at: datetime | None = None,
        interval_override: str | None = None,
    ) -> Batch:
        """Harvests from ``plots`` given as (plot id, owning cooperative id) pairs.

        ``interval_override``: the reason for harvesting before a spraying's pre-harvest
        interval ended, given only when one did not (the plots decide: ``Plot``)."""
        if not identifiers.is_batch_code(code):
            msg = f"{code!r} is not a batch code like TH-2026-000123"
            raise InvalidValue("code", msg, code="batch_code_format", params={"code": code})
        if not plots:
            msg = "a harvest comes from at least one plot"
            raise InvalidValue("plot_ids", msg, code="harvest_needs_plot")
        foreign = [str(plot) for plot, owner in plots if owner != harvester_id]
        if foreign:
            msg = f"plots {', '.join(foreign)} belong to another cooperative"
            params = {"plots": ", ".join(foreign)}
            raise NotPermitted(msg, code="plot_not_owned", params=params)
        _positive(quantity)
        clock.date_not_in_future(harvested_on, "harvested_on")
        at = clock.not_in_future(at or clock.now())
        if at < clock.start_of_day_in_vietnam(harvested_on):
            msg = "a harvest is recorded on or after its date"
            params = {"at": at.isoformat(), "after": harvested_on.isoformat()}
            raise RuleViolated(msg, code="time_order", params=params)
        return cls._create(
            cls.Harvested,
            code=code,
            commodity=required_text(commodity, "commodity", 100),
            variety=variety.strip() if variety else None,
            quantity=quantity.as_dict(),
            holder_id=harvester_id,
            value_chain_ids=[value_chain_id] if value_chain_id else [],
            at=at,
            plot_ids=list(dict.fromkeys(plot for plot, _ in plots)),
            harvested_on=harvested_on,
            interval_override=diary.override_reason(interval_override),
        )

    @classmethod
    def produce(
        cls,
        *,
        code: str,
        commodity: str,
        variety: str | None,
        quantity: Quantity,
        holder_id: UUID,
        value_chain_ids: list[UUID],
        at: datetime,
        transformation_id: UUID,
        step: str,
        parents: list[dict[str, str]],
    ) -> Batch:
        """Creates an output of a transformation; call through ``transformation.transform``."""
        if not identifiers.is_batch_code(code):
            msg = f"{code!r} is not a batch code like TH-2026-000123"
            raise InvalidValue("code", msg, code="batch_code_format", params={"code": code})
        return cls._create(
            cls.Produced,
            code=code,
            commodity=required_text(commodity, "commodity", 100),
            variety=variety.strip() if variety else None,
            quantity=quantity.as_dict(),
            holder_id=holder_id,
            value_chain_ids=value_chain_ids,
            at=at,
            transformation_id=transformation_id,
            step=step,
            parents=parents,
        )

    # Guards ---------------------------------------------------------------------------------

    def check_acts(self, by: UUID, at: datetime | None) -> datetime:
        """Only the holder acts, in time order, on a batch not finished, in transit or recalled."""
        self.check_party(by)
        self.check_not_finished()
        if self.status is BatchStatus.IN_TRANSIT:
            raise RuleViolated(
                "the batch is in transit: it can only be received", code="in_transit"
            )
        self.check_not_recalled()
        self.check_holder(by)
        return self.check_time(at)

    def check_party(self, by: UUID) -> None:
        """Rights before state: only the holder or the addressee of its shipment may learn
        from a refusal that the batch is finished, in transit or recalled."""
        if by not in (self.holder_id, self.in_transit_to):
            self._not_custodian()

    def check_holder(self, by: UUID) -> None:
        if by != self.holder_id:
            self._not_custodian()

    def _not_custodian(self) -> None:
        raise NotPermitted(
            f"only the batch's holder may do this; {self.code} is held by another organisation",
            code="not_custodian",
            params={"batch": self.code},
        )

    def check_not_recalled(self) -> None:
        if self.recalled:
            ancestor = self.recalled_ancestor or self.code
            through = "" if ancestor == self.code else f" through the recall of {ancestor}"
            msg = (
                f"{self.code} is recalled{through}: it may not be sold, shipped, processed,"
                " transformed or labelled; corrections and the recall's own steps remain possible"
            )
            params = {"batch": self.code, "recalled_ancestor": ancestor}
            raise RuleViolated(msg, code="recalled", params=params)

    def check_not_finished(self) -> None:
        if self.status in FINISHED:
            msg = f"the batch is {self.status.value}: only corrections and recall are possible"
            raise RuleViolated(msg, code="batch_finished", params={"status": self.status.value})

    def check_time(self, at: datetime | None) -> datetime:
        at = clock.not_in_future(at or clock.now())
        if at < self.not_before or at < self.last_at:
            msg = (
                f"{at.isoformat()} is before the batch's last event ({self.last_at.isoformat()}):"
                " events of a batch are recorded in time order"
            )
            params = {"at": at.isoformat(), "after": self.last_at.isoformat()}
            raise RuleViolated(msg, code="time_order", params=params)
        return at

    def check_can_give(self, quantity: Quantity) -> None:
        _positive(quantity)
        if not quantity.commensurable_with(self.quantity):
            msg = f"{quantity.unit.value} cannot be taken from a batch held in {self.quantity.unit}"
            params = {"unit": quantity.unit.value, "other_unit": self.quantity.unit.value}
            raise RuleViolated(msg, code="units_not_convertible", params=params)
        if quantity.exceeds(self.quantity):
            msg = f"{self.code} holds {self.quantity}; it cannot give {quantity}"
            params = {"quantity": str(quantity), "limit": str(self.quantity)}
            raise RuleViolated(msg, code="mass_balance", params=params)

    # Commands -------------------------------------------------------------------------------

    def process(
        self,
        *,
        by: UUID,
        step: str,
        facility: str,
        quantity_after: Quantity,
        commodity_after: str | None = None,
        at: datetime | None = None,
    ) -> None:
        at = self.check_acts(by, at)
        if step not in PROCESSING_STEPS:
            allowed = ", ".join(sorted(PROCESSING_STEPS))
            msg = f"unknown step {step!r}; use one of {allowed}"
            params = {"field": "step", "value": step, "allowed": allowed}
            raise InvalidValue("step", msg, code="unknown_choice", params=params)
        _positive(quantity_after)
        if quantity_after.commensurable_with(self.quantity) and quantity_after.exceeds(
            self.quantity
        ):
            msg = f"{step} cannot turn {self.quantity} into more ({quantity_after})"
            params = {"quantity": str(quantity_after), "limit": str(self.quantity)}
            raise RuleViolated(msg, code="mass_balance", params=params)
        if not quantity_after.commensurable_with(self.quantity):
            msg = "processing in place keeps the unit; transform the batch to change it"
            params = {"unit": quantity_after.unit.value, "other_unit": self.quantity.unit.value}
            raise RuleViolated(msg, code="units_not_convertible", params=params)
        self._processed(
            by,
            at,
            step,
            required_text(facility, "facility"),
            quantity_after.as_dict(),
            commodity_after.strip() if commodity_after else None,
        )

    @event("Processed")
    def _processed(
        self,
        by: UUID,
        at: datetime,
        step: str,
        facility: str,
        quantity_after: dict[str, str],
        commodity_after: str | None,
    ) -> None:
        self.last_at = at
        self.quantity = Quantity.from_dict(quantity_after)
        if commodity_after:
            self.commodity = commodity_after

    @event("TransformedOut")
    def give_to_transformation(
        self,
        by: UUID,
        at: datetime,
        transformation_id: UUID,
        quantity_taken: dict[str, str],
        output_codes: list[str],
    ) -> None:
        """Mutator only: guards run in ``transformation.transform`` across all inputs."""
        self.last_at = at
        self.output_codes.extend(output_codes)
        self.quantity = self.quantity - Quantity.from_dict(quantity_taken)
        if self.quantity.is_zero():
            self.status = BatchStatus.DEPLETED

    def ship(
        self,
        *,
        by: UUID,
        to: UUID,
        transport_document: str | None,
        quantity: Quantity | None = None,
        at: datetime | None = None,
    ) -> None:
        at = self.check_acts(by, at)
        if to == by:
            raise RuleViolated("a batch is shipped to another organisation", code="ship_to_self")
        quantity = quantity or self.quantity
        self.check_can_give(quantity)
        if quantity.to(self.quantity.unit).amount != self.quantity.amount:
            msg = f"{self.code} holds {self.quantity}: split it (transform) to ship a part"
            params = {"batch": self.code, "quantity": str(self.quantity)}
            raise RuleViolated(msg, code="partial_shipment", params=params)
        self._shipped(by, at, to, transport_document, quantity.as_dict())

    @event("Shipped")
    def _shipped(
        self,
        by: UUID,
        at: datetime,
        to: UUID,
        transport_document: str | None,
        quantity: dict[str, str],
    ) -> None:
        self.last_at = at
        self.status = BatchStatus.IN_TRANSIT
        self.in_transit_to = to
        self.shipped_quantity = Quantity.from_dict(quantity)

    def receive(self, *, by: UUID, quantity: Quantity, at: datetime | None = None) -> None:
        # A recalled batch may still be received: taking it in is how it comes off the road.
        if by not in (self.holder_id, self.in_transit_to):
            raise NotPermitted(
                "only the addressee of a shipment may receive it", code="not_addressee"
            )
        if self.status is not BatchStatus.IN_TRANSIT or self.shipped_quantity is None:
            msg = f"{self.code} is not in transit"
            raise RuleViolated(msg, code="not_in_transit", params={"batch": self.code})
        if by != self.in_transit_to:
            raise NotPermitted(
                "only the addressee of a shipment may receive it", code="not_addressee"
            )
        at = self.check_time(at)
        _positive(quantity)
        if not quantity.commensurable_with(self.shipped_quantity) or quantity.exceeds(
            self.shipped_quantity
        ):
            msg = f"{quantity} received is more than the {self.shipped_quantity} shipped"
            params = {"quantity": str(quantity), "limit": str(self.shipped_quantity)}
            raise RuleViolated(msg, code="mass_balance", params=params)
        self._received(by, at, quantity.as_dict())

    @event("Received")
    def _received(self, by: UUID, at: datetime, quantity: dict[str, str]) -> None:
        self.last_at = at
        self.status = BatchStatus.ACTIVE
        self.holder_id = by
        self.in_transit_to = None
        self.shipped_quantity = None
        self.quantity = Quantity.from_dict(quantity)

    def inspect(
        self,
        *,
        by: UUID,
        lab: str,
        parameters: dict[str, str],
        result: str,
        document: str | None,
        at: datetime | None = None,
    ) -> None:
        # Inspection is allowed on a recalled batch: it is how a recall is investigated.
        self.check_party(by)
        self.check_not_finished()
        if self.status is BatchStatus.IN_TRANSIT:
            raise RuleViolated(
                "the batch is in transit: it can only be received", code="in_transit"
            )
        self.check_holder(by)
        at = self.check_time(at)
        if result not in ("pass", "fail"):
            msg = "an inspection result is 'pass' or 'fail'"
            raise InvalidValue("result", msg, code="inspection_result")
        self._inspected(by, at, required_text(lab, "lab"), dict(parameters), result, document)

    @event("Inspected")
    def _inspected(
        self,
        by: UUID,
        at: datetime,
        lab: str,
        parameters: dict[str, str],
        result: str,
        document: str | None,
    ) -> None:
        self.last_at = at

    def certify(
        self,
        *,
        by: UUID,
        scheme: str,
        certificate: str,
        valid_from: date,
        valid_until: date | None,
        at: datetime | None = None,
    ) -> None:
        at = self.check_acts(by, at)
        check_certificate_period(valid_from, valid_until)
        self._certified(
            by,
            at,
            certification_scheme(scheme).value,
            required_text(certificate, "certificate"),
            valid_from,
            valid_until,
        )

    @event("Certified")
    def _certified(
        self,
        by: UUID,
        at: datetime,
        scheme: str,
        certificate: str,
        valid_from: date,
        valid_until: date | None,
    ) -> None:
        self.last_at = at

    def label(
        self,
        *,
        by: UUID,
        gtin: str,
        lot: str,
        labels_issued: int,
        at: datetime | None = None,
        best_before: date | None = None,
    ) -> None:
        """``best_before`` (GS1 AI 15), if the label prints one: on or after the labelling day."""
        at = self.check_acts(by, at)
        checked_gtin = identifiers.gtin14(gtin)
        checked_lot = identifiers.lot(lot)
        if not 1 <= labels_issued <= 1_000_000:
            msg = "issue between 1 and 1,000,000 labels"
            raise InvalidValue("labels_issued", msg, code="label_count_range")
        if self.gtin is not None and (self.gtin, self.lot) != (checked_gtin, checked_lot):
            msg = f"{self.code} is already labelled {self.gtin} / {self.lot}"
            params = {"batch": self.code, "gtin": self.gtin, "lot": self.lot}
            raise RuleViolated(msg, code="already_labelled", params=params)
        if best_before is not None and best_before < clock.today_in_vietnam(at):
            msg = f"a best-before date of {best_before} is already past on the labelling day"
            params = {"best_before": best_before.isoformat()}
            raise InvalidValue("best_before", msg, code="best_before_past", params=params)
        self._labelled(by, at, checked_gtin, checked_lot, labels_issued)
        if best_before is not None:
            # Its own event, only when given: labelling events stored before it stay unchanged.
            self._best_before_set(by, at, best_before)

    @event("Labelled")
    def _labelled(self, by: UUID, at: datetime, gtin: str, lot: str, labels_issued: int) -> None:
        self.last_at = at
        self.gtin = gtin
        self.lot = lot

    @event("BestBeforeSet")
    def _best_before_set(self, by: UUID, at: datetime, best_before: date) -> None:
        self.best_before = best_before

    def check_may_recall(
        self, by: UUID | None, *, by_province: bool, chain_leads: frozenset[UUID]
    ) -> None:
        """A recall (or a drill) is opened by the holder, a chain's lead, or provincial staff."""
        if not (by_province or (by is not None and (by == self.holder_id or by in chain_leads))):
            msg = "a recall is issued by the holder, the chain's lead, or provincial staff"
            raise NotPermitted(msg, code="recall_not_permitted")

    def recall(
        self,
        *,
        by: UUID | None,
        reason: str,
        by_province: bool = False,
        chain_leads: frozenset[UUID] = frozenset(),
        at: datetime | None = None,
    ) -> None:
        """By the holder, a lead organisation of one of its chains, or provincial staff.

        Recalls its descendants too only through :func:`shared.domain.recall.recall`."""
        # Rights first: an outsider must not learn from the refusal that it is recalled.
        self.check_may_recall(by, by_province=by_province, chain_leads=chain_leads)
        if self.recalled:
            msg = f"{self.code} is already recalled (through {self.recalled_ancestor or self.code})"
            params = {"batch": self.code, "recalled_ancestor": self.recalled_ancestor or self.code}
            raise RuleViolated(msg, code="already_recalled", params=params)
        self._recalled(by, self.check_time(at), required_text(reason, "reason", 500))

    @event("Recalled")
    def _recalled(self, by: UUID | None, at: datetime, reason: str) -> None:
        self.last_at = at
        self.recalled = True
        self.recalled_ancestor = self.code

    def reach_by_recall(self, *, by: UUID | None, origin: Batch) -> None:
        """Marks this descendant of ``origin`` recalled; call through ``recall.recall``.

        No time-order guard: the descendant may have events later than the recall (it was
        processed after it was made), and the recall reaches it all the same."""
        if self.recalled:
            return
        self._recall_reached(by, origin.last_at, origin.id, origin.code)

    @event("RecallReached")
    def _recall_reached(
        self, by: UUID | None, at: datetime, recalled_batch_id: UUID, recalled_code: str
    ) -> None:
        self.last_at = max(self.last_at, at)
        self.recalled = True
        self.recalled_ancestor = recalled_code

    # The recall's own steps: the events a recalled batch still takes --------------------------
    # No time-order guard against the batch's last event (a descendant may have events later
    # than the recall that reached it); each is only refused in the future. Whether the
    # quantities fit what the holder held is the recall's rule (``shared.domain.recall``).

    def check_recall_step(self, by: UUID) -> None:
        """Only the holder (or the addressee of its shipment) of a recalled batch."""
        self.check_party(by)
        if not self.recalled:
            msg = (
                f"{self.code} is not recalled: withdrawal, destruction and acknowledgement"
                " follow a recall"
            )
            raise RuleViolated(msg, code="not_recalled", params={"batch": self.code})

    def acknowledge_recall(self, *, by: UUID, recall_id: UUID, at: datetime) -> None:
        self.check_recall_step(by)
        self._recall_acknowledged(by, at, recall_id)

    @event("RecallAcknowledged")
    def _recall_acknowledged(self, by: UUID, at: datetime, recall_id: UUID) -> None:
        self.last_at = max(self.last_at, at)

    def withdraw(self, *, by: UUID, recall_id: UUID, quantity: Quantity, at: datetime) -> None:
        """Taken off the market and held apart; it stays the holder's (``Destroyed`` ends it)."""
        self.check_recall_step(by)
        self._withdrawn(by, at, recall_id, quantity.as_dict())

    @event("Withdrawn")
    def _withdrawn(self, by: UUID, at: datetime, recall_id: UUID, quantity: dict[str, str]) -> None:
        self.last_at = max(self.last_at, at)

    def destroy(self, *, by: UUID, recall_id: UUID, quantity: Quantity, at: datetime) -> None:
        self.check_recall_step(by)
        self._destroyed(by, at, recall_id, quantity.as_dict())

    @event("Destroyed")
    def _destroyed(self, by: UUID, at: datetime, recall_id: UUID, quantity: dict[str, str]) -> None:
        self.last_at = max(self.last_at, at)

    def lift_recall(
        self, *, by: UUID | None, recall_id: UUID, recalled_code: str, reason: str, at: datetime
    ) -> None:
        """Returns the batch to its state before the recall of ``recalled_code``; call through
        ``recall.lift``. A batch stopped by another recall (a merge of two lineages) stays so."""
        if not self.recalled or self.recalled_ancestor != recalled_code:
            return
        self._recall_lifted(by, at, recall_id, recalled_code, reason)

    @event("RecallLifted")
    def _recall_lifted(
        self, by: UUID | None, at: datetime, recall_id: UUID, recalled_code: str, reason: str
    ) -> None:
        self.last_at = max(self.last_at, at)
        self.recalled = False
        self.recalled_ancestor = None

    def sell(self, *, by: UUID, at: datetime | None = None, consumed: bool = False) -> None:
        at = self.check_acts(by, at)
        self._finished(by, at, (BatchStatus.CONSUMED if consumed else BatchStatus.SOLD).value)

    @event("Sold")
    def _finished(self, by: UUID, at: datetime, outcome: str) -> None:
        self.last_at = at
        self.status = BatchStatus(outcome)

    def correct(
        self,
        *,
        by: UUID | None,
        amends_version: int,
        reason: str,
        changes: dict[str, str],
        quantity: Quantity | None = None,
        by_province: bool = False,
        at: datetime | None = None,
    ) -> None:
        """Appends a correction pointing at the event it amends; history is never edited."""
        if not by_province:
            self.check_holder(by if by is not None else UUID(int=0))
        if not 1 <= amends_version <= self.version:
            msg = f"{self.code} has no event number {amends_version} to correct"
            params = {"batch": self.code, "version": amends_version}
            raise RuleViolated(msg, code="nothing_to_correct", params=params)
        if not changes and quantity is None:
            raise InvalidValue("changes", "say what the correct facts are", code="correction_empty")
        if quantity is not None:
            # A finished batch has given everything away: its quantity is history now.
            self.check_not_finished()
            _positive(quantity)
            if not quantity.commensurable_with(self.quantity):
                msg = "a correction keeps the batch's unit"
                params = {"unit": quantity.unit.value, "other_unit": self.quantity.unit.value}
                raise RuleViolated(msg, code="units_not_convertible", params=params)
        self._corrected(
            by,
            self.check_time(at),
            amends_version,
            required_text(reason, "reason", 500),
            {str(k): str(v) for k, v in changes.items()},
            quantity.as_dict() if quantity else None,
        )

    @event("Corrected")
    def _corrected(
        self,
        by: UUID | None,
        at: datetime,
        amends_version: int,
        reason: str,
        changes: dict[str, str],
        quantity: dict[str, str] | None,
    ) -> None:
        self.last_at = at
        if quantity is not None:
            self.quantity = Quantity.from_dict(quantity)


def _positive(quantity: Quantity) -> None:
    if quantity.amount <= 0:
        msg = f"quantities are positive, got {quantity}"
        params = {"quantity": str(quantity)}
        raise InvalidValue("quantity", msg, code="quantity_not_positive", params=params)
